"""One attempt at a delivery against a real HTTP receiver: delivered on a 2xx, retried
with backoff otherwise, given up after the maximum, never sent twice by two workers."""

import datetime
import socket

import pytest
from django.utils import timezone

from relation_client.webhooks import delivery as sending
from relation_client.webhooks.delivery import retry_delay, webhook_deliver
from relation_client.webhooks.models import DeliveryStatus, EventKind, WebhookDelivery
from relation_client.webhooks.services import webhook_emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(receiver, make_endpoint):
    """A request.opened event waiting for the receiver's endpoint."""
    make_endpoint(receiver.url, [EventKind.REQUEST_OPENED])
    (delivery_id,) = webhook_emit(
        kind=EventKind.REQUEST_OPENED,
        data={"request": {"id": 4012, "agency_id": 3, "status": "open"}},
    )
    return WebhookDelivery.objects.get(pk=delivery_id)


def fresh(delivery) -> WebhookDelivery:
    return WebhookDelivery.objects.get(pk=delivery.pk)


def test_a_2xx_delivers(pending, receiver):
    receiver.status = 204
    assert webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch) == "delivered"
    row = fresh(pending)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == (
        DeliveryStatus.DELIVERED,
        1,
        204,
        "",
    )
    assert row.delivered_at is not None and row.dispatched_at is None


@pytest.mark.parametrize("status", [503, 500, 404, 301])
def test_an_error_answer_schedules_a_retry_with_backoff(pending, receiver, status):
    receiver.status = status
    before = timezone.now()
    assert webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch) == "pending"
    row = fresh(pending)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == (
        DeliveryStatus.PENDING,
        1,
        status,
        f"HTTP {status}",
    )
    # 30 s, less up to a fifth of jitter
    wait = row.next_attempt_at - before
    assert datetime.timedelta(seconds=23) <= wait <= datetime.timedelta(seconds=31)
    assert row.dispatched_at is None  # the sweep may hand it over once due
    assert len(receiver.received) == 1  # a redirect is not followed


def test_a_closed_port_is_recorded_as_a_connection_error(pending, receiver):
    receiver.stop()
    assert webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch) == "pending"
    row = fresh(pending)
    assert row.last_status_code is None
    assert row.last_error.startswith("ConnectionRefusedError")
    receiver.start()  # for the fixture's teardown


def test_a_silent_receiver_times_out(pending, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        pending.endpoint.url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        pending.endpoint.save()
        assert webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch) == "pending"
    assert "timed out" in fresh(pending).last_error


def test_the_backoff_doubles_up_to_an_hour(monkeypatch):
    monkeypatch.setattr(sending.random, "uniform", lambda low, high: high)
    steps = [retry_delay(attempts=n).total_seconds() for n in range(1, 11)]
    assert steps == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    monkeypatch.setattr(sending.random, "uniform", lambda low, high: low)
    assert retry_delay(attempts=1).total_seconds() == 24


def test_given_up_after_the_maximum_attempts(pending, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 503
    for attempt in range(1, 4):
        row = fresh(pending)
        status = webhook_deliver(delivery_id=row.pk, dispatch=row.dispatch)
        assert status == ("failed" if attempt == 3 else "pending")
    row = fresh(pending)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.FAILED, 3, 503)
    assert len(receiver.received) == 3
    # an abandoned delivery is not sent again by a late task
    assert webhook_deliver(delivery_id=row.pk, dispatch=row.dispatch) == "skipped"
    assert len(receiver.received) == 3


def test_two_workers_with_the_same_task_send_once(pending, receiver):
    first = webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch)
    second = webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch)
    assert (first, second) == ("delivered", "skipped")
    assert len(receiver.received) == 1


def test_a_claimed_delivery_is_taken_by_one_worker_only(pending):
    assert sending.delivery_claim(delivery_id=pending.pk, dispatch=pending.dispatch) is not None
    # the sweep handing it over again meanwhile, or a duplicate task, finds nothing
    assert sending.delivery_claim(delivery_id=pending.pk, dispatch=pending.dispatch) is None
    row = fresh(pending)
    assert (row.attempts, row.dispatch) == (1, pending.dispatch + 1)


def test_a_deactivated_endpoint_is_not_sent_to(pending, receiver):
    pending.endpoint.active = False
    pending.endpoint.save()
    assert webhook_deliver(delivery_id=pending.pk, dispatch=pending.dispatch) == "failed"
    assert receiver.received == []
    assert fresh(pending).last_error == "Point de réception désactivé."
