"""What the reconquest app holds about a customer, for the DPO's access export and erasure
(registered in ReconqueteConfig.ready through relation_client.privacy.registry).

Erasure keeps every row and every number the indicators read (dates, statuses, trips,
outcomes, channels, campaigns): only what identifies the person goes. A contract number
becomes a token built from the row's id — still unique, so subscription counts stay the
same — and the case's copy of it in `details` goes with it.
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _

from reconquete.models import (
    CampaignTarget,
    ReconquestCase,
    ReconquestContact,
    RidershipMonth,
    Subscription,
)
from relation_client.privacy.registry import MONTH, column
from relation_client.touchpoints.models import Channel

ERASED_CONTRACT_PREFIX = "effacé-"
# free texts a case may carry in its figures (the lapsed contract's number)
IDENTIFYING_DETAILS = ["contract"]


def _iso(value):
    return value.isoformat() if value is not None else None


# how the DPO's readable document shows each key of the rows below (labels from the models)
SUBSCRIPTION_COLUMNS = [
    column(Subscription, "contract_number"),
    column(Subscription, "product"),
    column(Subscription, "start_date"),
    column(Subscription, "end_date"),
    column(Subscription, "status"),
    column(Subscription, "sales_channel"),
]
RIDERSHIP_COLUMNS = [
    column(RidershipMonth, "month", kind=MONTH),
    column(RidershipMonth, "trips"),
]
CASE_COLUMNS = [
    column(ReconquestCase, "reason"),
    column(ReconquestCase, "status"),
    column(ReconquestCase, "agency"),
    column(ReconquestCase, "segment"),
    column(ReconquestCase, "lost_since"),
    column(ReconquestCase, "opened_at"),
    column(ReconquestCase, "won_back_at"),
    column(ReconquestCase, "closed_at"),
    column(ReconquestCase, "baseline_trips"),
    column(ReconquestCase, "recent_trips"),
    column(ReconquestCase, "details"),
    column(ReconquestCase, "attributed_campaign"),
]
CAMPAIGN_TARGET_COLUMNS = [
    column(CampaignTarget, "campaign"),
    column(CampaignTarget, "created_at", key="targeted_at"),
    column(CampaignTarget, "contactable"),
    column(CampaignTarget, "channels"),
    column(CampaignTarget, "not_contactable_reason"),
    column(CampaignTarget, "agent"),
    column(CampaignTarget, "outcome"),
    column(CampaignTarget, "outcome_at"),
]
CONTACT_COLUMNS = [
    column(ReconquestContact, "occurred_at"),
    column(ReconquestContact, "channel", choices=Channel),
    column(ReconquestContact, "outcome"),
    column(ReconquestContact, "campaign"),
    column(ReconquestContact, "agent", label=_("agent")),
]


def subscriptions_export(customer) -> list[dict]:
    return [
        {
            "contract_number": s.contract_number,
            "product": s.product,
            "start_date": _iso(s.start_date),
            "end_date": _iso(s.end_date),
            "status": s.status,
            "sales_channel": s.sales_channel,
        }
        for s in Subscription.objects.filter(customer=customer).order_by("start_date", "id")
    ]


def ridership_export(customer) -> list[dict]:
    return [
        {"month": _iso(row.month), "trips": row.trips}
        for row in RidershipMonth.objects.filter(customer=customer).order_by("month")
    ]


def cases_export(customer) -> list[dict]:
    cases = (
        ReconquestCase.objects.filter(customer=customer)
        .select_related("agency", "segment", "attributed_campaign")
        .order_by("opened_at", "id")
    )
    return [
        {
            "reason": case.reason,
            "status": case.status,
            "agency": case.agency.name if case.agency else None,
            "segment": case.segment.name if case.segment else None,
            "lost_since": _iso(case.lost_since),
            "opened_at": _iso(case.opened_at),
            "won_back_at": _iso(case.won_back_at),
            "closed_at": _iso(case.closed_at),
            "baseline_trips": case.baseline_trips,
            "recent_trips": case.recent_trips,
            "details": case.details,
            "attributed_campaign": (
                case.attributed_campaign.name if case.attributed_campaign else None
            ),
        }
        for case in cases
    ]


def campaign_targets_export(customer) -> list[dict]:
    targets = (
        CampaignTarget.objects.filter(customer=customer)
        .select_related("campaign", "agent")
        .order_by("created_at", "id")
    )
    return [
        {
            "campaign": t.campaign.name,
            "targeted_at": _iso(t.created_at),
            "contactable": t.contactable,
            "channels": list(t.channels),
            "not_contactable_reason": t.not_contactable_reason,
            "agent": t.agent.display_name if t.agent else None,
            "outcome": t.outcome,
            "outcome_at": _iso(t.outcome_at),
        }
        for t in targets
    ]


def contacts_export(customer) -> list[dict]:
    contacts = (
        ReconquestContact.objects.filter(case__customer=customer)
        .select_related("campaign", "agent")
        .order_by("occurred_at", "id")
    )
    return [
        {
            "occurred_at": _iso(c.occurred_at),
            "channel": c.channel,
            "outcome": c.outcome,
            "campaign": c.campaign.name if c.campaign else None,
            "agent": c.agent.display_name if c.agent else None,
        }
        for c in contacts
    ]


def register_privacy(register_exporter) -> None:
    """The reconquest's part of the right of access: two sections of their own, and the
    cases, campaigns and contacts together under "Reconquête"."""
    reconquest = _("Reconquête")
    register_exporter(
        "abonnements", subscriptions_export, title=_("Abonnements"), columns=SUBSCRIPTION_COLUMNS
    )
    register_exporter(
        "fréquentation", ridership_export, title=_("Fréquentation"), columns=RIDERSHIP_COLUMNS
    )
    register_exporter(
        "dossiers de reconquête",
        cases_export,
        title=_("Dossiers de reconquête"),
        columns=CASE_COLUMNS,
        section=reconquest,
    )
    register_exporter(
        "campagnes de reconquête",
        campaign_targets_export,
        title=_("Campagnes de reconquête"),
        columns=CAMPAIGN_TARGET_COLUMNS,
        section=reconquest,
    )
    register_exporter(
        "contacts de reconquête",
        contacts_export,
        title=_("Contacts de reconquête"),
        columns=CONTACT_COLUMNS,
        section=reconquest,
    )


def reconquest_erase(customer_ids: list[int]) -> None:
    """Contract numbers become tokens, the cases' identifying details go; the rows, their
    dates and figures stay, so every reconquest indicator is unchanged."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reconquete_subscription SET contract_number = %s || id "
            "WHERE customer_id = ANY(%s) AND contract_number NOT LIKE %s",
            [ERASED_CONTRACT_PREFIX, list(customer_ids), f"{ERASED_CONTRACT_PREFIX}%"],
        )
        cursor.execute(
            "UPDATE reconquete_reconquestcase SET details = details - %s::text[] "
            "WHERE customer_id = ANY(%s) AND details ?| %s::text[]",
            [IDENTIFYING_DETAILS, list(customer_ids), IDENTIFYING_DETAILS],
        )
