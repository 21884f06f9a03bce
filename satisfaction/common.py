"""Small helpers shared by the services and the selectors: Paris months, link hashes."""

import datetime
import hashlib

from django.utils import timezone

from relation_client.touchpoints.deadlines import PARIS


def month_of(moment: datetime.datetime | None = None) -> datetime.date:
    """The first day of the moment's Paris calendar month."""
    local = (moment or timezone.now()).astimezone(PARIS)
    return local.date().replace(day=1)


def token_hash(raw: str) -> str:
    """What is kept of a survey link's token: its SHA-256."""
    return hashlib.sha256(raw.encode()).hexdigest()
