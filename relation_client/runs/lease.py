"""The worker's lease on the run it computes: renewed every quarter of its length by a thread of
the worker's process, so that a recompute whose steps are long (or which waits on a lock)
keeps its run alive, and a worker killed outright (SIGKILL, machine lost) stops renewing
and is noticed once the lease runs out (services.runs_expire)."""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

from relation_client.runs.models import BackgroundRun

logger = logging.getLogger(__name__)


def lease_length() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.RUN_LEASE_SECONDS)


_TABLE = BackgroundRun._meta.db_table
# skip locked: the job's own transaction may hold the row, and a renewal must never wait
_RENEW_SQL = f"""
    UPDATE {_TABLE} SET lease_until = %s
    WHERE id = (SELECT id FROM {_TABLE}
                WHERE id = %s AND status = 'running' FOR UPDATE SKIP LOCKED)
"""
_STILL_RUNNING_SQL = f"SELECT 1 FROM {_TABLE} WHERE id = %s AND status = 'running'"

_renewers: dict[int, threading.Event] = {}
_renewers_lock = threading.Lock()


def lease_renew(*, run_id: int) -> bool:
    """Push the lease on, through a connection of its own (the job's transaction would
    hide the update until its end). False once the run is over."""
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(_RENEW_SQL, [timezone.now() + lease_length(), run_id])
            cursor.execute(_STILL_RUNNING_SQL, [run_id])
            return cursor.fetchone() is not None
    finally:
        side.close()


def _renew_until_stopped(run_id: int, stop: threading.Event) -> None:
    while not stop.wait(lease_length().total_seconds() / 4):
        try:
            if not lease_renew(run_id=run_id):
                break
        except DatabaseError as error:
            # the database is away for a moment: the next renewal may get through
            logger.warning("Run %s: lease not renewed: %s", run_id, error)
    with _renewers_lock:
        if _renewers.get(run_id) is stop:
            del _renewers[run_id]


def lease_keep(*, run_id: int) -> None:
    """Renew the run's lease from this process until lease_release (or the run ends)."""
    with _renewers_lock:
        if run_id in _renewers:
            return
        stop = _renewers[run_id] = threading.Event()
    threading.Thread(
        target=_renew_until_stopped, args=(run_id, stop), name=f"run-lease-{run_id}", daemon=True
    ).start()


def lease_release(*, run_id: int) -> None:
    with _renewers_lock:
        stop = _renewers.pop(run_id, None)
    if stop is not None:
        stop.set()


def lease_release_all() -> None:
    """Stop every renewal this process runs (a worker shutting down; a test ending with a
    run it claimed and never finished)."""
    with _renewers_lock:
        stops = list(_renewers.values())
        _renewers.clear()
    for stop in stops:
        stop.set()
