"""Calendar months in Paris time: every monthly figure of agences counts them this way."""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month_start(month) - datetime.timedelta(days=1)).replace(day=1)


def paris_month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of a Paris calendar month and of the next one."""
    start = datetime.datetime(month.year, month.month, 1, tzinfo=PARIS)
    following = next_month(month)
    return start, datetime.datetime(following.year, following.month, 1, tzinfo=PARIS)
