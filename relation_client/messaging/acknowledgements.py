"""The acknowledgement of a request opened by what a person sent: its reference and the
moment we answer by, in the person's language, queued in the outbox in the caller's
transaction. The reference sits in the subject, so that a reply threads back to the request
even when the mail client drops the headers (threads.py)."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relation_client.customers.models import Customer
from relation_client.messaging.models import (
    Mailbox,
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
)
from relation_client.messaging.outbox import message_queue
from relation_client.messaging.threads import subject_with_reference
from relation_client.touchpoints.models import Request
from socle.dates import date_text

LANGUAGES = ("fr", "en")


def language_or_default(language: str | None) -> str:
    """fr or en: the languages an acknowledgement is written in (French otherwise)."""
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGES else "fr"


def deadline_words(moment: datetime.datetime, language: str) -> str:
    """A deadline as a person says it, in Paris time: "mardi 8 décembre à 17 h 30",
    "Tuesday 8 December at 5:30 pm"; the year only when it is not this year's."""
    local = timezone.localtime(moment)
    language = language_or_default(language)
    this_year = local.year == timezone.localtime().year
    with translation.override(language):
        # "mardi 1er décembre", "Tuesday 1 December"
        day = date_text(local, "l j F" if this_year else "l j F Y")
    if language == "en":
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        return f"{day} at {hour}{minutes} {'am' if local.hour < 12 else 'pm'}"
    minutes = f" {local.minute:02d}" if local.minute else ""
    return f"{day} à {local.hour} h{minutes}"


def reply_address(request: Request) -> str:
    """Where a reply should go: the request's agency's own mailbox, else the network's
    ("" leaves DEFAULT_FROM_EMAIL); both are read, and a reply threads by its headers."""
    mailboxes = Mailbox.objects.filter(active=True).select_related("agency")
    mailbox = (
        mailboxes.filter(agency_id=request.agency_id, network=False).order_by("name").first()
        or mailboxes.filter(network=True).order_by("name").first()
    )
    return mailbox.address if mailbox is not None else ""


def acknowledgement_queue(
    *,
    request: Request,
    to_address: str,
    name: str,
    language: str,
    customer: Customer | None = None,
    touchpoint=None,
) -> OutboundMessage:
    """Queue the e-mail telling `to_address` that `request` is received: greeted by the
    customer's salutation (else `name`, as they wrote it), with the reference and the
    deadline. Never the text they sent: a form can be filled in with someone else's
    address, and we must not carry a stranger's words to them."""
    language = language_or_default(language)
    with translation.override(language):
        greeting_name = customer.salutation if customer is not None else name.strip()
        greeting = _("Bonjour %(name)s,") % {"name": greeting_name} if greeting_name else ""
        deadline = deadline_words(request.deadline, language)
        lines = [
            greeting or _("Bonjour,"),
            "",
            _(
                "Nous avons bien reçu votre message. Il est enregistré sous la référence "
                "%(reference)s."
            )
            % {"reference": request.reference},
            _("Nous vous répondrons au plus tard le %(deadline)s.") % {"deadline": deadline},
            "",
            _(
                "Pour compléter votre demande, répondez simplement à ce message en gardant la "
                "référence %(reference)s dans l'objet."
            )
            % {"reference": request.reference},
            "",
            _("Le service Relation Client"),
        ]
        subject = subject_with_reference(_("Nous avons bien reçu votre message"), request.pk)
    return message_queue(
        channel=OutboundChannel.EMAIL,
        purpose=OutboundPurpose.ACKNOWLEDGEMENT,
        to_address=to_address,
        from_address=reply_address(request),
        subject=subject,
        body_text="\n".join(lines) + "\n",
        language=language,
        customer=customer,
        request=request,
        touchpoint=touchpoint,
    )
