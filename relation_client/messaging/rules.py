"""The sending rules of the outbox: consent read again at the moment of sending, the quiet
hours of commercial SMS, and the opt-out mention they end with.

- A campaign (consent "Offres et reconquête") or a survey invitation (consent "Enquêtes de
  satisfaction") leaves only if the customer's current decision for that channel is
  "given": withdrawn since the queueing, or never recorded, the message is cancelled. So
  does a rider's warning of a disruption (consent "Informations voyageurs
  (perturbations)", not the offers': information about one's journeys is not marketing).
  Answers and acknowledgements are not subject to consent.
- Commercial SMS (French rules, the operators' code of conduct): never before 8:00 or from
  20:00 Paris time, never on Sundays or public holidays (the `holidays` package, as the
  response deadlines). A message due then waits for the next allowed moment.
- Every commercial SMS ends with "STOP au <SMS_STOP_NUMBER>".
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from relation_client.customers.consents import consent_current
from relation_client.customers.models import ConsentPurpose, Customer
from relation_client.messaging.models import (
    MARKETING_PURPOSES,
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
)
from relation_client.touchpoints.deadlines import is_public_holiday

PARIS = ZoneInfo("Europe/Paris")
SMS_ALLOWED_FROM = datetime.time(8, 0)
SMS_ALLOWED_UNTIL = datetime.time(20, 0)  # excluded: 20:00 is already too late

# the consent each purpose needs (the channel is the message's); the others need none
CONSENT_NEEDED = {
    OutboundPurpose.CAMPAIGN: ConsentPurpose.MARKETING,
    OutboundPurpose.INVITATION: ConsentPurpose.SURVEYS,
    # warning a rider of a disruption: its own consent, apart from the offers' (a customer
    # may refuse offers and want warnings, docs/network.md); not a commercial SMS, so no
    # quiet hours
    OutboundPurpose.PROACTIVE: ConsentPurpose.TRAVEL_INFO,
}


def is_marketing_sms(*, channel: str, purpose: str) -> bool:
    return channel == OutboundChannel.SMS and purpose in MARKETING_PURPOSES


def _sms_day(day: datetime.date) -> bool:
    return day.isoweekday() != 7 and not is_public_holiday(day)


def marketing_sms_moment(moment: datetime.datetime) -> datetime.datetime:
    """`moment` itself when a commercial SMS may leave then, else the next moment it may:
    8:00 Paris time on the next day that is neither a Sunday nor a public holiday."""
    local = moment.astimezone(PARIS)
    day = local.date()
    if _sms_day(day):
        if SMS_ALLOWED_FROM <= local.time() < SMS_ALLOWED_UNTIL:
            return moment
        if local.time() < SMS_ALLOWED_FROM:
            return datetime.datetime.combine(day, SMS_ALLOWED_FROM, PARIS).astimezone(datetime.UTC)
    day += datetime.timedelta(days=1)
    while not _sms_day(day):  # a Sunday and a holiday or two: never more than a few days
        day += datetime.timedelta(days=1)
    # 8:00 is never in the hour the clocks skip or repeat (2:00–3:00 at night)
    return datetime.datetime.combine(day, SMS_ALLOWED_FROM, PARIS).astimezone(datetime.UTC)


def stop_mention() -> str:
    number = settings.SMS_STOP_NUMBER.strip()
    return f"STOP au {number}" if number else ""


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def stop_mention_add(body: str) -> str:
    """The body ending with "STOP au <number>", unless it already says it. Without a STOP
    number (only possible without a gateway: settings refuse the gateway without one) the
    body is left as it is."""
    mention = stop_mention()
    if not mention or _squeezed(mention) in _squeezed(body):
        return body
    return f"{body.rstrip()}\n{mention}"


def consent_refusal(message: OutboundMessage) -> str:
    """Why this message may not leave now (in French), or "" when it may: read at the
    moment of sending, the customer's latest decision for the message's channel."""
    purpose = CONSENT_NEEDED.get(message.purpose)
    if purpose is None:
        return ""
    label = ConsentPurpose(purpose).label
    channel = OutboundChannel(message.channel).label
    if message.customer_id is None:
        return _(
            "Annulé : aucun client rattaché, son consentement « %(purpose)s » est inconnu."
        ) % {"purpose": label}
    customer = Customer.objects.only("anonymised_at").get(pk=message.customer_id)
    if customer.anonymised_at is not None:
        return _("Annulé : la fiche du client a été effacée.")
    decision = consent_current(customer=customer).get((message.channel, purpose))
    if decision is None:
        return _("Annulé : aucun consentement « %(purpose)s » par %(channel)s enregistré.") % {
            "purpose": label,
            "channel": channel,
        }
    if not decision.given:
        moment = decision.recorded_at.astimezone(PARIS)
        return _(
            "Annulé : consentement « %(purpose)s » par %(channel)s retiré le %(date)s à %(time)s."
        ) % {
            "purpose": label,
            "channel": channel,
            "date": moment.strftime("%d/%m/%Y"),
            "time": moment.strftime("%H:%M"),
        }
    return ""
