"""API fixtures: a logged-in agent's client and customers built through the services."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from relation_client.touchpoints.models import Outcome, Reason
from relation_client.touchpoints.services import touchpoint_log


@pytest.fixture
def api_client(agent):
    client = APIClient()
    client.force_login(agent.user)
    return client


@pytest.fixture
def anonymous_client(db):
    return APIClient()


def error_of(response) -> dict:
    """The body of an error answer, checked against the one error shape."""
    body = response.json()
    assert {"code", "field", "detail"} <= set(body), body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.fixture
def log_touchpoints(agent):
    """`count` answered phone calls, one every three days back from now (no request, no
    repeat-contact alert), through touchpoint_log."""

    def log(customer, count, *, start=None, outcome=Outcome.ANSWERED):
        reason = Reason.objects.get(code="information")
        start = start or timezone.now() - datetime.timedelta(minutes=1)
        return [
            touchpoint_log(
                agent=agent,
                customer=customer,
                channel="phone",
                reason=reason,
                summary=f"Question n° {index} sur les horaires de la ligne C3 à Villeurbanne",
                occurred_at=start - datetime.timedelta(days=3 * index),
                outcome=outcome,
            )
            for index in range(count)
        ]

    return log
