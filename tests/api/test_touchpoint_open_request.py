"""Issue #14: POST /api/v1/touchpoints/ keeps an explicit `open_request`; when it is absent
or null, the reason's default decides (a complaint opens a request, information none)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

API = reverse("api:touchpoint-log")


@pytest.fixture
def call(helene):
    return {
        "customer": helene.pk,
        "channel": "phone",
        "reason": "information",
        "summary": "Itinéraire pour l'hôpital Édouard-Herriot",
    }


def test_the_api_follows_the_reason_when_open_request_is_absent(api_client, call):
    information = api_client.post(API, call, format="json").json()
    complaint = api_client.post(
        API, {**call, "reason": "complaint", "summary": "Valideur hors service"}, format="json"
    ).json()
    assert information["opened_request"] is None
    assert complaint["opened_request"] is not None


def test_the_api_keeps_an_explicit_open_request(api_client, call):
    asked = api_client.post(API, {**call, "open_request": True}, format="json").json()
    declined = api_client.post(
        API, {**call, "reason": "complaint", "open_request": False}, format="json"
    ).json()
    defaulted = api_client.post(API, {**call, "open_request": None}, format="json").json()
    assert asked["opened_request"] is not None
    assert declined["opened_request"] is None
    assert defaulted["opened_request"] is None
