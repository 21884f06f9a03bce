"""GET /api/v1/customers/{id}/: the whole record in a fixed number of queries."""

import pytest
from django.urls import reverse

from agences.models import AgentAbsence
from relation_client.touchpoints.models import Outcome
from tests.api.conftest import error_of


def url(customer_id: int) -> str:
    return reverse("api:customer-detail", args=[customer_id])


def test_the_record_names_the_person_first(api_client, helene, agent, log_touchpoints):
    log_touchpoints(helene, 2, outcome=Outcome.FOLLOW_UP)  # each opens a request

    body = api_client.get(url(helene.pk)).json()

    assert body["salutation"] == "Mme Hélène Dupont-Lefèvre"
    assert body["birth_date"] == "1968-04-12"
    assert body["tags"] == ["gros caractères"]
    assert body["segment"]["name"] == "Seniors"
    assert body["phones"] == [{"e164": "+33612345678", "display": "06 12 34 56 78", "label": ""}]
    assert body["emails"] == ["helene.dupont@exemple.fr"]
    assert body["identifiers"] == [{"kind": "card", "number": "TCL00421968"}]
    assert body["usual_contact"]["id"] == agent.pk
    assert isinstance(body["usual_contact"]["available_today"], bool)
    assert len(body["open_requests"]) == 2
    assert set(body["open_requests"][0]) == {"id", "subject", "status", "deadline", "channel"}
    # oldest deadline first
    deadlines = [r["deadline"] for r in body["open_requests"]]
    assert deadlines == sorted(deadlines)


def test_usual_contact_away_today_is_not_available(api_client, helene, agent):
    agent.agency.opening_hours = {str(day): [["08:00", "19:00"]] for day in range(1, 8)}
    agent.agency.save()
    available = api_client.get(url(helene.pk)).json()["usual_contact"]["available_today"]
    AgentAbsence.objects.create(agent=agent, start="2000-01-01", end="2999-12-31", reason="Congés")

    away = api_client.get(url(helene.pk)).json()["usual_contact"]["available_today"]

    assert (available, away) == (True, False)


@pytest.mark.parametrize("history", [1, 60])
def test_query_count_does_not_grow_with_history(
    api_client, helene, log_touchpoints, history, django_assert_num_queries
):
    # the history opens as many requests, all listed on the record
    log_touchpoints(helene, history, outcome=Outcome.FOLLOW_UP)

    # session, agent (permission; the user comes from Redis), customer with segment, home agency and usual
    # contact with agency, contact points, identifiers, absences, open requests, audit row
    with django_assert_num_queries(8):
        response = api_client.get(url(helene.pk))

    assert len(response.json()["open_requests"]) == history


def test_unknown_customer_is_a_json_404(api_client):
    response = api_client.get(url(987654))

    assert response.status_code == 404
    body = error_of(response)
    assert (body["code"], body["field"]) == ("not_found", None)
    assert body["detail"] == "Ce client n'existe pas."


def test_anonymous_cannot_read(anonymous_client, helene):
    response = anonymous_client.get(url(helene.pk))

    assert response.status_code == 401
    assert "Dupont" not in response.content.decode()
