"""A whole worker killed (SIGKILL) mid-recompute: its run's lease stops being renewed, and
within the lease the progress partial tells the manager it was interrupted; the button
then starts a new run instead of handing back the dead one."""

import os
import signal
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

from relation_client.runs.models import BackgroundRun, RunStatus
from satisfaction.models import INDICATORS_RUN
from satisfaction.services.indicators import COMPUTE_LOCK

LEASE_SECONDS = 4


@pytest.fixture
def short_lease(monkeypatch, settings):
    """A lease of a few seconds, for this process and the worker it starts."""
    monkeypatch.setenv("RUN_LEASE_SECONDS", str(LEASE_SECONDS))
    settings.RUN_LEASE_SECONDS = LEASE_SECONDS


@pytest.fixture
def recompute_held():
    """Holds the satisfaction recompute's lock: the worker claims the run, then waits."""
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    with side.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [COMPUTE_LOCK])
    yield
    side.close()  # ends the session, and with it the lock


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_worker_s_run_is_failed_and_the_button_starts_anew(
    short_lease, recompute_held, celery_worker_process, login, manager_lyon
):
    client = login(manager_lyon)
    client.post(reverse("satisfaction:recompute"), headers={"HX-Request": "true"})
    run = BackgroundRun.objects.get(kind=INDICATORS_RUN)

    def running_lease():
        run.refresh_from_db()
        return run.status == RunStatus.RUNNING and run.lease_until

    first_lease = _wait_for(running_lease, 60)
    # the worker is blocked on the lock, writing no progress: its timer renews the lease
    _wait_for(lambda: running_lease() and run.lease_until > first_lease, 3 * LEASE_SECONDS)

    os.kill(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait(timeout=10)
    poll = reverse("satisfaction:recompute_progress", args=[run.pk])

    def interrupted():
        body = client.get(poll, headers={"HX-Request": "true"}).content.decode()
        return "Interrompu" in body and body

    # within the lease and one poll: the bound the issue sets at a minute or two
    body = _wait_for(interrupted, 3 * LEASE_SECONDS)
    assert "hx-trigger" not in body  # the partial stops polling
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at is not None

    client.post(reverse("satisfaction:recompute"), headers={"HX-Request": "true"})
    fresh = BackgroundRun.objects.filter(kind=INDICATORS_RUN).exclude(pk=run.pk).get()
    assert fresh.status == RunStatus.QUEUED
