"""Response deadlines in the agency's working time.

A commitment counts working hours (inside the agency's opening hours) or working
days; weekends the agency is closed and French public holidays are skipped
(the `holidays` package, not a hand-written list). Times are computed in Paris
time and returned aware.
"""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from agences.models import Agency
from relation_client.touchpoints.models import ChannelCommitment

PARIS = ZoneInfo("Europe/Paris")
FALLBACK_HOURS = 48  # a channel with no commitment set still gets a deadline


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


def is_public_holiday(day: datetime.date) -> bool:
    return day in _french_holidays(day.year)


def _slots(agency: Agency, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The agency's opening ranges on a day, as aware datetimes; none on holidays."""
    if is_public_holiday(day):
        return []
    result = []
    for start, end in agency.opening_hours.get(str(day.isoweekday()), []):
        opening = datetime.datetime.combine(day, datetime.time.fromisoformat(start), PARIS)
        closing = datetime.datetime.combine(day, datetime.time.fromisoformat(end), PARIS)
        result.append((opening, closing))
    return result


def add_working_time(agency: Agency, start: datetime.datetime, minutes: int) -> datetime.datetime:
    """`start` plus `minutes` of the agency's opening time."""
    moment = start.astimezone(PARIS)
    remaining = datetime.timedelta(minutes=minutes)
    day = moment.date()
    for _ in range(800):  # more than two years of days: an agency always opens before that
        for opening, closing in _slots(agency, day):
            if closing <= moment:
                continue
            begin = max(opening, moment)
            available = closing - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += datetime.timedelta(days=1)
        moment = datetime.datetime.combine(day, datetime.time.min, PARIS)
    raise ValueError(f"Agency {agency.pk} has no opening hours: no deadline can be computed.")


def add_working_days(agency: Agency, start: datetime.datetime, days: int) -> datetime.datetime:
    """The closing time of the N-th working day after `start`'s day."""
    day = start.astimezone(PARIS).date()
    counted = 0
    for _ in range(800):
        day += datetime.timedelta(days=1)
        slots = _slots(agency, day)
        if slots:
            counted += 1
            if counted == days:
                return slots[-1][1]
    raise ValueError(f"Agency {agency.pk} has no opening hours: no deadline can be computed.")


def deadline_for(*, agency: Agency, channel: str, start: datetime.datetime) -> datetime.datetime:
    commitment = ChannelCommitment.objects.filter(channel=channel).first()
    if commitment is None:
        return add_working_time(agency, start, FALLBACK_HOURS * 60)
    if commitment.unit == ChannelCommitment.Unit.WORKING_DAYS:
        return add_working_days(agency, start, commitment.amount)
    return add_working_time(agency, start, commitment.amount * 60)
