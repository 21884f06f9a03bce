"""What the contact form does with what a visitor sends.

One submission is one message received (source "web_form"), filed by inbound_file in the
same transaction (it opens a request with the web form's deadline, on the customer when
the e-mail or phone is theirs, else without one), and, when an e-mail address was given,
the acknowledgement queued in the outbox: all of it, or nothing.

Spam, without any third party: a honeypot field (handled by the view: a filled one gets the
thank-you page and nothing is stored), size limits on every field, and a brake of
CONTACT_FORM_MAX_PER_HOUR submissions an hour per client address, per e-mail and per
phone, counted in the cache (Redis). With the cache down the brake fails open and logs a
warning: a person must still be able to write to us.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from redis.exceptions import RedisError

from relation_client.messaging.acknowledgements import acknowledgement_queue
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import InboundMessage, InboundSource
from relation_client.network.models import Line
from relation_client.touchpoints.models import Reason
from socle.errors import DomainError

logger = logging.getLogger(__name__)

# reasons the public does not choose: an incivility is reported by staff (satisfaction's
# incivility reports), a passenger's complaint about one is a "Réclamation"
INTERNAL_REASONS = ("incivility",)
# the labels of the reference list (touchpoints migration 0002), so that the English page
# shows them translated; a reason added by a manager shows as it was written
REASON_LABELS = [
    gettext_noop("Information"),
    gettext_noop("Abonnement"),
    gettext_noop("Tarifs"),
    gettext_noop("Réclamation"),
    gettext_noop("Objet perdu"),
    gettext_noop("Perturbation"),
    gettext_noop("Accessibilité"),
    gettext_noop("Remerciement"),
    gettext_noop("Autre"),
]

NAME_MAX = 100
EMAIL_MAX = 254
PHONE_MAX = 32  # as typed; stored in E.164
STOP_MAX = InboundMessage._meta.get_field("stop").max_length
BODY_MAX = 5000  # characters, line breaks counted as one

WINDOW_SECONDS = 3600
_CACHE_ERRORS = (RedisError, OSError)


def contact_reasons() -> QuerySet[Reason]:
    """The reasons a visitor chooses from: the active ones, staff-only ones aside."""
    return Reason.objects.filter(active=True).exclude(code__in=INTERNAL_REASONS)


def contact_lines() -> QuerySet[Line]:
    """The lines a visitor chooses from: the network's, by name."""
    return Line.objects.order_by("short_name", "id")


def _digest(value: str) -> str:
    # hashed: the cache holds no address, e-mail or phone in clear
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(*, address: str, email: str, phone: str) -> list[str]:
    keys = [f"contact:address:{_digest(address)}"] if address else []
    if email:
        keys.append(f"contact:email:{_digest(email.casefold())}")
    if phone:
        keys.append(f"contact:phone:{_digest(phone)}")
    return keys


def _cache_down(error: Exception) -> None:
    logger.warning("contact form: cache unreachable, submissions not counted (%s)", error)


def contact_rate_limited(*, address: str, email: str, phone: str) -> bool:
    """Whether this address, e-mail or phone already sent the hour's allowance."""
    keys = _keys(address=address, email=email, phone=phone)
    try:
        counts = cache.get_many(keys)
    except _CACHE_ERRORS as error:
        _cache_down(error)
        return False
    return any(count >= settings.CONTACT_FORM_MAX_PER_HOUR for count in counts.values())


def _rate_count(*, address: str, email: str, phone: str) -> None:
    try:
        for key in _keys(address=address, email=email, phone=phone):
            # add then incr: the hour starts with the first message, not the last
            cache.add(key, 0, WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.set(key, 1, WINDOW_SECONDS)
    except _CACHE_ERRORS as error:
        _cache_down(error)


def contact_submit(
    *,
    name: str,
    email: str,
    phone: str,
    reason: Reason,
    body: str,
    line: Line | None = None,
    stop: str = "",
    language: str = "fr",
    address: str = "",
) -> InboundMessage:
    """Store and file what a visitor sent, and queue its acknowledgement; `email` case-
    folded and `phone` in E.164 (the form normalises them), `line` the network's line
    the visitor chose, `address` the client's.
    Raises DomainError("rate_limited") past the hour's allowance, and nothing is stored."""
    if not (email or phone):
        raise DomainError(
            "contact_required",
            _(
                "Indiquez une adresse e-mail ou un numéro de téléphone pour que nous puissions "
                "vous répondre."
            ),
            field="email",
        )
    if contact_rate_limited(address=address, email=email, phone=phone):
        raise DomainError(
            "rate_limited",
            _(
                "Vous nous avez déjà écrit %(count)s fois en une heure : vos messages nous sont "
                "bien parvenus et rien de plus n'a été enregistré. Attendez une heure avant "
                "d'en envoyer un autre, ou appelez-nous."
            )
            % {"count": settings.CONTACT_FORM_MAX_PER_HOUR},
        )
    with transaction.atomic():
        message = InboundMessage.objects.create(
            source=InboundSource.WEB_FORM,
            sender_name=name.strip()[:NAME_MAX],
            sender_address=email.casefold(),
            sender_phone=phone,
            reason=reason,
            line=line.short_name if line is not None else "",
            network_line=line,
            stop=stop.strip(),
            body_text=body,
            reply_text=body,
            received_at=timezone.now(),
        )
        inbound_file(message=message)
        if email and message.request_id is not None:
            acknowledgement_queue(
                request=message.request,
                to_address=email,
                name=name,
                language=language,
                customer=message.customer,
                touchpoint=message.touchpoint,
            )
    _rate_count(address=address, email=email, phone=phone)
    return message
