"""A stored message becomes a request on the right customer, a reply joins its request
and reopens it, an automatic mail opens nothing, an unknown sender waits for a person."""

import datetime

import pytest
from django.utils import timezone

from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import (
    InboundMessage,
    InboundStatus,
    Mailbox,
    OutboundPurpose,
)
from relation_client.messaging.outbox import message_queue
from relation_client.touchpoints.models import Request, RequestStatus
from tests.factories import CustomerFactory


@pytest.fixture
def mailbox(agency_lyon):
    return Mailbox.objects.create(
        name="Agence de Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon, kind="maildir"
    )


@pytest.fixture
def helene(agency_lyon, agent):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["Helene.Marechal@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


def _received(mailbox, **values) -> InboundMessage:
    defaults = {
        "source": "maildir",
        "mailbox": mailbox,
        "message_id": f"<{InboundMessage.objects.count() + 1}.voyageur@exemple.fr>",
        "sender_address": "helene.marechal@exemple.fr",
        "sender_name": "Hélène Maréchal",
        "subject": "Carte Técély bloquée",
        "body_text": "Bonjour, ma carte est refusée aux valideurs depuis lundi.",
        "received_at": timezone.now(),
    }
    return InboundMessage.objects.create(**{**defaults, **values})


def test_a_customers_mail_opens_a_request_for_their_usual_contact(db, mailbox, helene, agent):
    message = inbound_file(message=_received(mailbox))

    assert message.status == InboundStatus.FILED
    assert message.customer == helene
    request = message.request
    assert request.channel == "email" and request.status == RequestStatus.OPEN
    assert request.assignee == agent and request.agency == mailbox.agency
    assert request.deadline > message.received_at
    assert message.touchpoint.direction == "inbound"
    assert "refusée aux valideurs" in message.touchpoint.summary


def test_a_reply_to_our_answer_joins_and_reopens_the_request(db, mailbox, helene, agent):
    first = inbound_file(message=_received(mailbox))
    request = first.request
    answer = message_queue(
        channel="email",
        purpose=OutboundPurpose.ANSWER,
        to_address="helene.marechal@exemple.fr",
        body_text="Bonjour Madame Maréchal, votre carte est débloquée.",
        request=request,
    )
    Request.objects.filter(pk=request.pk).update(
        status=RequestStatus.ANSWERED, answered_at=timezone.now()
    )

    reply = inbound_file(
        message=_received(
            mailbox,
            subject="Re: Carte Técély bloquée",
            in_reply_to=answer.message_id,
            received_at=timezone.now() + datetime.timedelta(minutes=5),
        )
    )

    assert reply.request_id == request.pk
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert Request.objects.filter(customer=helene).count() == 1


def test_a_reference_in_a_strangers_subject_files_nothing_on_the_request(
    db, mailbox, helene, agency_lyon
):
    request = inbound_file(message=_received(mailbox)).request
    intruder = CustomerFactory(
        first_name="Aurélien", last_name="Brûlé", emails=["aurelien@exemple.fr"]
    )
    message = inbound_file(
        message=_received(
            mailbox, sender_address="aurelien@exemple.fr", subject=f"Re: [{request.reference}]"
        )
    )
    assert message.request != request and message.customer == intruder


def test_an_auto_reply_opens_nothing(db, mailbox, helene):
    message = inbound_file(
        message=_received(
            mailbox, subject="Absence du bureau", headers={"Auto-Submitted": "auto-replied"}
        )
    )
    assert message.status == InboundStatus.AUTOMATIC
    assert message.automatic_reason == "auto-submitted"
    assert not Request.objects.exists()


def test_an_unknown_sender_waits_then_is_attached_by_an_agent(db, mailbox, helene, agent):
    message = inbound_file(message=_received(mailbox, sender_address="inconnu@exemple.fr"))
    assert message.status == InboundStatus.UNIDENTIFIED and message.touchpoint is None

    filed = inbound_file(message=message, customer=helene, by=agent)

    assert filed.status == InboundStatus.FILED and filed.filed_by == agent
    assert filed.request.customer == helene
