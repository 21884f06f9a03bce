"""The signature a receiver checks, and what a payload never carries."""

import hashlib
import hmac
import json
import time

import pytest

from relation_client.webhooks.delivery import webhook_deliver
from relation_client.webhooks.models import DeliveryStatus, EventKind, WebhookDelivery
from relation_client.webhooks.signing import body_encode, signature, signature_valid
from tests.webhooks.conftest import payload_of

pytestmark = pytest.mark.django_db


def receiver_accepts(received: dict, secret: str) -> bool:
    """What docs/webhooks.md tells partners to do, with the headers as they arrived."""
    headers = received["headers"]
    return signature_valid(
        secret=secret,
        timestamp=headers["X-RC-Timestamp"],
        body=received["body"],
        header=headers["X-RC-Signature"],
        now=time.time(),
    )


def test_a_receiver_verifies_the_signature_of_what_it_received(
    receiver, make_endpoint, helene, log
):
    endpoint, secret = make_endpoint(receiver.url, [EventKind.REQUEST_OPENED])
    touchpoint = log(helene)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)

    assert webhook_deliver(delivery_id=delivery.pk, dispatch=1) == DeliveryStatus.DELIVERED

    (received,) = receiver.received
    headers = received["headers"]
    assert headers["X-RC-Event"] == "request.opened"
    assert headers["X-RC-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-RC-Signature"].startswith("sha256=")
    assert receiver_accepts(received, secret)
    body = payload_of(received)
    assert body["data"]["request"]["id"] == touchpoint.request_id
    assert body["id"] == str(delivery.event_id)
    # a forged body, another secret or a replayed old request are refused
    assert not receiver_accepts(
        {**received, "body": received["body"].replace(b"open", b"clos")}, secret
    )
    assert not receiver_accepts(received, "whsec_un-autre-secret")
    assert not signature_valid(
        secret=secret,
        timestamp=headers["X-RC-Timestamp"],
        body=received["body"],
        header=headers["X-RC-Signature"],
        now=time.time() + 3600,
    )


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = body_encode({"event": "alert.raised", "data": {"alert": {"id": 7}}, "é": "à"})
    assert body == '{"data":{"alert":{"id":7}},"event":"alert.raised","é":"à"}'.encode()
    # what a partner computes with any HMAC library, as docs/webhooks.md tells them
    expected = hmac.new(b"whsec_secret", b"1767225600." + body, hashlib.sha256).hexdigest()
    assert signature(secret="whsec_secret", timestamp=1767225600, body=body) == (
        f"sha256={expected}"
    )


def test_payloads_carry_no_personal_data(make_endpoint, helene, log, agent):
    make_endpoint("https://partenaire.exemple.fr/rc", list(EventKind.values))
    # a social-media complaint: a request and an alert whose message names Hélène
    log(
        helene,
        channel="social_media",
        reason="complaint",
        summary="Mme Dupont-Lefèvre se plaint du bus 37, joignable au 06 12 34 56 78",
    )
    payloads = list(WebhookDelivery.objects.values_list("payload", flat=True))
    assert sorted(p["event"] for p in payloads) == ["alert.raised", "request.opened"]
    text = json.dumps(payloads, ensure_ascii=False)
    for personal in (
        "Hélène",
        "Dupont",
        "06 12 34 56 78",
        "0612345678",
        "+33612345678",
        "helene.dupont@exemple.fr",
        "TCL 0042",
        "bus 37",
        "Camille",
        "Rousseau",
    ):
        assert personal not in text, personal
    request = next(p for p in payloads if p["event"] == "request.opened")["data"]["request"]
    assert set(request) == {
        "id",
        "customer_id",
        "agency_id",
        "channel",
        "reason",
        "status",
        "priority",
        "opened_at",
        "deadline",
    }
    assert (request["customer_id"], request["channel"], request["reason"]) == (
        helene.pk,
        "social_media",
        "complaint",
    )
    alert = next(p for p in payloads if p["event"] == "alert.raised")["data"]["alert"]
    assert set(alert) == {"id", "kind", "status", "customer_id", "request_id", "created_at"}
    assert alert["kind"] == "social_media" and alert["request_id"] == request["id"]
