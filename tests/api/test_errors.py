"""The one error shape, whatever went wrong: {"code", "field", "detail"}."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from relation_client.api.errors import api_exception_handler
from relation_client.customers.models import ContactPoint, Customer
from socle.errors import DomainError
from tests.api.conftest import error_of

ENDPOINTS = [
    ("get", "api:customer-list", {}),
    ("post", "api:customer-list", {}),
    ("get", "api:customer-lookup", {}),
    ("get", "api:customer-detail", {"pk": 1}),
    ("patch", "api:customer-detail", {"pk": 1}),
    ("get", "api:customer-timeline", {"pk": 1}),
    ("post", "api:touchpoint-log", {}),
    ("get", "api:request-list", {}),
    ("get", "api:request-detail", {"pk": 1}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
def test_anonymous_caller_does_not_get_in(anonymous_client, method, name, kwargs):
    response = getattr(anonymous_client, method)(reverse(name, kwargs=kwargs), {})

    # the token authenticator's Bearer challenge makes it a 401
    assert response.status_code == 401
    body = error_of(response)
    assert body["code"] == "not_authenticated"
    assert body["field"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
def test_user_without_agent_profile_is_refused(method, name, kwargs):
    user = get_user_model().objects.create_user(username="prestataire", password="x")
    client = APIClient()
    client.force_login(user)

    response = getattr(client, method)(reverse(name, kwargs=kwargs), {})

    assert response.status_code == 403
    body = error_of(response)
    assert body["code"] == "no_agent_profile"
    assert "agent" in body["detail"]


def test_method_not_allowed_is_json(api_client):
    response = api_client.delete(reverse("api:customer-list"))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_method_not_allowed_is_a_405_for_a_token_too(agent):
    from rest_framework.test import APIClient

    from relation_client.api.models import Scope
    from relation_client.api.services import api_token_create

    _token, secret = api_token_create(name="Billettique", agent=agent, scopes=Scope.values)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.put(reverse("api:touchpoint-log"), {}, format="json")

    assert response.status_code == 405  # not a 403 for a scope no method could need
    assert error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_malformed_json_is_refused_with_its_code(api_client):
    response = api_client.post(
        reverse("api:customer-list"),
        data='{"first_name": "Hélène", "last_name": ',
        content_type="application/json",
    )

    assert response.status_code == 400
    body = error_of(response)
    assert body["code"] == "malformed_json"
    assert body["detail"] == "Le corps de la requête n'est pas un JSON valide."
    assert Customer.objects.count() == 0


def test_a_form_body_is_an_unsupported_media_type(api_client):
    response = api_client.post(
        reverse("api:customer-list"),
        data="first_name=H%C3%A9l%C3%A8ne&last_name=Dupont",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_validation_errors_list_every_field_with_its_code(api_client):
    response = api_client.post(
        reverse("api:customer-list"),
        {"last_name": "", "civility": "madame", "segment": 999999, "surnom": "Léna"},
    )

    assert response.status_code == 400
    body = error_of(response)
    problems = {(item["field"], item["code"]) for item in body["errors"]}
    assert problems == {
        ("first_name", "required"),
        ("last_name", "blank"),
        ("civility", "invalid_choice"),
        ("segment", "does_not_exist"),
        ("surnom", "unknown_field"),
    }
    # the top level repeats the first problem, so a client may read only that
    assert {k: body[k] for k in ("code", "field", "detail")} == body["errors"][0]


def test_a_list_item_error_names_its_position(api_client):
    response = api_client.post(
        reverse("api:customer-list"),
        {"first_name": "Hélène", "last_name": "Dupont-Lefèvre", "tags": ["ok", "x" * 41]},
    )

    assert response.status_code == 400
    body = error_of(response)
    assert (body["field"], body["code"]) == ("tags.1", "max_length")


def test_a_body_that_is_not_an_object_is_refused(api_client):
    response = api_client.post(reverse("api:customer-list"), ["Hélène"])

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == ("invalid", None)
    assert ContactPoint.objects.count() == 0


def test_domain_errors_map_to_their_status():
    refused = api_exception_handler(
        DomainError("invalid_email", "« hélène@ » n'est pas une adresse e-mail valide.", "emails"),
        {},
    )
    forbidden = api_exception_handler(DomainError("forbidden", "Réservé aux superviseurs."), {})

    assert refused.status_code == 400
    assert refused.data == {
        "code": "invalid_email",
        "field": "emails",
        "detail": "« hélène@ » n'est pas une adresse e-mail valide.",
    }
    assert forbidden.status_code == 403


def test_a_bug_is_left_to_django(api_client):
    # not swallowed into a JSON 400: Django logs it and answers 500
    assert api_exception_handler(ZeroDivisionError(), {}) is None
