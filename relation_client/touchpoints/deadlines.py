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
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from agences.models import Agency
from relation_client.customers.models import Segment
from relation_client.touchpoints.models import ChannelCommitment, Request, RequestStatus

PARIS = ZoneInfo("Europe/Paris")
FALLBACK_DAYS = 2  # a channel with no commitment set still gets a deadline


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


def is_open_at(agency: Agency, moment: datetime.datetime) -> bool:
    """Whether the agency is open at this moment (its hours, French public holidays)."""
    local = moment.astimezone(PARIS)
    return any(opening <= local < closing for opening, closing in _slots(agency, local.date()))


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


def _working_days_around(agency: Agency, day: datetime.date, step: int):
    """The agency's working days from `day` (excluded) onwards (step 1) or backwards (-1)."""
    for _ in range(800):  # more than two years of days: an agency always opens before that
        day += datetime.timedelta(days=step)
        slots = _slots(agency, day)
        if slots:
            yield day, slots
    raise ValueError(f"Agency {agency.pk} has no opening hours: no deadline can be computed.")


def _clip(slots, at: datetime.time | None) -> datetime.datetime:
    """`at` on a working day, clipped to its opening hours: before the opening, the
    opening; in a break (lunch) or after closing, the closing just before; None is the
    end of the day."""
    if at is None:
        return slots[-1][1]
    day = slots[0][0].date()
    moment = datetime.datetime.combine(day, at, PARIS)
    if moment <= slots[0][0]:
        return slots[0][0]
    result = slots[0][0]
    for opening, closing in slots:
        if moment < opening:
            break
        if moment <= closing:
            return moment
        result = closing
    return result


def add_working_days(agency: Agency, start: datetime.datetime, days: int) -> datetime.datetime:
    """N working days after `start`: the same time of day on the N-th working day after,
    clipped to that day's opening hours ("2 jours ouvrés": Friday 17:30 → Tuesday 17:30).

    A start outside opening hours counts from the end of the last working day (which,
    in working time, is the next opening): a Saturday e-mail or one sent on Friday
    evening is due at Tuesday's closing, a Monday 7:00 one too (Monday and Tuesday,
    two whole working days)."""
    moment = start.astimezone(PARIS)
    day = moment.date()
    slots = _slots(agency, day)
    at: datetime.time | None
    if slots and slots[0][0] < moment <= slots[-1][1]:
        at = moment.time()
    else:
        at = None  # the end of a working day
        if not slots or moment <= slots[0][0]:
            day, _ = next(_working_days_around(agency, day, -1))
    following = _working_days_around(agency, day, 1)
    for counted, (_day, slots) in enumerate(following, start=1):
        if counted >= days:
            return _clip(slots, at)
    raise AssertionError("unreachable")  # _working_days_around raises first


