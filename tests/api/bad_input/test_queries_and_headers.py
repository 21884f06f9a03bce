"""Bad query parameters, ids, Idempotency-Key headers and methods: a 4xx naming them."""

import pytest
from django.urls import reverse

from relation_client.api.models import IdempotencyRecord
from relation_client.customers.models import Customer
from tests.api.bad_input.common import (
    CUSTOMERS,
    HELENE,
    TOUCHPOINTS,
    post_json,
    problems,
)
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

QUERIES = [
    (CUSTOMERS, {"search": "Hé\x00lène"}, "search", "null_characters_not_allowed"),
    (CUSTOMERS, {"search": "Dupont " * 100}, "search", "max_length"),
    (CUSTOMERS, {"limit": "-1"}, "limit", "min_value"),
    (CUSTOMERS, {"limit": str(10**30)}, "limit", "max_value"),
    (CUSTOMERS, {"cursor": "bz1hYmM="}, "cursor", "invalid_cursor"),  # o=abc
    (reverse("api:customer-lookup"), {"phone": "06\x0012"}, "phone", "invalid_phone"),
    (reverse("api:customer-lookup"), {"phone": "9" * 5000}, "phone", "invalid_phone"),
    (reverse("api:request-list"), {"status": "ouverte\x00"}, "status", "invalid_choice"),
    (reverse("api:request-list"), {"agency": str(10**30)}, "agency", "does_not_exist"),
]


@pytest.mark.parametrize(("url", "query", "field", "code"), QUERIES)
def test_a_bad_query_parameter_is_a_400_naming_it(partner, url, query, field, code):
    response = partner.get(url, query)

    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}


def test_a_bad_cursor_on_the_timeline_is_a_400(partner, make_customer):
    helene = make_customer()
    url = reverse("api:customer-timeline", args=[helene.pk])

    for cursor, size in [("pas-un-curseur", "20"), ("", "-3"), ("", str(10**30))]:
        response = partner.get(url, {"cursor": cursor, "size": size} if cursor else {"size": size})
        assert response.status_code == 400, response.content
        assert error_of(response)["field"] in {"cursor", "size"}


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "-1", "abc", "%00"])
def test_an_id_that_cannot_exist_is_a_404(partner, pk):
    response = partner.get(f"/api/v1/customers/{pk}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("key", "detail"),
    [
        ("clé\x00nulle", "La clé d'idempotence contient un caractère de contrôle."),
        ("k" * 256, "La clé d'idempotence dépasse 255 caractères."),
        (
            "clé avec espace",
            "La clé d'idempotence ne peut contenir que des caractères ASCII visibles, sans espace ni accent.",
        ),
    ],
)
def test_a_bad_idempotency_key_is_a_400(partner, key, detail):
    response = post_json(partner, CUSTOMERS, HELENE, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["field"], error["detail"]) == (
        "invalid_idempotency_key",
        "Idempotency-Key",
        detail,
    )
    assert not Customer.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_method_the_endpoint_does_not_have_is_a_405_with_allow(api_client):
    response = api_client.put(TOUCHPOINTS, {}, format="json")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "POST, OPTIONS"
