"""A person decides what a waiting message becomes: filed for an existing customer, or the
first message of a new customer created from its sender, in one step. A message set aside
as automatic, or flagged unreadable, can be treated anyway the same way. Filing goes
through inbound_file, like every message that arrives (threading, the request opened or
joined, the touchpoint on the timeline)."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.customers.services.records import CustomerData, customer_create
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import InboundMessage, InboundStatus
from relation_client.messaging.selectors import ACTIONABLE_STATUSES
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from socle.errors import DomainError

# the words that start a French (or Dutch, German, Italian…) family name written in parts
PARTICLES = {"de", "du", "des", "d'", "le", "la", "les", "van", "von", "der", "di", "da", "del"}
# "Hélène Maréchal (via Google Forms)", "Hélène Maréchal via LinkedIn"
VIA = re.compile(r"\s*[(\[]?\b(?:via|par)\b.*$", re.IGNORECASE)


def _capitalised(word: str) -> str:
    """A name written in capitals, the usual way: MARÉCHAL → Maréchal, DUPONT-LEFÈVRE →
    Dupont-Lefèvre, D'ALEMBERT → D'Alembert; any other spelling is the sender's."""
    return word.title() if word.isupper() else word


def _is_family_name(word: str) -> bool:
    # "MARÉCHAL" in a "MARÉCHAL Hélène": the French habit of the family name in capitals
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and word.isupper()


def sender_name_split(name: str, address: str = "") -> tuple[str, str]:
    """The first and last name a sender's display name most likely holds, for the new
    customer's form (the agent corrects it): "Hélène Maréchal", "MARÉCHAL Hélène",
    "Maréchal, Hélène", "Anne-Sophie Le Goff"; without a name, "helene.marechal@…"."""
    text = " ".join(name.replace('"', " ").split()).strip(" '")
    text = VIA.sub("", text).strip()
    if "@" in text:
        text = ""  # a display name that is an address says nothing more
    if not text and address:
        local = address.split("@", 1)[0]
        parts = [part for part in re.split(r"[._+\-]+", local) if part.isalpha()]
        if len(parts) < 2:
            return "", ""
        text = " ".join(part.lower() for part in parts)
    if not text:
        return "", ""
    if text.islower():
        # "hélène maréchal": capitals where a name takes them, not on its particles
        text = " ".join(w if w in PARTICLES else w.title() for w in text.split())
    if "," in text:
        last, first = (part.strip() for part in text.split(",", 1))
        return _capitalised(first), " ".join(_capitalised(w) for w in last.split())
    # "Hélène D.": an initial is no family name to file a record under; the agent asks
    words = [w for w in text.split() if sum(ch.isalpha() for ch in w) > 1] or text.split()[:1]
    if len(words) == 1:
        word = words[0]
        return ("", _capitalised(word)) if _is_family_name(word) else (_capitalised(word), "")
    capitals = [w for w in words if _is_family_name(w)]
    if capitals and len(capitals) < len(words):
        first = [w for w in words if not _is_family_name(w)]
        return " ".join(_capitalised(w) for w in first), " ".join(_capitalised(w) for w in capitals)
    # the family name starts at its particle ("de La Fontaine", "Le Goff"), else it is the
    # last word ("Marie Claire Dubois": a compound first name written without its hyphen)
    start = next(
        (i for i, w in enumerate(words[1:], start=1) if w.lower() in PARTICLES),
        len(words) - 1,
    )
    first, last = words[:start], words[start:]
    return " ".join(_capitalised(w) for w in first), " ".join(_capitalised(w) for w in last)


def message_attach(*, message: InboundMessage, customer: Customer, by: Agent) -> InboundMessage:
    """File a waiting message for `customer` (its request opened or joined by
    inbound_file), by an agent; one audit row on the customer says who did it. Refused
    when someone filed it in the meantime (the row is re-read under lock) or when the
    record was erased."""
    with transaction.atomic():
        locked = (
            InboundMessage.objects.select_for_update(of=("self",))
            .defer("raw")
            .select_related("mailbox")
            .filter(pk=message.pk)
            .first()
        )
        if locked is None:
            raise DomainError("not_found", _("Message introuvable."), field="message")
        if locked.status not in ACTIONABLE_STATUSES:
            raise DomainError(
                "already_filed",
                _("Ce message a déjà été classé : il figure dans l'historique de son client."),
                field="message",
            )
        # read again under lock: an erasure running meanwhile is waited for, and seen
        erased_at = (
            Customer.objects.select_for_update()
            .filter(pk=customer.pk)
            .values_list("anonymised_at", flat=True)
            .first()
        )
        if erased_at is not None or customer.anonymised_at is not None:
            raise DomainError("erased", _("Cette fiche a été effacée."), field="customer")
        # set aside or unreadable: a person decided to treat it anyway
        locked.status = InboundStatus.UNIDENTIFIED
        filed = inbound_file(message=locked, customer=customer, by=by)
        audit_record(
            user=by.user,
            action=AuditAction.CHANGE,
            customer_ids=[customer.pk],
            channel="page",
            code="audit.message_attached",
            params={"pk": filed.pk, "date": f"{filed.received_at:%Y-%m-%d}"},
            changes={"inbound_messages": {"old": [], "new": [filed.pk]}},
        )
    return filed


def message_customer_create(
    *,
    message: InboundMessage,
    data: CustomerData,
    by: Agent,
    confirm_duplicate: bool = False,
) -> InboundMessage:
    """A new customer from a waiting message's sender, in one step: the record (raising
    DuplicateSuspected like any creation), then the message filed for them. All or
    nothing: a message filed by someone else meanwhile leaves no record behind."""
    with transaction.atomic():
        customer = customer_create(data=data, confirm_duplicate=confirm_duplicate)
        return message_attach(message=message, customer=customer, by=by)
