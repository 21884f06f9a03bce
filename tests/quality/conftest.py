"""Sampling fixtures: closed requests of last week, in Lyon, for named customers."""

import datetime

import pytest
from django.utils import timezone

from relation_client.customers.models import Segment
from relation_client.quality.services import week_reviewed
from relation_client.touchpoints.models import Request, RequestStatus, Touchpoint
from tests.factories import ReasonLookup, RequestFactory


def last_week_noon(day: int = 0) -> datetime.datetime:
    """Noon of a day (0 = Monday) of the week a draw made now looks at."""
    monday = week_reviewed(timezone.now())
    return timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=day), datetime.time(12))
    )


def closed_request(
    *, agency, customer=None, closed_at=None, on_time=True, assignee=None, subject=None
) -> Request:
    closed_at = closed_at or last_week_noon(2)
    opened_at = closed_at - datetime.timedelta(days=1)
    deadline = closed_at + datetime.timedelta(hours=2 if on_time else -2)
    request = RequestFactory(
        agency=agency,
        customer=customer,
        assignee=assignee,
        subject=subject or "Remboursement d'un abonnement « Tout Lyon » résilié",
        status=RequestStatus.CLOSED,
        opened_at=opened_at,
        deadline=deadline,
        answered_at=closed_at,
        closed_at=closed_at,
        breached_at=None if on_time else deadline,
    )
    if assignee is not None:
        Touchpoint.objects.create(
            kind="interaction",
            customer=customer,
            channel="phone",
            direction="inbound",
            reason=ReasonLookup(code="information"),
            summary="Réponse donnée : remboursement accordé au prorata, courrier envoyé.",
            agent=assignee,
            agency=agency,
            occurred_at=closed_at - datetime.timedelta(hours=1),
            request=request,
        )
    return request


@pytest.fixture
def seniors(db) -> Segment:
    return Segment.objects.get(name__icontains="senior")


@pytest.fixture
def pmr(db) -> Segment:
    return Segment.objects.get(name="Personnes à mobilité réduite")


@pytest.fixture
def customers(make_customer, seniors, pmr):
    """Four seniors and one customer with reduced mobility."""
    people = [
        make_customer("Hélène", "Dupont-Lefèvre", segment=seniors),
        make_customer("Josèphe", "Lemaître", segment=seniors),
        make_customer("Gérard", "Pécuchet", segment=seniors),
        make_customer("Françoise", "Aubert", segment=seniors),
    ]
    return {"seniors": people, "pmr": make_customer("Noël", "Bérénger", segment=pmr)}
