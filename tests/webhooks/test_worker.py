"""End to end with a real Celery worker over Redis and a real HTTP receiver: while the
partner is down nothing is lost, once it is back every delivery arrives exactly once,
signed. The worker reads committed rows, hence transactional tests."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from relation_client.webhooks.models import DeliveryStatus, EventKind, WebhookDelivery
from relation_client.webhooks.tasks import webhook_deliver, webhooks_sweep
from tests.webhooks.conftest import wait_for
from tests.webhooks.test_signing import receiver_accepts

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reference_data"),  # reasons and roles, whatever flushed them
]


def statuses() -> Counter:
    return Counter(WebhookDelivery.objects.values_list("status", flat=True))


def all_tried_once() -> bool:
    rows = list(WebhookDelivery.objects.values_list("attempts", "dispatched_at"))
    return bool(rows) and all(attempts == 1 and sent is None for attempts, sent in rows)


def sweep_later() -> int:
    """The beat job as it will run once every backoff has elapsed, through the worker."""
    moment = timezone.now() + datetime.timedelta(minutes=2)
    return webhooks_sweep.delay(moment.isoformat()).get(timeout=60)


def check_delivered_exactly_once(receiver, secrets_by_url: dict[str, str], expected: int):
    delivered = receiver.delivered()
    per_delivery = Counter(r["headers"]["X-RC-Delivery"] for r in delivered)
    assert len(per_delivery) == expected and set(per_delivery.values()) == {1}
    assert all(receiver_accepts(r, secrets_by_url[receiver.url]) for r in delivered)
    ids = {str(pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True)}
    assert set(per_delivery) == ids


@pytest.mark.parametrize("outage", ["503", "port fermé"])
def test_nothing_is_lost_while_the_partner_is_down(
    celery_worker_process, receiver, make_endpoint, helene, log, outage
):
    _endpoint, secret = make_endpoint(
        receiver.url, [EventKind.REQUEST_OPENED, EventKind.ALERT_RAISED]
    )
    if outage == "503":
        receiver.status = 503
    else:
        receiver.stop()

    # three events, committed one by one: each queues its sending after its commit
    log(helene)
    log(helene, channel="social_media", reason="complaint", summary="Bus 37 jamais passé")
    wait_for(lambda: WebhookDelivery.objects.count() == 3 and all_tried_once())
    assert statuses() == {DeliveryStatus.PENDING: 3}
    for row in WebhookDelivery.objects.all():
        assert row.next_attempt_at > timezone.now()  # backing off, not hammering
        assert row.last_error
    assert receiver.delivered() == []

    # the next sweep runs before the backoff has elapsed: nothing is sent
    assert webhooks_sweep.delay().get(timeout=60) == 0

    # the partner is back; the sweep after the backoff delivers everything
    if outage == "503":
        receiver.status = 200
    else:
        receiver.start()
    assert sweep_later() == 3
    wait_for(lambda: statuses() == {DeliveryStatus.DELIVERED: 3}, what="the deliveries")
    check_delivered_exactly_once(receiver, {receiver.url: secret}, expected=3)

    # later sweeps and a duplicated task send nothing more
    assert sweep_later() == 0
    row = WebhookDelivery.objects.first()
    assert webhook_deliver.delay(row.pk, row.dispatch - 1).get(timeout=60) == "skipped"
    assert len(receiver.delivered()) == 3
    assert celery_worker_process.poll() is None


def test_a_partner_that_is_up_gets_the_event_right_after_the_commit(
    celery_worker_process, receiver, make_endpoint, helene, log
):
    _endpoint, secret = make_endpoint(receiver.url, [EventKind.REQUEST_OPENED])
    touchpoint = log(helene)
    wait_for(lambda: statuses() == {DeliveryStatus.DELIVERED: 1}, what="the delivery")
    (received,) = receiver.received
    assert receiver_accepts(received, secret)
    assert f'"id":{touchpoint.request_id}' in received["body"].decode()
