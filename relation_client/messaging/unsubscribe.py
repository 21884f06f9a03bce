"""The unsubscribe link at the foot of every campaign message and survey invitation.

The link carries a token signed with the site's key (django.core.signing): the customer,
the channel and the purpose it stops, and nothing else; it never expires (a mail read a
year later must still stop the next one). Opening it changes nothing (RFC 8058: mail
scanners and link previews fetch links): the page asks for one press of a button, and
the POST records the withdrawal through `consent_record`, once. Mail clients that offer
"unsubscribe" themselves POST "List-Unsubscribe=One-Click" to the same address (the
List-Unsubscribe-Post header of every such mail).

No tracking: the link is the only one of its kind in a message, it identifies who
unsubscribes, never who opened or read.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from relation_client.customers.consents import consent_current, consent_record
from relation_client.customers.models import (
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    Customer,
    CustomerMerge,
)

# a token signed for unsubscribing is good for nothing else
SALT = "relation_client.messaging.unsubscribe"
# RFC 8058: the body a mail client POSTs for a one-click unsubscribe
ONE_CLICK = "List-Unsubscribe=One-Click"
MERGES_FOLLOWED = 10


def _signer() -> signing.Signer:
    # "." never appears in a signature and reads well in a link: 42.email.marketing.<sig>;
    # made per call, so that a rotated key (SECRET_KEY_FALLBACKS) is honoured
    return signing.Signer(salt=SALT, sep=".")


@dataclass(frozen=True)
class Unsubscription:
    """What a token stops: this customer's `purpose` messages on `channel`."""

    customer_id: int
    channel: str
    purpose: str


CHANNELS = frozenset(ConsentChannel.values)
PURPOSES = frozenset(ConsentPurpose.values)


def _value(customer_id: int, channel: str, purpose: str) -> str:
    if channel not in CHANNELS or purpose not in PURPOSES:
        raise ValueError(f"unsubscribe: unknown channel or purpose {channel!r} {purpose!r}")
    return f"{int(customer_id)}.{channel}.{purpose}"


def unsubscribe_token(*, customer_id: int, channel: str, purpose: str) -> str:
    return _signer().sign(_value(customer_id, channel, purpose))


def unsubscribe_read(token: str) -> Unsubscription | None:
    """What a token stops, or None when it is not one of ours (forged, truncated)."""
    if not token or len(token) > 200:
        return None
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    customer_id, _dot, rest = value.partition(".")
    channel, _dot, purpose = rest.partition(".")
    if not customer_id.isdigit() or channel not in CHANNELS or purpose not in PURPOSES:
        return None
    return Unsubscription(int(customer_id), channel, purpose)


class UnsubscribeLinks:
    """Links by the thousand (a campaign): the page's address is worked out once."""

    MARK = "0.token"

    def __init__(self):
        url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("unsubscribe", args=[self.MARK])
        self._before, self._after = url.split(self.MARK)
        self._signer = _signer()

    def url(self, *, customer_id: int, channel: str, purpose: str) -> str:
        token = self._signer.sign(_value(customer_id, channel, purpose))
        return f"{self._before}{token}{self._after}"


def unsubscribe_url(*, customer_id: int, channel: str, purpose: str) -> str:
    """The absolute link, on the public site (PUBLIC_BASE_URL)."""
    return UnsubscribeLinks().url(customer_id=customer_id, channel=channel, purpose=purpose)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and 8058: the mail client's own "unsubscribe" button, one click, by POST."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}


def unsubscribe_customer(subject: Unsubscription) -> Customer | None:
    """The customer the token names, or the record they were merged into since."""
    customer_id = subject.customer_id
    for _step in range(MERGES_FOLLOWED):
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is not None:
            return customer
        merge = (
            CustomerMerge.objects.filter(absorbed_id=customer_id, undone_at__isnull=True)
            .order_by("-merged_at")
            .first()
        )
        if merge is None:
            return None
        customer_id = merge.survivor_id
    return None


def _current(customer: Customer, subject: Unsubscription):
    return consent_current(customer=customer).get((subject.channel, subject.purpose))


def unsubscribed(*, customer: Customer, subject: Unsubscription) -> bool:
    """Whether the customer currently receives nothing of this purpose on this channel
    (withdrawn, or never given). An erased record receives nothing."""
    if customer.anonymised_at is not None:
        return True
    current = _current(customer, subject)
    return current is None or not current.given


def unsubscribe_record(*, subject: Unsubscription) -> Customer | None:
    """Record the withdrawal, once: pressing twice, or the mail client's POST after the
    button's, adds nothing. None when the customer no longer exists."""
    with transaction.atomic():
        customer = unsubscribe_customer(subject)
        if customer is None:
            return None
        # lock: the button and a mail client's one-click POST arriving together record once
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.anonymised_at is not None:
            return customer  # erased: receives nothing, and is read-only
        current = _current(customer, subject)
        # never asked: the refusal is written too, so that nobody asks by this channel
        if current is None or current.given:
            consent_record(
                customer=customer,
                channel=subject.channel,
                purpose=subject.purpose,
                given=False,
                source=ConsentSource.UNSUBSCRIBE_LINK,
            )
    return customer
