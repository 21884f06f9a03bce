"""Project-wide tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(name="relation_client.tasks.heartbeat")
def heartbeat() -> str:
    """Record that beat scheduled and a worker ran a task; the health page reads it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
