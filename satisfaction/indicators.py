"""Two satisfaction indicators the loyalty cycle's controls can name
(relation_client.cycle.indicators), read from the gap snapshot rows the dashboard reads
too — never aggregated live. Satisfaction has no segment dimension: both indicators are
the whole network's, whatever the segment."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from satisfaction.models import GapSnapshot, PeriodKind

PARIS = ZoneInfo("Europe/Paris")


def _network_months(now: datetime.datetime):
    """The network's monthly rows, every channel, of the complete months (the current
    Paris month is left out), newest first."""
    current = now.astimezone(PARIS).date().replace(day=1)
    return GapSnapshot.objects.filter(
        period_kind=PeriodKind.MONTH, agency__isnull=True, channel="", period__lt=current
    ).order_by("-period")


def satisfaction_score(*, segment, now: datetime.datetime) -> Decimal | None:
    """The network's real satisfaction (0–100) of the latest complete month."""
    row = _network_months(now).filter(real_score__isnull=False).first()
    return row.real_score if row else None


def satisfaction_gap(*, segment, now: datetime.datetime) -> Decimal | None:
    """How far the staff's estimate is from the network's real satisfaction, in points
    either way (the size of the gap: lower is better), for the latest complete month that
    has a gap (it needs MIN_SAMPLE answers with an estimate)."""
    row = _network_months(now).filter(gap__isnull=False).first()
    return abs(row.gap) if row else None
