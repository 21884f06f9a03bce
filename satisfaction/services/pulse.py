"""The employees' monthly pulse: anonymous, once a month."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from agences.models import Agent
from satisfaction.common import month_of
from satisfaction.models import PULSE_SCALE, PulseMarker, PulseResponse
from satisfaction.services.common import scale_check
from socle.errors import DomainError


def pulse_submit(
    *,
    agent: Agent,
    engagement: int,
    workload: int,
    support: int,
    period: datetime.date | None = None,
) -> None:
    """Record the agent's pulse for the month. Returns nothing on purpose: the answer is
    stored with the agency and the month only, the agent gets a separate 'answered' mark."""
    for name, value in (("engagement", engagement), ("workload", workload), ("support", support)):
        scale_check(value=value, low=PULSE_SCALE[0], high=PULSE_SCALE[1], field=name)
    period = (period or month_of()).replace(day=1)
    with transaction.atomic():
        # the unique (agent, period) mark: a second answer the same month collides here
        _marker, created = PulseMarker.objects.get_or_create(agent=agent, period=period)
        if not created:
            raise DomainError(
                "already_answered",
                _("Vous avez déjà donné votre ressenti ce mois-ci : rendez-vous le mois prochain."),
            )
        PulseResponse.objects.create(
            agency_id=agent.agency_id,
            period=period,
            engagement=engagement,
            workload=workload,
            support=support,
        )
