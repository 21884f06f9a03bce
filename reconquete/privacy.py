"""What the reconquest app holds about a customer, for the DPO's access export and erasure
(registered in ReconqueteConfig.ready through relation_client.privacy.registry).

Erasure keeps every row and every number the indicators read (dates, statuses, trips,
outcomes, channels, campaigns): only what identifies the person goes. A contract number
becomes a token built from the row's id — still unique, so subscription counts stay the
same — and the case's copy of it in `details` goes with it.
"""

from django.db import connection

from reconquete.models import (
    CampaignTarget,
    ReconquestCase,
    ReconquestContact,
    RidershipMonth,
    Subscription,
)

ERASED_CONTRACT_PREFIX = "effacé-"
# free texts a case may carry in its figures (the lapsed contract's number)
IDENTIFYING_DETAILS = ["contract"]


def _iso(value):
    return value.isoformat() if value is not None else None


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
