"""Celery tasks of the channels: thin wrappers taking ids and dates."""

import dataclasses
import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.messaging import fetch, outbox


@shared_task(name="relation_client.messaging.tasks.outbound_send")
def outbound_send(message_id: int, dispatch: int) -> str:
    """One attempt at one outgoing message; idempotent by its dispatch number."""
    return outbox.outbound_send(message_id=message_id, dispatch=dispatch)


@shared_task(name="relation_client.messaging.tasks.outbox_sweep")
def outbox_sweep(now: str | None = None) -> int:
    """Every minute: hand due retries, held messages and lost tasks over to workers."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return outbox.outbox_sweep(now=moment)


@shared_task(name="relation_client.messaging.tasks.mailboxes_poll")
def mailboxes_poll() -> list[dict]:
    """Every minute: each active mailbox's new messages stored, filed, then marked read (a
    mailbox still being polled by an earlier run is skipped, see fetch.mailbox_poll)."""
    return [dataclasses.asdict(result) for result in fetch.mailboxes_poll()]
