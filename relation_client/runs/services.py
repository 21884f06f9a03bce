"""Writes of background runs: start (or join) a run, then the worker claims it, reports
its progress and finishes or fails it. The kind's own service decides what the job does.

A claimed run carries a lease (runs/lease.py) that its worker renews; a run whose lease
ran out lost its worker and is failed by runs_expire, which the beat calls every minute
and the pages call before reading a run (a dead worker cannot report its own death)."""

import datetime
import logging
import uuid
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from agences.models import Agent
from relation_client.runs.lease import lease_keep, lease_length, lease_release
from relation_client.runs.models import ACTIVE_STATUSES, BackgroundRun, RunStatus

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000

# progress from inside the job's open transaction: a row locked by another transaction
# (the caller's own, when a test or an eager task wraps the job) is skipped, not waited
# for, as waiting on one's own transaction would never end
_PROGRESS_SQL = f"""
    UPDATE {BackgroundRun._meta.db_table} SET progress = %s, step = %s, lease_until = %s
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
        lease_lost = active is not None and active.lease_expired(now=now)
        if active is not None and active.created_at > now - stale_after and not lease_lost:
            return active
        if active is not None:
            BackgroundRun.objects.filter(pk=active.pk).update(
                status=RunStatus.FAILED,
                finished_at=now,
                error=str(_LEASE_LOST)
                if lease_lost
                else _("Abandonné : aucun processus ne l'a terminé."),
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
            transaction.on_commit(lambda: _enqueue_or_fail(run, enqueue), robust=True)
    return run


def _enqueue_or_fail(run: BackgroundRun, enqueue: Callable[[BackgroundRun], None]) -> None:
    """Safe to lose by design: a run the broker did not take is failed at once with a
    reason the manager reads, and the button starts a new one; the request that clicked
    still succeeds."""
    try:
        enqueue(run)
    # RuntimeError: what Celery's Redis result backend raises once its reconnections fail
    except (KombuOperationalError, RedisError, OSError, RuntimeError) as error:
        logger.warning("Run %s not queued, broker unreachable: %s", run.pk, error)
        reason = _(
            "Le recalcul n'a pas pu être confié à un processus de calcul (file d'attente "
            "injoignable) : relancez-le dans quelques minutes."
        )
        run_fail(run_id=run.pk, error=reason)
        run.status, run.error = RunStatus.FAILED, reason


_LEASE_LOST = gettext_lazy(
    "Interrompu : le processus de calcul s'est arrêté en cours de route (redémarrage ou "
    "panne du serveur). Les chiffres affichés restent ceux du calcul précédent ; relancez "
    "le recalcul."
)


def runs_expire(*, now: datetime.datetime | None = None, kind: str | None = None) -> int:
    """Fail the running runs whose lease ran out: their worker is gone. How many."""
    now = now or timezone.now()
    # skip locked: a run's own job may hold its row; a live job renews its lease anyway
    locked = BackgroundRun.objects.select_for_update(skip_locked=True).filter(
        status=RunStatus.RUNNING, lease_until__lt=now
    )
    if kind is not None:
        locked = locked.filter(kind=kind)
    with transaction.atomic():
        ids = list(locked.values_list("pk", flat=True))
        if not ids:
            return 0
        expired = BackgroundRun.objects.filter(pk__in=ids).update(
            status=RunStatus.FAILED, finished_at=now, error=str(_LEASE_LOST)
        )
    logger.warning("Runs %s failed: their worker's lease ran out", ids)
    return expired


def run_claim(*, run_id: int, kind: str) -> bool:
    """The worker takes the run: False when it is over already (done, failed, abandoned)
    or is another kind's. A run still marked running is taken again: its task was
    delivered twice or restarted."""
    now = timezone.now()
    claimed = BackgroundRun.objects.filter(pk=run_id, kind=kind, status__in=ACTIVE_STATUSES).update(
        status=RunStatus.RUNNING,
        started_at=now,
        progress=0,
        step="",
        error="",
        lease_until=now + lease_length(),
    )
    if claimed == 1 and not connection.in_atomic_block:
        # inside a caller's transaction (a test, an eager task) the claim is invisible to
        # others and the caller's process holds it: nobody else could expire it
        lease_keep(run_id=run_id)
    return claimed == 1


def run_progress(*, run_id: int, progress: int, step: str = "") -> None:
    """Percent done and the current step, visible at once to the page that polls. A job
    writes its results in one long transaction; an update made inside it would stay
    invisible until its end, so the progress goes through a connection of its own."""
    progress = max(0, min(100, progress))
    step = step[: BackgroundRun._meta.get_field("step").max_length]
    lease_until = timezone.now() + lease_length()  # progress is a sign of life: renew the lease too
    if not connection.in_atomic_block:
        BackgroundRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            progress=progress, step=step, lease_until=lease_until
        )
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(_PROGRESS_SQL, [progress, step, lease_until, run_id])
    finally:
        side.close()


def run_finish(
    *, run_id: int, rows: int | None = None, params: dict | None = None, step: str = ""
) -> None:
    """The job ended well: 100 %, the rows it wrote, and what it covered (`params`)."""
    lease_release(run_id=run_id)
    changes = {"status": RunStatus.DONE, "progress": 100, "step": step, "rows": rows}
    if params is not None:
        changes["params"] = params
    BackgroundRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **changes)


def run_fail(*, run_id: int, error: str) -> None:
    """The job raised: the page says so (the previous figures stay)."""
    lease_release(run_id=run_id)
    BackgroundRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:ERROR_LENGTH]
    )
