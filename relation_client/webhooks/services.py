"""Writes of the webhooks: endpoints, the outbox, its sweep, manual retries and the purge.

Outbox: webhook_emit inserts the deliveries in the caller's transaction, so an event
exists exactly when the change it describes was committed. Tasks are only queued after
the commit; if Redis is unreachable then, the sweep hands the rows to a worker later.
"""

import datetime
import json
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relation_client.api.models import ApiToken
from relation_client.webhooks.models import (
    DeliveryStatus,
    EventKind,
    WebhookDelivery,
    WebhookEndpoint,
    secret_generate,
)
from socle.errors import DomainError

logger = logging.getLogger(__name__)

# a delivery handed to a worker that did not report back within this delay (task lost
# with Redis, worker killed mid-send) is handed over again by the sweep
REDISPATCH_AFTER = datetime.timedelta(minutes=5)
SWEEP_BATCH = 500
SWEEP_MAX_BATCHES = 20


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "delivery": quote(WebhookDelivery._meta.db_table),
        "endpoint": quote(WebhookEndpoint._meta.db_table),
        "token": quote(ApiToken._meta.db_table),
    }


# --- Endpoints, managed by administrators ---------------------------------------------


def _check_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EventKind.values))
    if unknown:
        raise DomainError(
            "invalid_event",
            _("Événement inconnu : %(event)s.") % {"event": unknown[0]},
            field="events",
        )
    if not events:
        raise DomainError("required", _("Choisissez au moins un événement."), field="events")
    return sorted(set(events))


def webhook_endpoint_create(
    *,
    name: str,
    url: str,
    events: list[str],
    token: ApiToken | None = None,
    active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its signing secret, to hand to the partner now."""
    secret = secret_generate()
    endpoint = WebhookEndpoint(
        name=name, url=url, events=_check_events(events), token=token, active=active, secret=secret
    )
    try:
        endpoint.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError("invalid", messages[0], field=field) from None
    endpoint.save()
    return endpoint, secret


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret: deliveries sent from now on are signed with it."""
    secret = secret_generate()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret


# --- The outbox -------------------------------------------------------------------------

_EMIT = """
    INSERT INTO {delivery} (endpoint_id, event, event_id, payload, status, attempts,
                            next_attempt_at, dispatch, dispatched_at, last_error, created_at)
    SELECT e.id, %(kind)s, ev.event_id, ev.payload, 'pending', 0, %(now)s, 1, %(now)s, '',
           %(now)s
    FROM {endpoint} e
    LEFT JOIN {token} t ON t.id = e.token_id
    CROSS JOIN unnest(%(ids)s::uuid[], %(payloads)s::jsonb[]) AS ev(event_id, payload)
    WHERE e.active AND %(kind)s = ANY(e.events) AND t.revoked_at IS NULL
    RETURNING id
"""


class _PayloadEncoder(DjangoJSONEncoder):
    """Dates as ISO 8601 in UTC, whatever zone the caller's datetime was in."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and timezone.is_aware(o):
            o = o.astimezone(datetime.UTC)
        return super().default(o)


def webhook_emit_many(*, kind: str, items: list[dict]) -> list[int]:
    """Record events of one kind for every active endpoint subscribed to it, in the
    caller's transaction (one statement, whatever the number of endpoints); queue their
    sending once it commits. `items` are the events' `data`; the ids of the deliveries."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown webhook event {kind!r}")
    if not items:
        return []
    now = timezone.now()
    ids, payloads = [], []
    for data in items:
        event_id = uuid.uuid4()
        ids.append(event_id)
        envelope = {"event": kind, "id": str(event_id), "occurred_at": now}
        payloads.append(json.dumps({**envelope, "data": data}, cls=_PayloadEncoder))
    with connection.cursor() as cursor:
        cursor.execute(
            _EMIT.format(**_tables()),
            {"kind": kind, "now": now, "ids": ids, "payloads": payloads},
        )
        created = [row[0] for row in cursor.fetchall()]
    if created:
        _enqueue_after_commit([(pk, 1) for pk in created])
    return created


def webhook_emit(*, kind: str, data: dict) -> list[int]:
    return webhook_emit_many(kind=kind, items=[data])


def _enqueue_after_commit(claims: list[tuple[int, int]]) -> None:
    from relation_client.webhooks.tasks import webhook_deliver  # tasks import these services

    def enqueue() -> None:
        for delivery_id, dispatch in claims:
            webhook_deliver.delay(delivery_id, dispatch)

    # robust: the business change is committed; if Redis is down now, the sweep catches up
    transaction.on_commit(enqueue, robust=True)


# --- Handing deliveries over to workers ---------------------------------------------------

_SWEEP = """
    UPDATE {delivery} d
    SET dispatch = d.dispatch + 1, dispatched_at = %(now)s
    FROM (
        SELECT id FROM {delivery}
        WHERE status = 'pending' AND next_attempt_at <= %(now)s
          AND (dispatched_at IS NULL OR dispatched_at <= %(stale)s)
        ORDER BY next_attempt_at
        LIMIT %(limit)s
        -- a delivery being sent right now is locked by nobody (the claim is one UPDATE),
        -- but two sweeps at once must not hand the same rows over twice
        FOR UPDATE SKIP LOCKED
    ) due
    WHERE d.id = due.id
    RETURNING d.id, d.dispatch
"""


def webhooks_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand every due pending delivery over to a worker: the retries whose backoff ran
    out, and those whose task was lost. Returns how many were handed over."""
    now = now or timezone.now()
    params = {"now": now, "stale": now - REDISPATCH_AFTER, "limit": SWEEP_BATCH}
    total = 0
    for _batch in range(SWEEP_MAX_BATCHES):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_SWEEP.format(**_tables()), params)
            claims = cursor.fetchall()
            if claims:
                _enqueue_after_commit(claims)
        total += len(claims)
        if len(claims) < SWEEP_BATCH:
            break
    return total


_RETRY = """
    UPDATE {delivery}
    SET status = 'pending', next_attempt_at = %(now)s, dispatch = dispatch + 1,
        dispatched_at = %(now)s
    WHERE id = ANY(%(ids)s) AND status IN ('pending', 'failed')
    RETURNING id, dispatch
"""


def webhook_deliveries_retry(*, delivery_ids: list[int]) -> int:
    """An administrator's "retry now": one more attempt at once for each pending or
    abandoned delivery (delivered ones are never sent again)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_RETRY.format(**_tables()), {"now": timezone.now(), "ids": delivery_ids})
        claims = cursor.fetchall()
        if claims:
            _enqueue_after_commit(claims)
    return len(claims)


def webhook_deliveries_purge(*, days: int, now: datetime.datetime | None = None) -> int:
    """Forget delivered and abandoned deliveries older than `days`."""
    before = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _by_model = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED], created_at__lt=before
    ).delete()
    return deleted
