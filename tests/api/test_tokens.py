"""Per-application tokens: hashed, scoped, revocable, last use recorded."""

import pytest

from relation_client.api.models import ApiToken
from relation_client.api.services import api_token_create, api_token_revoke
from socle.errors import DomainError
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_shown_once(social_desk):
    token, raw = api_token_create(name="Billettique", agent=social_desk, scopes=["customers:read"])
    assert raw.startswith(f"rc_{token.lookup}_")
    stored = ApiToken.objects.filter(pk=token.pk).values_list("key_hash", flat=True).get()
    assert raw not in stored and len(stored) == 64


def test_scope_allows_reading_and_records_last_use(make_token, helene):
    token, _raw, client = make_token("customers:read")
    response = client.get("/api/v1/customers/", {"search": "Hélène Dupont"})
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == helene.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/customers/", {"first_name": "Chloé", "last_name": "Béranger"}),
        (
            "post",
            "/api/v1/touchpoints/",
            {"channel": "social_media", "reason": "complaint", "summary": "Bus en retard"},
        ),
        ("get", "/api/v1/requests/", None),
    ],
)
def test_a_token_without_the_scope_gets_403(token_without_scope, method, path, body):
    _token, _raw, client = token_without_scope
    response = getattr(client, method)(path, body, format="json") if body else client.get(path)
    assert response.status_code == 403
    assert error_of(response)["code"] == "insufficient_scope"


def test_a_token_writes_in_its_agents_name(make_token, helene, social_desk):
    _token, _raw, client = make_token("touchpoints:write")
    response = client.post(
        "/api/v1/touchpoints/",
        {
            "customer": helene.pk,
            "channel": "social_media",
            "reason": "complaint",
            "summary": "Se plaint du bus 37 passé en avance",
        },
        format="json",
    )
    assert response.status_code == 201
    assert helene.touchpoints.get().agent == social_desk


def test_revoked_or_unknown_token_gets_401(make_token):
    token, raw, client = make_token("customers:read")
    api_token_revoke(token=token)
    response = client.get("/api/v1/customers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "authentication_failed"
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw[:-3]}abc")
    assert client.get("/api/v1/customers/").status_code == 401


def test_unknown_scope_is_refused(social_desk):
    with pytest.raises(DomainError) as error:
        api_token_create(name="Enquêtes", agent=social_desk, scopes=["tout:faire"])
    assert error.value.field == "scopes"


def test_every_api_view_declares_the_scope_of_each_method():
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    for route, callback in walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if not route.startswith("api/v1/") or view is None:
            continue
        methods = {m.upper() for m in view.http_method_names if hasattr(view, m)} - {
            "OPTIONS",
            "HEAD",
        }
        declared = set(getattr(view, "required_scopes", {}))
        assert methods <= declared, f"{route} {view.__name__} lacks scopes for {methods - declared}"
