"""Reconquest jobs: thin wrappers around the services, taking ids and ISO dates."""

import datetime

from celery import shared_task

from reconquete.partitions import partitions_ensure
from reconquete.services import (
    lapse_detect,
    last_computed_at,
    recompute_execute,
    snapshot_compute,
    snapshot_update,
)


@shared_task(name="reconquete.tasks.detect_lapses")
def detect_lapses(as_of: str | None = None) -> dict:
    """Nightly and on demand: close the won-back cases, open the new ones. `as_of`
    (YYYY-MM-DD) replays a given day; a rerun opens nothing twice."""
    day = datetime.date.fromisoformat(as_of) if as_of else None
    report = lapse_detect(as_of=day)
    return {
        "as_of": report.as_of.isoformat(),
        "opened": report.opened,
        "won_back": report.won_back,
        "attributed": report.attributed,
    }


@shared_task(name="reconquete.tasks.compute_indicators")
def compute_indicators(run_id: int | None = None) -> dict:
    """Recompute the indicator snapshots. With a run id (the manager's button) the run's
    row follows the progress, which the dashboard's progress bar polls."""
    report = recompute_execute(run_id=run_id)
    return {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
        "rows": report.rows,
    }


@shared_task(name="reconquete.tasks.update_indicators")
def update_indicators() -> dict:
    """Hourly: recompute only the months moved since the latest snapshot (a full
    recompute when there is none yet), so that the day's returns show before the night."""
    since = last_computed_at()
    report = snapshot_compute() if since is None else snapshot_update(since=since)
    if report is None:
        return {"rows": 0}
    return {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
        "rows": report.rows,
    }


@shared_task(name="reconquete.tasks.ridership_partitions")
def ridership_partitions() -> list[str]:
    """Daily: the monthly ridership partitions of the year ahead exist (idempotent)."""
    return partitions_ensure()
