"""Outcomes of reconquest contacts, from a campaign's call list or from any logged
touchpoint: the contact, the target's outcome and, for "do not contact", the consent."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
    CaseStatus,
    ContactOutcome,
    ReconquestCase,
    ReconquestContact,
)
from reconquete.selectors.calls import with_current_consent
from reconquete.services.campaigns import CHANNEL_PREFERENCE
from relation_client.customers.consents import consent_record
from relation_client.customers.models import ConsentChannel, ConsentPurpose, ConsentSource
from relation_client.touchpoints.models import Channel, Direction, Reason, Touchpoint
from relation_client.touchpoints.services import touchpoint_log
from socle.errors import DomainError

RECONQUEST_REASON = "reconquest"  # a touchpoint reason added by this app's migration 0002

# the campaign channel an agent uses, as the customer's timeline records it; an SMS goes
# to the phone line
TOUCHPOINT_CHANNEL = {
    ConsentChannel.PHONE: Channel.PHONE,
    ConsentChannel.SMS: Channel.PHONE,
    ConsentChannel.EMAIL: Channel.EMAIL,
    ConsentChannel.POST: Channel.LETTER,
    ConsentChannel.APP: Channel.MOBILE_APP,
}
# and back: "do not contact me" said on these channels withdraws that channel only; said
# face to face (counter, on board) or in public (social media), it withdraws them all
CONSENT_CHANNEL = {
    Channel.PHONE: ConsentChannel.PHONE,
    Channel.EMAIL: ConsentChannel.EMAIL,
    Channel.LETTER: ConsentChannel.POST,
    Channel.MOBILE_APP: ConsentChannel.APP,
}


def _check_outcome(outcome: str) -> None:
    if outcome not in ContactOutcome.values:
        raise DomainError(
            "invalid_choice",
            _("Résultat inconnu : « %(value)s ».") % {"value": outcome},
            field="outcome",
        )


def _withdraw(*, customer, channels, agent: Agent | None, at: datetime.datetime) -> None:
    for channel in channels:
        consent_record(
            customer=customer,
            channel=channel,
            purpose=ConsentPurpose.MARKETING,
            given=False,
            source=ConsentSource.CUSTOMER_REQUEST,
            by=agent,
            at=at,
        )


def _contact_create(
    *, case: ReconquestCase, touchpoint: Touchpoint, outcome: str, target: CampaignTarget | None
) -> ReconquestContact:
    contact = ReconquestContact(
        case=case,
        campaign_id=target.campaign_id if target else None,
        target=target,
        touchpoint=touchpoint,
        outcome=outcome,
        channel=touchpoint.channel,
        occurred_at=touchpoint.occurred_at,
        agent_id=touchpoint.agent_id,
    )
    contact.full_clean(validate_unique=False)
    contact.save()
    if target is not None and (
        target.outcome_at is None or target.outcome_at <= touchpoint.occurred_at
    ):
        target.outcome = outcome
        target.outcome_at = touchpoint.occurred_at
        target.touchpoint = touchpoint
        target.save(update_fields=["outcome", "outcome_at", "touchpoint"])
    return contact


def target_outcome_record(
    *,
    target: CampaignTarget,
    outcome: str,
    by: Agent,
    channel: str | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ReconquestContact:
    """The call list's two clicks: log the contact as a touchpoint on the customer's
    timeline and record its outcome; "do not contact" withdraws that channel's consent."""
    _check_outcome(outcome)
    at = at or timezone.now()
    with transaction.atomic():
        # lock: the agent may double-click, a manager may reassign meanwhile
        target = with_current_consent(
            CampaignTarget.objects.select_for_update(of=("self",)).select_related(
                "campaign", "customer", "case"
            )
        ).get(pk=target.pk)
        if target.agent_id != by.pk:
            raise DomainError("forbidden", _("Ce client est sur la liste d'un autre agent."))
        if target.campaign.status != CampaignStatus.ACTIVE:
            raise DomainError("not_active", _("Cette campagne n'est plus en cours."))
        allowed = [c for c in CHANNEL_PREFERENCE if c in target.current_channels]
        if target.channels and not allowed:
            raise DomainError(
                "consent_withdrawn",
                _(
                    "Ce client a retiré son consentement : il ne peut plus être sollicité "
                    "pour cette campagne."
                ),
                field="channel",
            )
        channel = channel or (allowed[0] if allowed else None)
        if channel not in allowed:
            raise DomainError(
                "not_contactable",
                _("Ce client n'a pas accepté d'être sollicité sur ce canal."),
                field="channel",
            )
        outcome_label = ContactOutcome(outcome).label
        summary = _("Campagne « %(campaign)s » : %(outcome)s. Offre : %(offer)s.") % {
            "campaign": target.campaign.name,
            "outcome": str(outcome_label).lower(),
            "offer": target.campaign.get_offer_type_display().lower(),
        }
        if note.strip():
            summary = f"{summary} {note.strip()}"
        touchpoint = touchpoint_log(
            agent=by,
            channel=TOUCHPOINT_CHANNEL[channel],
            reason=Reason.objects.get(code=RECONQUEST_REASON),
            summary=summary,
            customer=target.customer,
            direction=Direction.OUTBOUND,
            occurred_at=at,
        )
        contact = _contact_create(
            case=target.case, touchpoint=touchpoint, outcome=outcome, target=target
        )
        if outcome == ContactOutcome.DO_NOT_CONTACT:
            _withdraw(customer=target.customer, channels=[channel], agent=by, at=at)
    return contact


def case_outcome_record(*, touchpoint: Touchpoint, outcome: str) -> ReconquestContact:
    """Record the reconquest outcome of a touchpoint just logged in the workspace (caller
    box, customer page, counter) for the customer's open case; the campaign that targets
    the case, if any, gets the outcome too."""
    _check_outcome(outcome)
    if touchpoint.customer_id is None:
        raise DomainError(
            "no_customer", _("Un contact sans client nommé ne peut pas être rattaché.")
        )
    with transaction.atomic():
        # lock: the case must not be closed by the nightly detection meanwhile
        case = (
            ReconquestCase.objects.select_for_update()
            .filter(customer_id=touchpoint.customer_id, status=CaseStatus.OPEN)
            .first()
        )
        if case is None:
            raise DomainError(
                "no_open_case", _("Ce client n'a pas de dossier de reconquête ouvert.")
            )
        if ReconquestContact.objects.filter(touchpoint=touchpoint).exists():
            raise DomainError(
                "already_recorded", _("Le résultat de ce contact est déjà enregistré.")
            )
        target = (
            CampaignTarget.objects.select_for_update()
            .filter(case=case, campaign__status=CampaignStatus.ACTIVE)
            .order_by("-created_at", "-id")
            .first()
        )
        contact = _contact_create(case=case, touchpoint=touchpoint, outcome=outcome, target=target)
        if outcome == ContactOutcome.DO_NOT_CONTACT:
            channel = CONSENT_CHANNEL.get(touchpoint.channel)
            _withdraw(
                customer=touchpoint.customer,
                channels=[channel] if channel else ConsentChannel.values,
                agent=touchpoint.agent,
                at=touchpoint.occurred_at,
            )
    return contact
