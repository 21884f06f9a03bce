"""The generated period: the 24 complete months before the reference day's month (the
ticketing data), and touchpoints from the first of those months up to the reference day.

Moments are handled as whole seconds since the period's start (UTC) while generating, and
turned into aware datetimes only when a row is written.
"""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
MONTHS = 24


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


class Window:
    def __init__(self, as_of: datetime.date):
        self.as_of = as_of
        self.current_month = as_of.replace(day=1)
        self.first_month = add_months(self.current_month, -MONTHS)
        # the complete months of ridership data, oldest first
        self.months = [add_months(self.first_month, k) for k in range(MONTHS)]
        self.start = datetime.datetime.combine(self.first_month, datetime.time(), PARIS)
        self.start_utc = self.start.astimezone(UTC)
        self.days = (as_of - self.first_month).days
        # second (since start) of each Paris midnight: business hours are Paris hours
        self.day_offsets = [
            int(
                (
                    datetime.datetime.combine(
                        self.first_month + datetime.timedelta(days=d), datetime.time(), PARIS
                    )
                    - self.start
                ).total_seconds()
            )
            for d in range(self.days + 1)
        ]
        self.end_offset = self.day_offsets[-1]  # the reference day's midnight
        # month index of each day, for spreading and seasonality
        self.day_months = [
            (self.first_month + datetime.timedelta(days=d)).month for d in range(self.days)
        ]
        self.day_weekdays = [
            (self.first_month + datetime.timedelta(days=d)).isoweekday() for d in range(self.days)
        ]
        self._delta = datetime.timedelta
        self.now = self.at(self.end_offset)

    def at(self, seconds: int) -> datetime.datetime:
        """The aware (UTC) datetime `seconds` after the period's start."""
        return self.start_utc + self._delta(seconds=seconds)

    def month_of(self, seconds: int) -> int:
        """Index in `months` (may be 24: the current month) of a moment."""
        lo, hi = 0, self.days
        while lo < hi:  # the day of the moment
            mid = (lo + hi + 1) // 2
            if self.day_offsets[mid] <= seconds:
                lo = mid
            else:
                hi = mid - 1
        day = self.first_month + datetime.timedelta(days=lo)
        return (day.year - self.first_month.year) * 12 + day.month - self.first_month.month
