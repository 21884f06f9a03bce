"""The Celery tasks, called directly (tests/test_celery_worker.py covers a real worker):
each is run twice to prove it idempotent."""

from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from reconquete.models import INDICATORS_RUN, ReconquestCase, ReconquestSnapshot, RidershipMonth
from reconquete.services import indicators_recompute
from reconquete.tasks import compute_indicators, detect_lapses
from relation_client.runs.models import BackgroundRun, RunStatus
from tests.reconquete.conftest import month

pytestmark = pytest.mark.django_db


@pytest.fixture
def deborah(make_customer, network_settings):
    customer = make_customer("Déborah", "Mercier")
    trips = {month(2025, m): 30 for m in (1, 2, 3)} | {
        month(2025, 12): 10,
        month(2026, 1): 12,
        month(2026, 2): 8,
    }
    RidershipMonth.objects.bulk_create(
        RidershipMonth(customer=customer, month=m, trips=t) for m, t in trips.items()
    )
    return customer


def test_detect_lapses_twice_opens_one_case(deborah):
    first = detect_lapses("2026-03-10")
    second = detect_lapses("2026-03-10")
    assert first["opened"]["ridership_drop"] == 1
    assert sum(second["opened"].values()) == 0
    assert ReconquestCase.objects.filter(customer=deborah).count() == 1


def test_compute_indicators_twice_writes_the_same_snapshot(deborah):
    detect_lapses("2026-03-10")
    first = compute_indicators(run_id=None)
    rows = sorted(
        ReconquestSnapshot.objects.values_list("period", "dimension", "key", "lost", "trips"),
        key=str,
    )
    second = compute_indicators(run_id=None)
    assert first == second
    assert (
        sorted(
            ReconquestSnapshot.objects.values_list("period", "dimension", "key", "lost", "trips"),
            key=str,
        )
        == rows
    )
    march = ReconquestSnapshot.objects.get(period=month(2026, 3), dimension="total", agency=None)
    assert march.lost == 1


def test_a_requested_run_is_followed_to_the_end(deborah):
    run = BackgroundRun.objects.create(
        kind=INDICATORS_RUN, task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000001"
    )
    result = compute_indicators(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.progress, run.rows) == (RunStatus.DONE, 100, result["rows"])
    assert run.params["period_to"] == timezone.localdate().replace(day=1).isoformat()
    assert run.params["period_from"] == month(2025, 1).isoformat()  # first month of ridership


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_reaches_the_run_s_row_while_the_snapshot_is_written(deborah):
    """The page polls the row from another connection while the snapshot's transaction
    is still open: each step must already be committed there."""
    run = BackgroundRun.objects.create(
        kind=INDICATORS_RUN, task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000002"
    )
    seen = []
    report = indicators_recompute.run_progress

    def report_then_look(**kwargs):
        report(**kwargs)
        seen.append(_progress_seen_elsewhere(run.pk))

    with mock.patch.object(indicators_recompute, "run_progress", report_then_look):
        compute_indicators.apply(kwargs={"run_id": run.pk}, task_id=run.task_id)
    assert seen[0] > 0 and seen == sorted(seen) and seen[-1] == 100
    assert len(set(seen)) == len(seen)  # one report per step


def _progress_seen_elsewhere(run_id: int) -> int:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT progress FROM runs_backgroundrun WHERE id = %s", [run_id])
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_a_failed_run_is_marked_failed(deborah):
    run = BackgroundRun.objects.create(
        kind=INDICATORS_RUN, task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000003"
    )
    with (
        mock.patch(
            "reconquete.services.indicators_recompute.snapshot_compute",
            side_effect=RuntimeError("panne"),
        ),
        pytest.raises(RuntimeError),
    ):
        compute_indicators(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "panne")
