"""Workspace fixtures: Lyon's team, named customers, touchpoints logged the real way."""

import datetime

import pytest

from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Request
from relation_client.touchpoints.services import touchpoint_log


@pytest.fixture
def log(reasons, agent):
    """touchpoint_log with the agent and sensible defaults: an inbound phone question
    about a subscription, which opens a request (a piece of information would not)."""

    def do(
        customer=None,
        *,
        by=None,
        channel="phone",
        reason="subscription",
        summary="Question sur l'abonnement « Tout Lyon »",
        **extra,
    ):
        return touchpoint_log(
            agent=by or agent,
            customer=customer,
            channel=channel,
            reason=reasons[reason],
            summary=summary,
            **extra,
        )

    return do


@pytest.fixture
def open_request(log, helene) -> Request:
    """Hélène's open phone request, opened by her call an hour ago."""
    from django.utils import timezone

    touchpoint = log(
        helene,
        summary="Carte Técély bloquée après le rechargement",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return touchpoint.request


@pytest.fixture
def segment_priority():
    def get(name: str) -> Segment:
        return Segment.objects.get(name=name)

    return get


@pytest.fixture
def seniors_in_the_channels_time(db):
    """Seniors answered in the channel's time, as before issue 20: for the tests about the
    channel's rule and the clock, whose customer Hélène is a senior (the segment's
    shorter commitment is tested in test_segment_commitment.py)."""
    Segment.objects.filter(name="Seniors").update(commitment_percent=100)
