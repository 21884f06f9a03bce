"""Beat jobs on requests: thin wrappers around the deadline services."""

import datetime

from celery import shared_task
from django.utils import timezone

from relation_client.touchpoints.services.breaches import (
    requests_mark_breaches,
    requests_warn_deadline_soon,
)


@shared_task(name="relation_client.touchpoints.tasks.requests_check_deadlines")
def requests_check_deadlines(now: str | None = None) -> dict:
    """Mark breached requests and warn of those due soon. `now` (ISO 8601) replays a
    given moment; both steps are idempotent, so a retried run alerts nobody twice."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return {
        "breached": requests_mark_breaches(now=moment),
        "deadline_soon_alerts": requests_warn_deadline_soon(now=moment),
    }
