"""Celery tasks of the API: thin wrappers taking dates."""

import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.api.idempotency import idempotency_purge as purge


@shared_task(name="relation_client.api.tasks.idempotency_purge")
def idempotency_purge(now: str | None = None) -> int:
    """Nightly: forget the Idempotency-Keys older than 24 hours. `now` (ISO 8601) replays a
    given moment. Idempotent: a second run finds nothing older to delete."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return purge(now=moment)
