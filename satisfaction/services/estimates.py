"""What staff believe and how they lived the exchange: estimates, climate, barometer."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.touchpoints.models import Touchpoint
from satisfaction.common import month_of
from satisfaction.models import (
    CLIMATE_SCALE,
    AgentEstimate,
    ExchangeClimate,
    SurveyAnswer,
    SurveyKind,
    TeamBarometer,
)
from satisfaction.services.common import kind_scale, scale_check
from socle.errors import DomainError


def estimate_record(
    *, touchpoint: Touchpoint, score: int, kind: str = SurveyKind.CSAT, agent: Agent | None = None
) -> AgentEstimate:
    """The agent's estimate of the customer's satisfaction with this touchpoint, on the
    survey's scale; given again, it replaces the first — until the customer has answered."""
    low, high = kind_scale(kind=kind, field="estimate_kind")
    scale_check(value=score, low=low, high=high, field="estimate")
    with transaction.atomic():
        if SurveyAnswer.objects.filter(invitation__touchpoint_id=touchpoint.pk).exists():
            # an estimate changed after reading the answer would no longer be a belief
            raise DomainError(
                "already_answered",
                _("Le client a déjà répondu à l'enquête : l'estimation ne peut plus changer."),
                field="estimate",
            )
        estimate, _created = AgentEstimate.objects.update_or_create(
            touchpoint=touchpoint,
            kind=kind,
            defaults={"score": score, "agent_id": (agent.pk if agent else touchpoint.agent_id)},
        )
    return estimate


def climate_record(*, touchpoint: Touchpoint, rating: int) -> ExchangeClimate:
    """How the exchange went for the agent, from 1 (très tendu) to 5 (très cordial)."""
    scale_check(value=rating, low=CLIMATE_SCALE[0], high=CLIMATE_SCALE[1], field="climate")
    climate, _created = ExchangeClimate.objects.update_or_create(
        touchpoint=touchpoint,
        defaults={
            "rating": rating,
            "agent_id": touchpoint.agent_id,
            "agency_id": touchpoint.agency_id,
            "channel": touchpoint.channel,
            "occurred_at": touchpoint.occurred_at,
        },
    )
    return climate


def barometer_record(
    *, agent: Agent, satisfied_share: int, period: datetime.date | None = None
) -> TeamBarometer:
    """The agent's estimate of the share of their agency's customers who are satisfied,
    for a month (this one by default); given again the same month, it replaces the first."""
    scale_check(value=satisfied_share, low=0, high=100, field="satisfied_share")
    period = (period or month_of()).replace(day=1)
    barometer, _created = TeamBarometer.objects.update_or_create(
        agent=agent,
        period=period,
        defaults={"agency_id": agent.agency_id, "satisfied_share": satisfied_share},
    )
    return barometer
