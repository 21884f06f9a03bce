"""Reads of background runs, for the pages that show a run's progress."""

from relation_client.runs.models import BackgroundRun


def run_latest(*, kind: str) -> BackgroundRun | None:
    """The latest run of a kind, whatever its state (the dashboard's last recompute)."""
    return BackgroundRun.objects.filter(kind=kind).select_related("requested_by").first()


def run_for(*, kind: str, run_id: int) -> BackgroundRun | None:
    """One run of a kind, as its progress bar polls it: the row is the only source."""
    return BackgroundRun.objects.filter(kind=kind, pk=run_id).first()
