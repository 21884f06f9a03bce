"""Reconquest fixtures: the Lyon and Villeurbanne teams, named customers with cards, and
small builders for cases, campaigns and contacts. Data is French, with accents."""

import datetime

import pytest
from django.utils import timezone

from reconquete.models import (
    Campaign,
    CampaignTarget,
    CaseReason,
    ReconquestCase,
    ReconquestContact,
    ReconquestSettings,
)
from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Direction, Reason
from relation_client.touchpoints.services import touchpoint_log


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


@pytest.fixture
def scolaires(db) -> Segment:
    return Segment.objects.get(name="Scolaires")


@pytest.fixture
def seniors(db) -> Segment:
    return Segment.objects.get(name="Seniors")


@pytest.fixture
def make_customer(make_customer):
    """The shared make_customer, with a card number of one's own by default: ridership
    and subscriptions find customers by card."""
    counter = {"n": 0}

    def make(*args, **fields):
        counter["n"] += 1
        fields.setdefault("cards", [f"TCL {counter['n']:04d} 1968"])
        return make_customer(*args, **fields)

    return make


@pytest.fixture
def helene_subscriber(make_customer):
    """Hélène as the ridership and subscription files know her: by her card or her contract."""
    return make_customer(cards=["TCL 0042 1968"], contracts=["ABO-2019-0042"])


@pytest.fixture
def jerome(make_customer):
    return make_customer("Jérôme", "Gaël-Noël", cards=["TCL 7777 0001"])


@pytest.fixture
def network_settings(db):
    """Baseline January to March 2025, K = 3 months under 50 %, M = 3 months, 30 days of
    grace, 60 days of attribution."""
    return ReconquestSettings.objects.create(
        segment=None,
        baseline_start=month(2025, 1),
        baseline_end=month(2025, 3),
        grace_days=30,
        drop_months=3,
        drop_percent=50,
        inactive_months=3,
        attribution_days=60,
    )


@pytest.fixture
def make_case(db):
    def make(customer, *, reason=CaseReason.RIDERSHIP_DROP, opened_at=None, **fields):
        opened_at = opened_at or timezone.now() - datetime.timedelta(days=10)
        fields.setdefault("agency_id", customer.home_agency_id)
        fields.setdefault("segment_id", customer.segment_id)
        fields.setdefault("lost_since", opened_at.date() - datetime.timedelta(days=60))
        fields.setdefault("watch_from", opened_at.date().replace(day=1))
        fields.setdefault("threshold_trips", 10)
        fields.setdefault("baseline_trips", 20)
        fields.setdefault(
            "details", {"baseline": 20, "recent": 4, "ratio_percent": 20, "drop_months": 3}
        )
        return ReconquestCase.objects.create(
            customer=customer, reason=reason, opened_at=opened_at, **fields
        )

    return make


@pytest.fixture
def make_campaign(db):
    def make(by, agencies, *, name="Reprenez le tram !", channels=("phone",), **fields):
        fields.setdefault("offer_type", "free_month")
        fields.setdefault("offer_text", "Un mois offert sur l'abonnement Tout Lyon.")
        fields.setdefault("starts_on", datetime.date(2026, 3, 1))
        fields.setdefault("ends_on", datetime.date(2026, 12, 31))
        campaign = Campaign.objects.create(
            name=name, channels=list(channels), created_by=by, **fields
        )
        campaign.agencies.set(agencies)
        return campaign

    return make


@pytest.fixture
def make_target(db):
    def make(campaign, case, *, agent=None, created_at=None, **fields):
        fields.setdefault("contactable", True)
        fields.setdefault("channels", ["phone"])
        return CampaignTarget.objects.create(
            campaign=campaign,
            customer=case.customer,
            case=case,
            agent=agent,
            created_at=created_at or case.opened_at,
            **fields,
        )

    return make


@pytest.fixture
def make_contact(db):
    """A reconquest contact: the touchpoint logged through the service, then its outcome."""

    def make(case, *, agent, outcome, at, channel="phone", campaign=None, target=None):
        touchpoint = touchpoint_log(
            agent=agent,
            customer=case.customer,
            channel=channel,
            reason=Reason.objects.get(code="reconquest"),
            summary="Appel de reconquête : présentation de l'offre",
            direction=Direction.OUTBOUND,
            occurred_at=at,
        )
        return ReconquestContact.objects.create(
            case=case,
            campaign=campaign,
            target=target,
            touchpoint=touchpoint,
            outcome=outcome,
            channel=channel,
            occurred_at=at,
            agent=agent,
        )

    return make
