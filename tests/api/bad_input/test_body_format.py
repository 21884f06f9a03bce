"""Body format: not JSON is a 415, broken JSON a 400 malformed_json, never a 500."""

import json

import pytest
from django.urls import reverse

from relation_client.customers.models import Customer
from tests.api.bad_input.common import (
    CUSTOMERS,
    HELENE,
    RIDERSHIP,
    SUBSCRIPTIONS,
    SURVEY_ANSWERS,
    TOUCHPOINTS,
    nothing_saved,
    post_json,
)
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", CUSTOMERS),
    ("post", TOUCHPOINTS),
    ("post", RIDERSHIP),
    ("post", SUBSCRIPTIONS),
    ("post", SURVEY_ANSWERS),
]
NOT_JSON = [
    ("text/plain", "prénom=Hélène"),
    ("application/x-www-form-urlencoded", "first_name=H%C3%A9l%C3%A8ne&last_name=Dupont"),
    ("application/xml", "<client><prenom>Hélène</prenom></client>"),
    ("multipart/form-data; boundary=xyz", '--xyz\r\nContent-Disposition: form-data; name="a"'),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(("content_type", "body"), NOT_JSON)
def test_a_body_that_is_not_json_is_a_415(partner, method, url, content_type, body):
    response = getattr(partner, method)(url, data=body, content_type=content_type)

    assert response.status_code == 415
    error = error_of(response)
    assert error["code"] == "unsupported_media_type"
    assert nothing_saved()


def test_a_body_without_content_type_is_a_415_not_an_empty_change(partner, make_customer):
    helene = make_customer()
    url = reverse("api:customer-detail", args=[helene.pk])

    response = partner.generic("PATCH", url, json.dumps({"needs": "Malvoyante"}), content_type="")

    assert response.status_code == 415
    assert "application/json" in error_of(response)["detail"]
    helene.refresh_from_db()
    assert helene.needs == ""


@pytest.mark.parametrize("url", [CUSTOMERS, TOUCHPOINTS, RIDERSHIP, SURVEY_ANSWERS])
@pytest.mark.parametrize(
    "body",
    [
        b'{"first_name": "H\xc3\xa9l\xc3\xa8ne", ',  # cut short
        b'{"first_name": "H\xe9l\xe8ne"}',  # Latin-1, not UTF-8
        b"\x00",
        b'{"trips": NaN}',
        b"[" * 100_000,  # nested beyond Python's recursion
    ],
    ids=["truncated", "latin1", "nul", "nan", "deep"],
)
def test_malformed_json_is_a_400_malformed_json(partner, url, body):
    response = post_json(partner, url, body)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert error["detail"] == "Le corps de la requête n'est pas un JSON valide."
    assert nothing_saved()


def test_a_body_nested_too_deep_is_refused_before_the_view(partner):
    body = {**HELENE, "tags": json.loads("[" * 40 + "]" * 40)}

    response = post_json(partner, CUSTOMERS, body)

    assert response.status_code == 400
    assert error_of(response)["code"] == "too_deep"
    assert not Customer.objects.exists()
