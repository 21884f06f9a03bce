import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.touchpoints.models import Request, Touchpoint

pytestmark = pytest.mark.django_db


def post(client, customer, **fields):
    payload = {
        "channel": "phone",
        "direction": "inbound",
        "reason": "subscription",
        "summary": "Demande l'abonnement solidaire pour sa fille",
        "outcome": "",
        "mood": "neutral",
    }
    payload.update(fields)
    return client.post(
        reverse("customers:log_touchpoint", args=[customer.pk]),
        payload,
        headers={"HX-Request": "true"},
    )


def test_logged_touchpoint_tops_the_timeline_and_opens_a_request(agent_client, helene, agent):
    response = post(agent_client, helene)
    assert response.status_code == 200
    touchpoint = Touchpoint.objects.get(customer=helene)
    assert (touchpoint.agent, touchpoint.agency_id, touchpoint.channel) == (
        agent,
        agent.agency_id,
        "phone",
    )
    body = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#historique"' in body
    assert "Demande l&#x27;abonnement solidaire pour sa fille" in body
    request = Request.objects.get()
    assert touchpoint.request == request and request.status == "open"
    assert "Demandes en cours" in body and 'hx-swap-oob="true"' in body


def test_answered_on_the_spot_opens_no_request(agent_client, helene):
    post(agent_client, helene, outcome="answered")
    assert Request.objects.count() == 0
    assert Touchpoint.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "pigeon"}, "Sélectionnez un choix valide"),
        ({"summary": ""}, "Ce champ est obligatoire"),
        (
            {
                "occurred_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                )
            },
            "ne peut pas être dans le futur",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_saves_nothing(agent_client, helene, fields, message):
    response = post(agent_client, helene, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Touchpoint.objects.count() == 0


def test_unknown_customer_is_404(agent_client):
    response = agent_client.post(reverse("customers:log_touchpoint", args=[999999]), {})
    assert response.status_code == 404


def test_query_count_of_logging_is_bounded(
    agent_client, make_customer, agent, django_assert_max_num_queries
):
    customer = make_customer(touchpoints=50, agent=agent)
    with django_assert_max_num_queries(30):
        post(agent_client, customer)
