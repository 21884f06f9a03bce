"""The outbox sends through a real SMTP server, retries with backoff, and gives up
visibly; a message is never sent twice."""

from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundPurpose, OutboundStatus
from relation_client.messaging.threads import message_id_is_ours


def _queue(**extra) -> OutboundMessage:
    values = {
        "channel": "email",
        "purpose": OutboundPurpose.ANSWER,
        "to_address": "helene.marechal@exemple.fr",
        "subject": "Votre abonnement [RC-000042]",
        "body_text": "Bonjour Madame Maréchal,\n\nVotre carte est prête.\n\nCamille",
        "from_address": "Agence de Lyon <lyon@tcl-exemple.fr>",
        "in_reply_to": "<abc@client.exemple.fr>",
        "references": "<abc@client.exemple.fr>",
    }
    return outbox.message_queue(**{**values, **extra})


def test_a_queued_mail_reaches_the_smtp_server_threaded(db, smtp_server):
    message = _queue()
    assert message_id_is_ours(message.message_id)

    status = outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch)

    assert status == OutboundStatus.SENT
    (received,) = smtp_server.received
    assert received.rcpt_tos == ["helene.marechal@exemple.fr"]
    assert received["Message-ID"] == message.message_id
    assert received["In-Reply-To"] == "<abc@client.exemple.fr>"
    assert received["X-Relation-Client"] == str(message.pk)
    assert "Bonjour Madame Maréchal" in received.text
    # the same task delivered twice sends once
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "skipped"
    assert len(smtp_server.received) == 1


def test_a_refusing_server_is_retried_then_given_up(db, smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.refuse = True
    message = _queue()

    assert outbox.outbound_send(message_id=message.pk, dispatch=1) == OutboundStatus.PENDING
    message.refresh_from_db()
    assert message.attempts == 1 and "451" in message.last_error
    assert message.next_attempt_at > message.created_at

    assert outbox.outbound_send(message_id=message.pk, dispatch=2) == OutboundStatus.FAILED
    message.refresh_from_db()
    assert message.status == OutboundStatus.FAILED
    assert smtp_server.received == []


def test_an_acknowledgement_is_marked_automatic(db, smtp_server):
    message = _queue(purpose=OutboundPurpose.ACKNOWLEDGEMENT)
    outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch)
    assert smtp_server.received[0]["Auto-Submitted"] == "auto-replied"
