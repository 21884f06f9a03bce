"""The manager's "recompute now": one background run of the indicators that the
dashboard's progress bar follows, and the worker's side of it."""

import datetime

from django.utils.translation import gettext as _

from agences.models import Agent
from reconquete.models import INDICATORS_RUN
from reconquete.services.indicators import ComputeReport, snapshot_compute
from relation_client.runs.models import BackgroundRun
from relation_client.runs.services import run_claim, run_fail, run_finish, run_progress, run_start
from socle.errors import DomainError

STALE_AFTER = datetime.timedelta(hours=1)  # a run still waiting or running after this was lost


def recompute_request(*, by: Agent) -> BackgroundRun:
    """A recompute run for the worker; the one already under way if there is one."""
    from reconquete.tasks import compute_indicators  # the tasks module imports these services

    def enqueue(run: BackgroundRun) -> None:
        compute_indicators.apply_async(kwargs={"run_id": run.pk}, task_id=run.task_id)

    return run_start(kind=INDICATORS_RUN, stale_after=STALE_AFTER, requested_by=by, enqueue=enqueue)


def recompute_execute(*, run_id: int | None) -> ComputeReport:
    """Run a recompute, keeping its run's row up to date (a nightly run has none)."""
    if run_id is None:
        return snapshot_compute()
    if not run_claim(run_id=run_id, kind=INDICATORS_RUN):
        raise DomainError("run_over", _("Ce recalcul est déjà terminé."))

    def progress(done: int, total: int) -> None:
        run_progress(run_id=run_id, progress=done * 100 // total)

    try:
        report = snapshot_compute(progress=progress)
    except Exception as error:
        run_fail(run_id=run_id, error=str(error))
        raise
    run_finish(
        run_id=run_id,
        rows=report.rows,
        params={
            "period_from": report.period_from.isoformat(),
            "period_to": report.period_to.isoformat(),
        },
    )
    return report
