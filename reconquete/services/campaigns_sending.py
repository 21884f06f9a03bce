"""What a campaign sends: at its launch, one personal e-mail and one SMS (for the channels
the campaign uses and the customer accepted) per contactable target, written to the
core's outbox in bulk, in the launch's transaction.

Each message greets the customer as they like to be addressed, in their language when
the campaign has its offer in it (French and English), gives the offer, is signed by
their agent (their usual contact when there is one), and ends with the unsubscribe link;
each e-mail carries the List-Unsubscribe headers of RFC 2369 and 8058. Nothing tracks
the customer: no pixel, no redirected link. The outbox checks consent and quiet hours
again at the moment of sending (purpose and customer are on every row for that).
"""

import datetime
from dataclasses import dataclass
from email.headerregistry import Address

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reconquete.models import (
    Campaign,
    OfferType,
    campaign_origins,
    target_origin,
)
from relation_client.customers.greetings import customer_greeting, written_language
from relation_client.customers.models import (
    ConsentChannel,
    ConsentPurpose,
    ContactKind,
    ContactPoint,
    Customer,
)
from relation_client.messaging.models import (
    Mailbox,
    OutboundChannel,
    OutboundPurpose,
)
from relation_client.messaging.outbox_bulk import messages_cancel, messages_queue_bulk
from relation_client.messaging.unsubscribe import UnsubscribeLinks, unsubscribe_headers

# the campaign channels the product sends itself; phone calls are the agents', post and
# the app are not sent from here
SENT_CHANNELS = {
    ConsentChannel.EMAIL: OutboundChannel.EMAIL,
    ConsentChannel.SMS: OutboundChannel.SMS,
}
FETCH = 2000

TEMPLATES = {
    "email": "reconquete/email/campaign.txt",
    "sms": "reconquete/email/campaign_sms.txt",
}


def _subject(offer_type: str) -> str:
    return {
        OfferType.FREE_MONTH: _("Un mois offert pour reprendre nos lignes"),
        OfferType.DISCOUNT: _("Une réduction pour reprendre nos lignes"),
        OfferType.ADVICE: _("Des conseils pour vos trajets"),
        OfferType.TRIAL: _("Un essai gratuit pour reprendre nos lignes"),
    }.get(offer_type, _("Une offre pour vous"))


def _first_point(kind: str, *order) -> Subquery:
    points = ContactPoint.objects.filter(customer=OuterRef("customer_id"), kind=kind)
    return Subquery(points.order_by(*order, "id").values("value")[:1])


