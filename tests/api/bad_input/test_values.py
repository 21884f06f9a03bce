"""Bad values of a customer or a touchpoint: a 400 naming the field and its code."""

import pytest

from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Touchpoint
from tests.api.bad_input.common import (
    CUSTOMERS,
    HELENE,
    TOUCHPOINTS,
    post_json,
    problems,
)

pytestmark = pytest.mark.django_db

CUSTOMER_VALUES = [
    ({"first_name": 42}, "first_name", None),  # numbers are accepted as text by DRF
    ({"first_name": {"prénom": "Hélène"}}, "first_name", "invalid"),
    ({"first_name": "H" * 101}, "first_name", "max_length"),
    ({"first_name": "Hé\x00lène"}, "first_name", "null_characters_not_allowed"),
    ({"first_name": "H\ud800lène"}, "first_name", "invalid_unicode"),
    ({"tags": "gros caractères"}, "tags", "not_a_list"),
    ({"tags": ["x" * 41]}, "tags.0", "max_length"),
    ({"phones": ["06 12 34\x00 56 78"]}, "phones.0", "null_characters_not_allowed"),
    ({"segment": 10**30}, "segment", "does_not_exist"),
    ({"segment": -1}, "segment", "does_not_exist"),
    ({"segment": "seniors"}, "segment", "incorrect_type"),
    ({"usual_contact": 2**63}, "usual_contact", "does_not_exist"),
    ({"birth_date": "31/02/1968"}, "birth_date", "invalid"),
    ({"birth_date": "1968-02-30"}, "birth_date", "invalid"),
    ({"birth_date": "99999-01-01"}, "birth_date", "invalid"),
    ({"civility": "<b>mme</b>"}, "civility", "invalid_choice"),
    ({"confirm_duplicate": "peut-être"}, "confirm_duplicate", "invalid"),
]


@pytest.mark.parametrize(("change", "field", "code"), CUSTOMER_VALUES)
def test_a_bad_customer_value_is_a_400_naming_the_field(partner, change, field, code):
    response = post_json(partner, CUSTOMERS, {**HELENE, **change})

    if code is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}
    assert not Customer.objects.exists()


TOUCHPOINT_VALUES = [
    ({"reason": "lost\x00property"}, "reason", "null_characters_not_allowed"),
    ({"reason": "x" * 10_000}, "reason", "does_not_exist"),
    ({"channel": "pigeon\x00"}, "channel", "invalid_choice"),
    ({"summary": "Écharpe\x00 oubliée"}, "summary", "null_characters_not_allowed"),
    ({"summary": "Écharpe \udfff oubliée"}, "summary", "invalid_unicode"),
    ({"customer": 10**30}, "customer", "does_not_exist"),
    ({"customer": "Hélène"}, "customer", "incorrect_type"),
    ({"request": -5}, "request", "does_not_exist"),
    ({"occurred_at": "2026-13-45T10:00:00+01:00"}, "occurred_at", "invalid"),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at", "overflow"),
    ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "occurred_at", "overflow"),
    ({"occurred_at": "2999-01-01T10:00:00+01:00"}, "occurred_at", "future_date"),
    ({"occurred_at": "0001-01-03T00:00:00Z"}, "occurred_at", "implausible_date"),
]


@pytest.mark.parametrize(("change", "field", "code"), TOUCHPOINT_VALUES)
def test_a_bad_touchpoint_value_is_a_400_naming_the_field(
    partner, card_holder, change, field, code
):
    body = {
        "customer": card_holder.pk,
        "channel": "phone",
        "reason": "lost_property",
        "summary": "Écharpe oubliée dans le tram T1",
        **change,
    }

    response = post_json(partner, TOUCHPOINTS, body)

    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}
    assert not Touchpoint.objects.exists()
