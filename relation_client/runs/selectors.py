"""Reads of background runs, for the pages that show a run's progress."""

from django.utils import timezone

from relation_client.runs.models import BackgroundRun
from relation_client.runs.services import runs_expire


def run_latest(*, kind: str) -> BackgroundRun | None:
    """The latest run of a kind, whatever its state (the dashboard's last recompute)."""
    run = BackgroundRun.objects.filter(kind=kind).select_related("requested_by").first()
    return _checked(run, lambda: run_latest(kind=kind))


def run_for(*, kind: str, run_id: int) -> BackgroundRun | None:
    """One run of a kind, as its progress bar polls it: the row is the only source."""
    run = BackgroundRun.objects.filter(kind=kind, pk=run_id).first()
    return _checked(run, lambda: run_for(kind=kind, run_id=run_id))


def _checked(run: BackgroundRun | None, read_again) -> BackgroundRun | None:
    # a dead worker cannot report its own death: the page reading a run whose lease ran
    # out fails it (no query more while the lease holds)
    if run is not None and run.lease_expired(now=timezone.now()) and runs_expire(kind=run.kind):
        return read_again()
    return run
