"""Reconquest's part of a customer merge (relation_client.extensions.customer_merged) and of
its undo (customer_merge_undone): subscriptions, ridership months, cases and campaign
targets move to the survivor; what cannot sit twice on one customer is folded, and the
folded rows are kept whole in the merge record (row_to_json) to be put back as they were.

- Ridership: one row per customer and month. Where both records have the month, the
  trips are added up: the two records were one person whose trips were counted on two
  cards, so the person rode the sum that month, and the network's total is unchanged.
  Keeping the larger, or the survivor's, would lose trips from every ridership figure.
- Cases: one open case per customer. Where both have one, the case opened first stays
  open (the loss dates from then, and its campaign and contacts carry on) and the other
  is closed, marked `merged_into_case` in its details; the undo reopens it.
- Campaign targets: one per campaign and customer. Where both were targeted by the same
  campaign, the survivor's target stays, the absorbed one's contacts are attached to it,
  and the absorbed target is kept whole in the merge record.
"""

import json

from django.db import connection
from django.utils import timezone

from reconquete.models import (
    CampaignTarget,
    CaseStatus,
    ReconquestCase,
    RidershipMonth,
    Subscription,
)
from relation_client.customers.services import merge_rows_move, merge_rows_return

APP = "reconquete"

MOVED = [
    (Subscription, "customer"),
    (RidershipMonth, "customer"),
    (ReconquestCase, "customer"),
    (CampaignTarget, "customer"),
]

# trips of a month both records have: added to the survivor's row, the absorbed row kept
# whole in the merge record with the sum it made (the undo subtracts only from that sum)
RIDERSHIP_FOLD = """
    WITH folded AS (
        DELETE FROM reconquete_ridershipmonth a
        USING reconquete_ridershipmonth s
        WHERE a.customer_id = %(absorbed)s AND s.customer_id = %(survivor)s
          AND s.month = a.month
        RETURNING row_to_json(a)::jsonb AS row, s.id AS into_id, s.month,
                  s.trips + a.trips AS total
    ),
    summed AS (
        UPDATE reconquete_ridershipmonth s SET trips = f.total, updated_at = now()
        FROM folded f WHERE s.id = f.into_id AND s.month = f.month
    )
    SELECT row, into_id, total FROM folded ORDER BY into_id
"""

RIDERSHIP_UNFOLD = """
    WITH back AS (
        SELECT f.row, (f.row->>'month')::date AS month, (f.row->>'trips')::int AS trips,
               f.into_id, f.total
        FROM jsonb_to_recordset(%(folded)s::jsonb) AS f(row jsonb, into_id bigint, total int)
    ),
    unsummed AS (
        UPDATE reconquete_ridershipmonth s SET trips = s.trips - b.trips, updated_at = now()
        FROM back b
        WHERE s.id = b.into_id AND s.month = b.month AND s.customer_id = %(survivor)s
          AND s.trips = b.total
    )
    INSERT INTO reconquete_ridershipmonth
    SELECT (jsonb_populate_record(NULL::reconquete_ridershipmonth, b.row)).* FROM back b
"""

# targets of a campaign both records were in: the survivor's stays, the absorbed one's
# contacts are attached to it before the absorbed target is kept whole and removed
TARGETS_FOLD = """
    WITH pairs AS (
        SELECT a.id AS absorbed_target, s.id AS into_id
        FROM reconquete_campaigntarget a
        JOIN reconquete_campaigntarget s
          ON s.campaign_id = a.campaign_id AND s.customer_id = %(survivor)s
        WHERE a.customer_id = %(absorbed)s
    ),
    contacts AS (
        UPDATE reconquete_reconquestcontact c SET target_id = p.into_id
        FROM pairs p WHERE c.target_id = p.absorbed_target
        RETURNING c.id, p.absorbed_target
    )
    SELECT row_to_json(t)::jsonb, p.into_id,
           COALESCE((SELECT array_agg(c.id ORDER BY c.id) FROM contacts c
                     WHERE c.absorbed_target = p.absorbed_target), '{}')
    FROM pairs p JOIN reconquete_campaigntarget t ON t.id = p.absorbed_target
    ORDER BY p.absorbed_target
"""

