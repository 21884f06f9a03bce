"""SMS received by the provider and forwarded to us: the STOP answers.

The provider POSTs {"from": "+33612345678", "text": "STOP"} to /canaux/sms/entrant/ with
`Authorization: Bearer SMS_INBOUND_TOKEN`. A STOP ("STOP", "Stop SMS", "ARRÊT"…, case and
accents aside) withdraws the SMS consents of every customer (not erased) with that
number — offers, surveys and disruption warnings, source "Réponse STOP par SMS" in their
consent history — and cancels the SMS of those purposes still waiting for that number. Any other text is ignored: SMS are not a
contact channel of the product (yet), nothing is stored.

The answer is the same 200 whatever the number (known, unknown, unreadable) and the text:
the caller learns nothing about who is a customer.
"""

import hmac
import json
import logging
import re
import unicodedata

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from relation_client.customers.consents import consent_record
from relation_client.customers.models import (
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    ContactKind,
    ContactPoint,
    Customer,
)
from relation_client.customers.normalize import phone_try_normalize
from relation_client.messaging.models import (
    MARKETING_PURPOSES,
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)

logger = logging.getLogger(__name__)

STOP_WORDS = {"stop", "stop sms", "stopsms", "arret", "arret sms", "arretsms"}
# the SMS consents a STOP withdraws: every purpose we write to people for
STOPPED = (ConsentPurpose.MARKETING, ConsentPurpose.SURVEYS, ConsentPurpose.TRAVEL_INFO)


def is_stop(text: str) -> bool:
    """ "STOP", " stop ", "Stop SMS", "ARRÊT", "arret." — a whole message saying stop."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in plain if not unicodedata.combining(char)).casefold()
    plain = re.sub(r"[^\w\s]", " ", plain)
    return re.sub(r"\s+", " ", plain).strip() in STOP_WORDS


def sms_stop(*, phone: str) -> tuple[int, int]:
    """A STOP from this number: (customers whose consent was withdrawn, SMS cancelled)."""
    raw = (phone or "").strip()
    number = phone_try_normalize(raw)
    if number is None and raw.isdigit() and not raw.startswith("0"):
        number = phone_try_normalize("+" + raw)  # providers often drop the "+": 33612345678
    if number is None:
        return 0, 0
    with transaction.atomic():
        holders = ContactPoint.objects.filter(kind=ContactKind.PHONE, value=number)
        # locked: an erasure or a merge of one of them waits for the withdrawal
        customers = list(
            Customer.objects.filter(
                pk__in=holders.values("customer_id"), anonymised_at__isnull=True
            )
            .order_by("pk")
            .select_for_update()
        )
        # STOP means "no more SMS from you" to the person: offers, survey invitations and
        # disruption warnings (a STOP answered to a warning must stop the next one)
        for customer in customers:
            for purpose in STOPPED:
                consent_record(
                    customer=customer,
                    channel=ConsentChannel.SMS,
                    purpose=purpose,
                    given=False,
                    source=ConsentSource.SMS_STOP,
                )
        # a message being sent right now keeps its claim: if its attempt fails, the next
        # one reads the withdrawn consent and cancels it
        cancelled = OutboundMessage.objects.filter(
            status=OutboundStatus.PENDING,
            channel=OutboundChannel.SMS,
            purpose__in=[
                *MARKETING_PURPOSES,
                OutboundPurpose.INVITATION,
                OutboundPurpose.PROACTIVE,
            ],
            to_address=number,
        ).update(
            status=OutboundStatus.CANCELLED,
            last_error=_("Annulé : le destinataire a répondu STOP."),
            dispatched_at=None,
        )
    return len(customers), cancelled


def _refused(status: int, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"code": code, "field": None, "detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sms"'
    return response


def _authenticated(request: HttpRequest) -> bool:
    expected = settings.SMS_INBOUND_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> JsonResponse:
    """The provider's call for each SMS received."""
    if not _authenticated(request):
        return _refused(
            401, "not_authenticated", _("Jeton de la passerelle SMS absent ou invalide.")
        )
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refused(
            400, "malformed_json", _("Le corps de la requête n'est pas un JSON valide.")
        )
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("from", "text")
    ):
        return _refused(400, "invalid", _('Attendu : {"from": "…", "text": "…"}.'))
    if is_stop(data["text"]):
        customers, cancelled = sms_stop(phone=data["from"])
        # counts only: the number is personal data, kept out of the logs
        logger.info("SMS STOP: %s client(s), %s SMS annulé(s)", customers, cancelled)
    return JsonResponse({"status": "ok"})
