"""The outbox, many messages at once: a campaign writes tens of thousands of rows.

The same rows as `outbox.message_queue` writes (each e-mail with its Message-ID),
inserted a thousand per statement in the caller's transaction. A row already queued for
the same origin and channel stays as it is (the partial unique index
`outbound_origin_once`): writing a campaign's messages twice sends nothing twice.

No task is queued per message after the commit, as `message_queue` does for one: tens of
thousands of publishes would hold the request that launched the campaign. The outbox's
sweep (every minute, `outbox_sweep`) hands them to the workers in batches, as it does
for the messages held until a moment.

Rows are given as dicts of field values (`customer_id`, not `customer`), and written
without building a model instance per row: Django's bulk_create spent more time
preparing each field of each row than the database took to insert them.
"""

import datetime
from collections.abc import Iterable
from itertools import islice

from django.db import connection, models
from django.utils import timezone

from relation_client.messaging.models import OutboundChannel, OutboundMessage, OutboundStatus
from relation_client.messaging.threads import message_id_new

BATCH = 1000


def _fields() -> list[models.Field]:
    return [field for field in OutboundMessage._meta.concrete_fields if not field.primary_key]


def messages_queue_bulk(
    rows: Iterable[dict],
    *,
    not_before: datetime.datetime | None = None,
) -> int:
    """Write messages given as {field: value} (channel, purpose, to_address, body_text,
    customer_id, origin… the other fields take their defaults), due at `not_before`
    (default now). Returns how many rows were written (not those already queued)."""
    fields = _fields()
    names = [field.attname for field in fields]
    now = timezone.now()
    defaults = {field.attname: field.get_default() for field in fields}
    defaults.update(
        status=OutboundStatus.PENDING, next_attempt_at=not_before or now, created_at=now
    )
    json_fields = [field for field in fields if isinstance(field, models.JSONField)]
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # one array per column, unnested into rows: a statement of a few placeholders, not
    # of a thousand rows' worth (the driver parses every placeholder of a statement)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    statement = (
        f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    )
    iterator = iter(rows)
    written = 0
    while batch := list(islice(iterator, BATCH)):
        by_column: dict[str, list] = {name: [] for name in names}
        for row in batch:
            unknown = row.keys() - defaults.keys()
            if unknown:
                raise ValueError(f"messages_queue_bulk: unknown fields {sorted(unknown)}")
            values = {**defaults, **row}
            values["subject"] = values["subject"][:300]
            if values["channel"] == OutboundChannel.EMAIL and not values["message_id"]:
                values["message_id"] = message_id_new()
            for field in json_fields:
                values[field.attname] = field.get_db_prep_save(values[field.attname], connection)
            for name in names:
                by_column[name].append(values[name])
        with connection.cursor() as cursor:
            cursor.execute(statement, [by_column[name] for name in names])
            written += cursor.rowcount
    return written


def messages_cancel(*, origins, reason: str) -> int:
    """Cancel the messages of these origins not sent yet (a campaign closed before its
    start); `origins` is a list or a subquery of origins. A message a worker is sending
    right now is sent: its result overwrites this."""
    return (
        OutboundMessage.objects.exclude(origin="")
        .filter(origin__in=origins, status=OutboundStatus.PENDING)
        .update(status=OutboundStatus.CANCELLED, last_error=reason[:300])
    )
