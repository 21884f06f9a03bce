"""Sending one delivery: claim it, POST it signed, record how it went.

The claim is a single conditional UPDATE on the dispatch number the task carries, so two
workers holding the same delivery (the task queued after the commit and again by the
sweep) never both send it; the HTTP call happens outside any transaction.
"""

import datetime
import random
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from relation_client.webhooks.models import DeliveryStatus, WebhookDelivery
from relation_client.webhooks.signing import body_encode, signature

BACKOFF_FIRST = datetime.timedelta(seconds=30)
BACKOFF_CAP = datetime.timedelta(hours=1)
USER_AGENT = "RelationClient-Webhooks/1"
# the receiver's answer is read (so the connection ends cleanly) but never kept
ANSWER_READ_LIMIT = 64 * 1024


def retry_delay(*, attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most 1 h, each
    shortened by up to a fifth at random so that retries after an outage spread out."""
    step = min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 20))
    return step * random.uniform(0.8, 1.0)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post_signed(*, url: str, secret: str, event: str, delivery_id: int, payload: dict) -> Outcome:
    """POST the payload, signed now. Redirects are not followed: the endpoint's address is
    what the administrator typed, and a 3xx counts as a failure like any non-2xx."""
    body = body_encode(payload)
    stamp = int(time.time())
    parts = urlsplit(url)
    connection_class = {"http": HTTPConnection, "https": HTTPSConnection}.get(parts.scheme)
    if connection_class is None or not parts.hostname:
        return Outcome(None, _("Adresse invalide."))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-RC-Event": event,
        "X-RC-Delivery": str(delivery_id),
        "X-RC-Timestamp": str(stamp),
        "X-RC-Signature": signature(secret=secret, timestamp=stamp, body=body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(ANSWER_READ_LIMIT)
    except (OSError, HTTPException, ValueError) as error:
        # refused, timed out, reset, TLS refused, a malformed answer or port
        return Outcome(None, f"{type(error).__name__}: {error}"[:200])
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(response.status, "")
    return Outcome(response.status, f"HTTP {response.status}")


def delivery_claim(*, delivery_id: int, dispatch: int) -> WebhookDelivery | None:
    """Take the delivery for one attempt, or None when another worker has it, it was
    handed over again since, or it is no longer pending."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, dispatch=dispatch
    ).update(
        attempts=F("attempts") + 1,
        dispatch=F("dispatch") + 1,
        # the sweep leaves it alone while it is being sent
        dispatched_at=timezone.now(),
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint", "endpoint__token").get(pk=delivery_id)


def delivery_record(
    *, delivery: WebhookDelivery, outcome: Outcome, give_up: bool = False
) -> WebhookDelivery:
    """Delivered on a 2xx; otherwise the next attempt after the backoff, or given up
    after WEBHOOK_MAX_ATTEMPTS (or at once when `give_up`)."""
    now = timezone.now()
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:200]
    delivery.dispatched_at = None
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif give_up or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + retry_delay(attempts=delivery.attempts)
    fields = ["status", "delivered_at", "next_attempt_at", "dispatched_at"]
    # fencing: only the holder of the claim writes its result
    WebhookDelivery.objects.filter(pk=delivery.pk, dispatch=delivery.dispatch).update(
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        **{name: getattr(delivery, name) for name in fields},
    )
    return delivery


def webhook_deliver(*, delivery_id: int, dispatch: int) -> str:
    """One attempt at one delivery; the resulting status, or "skipped"."""
    delivery = delivery_claim(delivery_id=delivery_id, dispatch=dispatch)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.active or (endpoint.token and endpoint.token.revoked_at):
        # deactivated since the event: nothing is sent, "retry now" once it is back
        outcome = Outcome(None, _("Point de réception désactivé."))
        return delivery_record(delivery=delivery, outcome=outcome, give_up=True).status
    outcome = post_signed(
        url=endpoint.url,
        secret=endpoint.secret,
        event=delivery.event,
        delivery_id=delivery.pk,
        payload=delivery.payload,
    )
    return delivery_record(delivery=delivery, outcome=outcome).status
