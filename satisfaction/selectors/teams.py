"""Each agency team's customer satisfaction, next to its figures on the academy page
(through the core's `team_figures` extension point)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Subquery
from django.utils import timezone

from agences.models import Agency
from satisfaction.models import GapSnapshot, PeriodKind


@dataclass
class AgencySatisfaction:
    """The customer satisfaction of one month (every channel), from the satisfaction
    snapshots: the network's row and each agency's (an agency without one had no answer).
    The rows are satisfaction.models.GapSnapshot."""

    period: datetime.date | None = None
    network: object | None = None
    by_agency: dict[int, object] = field(default_factory=dict)


def agency_satisfaction_figures(
    *, agencies: list[Agency], now: datetime.datetime | None = None
) -> AgencySatisfaction:
    """The latest complete Paris month the network has satisfaction figures for, with the
    network's row and these agencies' rows of that month — the same month for all, so
    they compare. One query, whatever the number of agencies."""
    now = now or timezone.now()
    current = timezone.localtime(now).date().replace(day=1)
    monthly = GapSnapshot.objects.filter(period_kind=PeriodKind.MONTH, channel="")
    latest = (
        monthly.filter(agency__isnull=True, period__lt=current)
        .order_by("-period")
        .values("period")[:1]
    )
    figures = AgencySatisfaction()
    for row in monthly.filter(
        Q(agency__isnull=True) | Q(agency_id__in=[a.pk for a in agencies]),
        period=Subquery(latest),
    ):
        figures.period = row.period
        if row.agency_id is None:
            figures.network = row
        else:
            figures.by_agency[row.agency_id] = row
    return figures
