"""GET /api/v1/customers/lookup/?phone=: who is calling, in any spelling of the number."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import Outcome
from tests.api.conftest import error_of

URL = reverse("api:customer-lookup")


@pytest.mark.parametrize(
    "spelling", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033612345678"]
)
def test_every_spelling_finds_helene(api_client, helene, make_customer, spelling):
    make_customer("Jean", "Dupont", phones=["06 98 76 54 32"])

    response = api_client.get(URL, {"phone": spelling})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == helene.pk
    assert body["results"][0]["salutation"] == "Mme Hélène Dupont-Lefèvre"


def test_the_caller_comes_with_routing_and_history(api_client, helene, agent, log_touchpoints):
    log_touchpoints(helene, 7, outcome=Outcome.FOLLOW_UP)

    match = api_client.get(URL, {"phone": "06 12 34 56 78"}).json()["results"][0]

    assert match["usual_contact"]["id"] == agent.pk
    assert match["usual_contact"]["display_name"] == "Camille Rousseau"
    assert isinstance(match["usual_contact"]["available_today"], bool)
    assert len(match["open_requests"]) == 7
    latest = match["latest_touchpoints"]
    assert len(latest) == 5
    assert latest[0]["summary"].startswith("Question n° 0 ")
    assert latest[0]["reason"] == {"code": "information", "label": "Information"}
    assert [t["occurred_at"] for t in latest] == sorted(
        (t["occurred_at"] for t in latest), reverse=True
    )


def test_a_shared_number_lists_everyone(api_client, helene, make_customer):
    home = "04 78 00 00 01"
    helene_home = api_client.patch(
        reverse("api:customer-detail", args=[helene.pk]), {"phones": ["0612345678", home]}
    )
    assert helene_home.status_code == 200
    paul = make_customer("Paul", "Dupont-Lefèvre", phones=[home])

    body = api_client.get(URL, {"phone": "+33478000001"}).json()

    assert body["count"] == 2
    assert {r["id"] for r in body["results"]} == {helene.pk, paul.pk}


def test_an_unknown_number_is_a_json_404(api_client, helene):
    response = api_client.get(URL, {"phone": "07 81 23 45 67"})

    assert response.status_code == 404
    body = error_of(response)
    assert (body["code"], body["field"]) == ("unknown_phone", "phone")
    assert body["detail"] == "Aucun client connu pour le numéro 07 81 23 45 67."


@pytest.mark.parametrize(
    ("params", "code"), [({}, "required"), ({"phone": "06 12"}, "invalid_phone")]
)
def test_a_missing_or_invalid_number_is_a_400_on_phone(api_client, params, code):
    response = api_client.get(URL, params)

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == (code, "phone")


@pytest.mark.parametrize("history", [1, 60])
def test_query_count_does_not_grow_with_history(
    api_client, helene, log_touchpoints, history, django_assert_num_queries
):
    log_touchpoints(helene, history, outcome=Outcome.FOLLOW_UP)

    # session, agent (permission; the user comes from Redis), customers on the number with segment, agency
    # and usual contact, the usual contact's absences, open requests, then the latest
    # touchpoints: one query per customer on the number (one here), the audit rows
    with django_assert_num_queries(7):
        response = api_client.get(URL, {"phone": "06 12 34 56 78"})

    assert len(response.json()["results"][0]["open_requests"]) == history


def test_anonymous_cannot_identify_a_caller(anonymous_client, helene):
    response = anonymous_client.get(URL, {"phone": "06 12 34 56 78"})

    assert response.status_code == 401
    assert "Hélène" not in response.content.decode()


def test_a_reunion_caller_is_found_by_the_national_spelling(api_client, make_customer):
    customer = make_customer("Mickaël", "Payet", phones=["+262 692 12 34 56"])

    response = api_client.get(URL, {"phone": "0692 12 34 56"})

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [customer.pk]
