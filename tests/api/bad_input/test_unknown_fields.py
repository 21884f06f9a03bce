"""Unknown fields are named, never dropped: on a create, a change, a bulk row."""

import pytest
from django.urls import reverse

from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Touchpoint
from tests.api.bad_input.common import (
    CUSTOMERS,
    HELENE,
    RIDERSHIP,
    SURVEY_ANSWERS,
    TOUCHPOINTS,
    nothing_saved,
    post_json,
    problems,
)
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_an_unknown_field_on_create_is_named(partner):
    response = post_json(partner, CUSTOMERS, {**HELENE, "prenom_usuel": "Léna"})

    assert response.status_code == 400
    assert problems(response) == {(None, "prenom_usuel", "unknown_field")}
    assert error_of(response)["detail"] == "Champ inconnu."
    assert not Customer.objects.exists()


def test_an_unknown_field_on_change_changes_nothing(partner, make_customer):
    helene = make_customer()

    response = partner.patch(
        reverse("api:customer-detail", args=[helene.pk]),
        {"needs": "Malvoyante", "besoins": "Malvoyante"},
        format="json",
    )

    assert response.status_code == 400
    assert problems(response) == {(None, "besoins", "unknown_field")}
    helene.refresh_from_db()
    assert helene.needs == ""


def test_a_typo_on_a_touchpoint_is_not_dropped(partner, card_holder):
    body = {
        "customer": card_holder.pk,
        "channel": "phone",
        "reason": "lost_property",
        "sumary": "Écharpe oubliée dans le tram T1",
    }

    response = post_json(partner, TOUCHPOINTS, body)

    assert response.status_code == 400
    assert problems(response) == {(None, "summary", "required"), (None, "sumary", "unknown_field")}
    assert not Touchpoint.objects.exists()


def test_an_unknown_field_in_a_bulk_row_names_its_row(partner, card_holder, invitations):
    ridership = [
        {"card": "TCL 0042 1968", "month": "2026-01", "trips": 38},
        {"card": "TCL 0042 1968", "month": "2026-02", "trips": 41, "voyages": 41},
    ]
    answers = {
        "answers": [{"token": invitations[0], "score": 5, "note": 5}],
        "lot": "2026-02",
    }

    refused_rows = post_json(partner, RIDERSHIP, ridership)
    refused_answers = post_json(partner, SURVEY_ANSWERS, answers)

    assert refused_rows.status_code == refused_answers.status_code == 400
    assert problems(refused_rows) == {(1, "voyages", "unknown_field")}
    assert problems(refused_answers) == {
        (0, "note", "unknown_field"),
        (None, "lot", "unknown_field"),
    }
    assert nothing_saved()
