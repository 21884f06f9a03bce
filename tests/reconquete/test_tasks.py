"""The Celery tasks, called directly (tests/test_celery_worker.py covers a real worker):
each is run twice to prove it idempotent."""

from unittest import mock

import pytest
from django.utils import timezone

from reconquete.models import (
    RecomputeRun,
    ReconquestCase,
    ReconquestSnapshot,
    RidershipMonth,
    RunStatus,
)
from reconquete.tasks import compute_indicators, detect_lapses
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
    run = RecomputeRun.objects.create(task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000001")
    with mock.patch.object(compute_indicators, "update_state") as update_state:
        result = compute_indicators(run_id=run.pk)
    update_state.assert_not_called()  # no task id outside a worker: nothing to report to
    run.refresh_from_db()
    assert (run.status, run.progress, run.rows) == (RunStatus.DONE, 100, result["rows"])
    assert run.period_to == timezone.localdate().replace(day=1)
    assert run.period_from == month(2025, 1)  # the first month of ridership


def test_progress_goes_to_the_result_backend_under_a_worker(deborah):
    run = RecomputeRun.objects.create(task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000002")
    with mock.patch.object(compute_indicators, "update_state") as update_state:
        compute_indicators.apply(kwargs={"run_id": run.pk}, task_id=run.task_id)
    states = [call.kwargs for call in update_state.call_args_list]
    assert states[0]["state"] == "PROGRESS"
    assert [s["meta"]["done"] for s in states] == list(range(1, len(states) + 1))
    assert states[-1]["meta"]["done"] == states[-1]["meta"]["total"]


def test_a_failed_run_is_marked_failed(deborah):
    run = RecomputeRun.objects.create(task_id="5b0c2a3e-6d1f-4c8e-9a6b-000000000003")
    with (
        mock.patch(
            "reconquete.services.indicators.snapshot_compute", side_effect=RuntimeError("panne")
        ),
        pytest.raises(RuntimeError),
    ):
        compute_indicators(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "panne")
