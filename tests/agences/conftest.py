"""Partners, their people and escalated requests; academy fixtures."""

import datetime

import pytest

from agences.models import Partner
from relation_client.touchpoints.models import Reason, Request


@pytest.fixture
def taxis_pmr(db) -> Partner:
    return Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")


@pytest.fixture
def escalate(agency_lyon):
    """escalate(partner, at, answered=None, closed=None): a request handed to the partner
    at that moment (Paris time), as request_escalate leaves it, answered or not."""
    reason = Reason.objects.get(code="lost_property")

    def make(partner, at, *, answered=None, closed=None, subject="Parapluie oublié dans le T1"):
        status = "answered" if answered else "closed" if closed else "open"
        return Request.objects.create(
            agency=agency_lyon,
            channel="phone",
            reason=reason,
            subject=subject,
            status=status,
            opened_at=at - datetime.timedelta(hours=1),
            deadline=at + datetime.timedelta(days=2),
            partner=partner,
            escalated_at=at,
            answered_at=answered,
            closed_at=closed,
        )

    return make
