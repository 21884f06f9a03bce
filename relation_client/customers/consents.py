"""Consent: record a decision, read the current state (set-based, for campaigns too)."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    Customer,
)
from socle.errors import DomainError


def consent_record(
    *,
    customer: Customer,
    channel: str,
    purpose: str,
    given: bool,
    source: str,
    by: Agent | None = None,
    at: datetime.datetime | None = None,
) -> Consent:
    """Append a decision; the history is kept, the latest decision wins."""
    customer_ensure_writable(customer)
    for value, choices, field in (
        (channel, ConsentChannel, "channel"),
        (purpose, ConsentPurpose, "purpose"),
        (source, ConsentSource, "source"),
    ):
        if value not in choices.values:
            raise DomainError(
                "invalid_choice",
                _("Valeur inconnue : « %(value)s ».") % {"value": value},
                field=field,
            )
    return Consent.objects.create(
        customer=customer,
        channel=channel,
        purpose=purpose,
        given=given,
        source=source,
        recorded_by=by,
        recorded_at=at or timezone.now(),
    )


def consent_current(*, customer: Customer) -> dict[tuple[str, str], Consent]:
    """The customer's latest decision per (channel, purpose)."""
    rows = (
        Consent.objects.filter(customer=customer)
        .order_by("channel", "purpose", "-recorded_at", "-id")
        .distinct("channel", "purpose")
    )
    return {(row.channel, row.purpose): row for row in rows}


def consent_split(
    *, customer_ids: list[int], channel: str, purpose: str
) -> tuple[set[int], set[int]]:
    """(allowed, refused-or-unknown) among these customers, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (customer_id) customer_id, given
            FROM customers_consent
            WHERE customer_id = ANY(%s) AND channel = %s AND purpose = %s
            ORDER BY customer_id, recorded_at DESC, id DESC
            """,
            [list(customer_ids), channel, purpose],
        )
        allowed = {customer_id for customer_id, given in cursor.fetchall() if given}
    return allowed, set(customer_ids) - allowed
