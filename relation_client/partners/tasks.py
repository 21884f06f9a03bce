"""Beat job of the partners: a thin wrapper around the compliance service."""

import datetime

from celery import shared_task
from django.utils import timezone

from agences.months import month_start, previous_month
from relation_client.partners.services import partner_compliance_compute


@shared_task(name="relation_client.partners.tasks.partner_compliance_recompute")
def partner_compliance_recompute(month: str | None = None) -> dict:
    """Replace the compliance snapshot of `month` (YYYY-MM-DD), or by default of the
    current and the previous Paris month — late answers still change the latter."""
    if month:
        months = [month_start(datetime.date.fromisoformat(month))]
    else:
        current = month_start(timezone.localdate())
        months = [previous_month(current), current]
    return {m.isoformat(): partner_compliance_compute(month=m) for m in months}
