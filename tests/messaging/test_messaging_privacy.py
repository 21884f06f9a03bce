"""Messages and privacy: the right of access hands over the messages received from the
customer and sent to them; erasure blanks their content (texts, HTML, raw message,
attachments, addresses) and keeps the rows for the counts; the nightly retention job
deletes the raw bytes and attachments of messages older than RETENTION_YEARS; and a mail
arriving later from an erased customer's old address is never filed on the erased record."""

import datetime
import html
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.messaging.identify import message_attach
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import (
    InboundAttachment,
    InboundMessage,
    InboundStatus,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)
from relation_client.messaging.outbox import message_queue
from relation_client.privacy.models import RetentionRun
from relation_client.privacy.retention import retention_run
from relation_client.privacy.services import customer_erase, customer_export
from relation_client.touchpoints.models import Request, Touchpoint
from socle.errors import DomainError
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

RAW = b"From: Lucie Ferrand <lucie.ferrand@exemple.fr>\r\nSubject: Amende contestee\r\n\r\nBonjour"
PDF = b"%PDF-1.4\n% PV de contravention\n%%EOF\n"


@pytest.fixture
def lucie(agency_lyon, agent):
    return CustomerFactory(
        first_name="Lucie",
        last_name="Ferrand",
        emails=["lucie.ferrand@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


@pytest.fixture
def correspondence(received, lucie, agent):
    """Lucie wrote (with a PDF), was matched by her address, and was answered."""
    message = received(
        sender_name="Lucie Ferrand",
        sender_address="lucie.ferrand@exemple.fr",
        subject="Amende contestée sur la ligne C13",
        body_text="Bonjour, je conteste l'amende reçue à l'arrêt Cuire.",
        reply_text="Bonjour, je conteste l'amende reçue à l'arrêt Cuire.",
        body_html="<p>Bonjour, je conteste l'amende reçue à l'arrêt <b>Cuire</b>.</p>",
        raw=RAW,
        raw_size=len(RAW),
        status=InboundStatus.RECEIVED,
    )
    InboundAttachment.objects.create(
        message=message,
        filename="PV Lucie Ferrand.pdf",
        content_type="application/pdf",
        size=len(PDF),
        content=PDF,
    )
    inbound_file(message=message)
    message.refresh_from_db()
    answer = message_queue(
        channel="email",
        purpose=OutboundPurpose.ANSWER,
        to_address="lucie.ferrand@exemple.fr",
        subject="Re: Amende contestée sur la ligne C13",
        body_text="Bonjour Madame Ferrand, votre contestation est transmise au service.",
        customer=lucie,
        request=message.request,
    )
    OutboundMessage.objects.filter(pk=answer.pk).update(
        status=OutboundStatus.SENT, sent_at=timezone.now()
    )
    pending = message_queue(
        channel="email",
        purpose=OutboundPurpose.ACKNOWLEDGEMENT,
        to_address="lucie.ferrand@exemple.fr",
        subject="Nous avons bien reçu votre message",
        body_text="Votre demande est enregistrée.",
        customer=lucie,
        request=message.request,
        not_before=timezone.now() + datetime.timedelta(hours=1),
    )
    answer.refresh_from_db()
    return message, answer, pending


# --- right of access -------------------------------------------------------------------


def test_the_access_export_holds_the_messages_received_and_sent(correspondence, lucie, dpo):
    message, answer, _pending = correspondence
    data = customer_export(customer=lucie, user=dpo.user)

    [got] = data["messages reçus"]
    assert got["subject"] == "Amende contestée sur la ligne C13"
    assert got["sender_address"] == "lucie.ferrand@exemple.fr"
    assert "je conteste l'amende" in got["body_text"]
    assert got["attachments"] == [f"PV Lucie Ferrand.pdf (application/pdf, {len(PDF)} o)"]
    assert got["request"] == message.request.reference
    sent = data["messages envoyés"]
    assert [m["purpose"] for m in sent] == ["answer", "acknowledgement"]
    assert sent[0]["body_text"].startswith("Bonjour Madame Ferrand")
    json.dumps(data)  # plain JSON


def test_the_access_document_shows_them_under_their_labels(correspondence, lucie, dpo):
    from django.test import Client

    client = Client()
    client.force_login(dpo.user)
    page = html.unescape(client.get(reverse("privacy:customer", args=[lucie.pk])).content.decode())
    assert ">Messages</h2>" in page
    assert "Messages reçus" in page and "Messages envoyés" in page
    assert "Amende contestée sur la ligne C13" in page
    assert "Réponse à une demande" in page  # the purpose in words
    assert "sender_address" not in page and "body_text" not in page


# --- erasure ------------------------------------------------------------------------------


def test_erasure_blanks_the_messages_and_keeps_the_rows(correspondence, lucie, dpo):
    message, answer, pending = correspondence
    counts = (InboundMessage.objects.count(), OutboundMessage.objects.count())

    customer_erase(customer=lucie, user=dpo.user, reason="Courrier du 3 mars")

    assert (InboundMessage.objects.count(), OutboundMessage.objects.count()) == counts
    message.refresh_from_db()
    assert message.customer_id == lucie.pk and message.request_id is not None
    assert message.status == InboundStatus.FILED  # still counted where it was
    assert message.sender_address == "" and message.sender_name == ""
    assert message.body_text == "" and message.reply_text == "" and message.body_html == ""
    assert message.raw is None and message.subject == "[effacé]"
    attachment = message.attachments.get()
    assert attachment.content is None and attachment.filename == "[effacé]"
    assert attachment.size == len(PDF)  # the row and its size stay
    answer.refresh_from_db()
    assert answer.to_address == "" and answer.body_text == "[effacé]"
    assert answer.status == OutboundStatus.SENT  # what happened stays
    pending.refresh_from_db()
    assert pending.status == OutboundStatus.CANCELLED  # nothing more leaves for her
    assert pending.to_address == ""


# --- retention ----------------------------------------------------------------------------


def test_the_nightly_job_deletes_raw_messages_and_attachments_past_the_retention(
    received, settings
):
    settings.RETENTION_YEARS = 3
    now = timezone.now()
    old_unidentified = received(
        subject="Vieux message sans expéditeur connu",
        raw=RAW,
        received_at=now - datetime.timedelta(days=365 * 3 + 2),
        body_text="Texte lu du message",
    )
    old_attached = received(received_at=now - datetime.timedelta(days=365 * 4))
    InboundAttachment.objects.create(
        message=old_attached, filename="plan.pdf", content_type="application/pdf", size=3,
        content=b"PDF",
    )  # fmt: skip
    recent = received(raw=RAW, received_at=now - datetime.timedelta(days=365 * 3 - 2))
    InboundAttachment.objects.create(
        message=recent, filename="récent.pdf", content_type="application/pdf", size=3,
        content=b"PDF",
    )  # fmt: skip

    run = retention_run()

    assert run.messages_purged == 2
    old_unidentified.refresh_from_db()
    assert old_unidentified.raw is None
    assert old_unidentified.body_text == "Texte lu du message"  # what was read stays
    assert old_attached.attachments.get().content is None
    assert old_attached.attachments.get().filename == "plan.pdf"
    recent.refresh_from_db()
    assert bytes(recent.raw) == RAW
    assert bytes(recent.attachments.get().content) == b"PDF"
    assert retention_run().messages_purged == 0  # idempotent
    assert RetentionRun.objects.count() == 2


def test_a_purged_attachment_is_listed_but_no_longer_offered(agent_client, received):
    message = received()
    attachment = InboundAttachment.objects.create(
        message=message, filename="plan.pdf", content_type="application/pdf", size=3
    )
    page = html.unescape(
        agent_client.get(reverse("messaging:detail", args=[message.pk])).content.decode()
    )
    assert "plan.pdf" in page and "Contenu supprimé" in page
    path = reverse("messaging:attachment", args=[message.pk, attachment.pk])
    assert path not in page
    assert agent_client.get(path).status_code == 404


# --- an erased customer's old address ------------------------------------------------------


def test_a_mail_from_an_erased_customers_old_address_is_never_filed_on_the_record(
    correspondence, lucie, dpo, received
):
    message, answer, _pending = correspondence
    customer_erase(customer=lucie, user=dpo.user, reason="Courrier du 3 mars")
    touchpoints = Touchpoint.objects.filter(customer=lucie).count()
    erased_request = Request.objects.get(pk=message.request_id)

    # her old address, the same words
    plain = inbound_file(
        message=received(sender_address="lucie.ferrand@exemple.fr", status=InboundStatus.RECEIVED)
    )
    # a reply to our answer (In-Reply-To names it)
    reply = inbound_file(
        message=received(
            sender_address="lucie.ferrand@exemple.fr",
            in_reply_to=answer.message_id,
            references=f"{message.message_id} {answer.message_id}",
            subject="Re: Amende contestée",
            status=InboundStatus.RECEIVED,
        )
    )
    # and the request's reference in the subject
    referenced = inbound_file(
        message=received(
            sender_address="lucie.ferrand@exemple.fr",
            subject=f"Toujours rien [{erased_request.reference}]",
            status=InboundStatus.RECEIVED,
        )
    )

    for later in (plain, reply, referenced):
        assert later.status == InboundStatus.UNIDENTIFIED
        assert later.customer_id is None and later.request_id is None
    assert Touchpoint.objects.filter(customer=lucie).count() == touchpoints
    # nor by hand: the erased record cannot be chosen
    with pytest.raises(DomainError) as refused:
        message_attach(message=plain, customer=lucie, by=dpo)
    assert refused.value.code == "erased"
    plain.refresh_from_db()
    assert plain.status == InboundStatus.UNIDENTIFIED
