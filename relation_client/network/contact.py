"""Warning the riders of a disruption, before they ask.

Every rider of the disrupted lines is drawn once into the contacted group or the held-out
one: NETWORK_HELD_OUT_PERCENT of them, at random (a hash of the disruption and the
customer, so that warning twice draws the same), are never contacted — the comparison
group that measures whether warning brings riders back (the reconquest satellite reads
the split). The draw is recorded per rider (DisruptionContact), whatever happens next.

A contacted rider gets one message through the outbox, by e-mail if they consent to it
and have an address, else by SMS likewise: in their language, greeting them by name, with
the alternative route the staff wrote. The consent is « Informations voyageurs
(perturbations) », not the offers' one; the outbox checks it again at the moment of
sending (messaging.rules). An e-mail ends with the unsubscribe link, which withdraws that
consent only, and carries the List-Unsubscribe headers. A priority rider (reduced mobility, seniors, school pupils)
who can be written to by neither goes on the disruption's call list; another is recorded
with no channel.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.greetings import customer_greeting, written_language
from relation_client.messaging.models import OutboundChannel, OutboundPurpose
from relation_client.messaging.outbox_bulk import messages_queue_bulk
from relation_client.messaging.unsubscribe import UnsubscribeLinks, unsubscribe_headers
from relation_client.network.models import (
    ContactChannel,
    ContactGroup,
    Disruption,
    DisruptionContact,
)
from relation_client.network.riders import (
    CONTACT_CONSENT,
    Rider,
    disruption_riders,
    riders_detail,
)
from socle.errors import DomainError

BATCH = 500


@dataclass
class ContactReport:
    contacted: int = 0
    held_out: int = 0
    emails: int = 0
    sms: int = 0
    calls: int = 0
    unreachable: int = 0
    already: int = 0


def held_out(*, disruption_id: int, customer_id: int, percent: int) -> bool:
    digest = hashlib.sha256(f"disruption:{disruption_id}:{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


def _lines_text(disruption: Disruption) -> str:
    return ", ".join(line.short_name for line in disruption.lines.all())


def proactive_message(
    *, disruption: Disruption, rider: Rider, unsubscribe: str = ""
) -> tuple[str, str]:
    """(subject, body) in the rider's language, greeting them by name; an e-mail's body
    ends with its `unsubscribe` link."""
    with translation.override(written_language(rider.customer.preferred_language)):
        lines = _lines_text(disruption)
        subject = _("Perturbation sur votre ligne %(lines)s") % {"lines": lines}
        parts = [
            customer_greeting(rider.customer),
            _(
                "vous empruntez la ligne %(lines)s : elle est perturbée. Nous préférons vous "
                "prévenir avant votre trajet."
            )
            % {"lines": lines},
            disruption.header,
        ]
        if disruption.alternative_route:
            parts.append(
                _("Pour votre trajet : %(route)s") % {"route": disruption.alternative_route}
            )
        parts.append(_("Votre service relation client"))
        if unsubscribe:
            parts.append(
                _("Pour ne plus recevoir ces alertes de perturbation : %(url)s")
                % {"url": unsubscribe}
            )
    return subject, "\n\n".join(parts)


def _origin(disruption: Disruption, rider: Rider) -> str:
    return f"disruption:{disruption.pk}:{rider.customer.pk}"


def disruption_riders_warn(*, disruption: Disruption, by: Agent) -> ContactReport:
    """Draw and warn every rider not drawn yet (warning again reaches only new riders)."""
    if not disruption.alternative_route.strip():
        raise DomainError(
            "alternative_route_missing",
            _("Écrivez d'abord l'itinéraire de substitution : c'est ce que le message dit."),
            field="alternative_route",
        )
    percent = settings.NETWORK_HELD_OUT_PERCENT
    report = ContactReport()
    with transaction.atomic():
        # one warning at a time per disruption: two staff pressing at once draw once
        Disruption.objects.select_for_update().get(pk=disruption.pk)
        drawn = set(disruption.contacts.values_list("customer_id", flat=True))
        report.already = len(drawn)
        customers = disruption_riders(disruption=disruption).exclude(pk__in=drawn)
        batch = []
        for customer in customers.iterator(chunk_size=BATCH):
            batch.append(customer)
            if len(batch) == BATCH:
                _warn_batch(disruption, batch, percent, report)
                batch = []
        _warn_batch(disruption, batch, percent, report)
    return report


def _warn_batch(disruption, customers, percent, report: ContactReport) -> None:
    if not customers:
        return
    links = UnsubscribeLinks()
    contacts, messages = [], []
    for rider in riders_detail(disruption=disruption, customers=customers):
        contact = DisruptionContact(
            disruption=disruption, customer=rider.customer, priority=rider.priority
        )
        contacts.append(contact)
        if held_out(disruption_id=disruption.pk, customer_id=rider.customer.pk, percent=percent):
            contact.group = ContactGroup.HELD_OUT
            report.held_out += 1
            continue
        contact.group = ContactGroup.CONTACTED
        report.contacted += 1
        if rider.email and rider.email_consent:
            channel, address = OutboundChannel.EMAIL, rider.email
            report.emails += 1
        elif rider.phone and rider.sms_consent:
            channel, address = OutboundChannel.SMS, rider.phone
            report.sms += 1
        elif rider.priority:
            contact.channel = ContactChannel.CALL
            report.calls += 1
            continue
        else:
            contact.channel = ContactChannel.NONE
            report.unreachable += 1
            continue
        link = ""
        if channel == OutboundChannel.EMAIL:
            link = links.url(
                customer_id=rider.customer.pk, channel=channel, purpose=CONTACT_CONSENT
            )
        subject, body = proactive_message(disruption=disruption, rider=rider, unsubscribe=link)
        contact.channel = channel
        contact.origin = _origin(disruption, rider)
        row = {
            "channel": channel,
            "purpose": OutboundPurpose.PROACTIVE,
            "to_address": address,
            "subject": subject if channel == OutboundChannel.EMAIL else "",
            "body_text": body,
            "language": written_language(rider.customer.preferred_language),
            "customer_id": rider.customer.pk,
            "origin": contact.origin,
        }
        if link:
            row["headers"] = unsubscribe_headers(link)
        messages.append(row)
    DisruptionContact.objects.bulk_create(contacts)
    messages_queue_bulk(messages)