TARGETS_UNFOLD = """
    INSERT INTO reconquete_campaigntarget
    SELECT (jsonb_populate_record(NULL::reconquete_campaigntarget, f.row)).*
    FROM jsonb_to_recordset(%(folded)s::jsonb) AS f(row jsonb)
"""


def _open_cases_fold(survivor, absorbed) -> list[dict]:
    """Both records have an open case: the one opened first stays open."""
    cases = list(
        ReconquestCase.objects.select_for_update()
        .filter(customer_id__in=[survivor.pk, absorbed.pk], status=CaseStatus.OPEN)
        .order_by("opened_at", "id")
    )
    closed = []
    for case in cases[1:]:
        closed.append({"id": case.pk, "closed_at": None, "details": case.details})
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.details = {**case.details, "merged_into_case": cases[0].pk}
        case.save(update_fields=["status", "closed_at", "details", "updated_at"])
    return closed


def reconquest_merge(*, survivor, absorbed, moved: dict) -> None:
    part: dict = {"cases_closed": _open_cases_fold(survivor, absorbed)}
    ids = {"survivor": survivor.pk, "absorbed": absorbed.pk}
    with connection.cursor() as cursor:
        cursor.execute(RIDERSHIP_FOLD, ids)
        part["ridership_folded"] = [
            {
                "row": row if isinstance(row, dict) else json.loads(row),
                "into_id": into,
                "total": total,
            }
            for row, into, total in cursor.fetchall()
        ]
        cursor.execute(TARGETS_FOLD, ids)
        folded_targets = [
            {
                "row": row if isinstance(row, dict) else json.loads(row),
                "into_id": into,
                "contacts": list(contacts),
            }
            for row, into, contacts in cursor.fetchall()
        ]
        if folded_targets:
            cursor.execute(
                "DELETE FROM reconquete_campaigntarget WHERE id = ANY(%s)",
                [[t["row"]["id"] for t in folded_targets]],
            )
        part["targets_folded"] = folded_targets
    part["rows"] = {
        model._meta.label_lower: merge_rows_move(
            model, field, from_id=absorbed.pk, to_id=survivor.pk
        )
        for model, field in MOVED
    }
    moved[APP] = part


def reconquest_merge_undo(*, survivor, absorbed, moved: dict) -> None:
    part = moved.get(APP)
    if not part:
        return
    for model, field in MOVED:
        merge_rows_return(
            model,
            field,
            part["rows"].get(model._meta.label_lower, []),
            from_id=survivor.pk,
            to_id=absorbed.pk,
        )
    ids = {"survivor": survivor.pk}
    with connection.cursor() as cursor:
        if part["ridership_folded"]:
            cursor.execute(
                RIDERSHIP_UNFOLD, {**ids, "folded": json.dumps(part["ridership_folded"])}
            )
        if part["targets_folded"]:
            cursor.execute(TARGETS_UNFOLD, {"folded": json.dumps(part["targets_folded"])})
            for target in part["targets_folded"]:
                cursor.execute(
                    "UPDATE reconquete_reconquestcontact SET target_id = %s "
                    "WHERE id = ANY(%s) AND target_id = %s",
                    [target["row"]["id"], target["contacts"], target["into_id"]],
                )
    # reopen a case the merge closed, unless its customer has opened another since
    for case in part["cases_closed"]:
        reopened = ReconquestCase.objects.filter(
            pk=case["id"], status=CaseStatus.CLOSED, details__has_key="merged_into_case"
        ).first()
        if reopened is None:
            continue
        if ReconquestCase.objects.filter(
            customer_id=reopened.customer_id, status=CaseStatus.OPEN
        ).exists():
            continue
        reopened.status = CaseStatus.OPEN
        reopened.closed_at = case["closed_at"]
        reopened.details = case["details"]
        reopened.save(update_fields=["status", "closed_at", "details", "updated_at"])