def working_minutes_between(
    agency: Agency, start: datetime.datetime, end: datetime.datetime
) -> int:
    """Minutes of the agency's opening time from `start` to `end` (0 if end <= start)."""
    if end <= start:
        return 0
    total = datetime.timedelta()
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    day = start.date()
    while day <= end.date():
        for opening, closing in _slots(agency, day):
            begin, finish = max(opening, start), min(closing, end)
            if finish > begin:
                total += finish - begin
        day += datetime.timedelta(days=1)
    return int(total.total_seconds() // 60)


def has_lunch_break(agency: Agency) -> bool:
    """Whether a day of the agency closes between two openings."""
    return any(len(ranges) > 1 for ranges in (agency.opening_hours or {}).values())


HOURS_PER_WORKING_DAY = 8  # a working day, when a segment's shorter commitment counts hours


def segment_commitment(*, amount: int, unit: str, percent: int) -> tuple[int, str]:
    """The channel's commitment (amount, unit) shortened to `percent` % for a segment
    answered faster: whole working days when the percentage gives whole days (5 jours
    ouvrés at 60 % → 3 jours ouvrés), else working hours rounded half up (a working day
    counts HOURS_PER_WORKING_DAY hours: 1 jour ouvré at 50 % → 4 heures ouvrées), never
    less than one hour. 100 % (or a commitment too short to shorten) is unchanged."""
    if percent >= 100:
        return amount, unit
    hours_unit = ChannelCommitment.Unit.WORKING_HOURS
    if unit == ChannelCommitment.Unit.WORKING_DAYS:
        if amount * percent % 100 == 0:
            return amount * percent // 100, unit
        hours = amount * HOURS_PER_WORKING_DAY
    else:
        hours = amount
    reduced = max(1, (hours * percent + 50) // 100)
    if unit == hours_unit and reduced >= amount:
        return amount, unit
    return reduced, hours_unit


def _amount_words(amount: int, unit: str) -> str:
    if unit == ChannelCommitment.Unit.WORKING_DAYS:
        return ngettext("%(n)s jour ouvré", "%(n)s jours ouvrés", amount) % {"n": amount}
    return ngettext("%(n)s heure ouvrée", "%(n)s heures ouvrées", amount) % {"n": amount}


def commitment_rule(
    *,
    amount: int,
    unit: str,
    lunch_break: bool = False,
    segment: Segment | None = None,
    why: bool = True,
) -> str:
    """The rule in the words of French service: "2 jours ouvrés", "8 heures ouvrées ·
    pause déjeuner exclue" (a break matters to hours, not to days); for a customer of a
    segment answered faster, what it was shortened to and why: "1 jour ouvré, réduit à
    4 heures ouvrées : Personnes à mobilité réduite" (without the segment's name when
    `why` is False: partner staff need the commitment, not the customer's category)."""
    rule = _amount_words(amount, unit)
    if segment is not None:
        reduced = segment_commitment(amount=amount, unit=unit, percent=segment.commitment_percent)
        if reduced != (amount, unit):
            amount, unit = reduced
            words = {"rule": rule, "reduced": _amount_words(amount, unit), "segment": segment.name}
            if why:
                rule = gettext("%(rule)s, réduit à %(reduced)s : %(segment)s") % words
            else:
                rule = gettext("%(rule)s, réduit à %(reduced)s") % words
    if lunch_break and unit == ChannelCommitment.Unit.WORKING_HOURS:
        rule += " · " + gettext("pause déjeuner exclue")
    return rule


FALLBACK = (FALLBACK_DAYS, ChannelCommitment.Unit.WORKING_DAYS)


def channel_rules() -> dict[str, tuple[int, str]]:
    """Each channel's commitment as (amount, unit), in one query; a channel with none
    gets the fallback."""
    return {
        channel: (amount, unit)
        for channel, amount, unit in ChannelCommitment.objects.values_list(
            "channel", "amount", "unit"
        )
    }


def deadline_by_rule(
    agency: Agency, start: datetime.datetime, amount: int, unit: str
) -> datetime.datetime:
    """`start` plus a commitment of `amount` `unit` (ChannelCommitment.Unit) in the
    agency's working time: working days (add_working_days) or working hours."""
    if unit == ChannelCommitment.Unit.WORKING_DAYS:
        return add_working_days(agency, start, amount)
    return add_working_time(agency, start, amount * 60)


def deadline_for(
    *,
    agency: Agency,
    channel: str,
    start: datetime.datetime,
    segment: Segment | None = None,
) -> datetime.datetime:
    """When a request opened at `start` on `channel` is due: the channel's commitment,
    shortened for a customer whose segment is answered faster (segment_commitment), and
    never later than the channel's commitment (a short working day at a small agency)."""
    commitment = ChannelCommitment.objects.filter(channel=channel).first()
    amount, unit = (commitment.amount, commitment.unit) if commitment else FALLBACK
    deadline = deadline_by_rule(agency, start, amount, unit)
    if segment is not None:
        reduced = segment_commitment(amount=amount, unit=unit, percent=segment.commitment_percent)
        if reduced != (amount, unit):
            deadline = min(deadline, deadline_by_rule(agency, start, *reduced))
    return deadline


# --- The paused clock ------------------------------------------------------------------
# While a request waits for the customer its clock stands still, as Zendesk's "pausable
# update" SLA target: no breach, no warning, the remaining working time frozen; when
# the customer answers (or staff take it back) the deadline moves by the working time
# the clock stood still.


def clock_pause(request: Request, at: datetime.datetime) -> None:
    """Stop the clock of a locked open request (the caller saves)."""
    request.status = RequestStatus.WAITING_CUSTOMER
    request.paused_at = at
    request.remaining_at_pause = (
        working_minutes_between(request.agency, at, request.deadline)
        if request.deadline > at
        else -working_minutes_between(request.agency, request.deadline, at)
    )


def clock_resume(request: Request, at: datetime.datetime) -> None:
    """Restart the clock of a locked waiting request at `at` (the caller saves): the
    deadline moves by the working time it stood still."""
    paused_at = request.paused_at
    if paused_at is not None and at > paused_at:
        paused = working_minutes_between(request.agency, paused_at, at)
        if paused:
            request.deadline = add_working_time(request.agency, request.deadline, paused)
    request.status = RequestStatus.OPEN
    request.paused_at = None
    request.remaining_at_pause = None


CLOCK_FIELDS = ["status", "deadline", "paused_at", "remaining_at_pause"]


def request_clock_resume(*, request_id: int, at: datetime.datetime) -> bool:
    """The customer came back on a waiting request: it is ours again and its clock runs
    (called where an inbound touchpoint is logged on it). False if it was not waiting."""
    locked = (
        Request.objects.select_for_update(of=("self",))
        .select_related("agency")
        .filter(pk=request_id, status=RequestStatus.WAITING_CUSTOMER)
        .first()
    )
    if locked is None:
        return False
    clock_resume(locked, min(at, timezone.now()))
    locked.save(update_fields=CLOCK_FIELDS)
    return True
