"""Filing a stored message: what it becomes on the customer's timeline.

The one path for everything that arrives by itself (a mailbox, the contact form): an
automatic mail is set aside; a reply joins its request (our Message-IDs and the customer's
earlier ones, then the subject's reference as a fallback) and reopens it when answered;
otherwise a known sender's message opens a request with its channel's deadline on their
agency, assigned to their usual contact; an unknown sender's mail waits in the unidentified
contacts until an agent attaches it to a customer or creates one.

The contact form never waits: its visitor was promised an answer by a deadline. Matched to
exactly one customer by e-mail or phone it opens a request on them; unknown or ambiguous,
it opens a request without a customer, the e-mail and phone given kept as the contact
left, on the agency of the network's mailbox (else the first agency by name), where it
shows in the queue and in the exchanges with nobody named until someone attaches it. A
mail answering such a request joins it only from the address the visitor gave.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from relation_client.customers.models import ContactKind, ContactPoint, Customer
from relation_client.customers.normalize import phone_display, phone_try_normalize
from relation_client.messaging.models import (
    InboundFlag,
    InboundMessage,
    InboundSource,
    InboundStatus,
    Mailbox,
    OutboundMessage,
)
from relation_client.messaging.threads import ids_in, reference_in
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Channel,
    Direction,
    Reason,
    Request,
    Touchpoint,
)
from relation_client.touchpoints.services.requests import request_reopen
from relation_client.touchpoints.services.touchpoints import touchpoint_log
from socle.errors import DomainError

# the reason of a mail nobody classified yet: it opens a request (an agent re-labels it)
MAIL_REASON = "other"
SUMMARY_LIMIT = 4000
CONTACT_LEFT_LIMIT = Touchpoint._meta.get_field("contact_left").max_length


def automatic_reason(message: InboundMessage) -> str:
    """Why this message must open nothing ("" for a person's message): RFC 3834's
    Auto-Submitted, bulk and list mail, delivery reports and auto-replies, our own mail."""
    headers = {name.lower(): str(value).lower() for name, value in message.headers.items()}
    if InboundFlag.LOOP in message.flags or "x-relation-client" in headers:
        return "loop"
    if headers.get("auto-submitted", "no") not in ("", "no"):
        return "auto-submitted"
    if headers.get("precedence", "") in ("bulk", "list", "junk", "auto_reply"):
        return "precedence"
    if "list-id" in headers or "list-unsubscribe" in headers:
        return "mailing-list"
    if any(
        name in headers for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress")
    ):
        return "auto-reply"
    if "report-type=delivery-status" in headers.get("content-type", ""):
        return "bounce"
    sender = message.sender_address
    if sender.startswith(("mailer-daemon@", "postmaster@")) or sender == "":
        return "bounce" if message.source != InboundSource.WEB_FORM else ""
    return ""


def _thread(message: InboundMessage) -> Request | None:
    """The request this message answers, by its headers, else by its subject's reference."""
    ids = ids_in(message.in_reply_to) + ids_in(message.references)
    if ids:
        ours = (
            OutboundMessage.objects.filter(message_id__in=ids, request__isnull=False)
            .order_by("-created_at")
            .values_list("request_id", flat=True)
            .first()
        )
        theirs = (
            InboundMessage.objects.filter(message_id__in=ids, request__isnull=False)
            .exclude(pk=message.pk)
            .order_by("-received_at")
            .values_list("request_id", flat=True)
            .first()
        )
        found = ours or theirs
        if found:
            return Request.objects.select_related("customer").get(pk=found)
    reference = reference_in(message.subject)
    if reference:
        return Request.objects.select_related("customer").filter(pk=reference).first()
    return None


def _senders(message: InboundMessage) -> list[Customer]:
    """The living customers with this address (case-folded) or, from the form, phone."""
    condition = Q()
    if message.sender_address:
        condition |= Q(kind=ContactKind.EMAIL, value=message.sender_address.casefold())
    phone = phone_try_normalize(message.sender_phone) if message.sender_phone else None
    if phone:
        condition |= Q(kind=ContactKind.PHONE, value=phone)
    if not condition:
        return []
    ids = ContactPoint.objects.filter(condition).values("customer_id")
    return list(
        Customer.objects.filter(pk__in=ids)
        .select_related("home_agency", "usual_contact", "segment")
        .order_by("pk")
    )


def network_agency() -> Agency:
    """Where what belongs to no agency goes: the agency of the network's mailbox, else the
    first agency by name."""
    mailbox = (
        Mailbox.objects.filter(network=True, active=True)
        .select_related("agency")
        .order_by("name")
        .first()
    )
    if mailbox is not None:
        return mailbox.agency
    agency = Agency.objects.order_by("name").first()
    if agency is None:
        raise DomainError("no_agency", _("Aucune agence ne peut recevoir ce message."))
    return agency


def _agency_for(
    message: InboundMessage, customer: Customer | None, by: Agent | None, request: Request | None
) -> Agency:
    mailbox = message.mailbox
    if mailbox is not None and not mailbox.network:
        return mailbox.agency
    if customer is not None and customer.home_agency_id:
        return customer.home_agency
    if customer is None and request is not None:
        # a visitor without a record answering their request: where that request is
        return request.agency
    if mailbox is not None:
        return mailbox.agency
    if customer is not None and customer.usual_contact_id:
        return customer.usual_contact.agency
    return by.agency if by is not None else network_agency()


def _visitor_wrote(request: Request, message: InboundMessage) -> bool:
    """A request without a customer takes a mail only from an address already filed on
    it (the one the visitor gave on the form): a reference in a stranger's subject, or a
    forwarded mail, never joins it."""
    return bool(message.sender_address) and (
        InboundMessage.objects.filter(request=request, sender_address=message.sender_address)
        .exclude(pk=message.pk)
        .exists()
    )


def _contact_left(message: InboundMessage) -> str:
    """The e-mail and phone a visitor without a record gave, to be answered on."""
    phone = phone_try_normalize(message.sender_phone) if message.sender_phone else None
    parts = [message.sender_address, phone_display(phone) if phone else message.sender_phone]
    return " · ".join(part for part in parts if part)[:CONTACT_LEFT_LIMIT]


def _web_form_heading(message: InboundMessage) -> str:
    # stored text, read by staff: written in the staff's language, whatever the visitor's
    where = [
        f"ligne {message.line.strip()}" if message.line.strip() else "",
        f"arrêt {message.stop.strip()}" if message.stop.strip() else "",
    ]
    place = ", ".join(part for part in where if part)
    name = message.sender_name.strip()
    return " — ".join(part for part in (name, place) if part)


def _summary(message: InboundMessage) -> str:
    text = (message.reply_text or message.body_text).strip()
    heading = (
        _web_form_heading(message)
        if message.source == InboundSource.WEB_FORM
        else message.subject.strip()
    )
    parts = [part for part in (heading, text) if part]
    return "\n\n".join(parts)[:SUMMARY_LIMIT] or "(message vide)"


def inbound_file(
    *, message: InboundMessage, customer: Customer | None = None, by: Agent | None = None
) -> InboundMessage:
    """File a stored message (in the caller's transaction). `customer` and `by` when an
    agent attaches an unidentified message; otherwise the sender is matched."""
    if message.status not in (InboundStatus.RECEIVED, InboundStatus.UNIDENTIFIED):
        return message
    with transaction.atomic():
        reason_code = automatic_reason(message) if customer is None else ""
        if reason_code:
            message.status = InboundStatus.AUTOMATIC
            message.automatic_reason = reason_code
            message.save(update_fields=["status", "automatic_reason"])
            return message
        web_form = message.source == InboundSource.WEB_FORM
        # the form carries no headers, and its subject is nobody's: it always opens a request
        request = None if web_form else _thread(message)
        if customer is None:
            candidates = _senders(message)
            if request is not None and request.customer_id:
                # a reference in a subject never files a stranger's mail on a request
                if request.customer_id in {candidate.pk for candidate in candidates}:
                    customer = request.customer
                else:
                    request = None
            elif request is not None and not _visitor_wrote(request, message):
                request = None
            # a visitor without a record answering their request stays without one
            visitor_thread = request is not None and request.customer_id is None
            if customer is None and not visitor_thread:
                living = [candidate for candidate in candidates if candidate.anonymised_at is None]
                if len(candidates) > len(living) and InboundFlag.ERASED_SENDER not in message.flags:
                    message.flags = [*message.flags, InboundFlag.ERASED_SENDER]
                if len(living) == 1:
                    customer = living[0]
                elif not web_form:
                    # unknown, or an address several customers share: a person decides
                    message.status = InboundStatus.UNIDENTIFIED
                    message.save(update_fields=["status", "flags"])
                    return message
                # the form's visitor, unknown or ambiguous: a request without a customer
        elif request is not None and request.customer_id != customer.pk:
            request = None
        if request is not None and request.status not in OPEN_STATUSES:
            request = request_reopen(request=request, by=None)
        channel = Channel.WEB_FORM if web_form else Channel.EMAIL
        reason = message.reason or Reason.objects.get(code=MAIL_REASON)
        touchpoint = touchpoint_log(
            agent=by,
            agency=_agency_for(message, customer, by, request),
            channel=channel,
            reason=reason,
            summary=_summary(message),
            customer=customer,
            direction=Direction.INBOUND,
            occurred_at=message.received_at,
            request=request,
            open_request=True if request is None else None,
            contact_left=_contact_left(message) if customer is None else "",
            # the form's « Ligne concernée », as the touchpoint form's « Ligne citée »: the
            # network records the mention and links a complaint to the line's disruption
            extra={"network_line": message.network_line} if message.network_line_id else None,
        )
        message.customer = customer
        message.touchpoint = touchpoint
        message.request_id = touchpoint.request_id
        message.status = InboundStatus.FILED
        message.filed_at = timezone.now()
        message.filed_by = by
        message.save(
            update_fields=[
                "customer",
                "touchpoint",
                "request",
                "status",
                "filed_at",
                "filed_by",
                "flags",
            ]
        )
    return message
