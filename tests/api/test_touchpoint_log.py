"""POST /api/v1/touchpoints/: log an interaction in the connected agent's name."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relation_client.touchpoints.models import Request, RequestStatus, Touchpoint
from tests.api.conftest import error_of

URL = reverse("api:touchpoint-log")


@pytest.fixture
def call(helene):
    return {
        "customer": helene.pk,
        "channel": "phone",
        "direction": "inbound",
        "reason": "lost_property",
        "summary": "A oublié son écharpe bordeaux dans le tram T1, arrêt Gratte-Ciel.",
        "mood": "neutral",
    }


def test_an_inbound_question_is_logged_and_opens_a_request(api_client, agent, helene, call):
    response = api_client.post(URL, call)

    assert response.status_code == 201, response.json()
    body = response.json()
    touchpoint = Touchpoint.objects.get()
    request = Request.objects.get()
    assert body["id"] == touchpoint.pk
    assert body["opened_request"] == request.pk == body["request"]
    assert body["agent"] == {"id": agent.pk, "display_name": "Camille Rousseau"}
    assert body["agency"]["name"] == "Lyon Part-Dieu"
    assert body["reason"] == {"code": "lost_property", "label": "Objet perdu"}
    assert (touchpoint.customer, touchpoint.agent, touchpoint.mood) == (helene, agent, "neutral")
    assert request.status == RequestStatus.OPEN
    assert request.deadline > touchpoint.occurred_at


def test_a_follow_up_attached_to_a_request_opens_none(api_client, helene, call):
    first = api_client.post(URL, call).json()

    response = api_client.post(
        URL, {**call, "summary": "Rappel : l'écharpe a été retrouvée.", "request": first["request"]}
    )

    assert response.status_code == 201
    assert response.json()["opened_request"] is None
    assert response.json()["request"] == first["request"]
    assert Request.objects.count() == 1


def test_an_unidentified_walk_in_is_logged(api_client, call):
    response = api_client.post(
        URL, {**call, "customer": None, "channel": "counter", "outcome": "answered"}
    )

    assert response.status_code == 201
    assert Touchpoint.objects.get().customer is None
    assert response.json()["opened_request"] is None


def test_a_past_date_is_kept(api_client, call):
    yesterday = timezone.now() - datetime.timedelta(days=1)

    response = api_client.post(URL, {**call, "occurred_at": yesterday.isoformat()})

    assert response.status_code == 201
    assert Touchpoint.objects.get().occurred_at == yesterday


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"customer": 987654}, "customer", "does_not_exist"),
        ({"channel": "pigeon_voyageur"}, "channel", "invalid_choice"),
        ({"reason": "météo"}, "reason", "does_not_exist"),
        ({"summary": "  "}, "summary", "blank"),
        ({"occurred_at": "hier"}, "occurred_at", "invalid"),
    ],
)
def test_bad_input_is_refused_with_field_and_code(api_client, call, change, field, code):
    response = api_client.post(URL, {**call, **change})

    assert response.status_code == 400
    body = error_of(response)
    assert (body["field"], body["code"]) == (field, code)
    assert Touchpoint.objects.count() == 0


def test_a_date_in_the_future_is_refused(api_client, call):
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    response = api_client.post(URL, {**call, "occurred_at": tomorrow.isoformat()})

    assert response.status_code == 400
    body = error_of(response)
    assert (body["field"], body["code"]) == ("occurred_at", "future_date")
    assert body["detail"] == "La date du contact ne peut pas être dans le futur."
    assert Touchpoint.objects.count() == 0


def test_a_request_of_another_customer_is_refused(api_client, call, make_customer):
    jean = make_customer("Jean", "Dupont")
    other = api_client.post(URL, {**call, "customer": jean.pk}).json()["request"]

    response = api_client.post(URL, {**call, "request": other})

    assert response.status_code == 400
    assert (error_of(response)["field"], error_of(response)["code"]) == (
        "request",
        "request_mismatch",
    )
    assert Touchpoint.objects.count() == 1


def test_a_user_without_agent_profile_cannot_log(call):
    user = get_user_model().objects.create_user(username="integrateur", password="x")
    client = APIClient()
    client.force_login(user)

    response = client.post(URL, call)

    assert response.status_code == 403
    body = error_of(response)
    assert body["code"] == "no_agent_profile"
    assert body["detail"].startswith("Ce compte n'est rattaché à aucun agent")
    assert Touchpoint.objects.count() == 0


def test_anonymous_cannot_log(anonymous_client, call):
    response = anonymous_client.post(URL, call)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert Touchpoint.objects.count() == 0
