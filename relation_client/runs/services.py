"""Writes of background runs: start (or join) a run, then the worker claims it, reports
its progress and finishes or fails it. The kind's own service decides what the job does."""

import datetime
import uuid
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.runs.models import ACTIVE_STATUSES, BackgroundRun, RunStatus

ERROR_LENGTH = 2000

# progress from inside the job's open transaction: a row locked by another transaction
# (the caller's own, when a test or an eager task wraps the job) is skipped, not waited
# for, as waiting on one's own transaction would never end
_PROGRESS_SQL = f"""
    UPDATE {BackgroundRun._meta.db_table} SET progress = %s, step = %s
    WHERE id = (SELECT id FROM {BackgroundRun._meta.db_table}
                WHERE id = %s AND status = 'running' FOR UPDATE SKIP LOCKED)
"""


def run_start(
    *,
    kind: str,
    stale_after: datetime.timedelta,
    requested_by: Agent | None = None,
    params: dict | None = None,
    enqueue: Callable[[BackgroundRun], None] | None = None,
) -> BackgroundRun:
    """The run of `kind` already waiting or running, or a new one. `enqueue` queues the
    worker once the transaction commits (a run started by the worker itself has none). An
    active run older than `stale_after` lost its worker: it is marked failed and replaced."""
    now = timezone.now()
    with transaction.atomic():
        active = (
            BackgroundRun.objects.select_for_update()
            .filter(kind=kind, status__in=ACTIVE_STATUSES)
            .first()
        )
        if active is not None and active.created_at > now - stale_after:
            return active
        if active is not None:
            BackgroundRun.objects.filter(pk=active.pk).update(
                status=RunStatus.FAILED,
                finished_at=now,
                error=_("Abandonné : aucun processus ne l'a terminé."),
            )
        try:
            with transaction.atomic():
                run = BackgroundRun.objects.create(
                    kind=kind,
                    requested_by=requested_by,
                    params=params or {},
                    task_id=str(uuid.uuid4()) if enqueue else None,
                )
        except IntegrityError:
            # two clicks at once: the other request inserted the active run between our
            # read and our insert (the partial unique index made us wait for its commit)
            return BackgroundRun.objects.get(kind=kind, status__in=ACTIVE_STATUSES)
        if enqueue is not None:
            transaction.on_commit(lambda: enqueue(run))
    return run


def run_claim(*, run_id: int, kind: str) -> bool:
    """The worker takes the run: False when it is over already (done, failed, abandoned)
    or is another kind's. A run still marked running is taken again: its task was
    delivered twice or restarted."""
    claimed = BackgroundRun.objects.filter(pk=run_id, kind=kind, status__in=ACTIVE_STATUSES).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=0,
        step="",
        error="",
    )
    return claimed == 1


def run_progress(*, run_id: int, progress: int, step: str = "") -> None:
    """Percent done and the current step, visible at once to the page that polls. A job
    writes its results in one long transaction; an update made inside it would stay
    invisible until its end, so the progress goes through a connection of its own."""
    progress = max(0, min(100, progress))
    step = step[: BackgroundRun._meta.get_field("step").max_length]
    if not connection.in_atomic_block:
        BackgroundRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            progress=progress, step=step
        )
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(_PROGRESS_SQL, [progress, step, run_id])
    finally:
        side.close()


def run_finish(
    *, run_id: int, rows: int | None = None, params: dict | None = None, step: str = ""
) -> None:
    """The job ended well: 100 %, the rows it wrote, and what it covered (`params`)."""
    changes = {"status": RunStatus.DONE, "progress": 100, "step": step, "rows": rows}
    if params is not None:
        changes["params"] = params
    BackgroundRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **changes)


def run_fail(*, run_id: int, error: str) -> None:
    """The job raised: the page says so (the previous figures stay)."""
    BackgroundRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:ERROR_LENGTH]
    )
