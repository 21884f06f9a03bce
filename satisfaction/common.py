"""Small helpers shared by the services and the selectors: Paris months, link hashes."""

import datetime
import hashlib
import re

from django.utils import timezone

from relation_client.touchpoints.deadlines import PARIS


def month_of(moment: datetime.datetime | None = None) -> datetime.date:
    """The first day of the moment's Paris calendar month."""
    local = (moment or timezone.now()).astimezone(PARIS)
    return local.date().replace(day=1)


def token_hash(raw: str) -> str:
    """What is kept of a survey link's token: its SHA-256."""
    return hashlib.sha256(raw.encode()).hexdigest()


def words_without_names(text: str, names) -> str:
    """The customer's words with their own names blanked out ("Mme Dupont remercie…" →
    "Mme … remercie…"): the team reads the thanks, not who gave them."""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len)[::-1]:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "…", text, flags=re.IGNORECASE)
    return text
