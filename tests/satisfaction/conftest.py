"""Satisfaction fixtures: Lyon's team, named customers who accept surveys by e-mail,
touchpoints, invitations with a known link, and bulk-built answers for the indicators."""

import datetime
import secrets

import pytest
from django.utils import timezone

from relation_client.customers.consents import consent_record
from relation_client.touchpoints.models import Reason, Touchpoint
from satisfaction.common import token_hash
from satisfaction.models import (
    AgentEstimate,
    AnswerSource,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
)
from tests.support.time import paris  # noqa: F401 - test_tasks and test_indicators_compute import it here


@pytest.fixture
def surveys(db) -> dict[str, Survey]:
    """The default surveys of migration 0004, by kind."""
    return {survey.kind: survey for survey in Survey.objects.all()}


@pytest.fixture
def make_customer(make_customer):
    """The shared make_customer, "Mme" unless told, with an e-mail address of one's own and
    the survey consent given (`consent=False` refused, `None` never asked): invitations go
    by e-mail."""

    def make(*args, consent=True, **fields):
        fields.setdefault("emails", [f"client.{secrets.token_hex(4)}@exemple.fr"])
        fields.setdefault("civility", "mme")
        customer = make_customer(*args, **fields)
        if consent is not None:
            consent_record(
                customer=customer, channel="email", purpose="surveys", given=consent, source="web"
            )
        return customer

    return make


@pytest.fixture
def make_touchpoint(agent):
    """A touchpoint written directly (no request, no alert), an hour ago by default."""

    def make(customer=None, *, by=None, channel="counter", occurred_at=None):
        by = by or agent
        return Touchpoint.objects.create(
            customer=customer,
            channel=channel,
            reason=Reason.objects.get(code="information"),
            summary="Renseignement sur l'abonnement « Tout Lyon »",
            agent=by,
            agency_id=by.agency_id,
            occurred_at=occurred_at or timezone.now() - datetime.timedelta(hours=1),
        )

    return make


@pytest.fixture
def make_invitation(make_touchpoint, surveys):
    """A sent invitation and the raw token of its link: (invitation, token)."""

    def make(customer, *, kind="csat", channel="counter", by=None, expires_in_days=14, **extra):
        touchpoint = make_touchpoint(customer, by=by, channel=channel)
        token = secrets.token_urlsafe(24)
        now = timezone.now()
        invitation = SurveyInvitation.objects.create(
            survey=surveys[kind],
            touchpoint=touchpoint,
            customer=customer,
            agent=touchpoint.agent,
            agency_id=touchpoint.agency_id,
            channel=channel,
            occurred_at=touchpoint.occurred_at,
            token_hash=token_hash(token),
            sent_at=now,
            expires_at=now + datetime.timedelta(days=expires_in_days),
            **extra,
        )
        return invitation, token

    return make


@pytest.fixture
def bulk_answers(surveys):
    """Answers (and the staff's estimates on the same touchpoints) in bulk: one touchpoint,
    invitation and answer per score; `estimates[i]` None leaves answer i unestimated."""

    def build(*, customer, agent, at, scores, estimates=None, kind="csat", channel="counter"):
        estimates = estimates or [None] * len(scores)
        reason = Reason.objects.get(code="information")
        touchpoints = Touchpoint.objects.bulk_create(
            Touchpoint(
                customer=customer,
                channel=channel,
                reason=reason,
                summary=f"Échange n° {index}",
                agent=agent,
                agency_id=agent.agency_id,
                occurred_at=at,
            )
            for index in range(len(scores))
        )
        invitations = SurveyInvitation.objects.bulk_create(
            SurveyInvitation(
                survey=surveys[kind],
                touchpoint=touchpoint,
                customer=customer,
                agent=agent,
                agency_id=agent.agency_id,
                channel=channel,
                occurred_at=at,
                token_hash=token_hash(secrets.token_urlsafe(16)),
                sent_at=at,
                expires_at=at + datetime.timedelta(days=14),
                answered_at=at,
            )
            for touchpoint in touchpoints
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                invitation=invitation, score=score, source=AnswerSource.WEB, answered_at=at
            )
            for invitation, score in zip(invitations, scores, strict=True)
        )
        AgentEstimate.objects.bulk_create(
            AgentEstimate(touchpoint=touchpoint, kind=kind, score=estimate, agent=agent)
            for touchpoint, estimate in zip(touchpoints, estimates, strict=True)
            if estimate is not None
        )
        return invitations

    return build
