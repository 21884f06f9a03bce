"""Two reconquest indicators the loyalty cycle's controls can name
(relation_client.cycle.indicators), read from the monthly snapshot rows the dashboard
reads too — never aggregated live."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from reconquete.models import ReconquestSnapshot, SnapshotDimension

PARIS = ZoneInfo("Europe/Paris")
RATE_DAYS = 90  # a month's cohort has its 90-day rate once 90 days have passed its end


def _month_start(now: datetime.datetime) -> datetime.date:
    """The first day of `now`'s Paris month: that month is not complete yet."""
    return now.astimezone(PARIS).date().replace(day=1)


def _previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _segment_rows(segment):
    """The network's rows (no agency) of this segment: the key is the segment's id."""
    return ReconquestSnapshot.objects.filter(
        agency__isnull=True, dimension=SnapshotDimension.SEGMENT, key=str(segment.pk)
    ).order_by("-period")


def reconquest_rate_90(*, segment, now: datetime.datetime) -> Decimal | None:
    """Share (%) of the segment's monthly cohort won back within 90 days, for the latest
    month whose 90 days are over (a younger cohort's rate is not complete yet)."""
    today = now.astimezone(PARIS).date()
    month = _previous_month(_month_start(now))
    # the latest month M with (first day of M + 1) + 90 days <= today
    while _next_month(month) + datetime.timedelta(days=RATE_DAYS) > today:
        month = _previous_month(month)
    row = (
        _segment_rows(segment)
        .filter(period__lte=month, cohort__gt=0, won_back_90__isnull=False)
        .first()
    )
    return row.rate_90 if row else None


def ridership_recovery(*, segment, now: datetime.datetime) -> Decimal | None:
    """Trips of the segment's customers over their baseline trips (%), for the latest
    complete month (the current Paris month is left out)."""
    row = (
        _segment_rows(segment)
        .filter(period__lt=_month_start(now), trips__isnull=False, baseline_trips__gt=0)
        .first()
    )
    return row.recovery if row else None
