"""Seventeen 30 € gestures posted at the same moment in an agency with 500 € a month:
each request has its own connection, as under gunicorn, and the budget still holds."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from relation_client.touchpoints.models import Alert, AlertKind, Gesture, GestureKind, GestureStatus
from relation_client.touchpoints.selectors import gesture_budget
from relation_client.touchpoints.services import gesture_grant

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _in_threads(count: int, target) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def post(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = target(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_gestures_posted_at_once_never_overshoot_the_budget(
    reference_data, agency_lyon, helene, agent, colleague_lyon, manager_lyon
):
    assert agency_lyon.monthly_gesture_budget == Decimal("500")
    agents = [agent, colleague_lyon]
    results = _in_threads(
        17,
        lambda index: (
            gesture_grant(
                customer=helene,
                agent=agents[index % 2],
                kind=GestureKind.FREE_TRIPS,
                value=Decimal("30"),
                reason=f"Métro B arrêté, geste n° {index + 1}",
                channel="counter",
            ).status
        ),
    )
    assert all(isinstance(status, str) for status in results), results
    assert results.count(GestureStatus.GRANTED) == 16
    assert results.count(GestureStatus.PENDING) == 1
    budget = gesture_budget(agency=agency_lyon)
    assert budget.granted == Decimal("480") and budget.pending == Decimal("30")
    assert Gesture.objects.get(status=GestureStatus.PENDING).over_budget
    # the manager: one request to approve, one 80 % alert for the month
    assert (
        Alert.objects.filter(kind=AlertKind.GESTURE_APPROVAL, recipient=manager_lyon).count() == 1
    )
    assert Alert.objects.filter(kind=AlertKind.GESTURE_BUDGET, recipient=manager_lyon).count() == 1
