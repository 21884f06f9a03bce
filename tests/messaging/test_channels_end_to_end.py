"""The whole conversation over real servers: Hélène writes to her agency (Dovecot), the
poller files it as a request with the e-mail deadline, Camille answers from the tool
(aiosmtpd receives it threaded, greeting her by name, signed), Hélène replies to that
answer (Dovecot again) and her reply joins the request and reopens it."""

from relation_client.messaging.answers import answer_send
from relation_client.messaging.fetch import mailbox_poll
from relation_client.messaging.models import InboundMessage, OutboundMessage
from relation_client.messaging.outbox import outbound_send
from relation_client.touchpoints.models import Request, RequestStatus
from tests.factories import CustomerFactory
from tests.messaging import mails


def test_mail_in_answer_out_reply_back(
    db, imap_server, imap_mailbox, smtp_server, agency_lyon, agent
):
    helene = CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["Helene.Marechal@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )
    mailbox = imap_mailbox(agency_lyon)
    imap_server["lyon"].deliver(
        mails.mail(
            sender="Hélène Maréchal <helene.marechal@exemple.fr>",
            message_id="<carte-1@voyageurs.fr>",
        )
    )

    mailbox_poll(mailbox)

    request = Request.objects.get()
    assert request.customer == helene and request.channel == "email"
    assert request.assignee == agent and request.status == RequestStatus.OPEN

    sent = answer_send(
        request=request,
        by=agent,
        body="Bonjour Madame Maréchal,\n\nVotre carte est réactivée.\n\nCamille Rousseau",
    )
    assert outbound_send(message_id=sent.pk, dispatch=sent.dispatch) == "sent"
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["helene.marechal@exemple.fr"]
    assert mail["In-Reply-To"] == "<carte-1@voyageurs.fr>"
    assert f"[{request.reference}]" in mail["Subject"]
    assert mail["From"].endswith(f"<{mailbox.address}>")
    assert "Bonjour Madame Maréchal" in mail.text and agent.display_name in mail.text
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED

    # she answers from her mail client: the headers point at our answer
    imap_server["lyon"].deliver(
        mails.mail(
            sender="Hélène Maréchal <helene.marechal@exemple.fr>",
            subject=f"Re: {mail['Subject']}",
            text="Merci, mais le valideur du C3 la refuse encore ce matin.\n\n"
            "Le lun. 7 déc. 2026 à 10:00, TCL Lyon a écrit :\n> Votre carte est réactivée.",
            message_id="<carte-2@voyageurs.fr>",
            headers={"In-Reply-To": mail["Message-ID"], "References": mail["References"]},
        )
    )

    mailbox_poll(mailbox)

    reply = InboundMessage.objects.get(message_id="<carte-2@voyageurs.fr>")
    assert reply.request_id == request.pk
    assert "valideur du C3" in reply.reply_text and "a écrit" not in reply.reply_text
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert Request.objects.count() == 1
    assert OutboundMessage.objects.get().message_id == mail["Message-ID"]
