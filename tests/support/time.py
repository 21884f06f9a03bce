"""Moments written the way people say them: Paris wall-clock time."""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    """paris(2026, 3, 2, 9, 30): that moment in Paris, summer time or not."""
    return datetime.datetime(*args, tzinfo=PARIS)
