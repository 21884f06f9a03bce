"""SMS through the provider's HTTP interface, against a real HTTP server on loopback: the
bearer token and the JSON it receives, 5xx and network errors retried with the outbox's
backoff, 4xx given up at once, files under .data/sms without a provider in local work,
a clear failure without one elsewhere, the opt-out mention of commercial SMS."""

import datetime
import json
import socket

import pytest
from django.utils import timezone

from relation_client.customers.consents import consent_record
from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundPurpose, OutboundStatus
from tests.support.sms_gateway import TOKEN
from tests.support.time import paris
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

# a Tuesday morning: commercial SMS may leave
TUESDAY_10 = paris(2026, 3, 3, 10, 0)
TEXT = "Bonjour Hélène, votre carte Técély est prête à l'agence Part-Dieu. À bientôt !"


def _queue(**extra) -> OutboundMessage:
    values = {
        "channel": "sms",
        "purpose": OutboundPurpose.ANSWER,
        "to_address": "+33612345678",
        "body_text": TEXT,
    }
    return outbox.message_queue(**{**values, **extra})


def _send(message: OutboundMessage, **extra) -> str:
    message.refresh_from_db()
    return outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch, **extra)


def _fresh(message: OutboundMessage) -> OutboundMessage:
    return OutboundMessage.objects.get(pk=message.pk)


def test_an_sms_reaches_the_gateway_with_the_bearer_token_and_the_json(sms_gateway):
    message = _queue()

    assert _send(message) == OutboundStatus.SENT

    (posted,) = sms_gateway.received
    assert posted.path == "/v1/sms"
    assert posted.headers["Authorization"] == f"Bearer {TOKEN}"
    assert posted.headers["Content-Type"].startswith("application/json")
    assert posted.json == {
        "to": "+33612345678",
        "from": "TCL Lyon",
        "text": TEXT,
        "reference": f"rc-sms-{message.pk}",
    }
    row = _fresh(message)
    assert (row.status, row.attempts, row.last_error) == (OutboundStatus.SENT, 1, "")
    assert row.sent_at is not None
    # the same task delivered twice sends once
    assert outbox.outbound_send(message_id=message.pk, dispatch=1) == "skipped"
    assert len(sms_gateway.received) == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_server_error_is_retried_with_the_outbox_backoff(sms_gateway, status):
    sms_gateway.status = status
    message = _queue()
    before = timezone.now()

    assert _send(message) == OutboundStatus.PENDING

    row = _fresh(message)
    assert (row.status, row.attempts, row.last_error) == (
        OutboundStatus.PENDING,
        1,
        f"HTTP {status}",
    )
    # 30 s, less up to a fifth of jitter
    wait = row.next_attempt_at - before
    assert datetime.timedelta(seconds=23) <= wait <= datetime.timedelta(seconds=31)

    sms_gateway.status = 200
    assert _send(message) == OutboundStatus.SENT
    first, second = sms_gateway.received
    # the same reference: a provider that deduplicates never sends a retry twice
    assert first.json == second.json
    assert _fresh(message).attempts == 2


@pytest.mark.parametrize("status", [400, 404, 422])
def test_a_client_error_is_given_up_at_once(sms_gateway, status, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 12
    sms_gateway.status = status
    message = _queue(to_address="+33600000000")

    assert _send(message) == OutboundStatus.FAILED

    row = _fresh(message)
    assert row.attempts == 1
    assert row.last_error.startswith(f"HTTP {status}")
    assert "refusé par la passerelle SMS" in row.last_error
    assert len(sms_gateway.received) == 1


def test_a_closed_port_is_retried(sms_gateway):
    sms_gateway.stop()
    message = _queue()

    assert _send(message) == OutboundStatus.PENDING

    row = _fresh(message)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert row.next_attempt_at > timezone.now()


def test_a_silent_gateway_times_out_and_is_retried(sms_gateway, settings):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 1
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/v1/sms"
        message = _queue()

        assert _send(message) == OutboundStatus.PENDING

    assert "timed out" in _fresh(message).last_error


def test_without_a_gateway_in_local_work_the_sms_is_a_file(settings, tmp_path):
    settings.SMS_GATEWAY_URL = ""
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.SMS_SENDER = "TCL Lyon"
    message = _queue()

    assert _send(message) == OutboundStatus.SENT

    (written,) = (tmp_path / "sms").iterdir()
    assert written.name.endswith(f"-{message.pk}.json")
    assert json.loads(written.read_text()) == {
        "to": "+33612345678",
        "from": "TCL Lyon",
        "text": TEXT,
        "reference": f"rc-sms-{message.pk}",
    }


def test_without_a_gateway_elsewhere_the_sms_fails_clearly(settings):
    settings.SMS_GATEWAY_URL = ""
    settings.SMS_FILE_PATH = ""
    message = _queue()

    assert _send(message) == OutboundStatus.FAILED

    row = _fresh(message)
    assert row.attempts == 1
    assert "Passerelle SMS non configurée" in row.last_error


def _marketing_customer(make_customer):
    customer = make_customer("Hélène", "Dupont-Lefèvre", phones=["06 12 34 56 78"])
    consent_record(
        customer=customer, channel="sms", purpose="marketing", given=True, source="counter"
    )
    return customer


def test_a_campaign_sms_ends_with_the_stop_mention(sms_gateway, make_customer):
    customer = _marketing_customer(make_customer)
    message = _queue(
        purpose=OutboundPurpose.CAMPAIGN,
        customer=customer,
        body_text="Hélène, -20 % sur votre abonnement Técély jusqu'au 31 mars.",
        now=TUESDAY_10,
    )

    assert message.body_text == (
        "Hélène, -20 % sur votre abonnement Técély jusqu'au 31 mars.\nSTOP au 36111"
    )
    assert _send(message, now=TUESDAY_10) == OutboundStatus.SENT
    assert sms_gateway.received[0].json["text"].endswith("\nSTOP au 36111")


def test_a_stop_mention_already_written_is_not_repeated(sms_gateway, make_customer):
    customer = _marketing_customer(make_customer)
    body = "Hélène, votre abonnement vous attend.\nStop au  36111"
    message = _queue(
        purpose=OutboundPurpose.CAMPAIGN, customer=customer, body_text=body, now=TUESDAY_10
    )
    assert message.body_text == body


def test_an_answer_gets_no_stop_mention(sms_gateway):
    assert _queue().body_text == TEXT


def test_a_gateway_without_a_stop_number_stops_start_up_with_one_line():
    result = manage(
        "check",
        DEBUG="true",
        SMS_GATEWAY_URL="https://sms.exemple.fr/v1/messages",
        SMS_GATEWAY_TOKEN="cle",
        SMS_STOP_NUMBER="",
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SMS_STOP_NUMBER" in lines[0]
