"""Beat job of the cycle: a thin wrapper around the service."""

import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.cycle.services import controls_measure_open


@shared_task(name="relation_client.cycle.tasks.cycle_measure_controls")
def cycle_measure_controls(now: str | None = None) -> dict:
    """Measure the computed controls of every round at Contrôler or Évoluer. `now`
    (ISO 8601) replays a given moment; measuring twice stores the same values."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return {"measured": controls_measure_open(now=moment)}
