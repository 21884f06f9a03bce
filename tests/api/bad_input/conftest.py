"""The partner holding every scope, a card holder and her survey links."""

import datetime
import secrets

import pytest
from django.utils import timezone

from relation_client.touchpoints.models import Reason, Touchpoint
from satisfaction.common import token_hash
from satisfaction.models import Survey, SurveyInvitation

ALL_SCOPES = (
    "customers:read",
    "customers:write",
    "touchpoints:write",
    "requests:read",
    "ridership:write",
    "surveys:write",
)


@pytest.fixture
def partner(make_token):
    """A partner application holding every scope."""
    return make_token(*ALL_SCOPES)[2]


@pytest.fixture
def card_holder(make_customer):
    return make_customer("Zoé", "Besançon", cards=["TCL 0042 1968"])


@pytest.fixture
def invitations(card_holder, social_desk):
    """Two survey links sent to Zoé after two phone calls: their raw tokens."""
    tokens = []
    for hours in (1, 2):
        touchpoint = Touchpoint.objects.create(
            customer=card_holder,
            channel="phone",
            reason=Reason.objects.get(code="information"),
            summary="Question sur les horaires du tram T1",
            agent=social_desk,
            agency_id=social_desk.agency_id,
            occurred_at=timezone.now() - datetime.timedelta(hours=hours),
        )
        token = secrets.token_urlsafe(24)
        SurveyInvitation.objects.create(
            survey=Survey.objects.get(kind="csat"),
            touchpoint=touchpoint,
            customer=card_holder,
            agent=social_desk,
            agency_id=social_desk.agency_id,
            channel="phone",
            occurred_at=touchpoint.occurred_at,
            token_hash=token_hash(token),
            sent_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
        tokens.append(token)
    return tokens
