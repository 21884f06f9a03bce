"""Answering a request by e-mail from the tool.

One send does three things in one transaction: the outbound e-mail touchpoint on the
customer's timeline and the request marked answered (both through request_answer: one
"answered" mechanism), and the mail written to the outbox, threaded on the customer's
latest mail (In-Reply-To, References) and carrying the request's reference in its subject.
A worker sends it after the commit; once given up, the agent who wrote it is alerted
(`answer_failed`, registered in outbox.FAILURE_RECEIVERS by the app's ready()) and the
request page offers to try again.

The customer is greeted as they like to be addressed and the agent signs with their name
and agency: the customer has a person, not a department.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import Civility, ContactKind, ContactPoint, Customer
from relation_client.messaging import outbox
from relation_client.messaging.models import (
    InboundMessage,
    Mailbox,
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
)
from relation_client.messaging.threads import ids_in, subject_with_reference
from relation_client.touchpoints.models import AlertKind, Channel, Request, RequestStatus
from relation_client.touchpoints.services.alerts import alert_raise, escalation_recipient
from relation_client.touchpoints.services.requests import (
    request_answer_logged,
    request_ensure_workable,
)
from socle.errors import DomainError

# the languages a letter is written in (greeting, signature); any other: French
LETTER_LANGUAGES = ("fr", "en")
_LETTER = {
    "fr": {
        "greeting": "Bonjour {name},",
        "closing": "Bien cordialement,",
        "civility": {Civility.MADAME: "Madame", Civility.MONSIEUR: "Monsieur"},
        "nobody": "Madame, Monsieur",
    },
    "en": {
        "greeting": "Dear {name},",
        "closing": "Kind regards,",
        "civility": {Civility.MADAME: "Ms", Civility.MONSIEUR: "Mr"},
        "nobody": "Sir or Madam",
    },
}
# "Re:", "RE :", "Réf :", "AW:", "SV:": a subject that already answers something
_REPLY_PREFIX = re.compile(r"^\s*(re|ré|réf|aw|sv)\s*:", re.IGNORECASE)
SUBJECT_ROOM = 250  # the subject before its reference: the whole fits in the 300 of the row
REFERENCES_KEPT = 20  # RFC 5322 advises trimming a long References: the first and the last


def letter_language(language: str | None) -> str:
    return language if language in LETTER_LANGUAGES else "fr"


def salutation_for(customer: Customer | None, language: str = "fr") -> str:
    """How the letter names the person: the name they chose (Customer.salutation's
    preferred name), else their civility written out and their last name ("Madame
    Maréchal"), else their full name."""
    letter = _LETTER[letter_language(language)]
    if customer is None:
        return letter["nobody"]
    if customer.preferred_name:
        return customer.salutation
    civility = letter["civility"].get(customer.civility)
    return f"{civility} {customer.last_name}" if civility else customer.full_name


def greeting(customer: Customer | None, language: str = "fr") -> str:
    letter = _LETTER[letter_language(language)]
    return letter["greeting"].format(name=salutation_for(customer, language))


def signature(agent: Agent, language: str = "fr") -> str:
    """The agent's name and agency: a person answers, not a department."""
    language = letter_language(language)
    agency = agent.agency.name
    if language == "fr" and not agency.casefold().startswith("agence"):
        agency = f"Agence {agency}"
    return f"{_LETTER[language]['closing']}\n\n{agent.display_name}\n{agency}"


def letter(*, customer: Customer | None, agent: Agent, language: str, text: str = "") -> str:
    """Greeting, the text (an empty line to write in when there is none), signature."""
    middle = f"\n\n{text.strip()}\n\n" if text.strip() else "\n\n\n\n"
    return f"{greeting(customer, language)}{middle}{signature(agent, language)}"


def answer_draft(*, request: Request, by: Agent) -> str:
    """What the answer form holds before the agent writes: greeting and signature, in
    the customer's language."""
    customer = request.customer
    language = customer.preferred_language if customer else "fr"
    return letter(customer=customer, agent=by, language=language)


# --- whom, from where, about what ------------------------------------------------------


def latest_inbound(request: Request) -> InboundMessage | None:
    """The customer's latest mail (or contact form) filed on the request."""
    return (
        InboundMessage.objects.filter(request=request)
        .order_by("-received_at", "-id")
        .only("message_id", "references", "in_reply_to", "sender_address", "subject", "line")
        .first()
    )


_UNREAD = object()  # the latest mail, not looked up yet


def answer_addresses(request: Request, inbound=_UNREAD) -> list[str]:
    """The addresses the answer may go to, the default first: the sender of the latest
    mail on the request (`inbound`, when the caller already read it), then the customer's
    e-mail contact points in their order."""
    if inbound is _UNREAD:
        inbound = latest_inbound(request)
    found = [inbound.sender_address] if inbound is not None and inbound.sender_address else []
    if request.customer_id:
        found.extend(
            ContactPoint.objects.filter(
                customer_id=request.customer_id, kind=ContactKind.EMAIL
            ).values_list("value", flat=True)
        )
    # the latest sender usually is a contact point too: each address once, in order
    return list(dict.fromkeys(address.casefold() for address in found))


def answer_subject(request: Request, inbound: InboundMessage | None = None) -> str:
    """ "Re: <the customer's subject, or the request's> [RC-000042]"."""
    base = (inbound.subject if inbound is not None else "").strip()
    if not base:
        lines = request.subject.strip().splitlines()
        base = lines[0].strip() if lines else ""
    base = " ".join(base.split())[:SUBJECT_ROOM]
    if not _REPLY_PREFIX.match(base):
        base = f"Re: {base}".strip()
    return subject_with_reference(base, request.pk)


def _display_name(name: str) -> str:
    """A display name as an address header takes it (quoted when it holds specials)."""
    if re.search(r'[()<>@,;:\\".\[\]]', name):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


def answer_sender(agency: Agency) -> str:
    """From: the agency's own mailbox, else the network's, else DEFAULT_FROM_EMAIL's
    address; the agency's name as display name."""
    mailboxes = Mailbox.objects.filter(active=True).order_by("pk")
    mailbox = (
        mailboxes.filter(agency=agency, network=False).first()
        or mailboxes.filter(network=True).first()
    )
    address = mailbox.address if mailbox else parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"{_display_name(agency.name)} <{address}>"


def thread_headers(inbound: InboundMessage | None) -> tuple[str, str]:
    """(In-Reply-To, References) answering the customer's mail (RFC 5322 § 3.6.4): its
    Message-ID, after its own References (or its In-Reply-To when it has none)."""
    if inbound is None or not inbound.message_id:
        return "", ""
    parent = inbound.message_id.strip()
    ids = ids_in(inbound.references) or ids_in(inbound.in_reply_to)[:1]
    ids = [found for found in ids if found != parent] + [parent]
    if len(ids) > REFERENCES_KEPT:
        ids = ids[:1] + ids[-(REFERENCES_KEPT - 1) :]
    return parent, " ".join(ids)


# --- sending ---------------------------------------------------------------------------


def no_address() -> DomainError:
    return DomainError(
        "no_email",
        _(
            "Aucune adresse e-mail n'est connue pour ce client : répondez-lui par un "
            "autre canal, ou ajoutez son adresse à sa fiche."
        ),
        field="to_address",
    )


def answer_refusal(*, request: Request, by: Agent) -> DomainError | None:
    """Why this agent may not answer this request by e-mail now, or None: the rule of
    request_answer (their agency's request, or theirs), an open request, a living
    customer, an address to write to."""
    try:
        request_ensure_workable(request=request, by=by)
        if request.status == RequestStatus.CLOSED:
            raise DomainError(
                "closed",
                _("Cette demande est clôturée : rouvrez-la avant de répondre."),
                field="status",
            )
        if request.status == RequestStatus.ANSWERED:
            raise DomainError(
                "already_answered", _("Cette demande a déjà reçu une réponse."), field="status"
            )
        customer_ensure_writable(request.customer)
    except DomainError as error:
        return error
    return None


def answer_send(
    *, request: Request, by: Agent, to_address: str = "", subject: str = "", body: str
) -> OutboundMessage:
    """Answer the customer by e-mail: the e-mail touchpoint on the timeline, the request
    answered (its paused clock cleared), the mail queued — in one transaction. An empty
    `to_address` or `subject` takes the default (answer_addresses, answer_subject)."""
    refusal = answer_refusal(request=request, by=by)
    if refusal is not None:
        raise refusal
    if not body.strip():
        raise DomainError("required", _("Écrivez la réponse avant de l'envoyer."), field="body")
    inbound = latest_inbound(request)
    addresses = answer_addresses(request, inbound)
    if not addresses:
        raise no_address()
    to_address = (to_address or addresses[0]).strip().casefold()
    if to_address not in addresses:
        raise DomainError(
            "unknown_address",
            _("Cette adresse n'est pas celle du client : choisissez-en une de sa fiche."),
            field="to_address",
        )
    # one line, whatever was posted: a header never carries a line break
    subject = " ".join(subject.split())[:SUBJECT_ROOM]
    subject = subject_with_reference(subject or answer_subject(request, inbound), request.pk)
    in_reply_to, references = thread_headers(inbound)
    body = body.strip() + "\n"
    summary = _("Réponse par e-mail à %(address)s : « %(subject)s »") % {
        "address": to_address,
        "subject": subject,
    }
    customer = request.customer
    with transaction.atomic():
        answered, touchpoint = request_answer_logged(
            request=request, by=by, note=f"{summary}\n\n{body}", channel=Channel.EMAIL
        )
        return outbox.message_queue(
            channel=OutboundChannel.EMAIL,
            purpose=OutboundPurpose.ANSWER,
            to_address=to_address,
            from_address=answer_sender(answered.agency),
            subject=subject,
            body_text=body,
            in_reply_to=in_reply_to,
            references=references,
            language=customer.preferred_language if customer else "fr",
            customer=customer,
            request=answered,
            touchpoint=touchpoint,
            agent=by,
        )


def answer_retry(*, message: OutboundMessage, by: Agent) -> OutboundMessage:
    """Send a given-up message again (from its request's page): the same rule as
    answering it, and never to a customer erased since."""
    if message.request_id is not None:
        request_ensure_workable(request=message.request, by=by)
    customer_ensure_writable(message.customer)
    return outbox.message_retry(message=message)


# --- a message given up ----------------------------------------------------------------


def answer_failed(message: OutboundMessage) -> None:
    """outbox.FAILURE_RECEIVERS: a mail about a request was given up. The agent who wrote
    it is alerted, else the request's assignee, else the agency's escalation; one alert
    per failure (a retry that fails again alerts again)."""
    if message.request_id is None:
        return
    request = Request.objects.select_related("customer", "assignee__user").get(
        pk=message.request_id
    )
    writer = message.agent if message.agent_id else None
    recipient = next(
        (
            person
            for person in (writer, request.assignee)
            if person is not None and person.user.is_active
        ),
        None,
    ) or escalation_recipient(agency_id=request.agency_id)
    alert_raise(
        kind=AlertKind.SEND_FAILED,
        recipient=recipient,
        agency_id=request.agency_id,
        customer=request.customer,
        request=request,
        cause=f"send_failed:message:{message.pk}:dispatch:{message.dispatch}",
        params={
            "address": message.to_address,
            "reference": request.reference,
            "error": message.last_error,
        },
    )
