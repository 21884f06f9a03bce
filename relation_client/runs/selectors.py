"""Reads of background runs, for the pages that show a run's progress."""

from relation_client.runs.models import BackgroundRun
from relation_client.runs.services import runs_expire


def run_latest(*, kind: str) -> BackgroundRun | None:
    """The latest run of a kind, whatever its state (the dashboard's last recompute)."""
    # a dead worker cannot report its own death: the page that reads its run says it
    runs_expire(kind=kind)
    return BackgroundRun.objects.filter(kind=kind).select_related("requested_by").first()


def run_for(*, kind: str, run_id: int) -> BackgroundRun | None:
    """One run of a kind, as its progress bar polls it: the row is the only source."""
    runs_expire(kind=kind)
    return BackgroundRun.objects.filter(kind=kind, pk=run_id).first()
