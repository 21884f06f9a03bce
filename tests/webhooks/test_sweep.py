"""The beat jobs: the sweep hands due and lost deliveries over to workers (once), the
purge forgets old finished ones. Called directly; test_worker.py runs a real worker."""

import datetime

import pytest
from django.utils import timezone

from relation_client.webhooks.delivery import webhook_deliver
from relation_client.webhooks.models import DeliveryStatus, EventKind, WebhookDelivery
from relation_client.webhooks.services import (
    REDISPATCH_AFTER,
    webhook_deliveries_purge,
    webhook_emit,
)
from relation_client.webhooks.tasks import webhooks_purge, webhooks_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def emitted(make_endpoint, receiver):
    make_endpoint(receiver.url, [EventKind.ALERT_RAISED])
    ids = webhook_emit(kind=EventKind.ALERT_RAISED, data={"alert": {"id": 81, "kind": "breach"}})
    return WebhookDelivery.objects.get(pk=ids[0])


def at(moment: datetime.datetime) -> str:
    return moment.isoformat()


def test_a_freshly_queued_delivery_is_left_to_its_task(emitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert webhooks_sweep(at(timezone.now())) == 0
    assert callbacks == []


def test_a_lost_task_is_replaced_and_the_old_one_does_nothing(
    emitted, receiver, django_capture_on_commit_callbacks
):
    # Redis was down at commit: the task never reached a worker
    moment = emitted.dispatched_at + REDISPATCH_AFTER + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks() as callbacks:
        assert webhooks_sweep(at(moment)) == 1
        assert webhooks_sweep(at(moment)) == 0  # run twice: handed over once
    assert len(callbacks) == 1
    row = WebhookDelivery.objects.get(pk=emitted.pk)
    assert row.dispatch == emitted.dispatch + 1
    # the original task, should it turn up after all, finds nothing to claim
    assert webhook_deliver(delivery_id=row.pk, dispatch=emitted.dispatch) == "skipped"
    assert webhook_deliver(delivery_id=row.pk, dispatch=row.dispatch) == "delivered"
    assert len(receiver.received) == 1


def test_a_retry_is_handed_over_once_due(emitted, receiver, django_capture_on_commit_callbacks):
    receiver.status = 503
    webhook_deliver(delivery_id=emitted.pk, dispatch=emitted.dispatch)
    row = WebhookDelivery.objects.get(pk=emitted.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        assert webhooks_sweep(at(row.next_attempt_at - datetime.timedelta(seconds=1))) == 0
        assert webhooks_sweep(at(row.next_attempt_at)) == 1
        assert webhooks_sweep(at(row.next_attempt_at + datetime.timedelta(minutes=1))) == 0
    assert len(callbacks) == 1


def test_finished_deliveries_are_forgotten_after_the_log_period(emitted, settings):
    settings.WEBHOOK_LOG_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    WebhookDelivery.objects.filter(pk=emitted.pk).update(created_at=old)
    assert webhooks_purge() == 0  # still pending: never forgotten
    WebhookDelivery.objects.filter(pk=emitted.pk).update(status=DeliveryStatus.DELIVERED)
    recent = webhook_emit(kind=EventKind.ALERT_RAISED, data={"alert": {"id": 82}})
    WebhookDelivery.objects.filter(pk__in=recent).update(status=DeliveryStatus.FAILED)
    assert webhooks_purge() == 1
    assert webhook_deliveries_purge(days=30) == 0  # idempotent
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == recent
