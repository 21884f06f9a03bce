"""The background-run services: start (or join), claim, progress, finish, fail."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from relation_client.runs.models import BackgroundRun, RunStatus
from relation_client.runs.selectors import run_for, run_latest
from relation_client.runs.services import (
    ERROR_LENGTH,
    run_claim,
    run_fail,
    run_finish,
    run_progress,
    run_start,
)

HOUR = datetime.timedelta(hours=1)


def _start(kind="essai", **kwargs):
    return run_start(kind=kind, stale_after=HOUR, **kwargs)


@pytest.mark.django_db
def test_a_click_queues_one_run_once_committed(manager_lyon, django_capture_on_commit_callbacks):
    queued = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = _start(requested_by=manager_lyon, enqueue=queued.append)
    assert len(callbacks) == 1 and queued == [run]
    assert (run.status, run.progress, run.requested_by) == (RunStatus.QUEUED, 0, manager_lyon)
    assert run.task_id  # the id the task is queued under


@pytest.mark.django_db
def test_a_second_click_joins_the_active_run_of_its_kind(django_capture_on_commit_callbacks):
    queued = []
    with django_capture_on_commit_callbacks(execute=True):
        first = _start(enqueue=queued.append)
        second = _start(enqueue=queued.append)
        other = _start(kind="autre", enqueue=queued.append)
    assert second == first and other != first
    assert queued == [first, other]  # the joined run is not queued twice
    assert run_latest(kind="essai") == first


@pytest.mark.django_db
def test_a_run_without_a_worker_is_abandoned_and_replaced():
    lost = _start()
    BackgroundRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - 2 * HOUR)
    fresh = _start()
    lost.refresh_from_db()
    assert fresh != lost and fresh.status == RunStatus.QUEUED
    assert lost.status == RunStatus.FAILED and lost.error.startswith("Abandonné")
    assert lost.finished_at is not None


@pytest.mark.django_db
def test_a_run_started_by_the_worker_has_no_task_id():
    assert _start().task_id is None


@pytest.mark.django_db
def test_the_worker_claims_a_waiting_run_of_its_kind_only():
    run = _start()
    assert not run_claim(run_id=run.pk, kind="autre")
    assert run_claim(run_id=run.pk, kind="essai")
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.started_at is not None
    assert run_claim(run_id=run.pk, kind="essai")  # delivered twice: taken again
    run_finish(run_id=run.pk, rows=3)
    assert not run_claim(run_id=run.pk, kind="essai")  # over


@pytest.mark.django_db
def test_finish_and_fail():
    run = _start()
    run_claim(run_id=run.pk, kind="essai")
    run_finish(run_id=run.pk, rows=12, params={"period_to": "2026-03-01"}, step="Terminé")
    run.refresh_from_db()
    assert (run.status, run.progress, run.rows, run.step) == (RunStatus.DONE, 100, 12, "Terminé")
    assert run.params == {"period_to": "2026-03-01"} and run.finished_at is not None
    assert not run.is_active
    failed = _start()
    run_claim(run_id=failed.pk, kind="essai")
    run_fail(run_id=failed.pk, error="x" * 5000)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED and len(failed.error) == ERROR_LENGTH
    assert run_latest(kind="essai") == failed
    assert run_for(kind="essai", run_id=run.pk) == run
    assert run_for(kind="autre", run_id=run.pk) is None


def _progress_seen_elsewhere(run_id: int) -> tuple[int, str]:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT progress, step FROM runs_backgroundrun WHERE id = %s", [run_id])
            return cursor.fetchone()
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_seen_by_the_page_while_the_job_s_transaction_is_open():
    run = _start()
    run_claim(run_id=run.pk, kind="essai")
    with transaction.atomic():
        run_progress(run_id=run.pk, progress=40, step="Écart de satisfaction")
        assert _progress_seen_elsewhere(run.pk) == (40, "Écart de satisfaction")
    run_progress(run_id=run.pk, progress=140, step="Étape finale")  # outside: plain update
    assert _progress_seen_elsewhere(run.pk) == (100, "Étape finale")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_skips_a_run_that_is_not_running_or_is_locked():
    run = _start()
    run_progress(run_id=run.pk, progress=50)  # still waiting: nothing to report
    assert _progress_seen_elsewhere(run.pk) == (0, "")
    run_claim(run_id=run.pk, kind="essai")
    with transaction.atomic():
        # the caller's own transaction holds the row: waiting on it would never end
        BackgroundRun.objects.select_for_update().get(pk=run.pk)
        run_progress(run_id=run.pk, progress=60)
    assert _progress_seen_elsewhere(run.pk) == (0, "")