# an SMS goes to a mobile first (+336, +337 in France; abroad, whatever number we have)
_MOBILE_FIRST = Case(
    When(value__regex=r"^\+33[67]", then=Value(0)),
    When(value__startswith="+33", then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


def _senders() -> dict[int, str]:
    """The address each agency's customers are written from: its own mailbox, else the
    network's (replies come back there and are filed); none: the default sender."""
    senders: dict[int, str] = {}
    network = ""
    for agency_id, address, is_network in Mailbox.objects.filter(active=True).values_list(
        "agency_id", "address", "network"
    ):
        if is_network:
            network = network or address
        else:
            senders.setdefault(agency_id, address)
    senders[0] = network
    return senders


def _not_before(campaign: Campaign, at: datetime.datetime) -> datetime.datetime:
    """Now, or the campaign's first day when it is launched ahead of it."""
    start = timezone.make_aware(datetime.datetime.combine(campaign.starts_on, datetime.time()))
    return max(at, start)


@dataclass(frozen=True)
class Signatory:
    """Who signs a target's messages: their agent (with the agent's agency), else their
    agency; read with the targets, in the same statement."""

    agent_id: int | None
    agent_name: str
    agency: dict  # id, name, address, phone; empty when neither is known

    AGENCY = ("id", "name", "address", "phone")

    @classmethod
    def of(cls, target: dict) -> "Signatory":
        if target["agent_id"]:
            prefix = "agent__agency__"
            agent_id, agent_name = target["agent_id"], target["agent__display_name"]
        else:
            prefix, agent_id, agent_name = "customer__home_agency__", None, ""
        agency = {key: target[prefix + key] for key in cls.AGENCY}
        return cls(agent_id, agent_name, agency if agency["id"] else {})

    @classmethod
    def columns(cls) -> list[str]:
        return [
            "agent__display_name",
            *(
                f"{prefix}{key}"
                for prefix in ("agent__agency__", "customer__home_agency__")
                for key in cls.AGENCY
            ),
        ]


# stand-ins for what differs from one customer to the next: the rest of a message is the
# same for every customer of one agent in one language, and is rendered once for them
GREETING = "\x00greeting\x00"
LINK = "\x00link\x00"


class _Writer:
    """Writes the targets' messages. A template is rendered once per language, channel
    and signing agent, with stand-ins for the greeting and the link: tens of thousands
    of messages cost a few hundred renderings, not tens of thousands."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.templates = {name: get_template(path) for name, path in TEMPLATES.items()}
        self.links = UnsubscribeLinks()
        self.rendered: dict[tuple, str] = {}
        self.subjects: dict[str, str] = {}
        self.senders: dict[int, str] | None = None

    def language(self, preferred: str) -> str:
        language = written_language(preferred)
        # no English offer: the whole message in French rather than half and half
        return "fr" if language == "en" and not self.campaign.offer_text_en else language

    def body(self, channel: str, language: str, signatory: Signatory) -> str:
        key = (channel, language, signatory.agent_id, signatory.agency.get("id"))
        if key not in self.rendered:
            context = {
                "greeting": GREETING,
                "offer": (
                    self.campaign.offer_text_en if language == "en" else self.campaign.offer_text
                ),
                "agent_name": signatory.agent_name,
                "agent_first_name": signatory.agent_name.split(" ", 1)[0],
                "agency": signatory.agency,
                "unsubscribe_url": LINK,
            }
            text = self.templates[channel].render(context)
            # an SMS is one line: the template's layout is not the message's
            self.rendered[key] = " ".join(text.split()) if channel == "sms" else text
        return self.rendered[key]

    def subject(self, language: str) -> str:
        if language not in self.subjects:
            self.subjects[language] = _subject(self.campaign.offer_type)
        return self.subjects[language]

    def sender(self, signatory: Signatory) -> str:
        if self.senders is None:  # read once, on the first e-mail
            self.senders = _senders()
        agency = signatory.agency
        address = self.senders.get(agency.get("id") or 0) or self.senders[0]
        if not address:
            return ""  # DEFAULT_FROM_EMAIL
        name = " – ".join(filter(None, [signatory.agent_name, agency.get("name", "")]))
        # quoted when the name needs it; Django encodes what is not ASCII
        return str(Address(display_name=name, addr_spec=address))

    def messages(self, target: dict) -> list[dict]:
        """The target's rows for the outbox, as messages_queue_bulk takes them."""
        signatory = Signatory.of(target)
        customer = Customer(
            civility=target["customer__civility"],
            first_name=target["customer__first_name"],
            last_name=target["customer__last_name"],
            preferred_name=target["customer__preferred_name"],
        )
        language = self.language(target["customer__preferred_language"])
        rows = []
        with translation.override(language):
            greeting = customer_greeting(customer)
            for channel in self.campaign.channels:
                if channel not in SENT_CHANNELS or channel not in target["channels"]:
                    continue
                address = target["email_address" if channel == "email" else "phone_number"]
                if not address:
                    continue
                link = self.links.url(
                    customer_id=target["customer_id"],
                    channel=channel,
                    purpose=ConsentPurpose.MARKETING,
                )
                body = self.body(channel, language, signatory)
                row = {
                    "channel": SENT_CHANNELS[channel],
                    "purpose": OutboundPurpose.CAMPAIGN,
                    "to_address": address,
                    "body_text": body.replace(GREETING, greeting).replace(LINK, link),
                    "language": language,
                    "customer_id": target["customer_id"],
                    "origin": target_origin(target["id"]),
                }
                if channel == ConsentChannel.EMAIL:
                    row["subject"] = self.subject(language)
                    row["from_address"] = self.sender(signatory)
                    row["headers"] = unsubscribe_headers(link)
                rows.append(row)
        return rows


def campaign_messages_queue(*, campaign: Campaign, at: datetime.datetime) -> dict[str, int]:
    """Write the campaign's e-mails and SMS to the outbox, in bulk: how many per channel.
    Called by the launch, in its transaction, once the targets are sorted and assigned.
    The same few statements whatever the number of targets, and one insert per thousand
    rows: the targets read in one pass with their agents and agencies, the mailboxes.

    No agent on the rows: the signature names them, but a mail given up is the campaign's
    figure (its page counts them), not an alert for each agent."""
    channels = [channel for channel in campaign.channels if channel in SENT_CHANNELS]
    counts = dict.fromkeys(channels, 0)
    if not channels:
        return counts
    targets = (
        campaign.targets.filter(contactable=True, channels__overlap=channels)
        .annotate(
            email_address=_first_point(ContactKind.EMAIL),
            phone_number=_first_point(ContactKind.PHONE, _MOBILE_FIRST),
        )
        .order_by("id")
        .values(
            "id",
            "channels",
            "agent_id",
            "customer_id",
            "customer__civility",
            "customer__first_name",
            "customer__last_name",
            "customer__preferred_name",
            "customer__preferred_language",
            "email_address",
            "phone_number",
            *Signatory.columns(),
        )
    )
    writer = _Writer(campaign)

    def rows():
        for target in targets.iterator(chunk_size=FETCH):
            for row in writer.messages(target):
                counts["email" if row["channel"] == OutboundChannel.EMAIL else "sms"] += 1
                yield row

    messages_queue_bulk(rows(), not_before=_not_before(campaign, at))
    return counts


def campaign_messages_cancel(*, campaign: Campaign) -> int:
    """A closed campaign sends nothing more: its messages not sent yet are cancelled."""
    return messages_cancel(
        origins=campaign_origins(campaign), reason=_("Campagne terminée avant l'envoi.")
    )
