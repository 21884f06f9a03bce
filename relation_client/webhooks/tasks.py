"""Celery tasks of the webhooks: thin wrappers taking ids and dates."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from relation_client.webhooks import delivery, services


@shared_task(name="relation_client.webhooks.tasks.webhook_deliver")
def webhook_deliver(delivery_id: int, dispatch: int) -> str:
    """One attempt at one delivery. Idempotent: a second run with the same dispatch
    number finds nothing to claim and sends nothing."""
    return delivery.webhook_deliver(delivery_id=delivery_id, dispatch=dispatch)


@shared_task(name="relation_client.webhooks.tasks.webhooks_sweep")
def webhooks_sweep(now: str | None = None) -> int:
    """Every minute: hand due retries and lost deliveries over to workers. `now`
    (ISO 8601) replays a given moment."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return services.webhooks_sweep(now=moment)


@shared_task(name="relation_client.webhooks.tasks.webhooks_purge")
def webhooks_purge() -> int:
    """Nightly: forget finished deliveries older than WEBHOOK_LOG_DAYS."""
    return services.webhook_deliveries_purge(days=settings.WEBHOOK_LOG_DAYS)
