"""The retention call: a subscriber whose subscription ends soon, called before the lapse.
Its outcome is logged the way the call list logs one (reconquete.services.campaigns_outcomes):
an outbound touchpoint on the customer's timeline, in the reconquest outcome's words, and
"do not contact" withdraws the channel's marketing consent."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from reconquete.models import ContactOutcome, Subscription
from reconquete.selectors.subscriptions import RETENTION_REASON
from reconquete.services.campaigns_outcomes import _check_outcome, _withdraw
from relation_client.customers.consents import consent_current
from relation_client.customers.models import ConsentChannel, ConsentPurpose
from relation_client.touchpoints.models import Channel, Direction, Reason, Touchpoint
from relation_client.touchpoints.services import touchpoint_log
from socle.dates import date_text
from socle.errors import DomainError

# an offer is marketing: only to a customer who accepts it on the phone
OFFER_OUTCOMES = {ContactOutcome.ACCEPTED, ContactOutcome.DECLINED}
SERVICE_OUTCOMES = [
    ContactOutcome.REACHED,
    ContactOutcome.UNREACHABLE,
    ContactOutcome.DO_NOT_CONTACT,
]


def renewal_outcomes(*, marketing: bool | None) -> list[tuple[str, str]]:
    """The outcomes an agent can note: the service call's, and the offer's only when the
    customer accepts marketing calls."""
    chosen = [*SERVICE_OUTCOMES, *(OFFER_OUTCOMES if marketing else ())]
    return [(value, label) for value, label in ContactOutcome.choices if value in chosen]


def renewal_call_record(
    *,
    subscription: Subscription,
    outcome: str,
    by: Agent,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Touchpoint:
    _check_outcome(outcome)
    at = at or timezone.now()
    customer = subscription.customer
    with transaction.atomic():
        if outcome in OFFER_OUTCOMES:
            current = consent_current(customer=customer).get(
                (ConsentChannel.PHONE, ConsentPurpose.MARKETING)
            )
            if current is None or not current.given:
                raise DomainError(
                    "no_marketing_consent",
                    _(
                        "Ce client n'accepte pas la prospection par téléphone : un appel de "
                        "fidélisation ne peut pas lui proposer d'offre."
                    ),
                    field="outcome",
                )
        summary = _(
            "Appel de fidélisation : « %(product)s » se termine le %(end)s. Résultat : %(outcome)s."
        ) % {
            "product": subscription.product,
            "end": date_text(subscription.end_date, "j F Y") if subscription.end_date else "?",
            "outcome": str(ContactOutcome(outcome).label).lower(),
        }
        if note.strip():
            summary = f"{summary} {note.strip()}"
        touchpoint = touchpoint_log(
            agent=by,
            channel=Channel.PHONE,
            reason=Reason.objects.get(code=RETENTION_REASON),
            summary=summary,
            customer=customer,
            direction=Direction.OUTBOUND,
            occurred_at=at,
        )
        if outcome == ContactOutcome.DO_NOT_CONTACT:
            _withdraw(customer=customer, channels=[ConsentChannel.PHONE], agent=by, at=at)
    return touchpoint
