"""What the bad-input tests share: the endpoints, a valid customer, and how to read an
answer."""

import json

from django.urls import reverse

from reconquete.models import RidershipMonth, Subscription
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Touchpoint
from satisfaction.models import SurveyAnswer
from tests.api.conftest import error_of

CUSTOMERS = reverse("api:customer-list")
TOUCHPOINTS = reverse("api:touchpoint-log")
RIDERSHIP = reverse("reconquete_api:ridership-bulk")
SUBSCRIPTIONS = reverse("reconquete_api:subscriptions-bulk")
SURVEY_ANSWERS = reverse("satisfaction_api:survey-answers")
HELENE = {"first_name": "Hélène", "last_name": "Dupont-Lefèvre"}


def post_json(client, url, data, **extra):
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, data=raw, content_type="application/json", **extra)


def problems(response) -> set[tuple]:
    """(field, code) of every problem of a 400, whatever endpoint answered it."""
    body = error_of(response)
    items = body.get("errors") or [body]
    return {(item.get("row"), item["field"], item["code"]) for item in items}


def nothing_saved() -> bool:
    """No trace of any of the writes these tests attempt."""
    return not (
        Customer.objects.filter(first_name="Hélène").exists()
        or Touchpoint.objects.filter(summary__contains="Écharpe").exists()
        or RidershipMonth.objects.exists()
        or Subscription.objects.exists()
        or SurveyAnswer.objects.exists()
    )
