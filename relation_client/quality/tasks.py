"""Beat job of the sampling control: a thin wrapper around the service."""

import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.quality.services import samples_draw_all


@shared_task(name="relation_client.quality.tasks.quality_draw_samples")
def quality_draw_samples(now: str | None = None) -> dict:
    """Every agency's sample of last week (Monday morning). Running it twice draws
    nothing more: a week's sample is drawn once."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return {"drawn": samples_draw_all(now=moment)}
