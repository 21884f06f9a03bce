"""Body size: above the limit a 413 and nothing saved; the bulk endpoints have their own,
larger limit."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from reconquete.api.views import RidershipBulkView, SubscriptionBulkView
from reconquete.models import RidershipMonth
from relation_client.api.models import IdempotencyRecord
from relation_client.customers.models import Customer
from satisfaction.api.views import SurveyAnswerBatchView
from satisfaction.models import SurveyAnswer
from tests.api.bad_input.common import (
    CUSTOMERS,
    HELENE,
    RIDERSHIP,
    SURVEY_ANSWERS,
    post_json,
)
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_a_body_above_the_limit_is_a_413_and_nothing_is_saved(partner):
    needs = "Préfère être rappelée après 18 h. " * 90_000  # ~3 MB
    body = json.dumps({**HELENE, "needs": needs})
    assert len(body.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_json(partner, CUSTOMERS, body, HTTP_IDEMPOTENCY_KEY="trop-gros-1")

    assert response.status_code == 413
    error = error_of(response)
    assert (error["code"], error["field"]) == ("payload_too_large", None)
    assert error["detail"] == (
        "Le corps de la requête dépasse la limite de 2,5 Mo : rien n'a été enregistré."
    )
    assert Customer.objects.count() == 0
    # refused before the idempotency layer read it: a retry is not answered from a record
    assert not IdempotencyRecord.objects.exists()


def test_a_patch_above_the_limit_changes_nothing(partner, make_customer):
    helene = make_customer()
    body = json.dumps({"needs": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = partner.patch(
        reverse("api:customer-detail", args=[helene.pk]), body, content_type="application/json"
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    helene.refresh_from_db()
    assert helene.needs == ""


def test_a_bulk_import_takes_more_than_the_default_limit(partner, invitations):
    # two answers padded with 3 MB of whitespace: valid JSON above the default limit
    answers = {"answers": [{"token": token, "score": 5} for token in invitations]}
    body = json.dumps(answers, indent=2).replace("\n", "\n" + " " * 1_000_000, 3)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_json(partner, SURVEY_ANSWERS, body, HTTP_IDEMPOTENCY_KEY="enquete-2026-02")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 2
    assert SurveyAnswer.objects.count() == 2
    # and the idempotency layer read the same body: a retry is a replay
    again = post_json(partner, SURVEY_ANSWERS, body, HTTP_IDEMPOTENCY_KEY="enquete-2026-02")
    assert again["Idempotent-Replayed"] == "true"
    assert SurveyAnswer.objects.count() == 2


def test_a_bulk_import_above_its_own_limit_is_a_413(partner, card_holder, monkeypatch):
    monkeypatch.setattr(RidershipBulkView, "max_body_size", 3_000_000)
    body = json.dumps([{"card": "TCL 0042 1968", "month": "2026-01", "trips": 38}])
    body = body[:-1] + " " * 3_000_000 + "]"

    response = post_json(partner, RIDERSHIP, body)

    assert response.status_code == 413
    assert error_of(response)["detail"].startswith(
        "Le corps de la requête dépasse la limite de 2,9 Mo"
    )
    assert not RidershipMonth.objects.exists()


def test_the_bulk_limit_holds_a_full_batch():
    """10,000 pretty-printed subscription rows, 1,000 answers with the longest comments: over
    the default limit, within the bulk endpoints' own."""
    subscription = {
        "contract": "ABO-2026-000042",
        "card": "TCL 0042 1968 0042",
        "product": "Pass Partout annuel tarif solidaire (Métropole de Lyon)",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "status": "active",
        "sales_channel": "employer",
    }
    subscriptions = json.dumps([subscription] * 10_000, indent=2).encode()
    answer = {"token": "k" * 32, "partner_answer_id": "E" * 64, "score": 5, "comment": "é" * 2000}
    answers = json.dumps({"answers": [answer] * 1000}, indent=2).encode()

    assert len(subscriptions) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert len(subscriptions) < SubscriptionBulkView.max_body_size
    assert len(answers) < SurveyAnswerBatchView.max_body_size
