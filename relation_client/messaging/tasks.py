"""Celery tasks of the channels: thin wrappers taking ids and dates."""

import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.messaging import outbox


@shared_task(name="relation_client.messaging.tasks.outbound_send")
def outbound_send(message_id: int, dispatch: int) -> str:
    """One attempt at one outgoing message; idempotent by its dispatch number."""
    return outbox.outbound_send(message_id=message_id, dispatch=dispatch)


@shared_task(name="relation_client.messaging.tasks.outbox_sweep")
def outbox_sweep(now: str | None = None) -> int:
    """Every minute: hand due retries, held messages and lost tasks over to workers."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return outbox.outbox_sweep(now=moment)
