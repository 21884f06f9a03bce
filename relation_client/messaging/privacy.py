"""What the channels hold about a customer, for the right of access and erasure
(registered in MessagingConfig.ready through relation_client.privacy.registry): the
messages they sent us and those we sent them.

Erasure keeps every row (counts, deadlines and the identification rate stay the same) and
blanks what was written: texts, the HTML, the raw message, the attachments' content and
names, the addresses. A message still to send to an erased person is cancelled."""

from django.utils.translation import gettext_lazy as _

from relation_client.messaging.models import (
    InboundAttachment,
    InboundMessage,
    OutboundMessage,
    OutboundStatus,
)
from relation_client.privacy.registry import Column, column

ERASED = "[effacé]"

INBOUND_COLUMNS = [
    column(InboundMessage, "received_at"),
    column(InboundMessage, "source"),
    column(InboundMessage, "sender_name"),
    column(InboundMessage, "sender_address"),
    column(InboundMessage, "sender_phone"),
    column(InboundMessage, "to_address"),
    column(InboundMessage, "sent_at"),
    column(InboundMessage, "subject"),
    column(InboundMessage, "body_text"),
    column(InboundMessage, "line"),
    column(InboundMessage, "stop"),
    column(InboundMessage, "status"),
    column(InboundMessage, "flags"),
    Column("attachments", _("pièces jointes")),
    Column("request", _("demande")),
]
OUTBOUND_COLUMNS = [
    column(OutboundMessage, "created_at"),
    column(OutboundMessage, "channel"),
    column(OutboundMessage, "purpose"),
    column(OutboundMessage, "to_address"),
    column(OutboundMessage, "subject"),
    column(OutboundMessage, "body_text"),
    column(OutboundMessage, "status"),
    column(OutboundMessage, "sent_at"),
    Column("request", _("demande")),
]


def _iso(value):
    return value.isoformat() if value else None


def inbound_export(customer) -> list[dict]:
    """The messages received from the customer, oldest first, with their attachments'
    names, types and sizes (the content is handed over on request, not in the document)."""
    received = (
        InboundMessage.objects.filter(customer=customer)
        .select_related("request")
        .prefetch_related("attachments")
        .defer("raw", "body_html")
        .order_by("received_at", "id")
    )
    return [
        {
            "received_at": _iso(m.received_at),
            "source": m.source,
            "sender_name": m.sender_name,
            "sender_address": m.sender_address,
            "sender_phone": m.sender_phone,
            "to_address": m.to_address,
            "sent_at": _iso(m.sent_at),
            "subject": m.subject,
            "body_text": m.body_text,
            "line": m.line,
            "stop": m.stop,
            "status": m.status,
            "flags": list(m.flags),
            "attachments": [
                f"{a.filename} ({a.content_type}, {a.size} o)" for a in m.attachments.all()
            ],
            "request": m.request.reference if m.request_id else None,
        }
        for m in received
    ]


def outbound_export(customer) -> list[dict]:
    """The messages sent to the customer (answers, acknowledgements, campaigns,
    invitations), oldest first."""
    sent = (
        OutboundMessage.objects.filter(customer=customer)
        .select_related("request")
        .order_by("created_at", "id")
    )
    return [
        {
            "created_at": _iso(m.created_at),
            "channel": m.channel,
            "purpose": m.purpose,
            "to_address": m.to_address,
            "subject": m.subject,
            "body_text": m.body_text,
            "status": m.status,
            "sent_at": _iso(m.sent_at),
            "request": m.request.reference if m.request_id else None,
        }
        for m in sent
    ]


def register_privacy(register_exporter) -> None:
    section = _("Messages")
    register_exporter(
        "messages reçus",
        inbound_export,
        title=_("Messages reçus"),
        columns=INBOUND_COLUMNS,
        section=section,
    )
    register_exporter(
        "messages envoyés",
        outbound_export,
        title=_("Messages envoyés"),
        columns=OUTBOUND_COLUMNS,
        section=section,
    )


def messaging_erase(customer_ids: list[int]) -> None:
    """Blank the content of the customers' messages, keep the rows. The Message-IDs stay:
    a copy of a message fetched again is still recognised (and stored once), and a later
    reply that names it finds the erased request, which files nothing on the record
    (inbound_file files on a request only for a sender whose address the record holds;
    erasure removed the record's addresses)."""
    ids = list(customer_ids)
    received = InboundMessage.objects.filter(customer_id__in=ids)
    InboundAttachment.objects.filter(message__in=received.values("pk")).update(
        content=None, filename=ERASED
    )
    received.update(
        sender_address="",
        sender_name="",
        sender_phone="",
        subject=ERASED,
        body_text="",
        reply_text="",
        body_html="",
        raw=None,
        headers={},
        error="",
        stop="",
    )
    # nothing more leaves for an erased person
    OutboundMessage.objects.filter(customer_id__in=ids, status=OutboundStatus.PENDING).update(
        status=OutboundStatus.CANCELLED, last_error=ERASED
    )
    OutboundMessage.objects.filter(customer_id__in=ids).update(
        to_address="", subject=ERASED, body_text=ERASED, headers={}
    )
