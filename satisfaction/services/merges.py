"""Satisfaction's part of a customer merge (relation_client.extensions.customer_merged) and
of its undo (customer_merge_undone): survey invitations (their answers follow them) and
incivility reports move to the survivor. Nothing here is one per customer, so nothing is
folded: every row keeps its id, and the undo moves the same ids back."""

from relation_client.customers.services import merge_rows_move, merge_rows_return
from satisfaction.models import IncivilityReport, SurveyInvitation

APP = "satisfaction"

MOVED = [(SurveyInvitation, "customer"), (IncivilityReport, "customer")]


def satisfaction_merge(*, survivor, absorbed, moved: dict) -> None:
    moved[APP] = {
        "rows": {
            model._meta.label_lower: merge_rows_move(
                model, field, from_id=absorbed.pk, to_id=survivor.pk
            )
            for model, field in MOVED
        }
    }


def satisfaction_merge_undo(*, survivor, absorbed, moved: dict) -> None:
    rows = moved.get(APP, {}).get("rows", {})
    for model, field in MOVED:
        merge_rows_return(
            model,
            field,
            rows.get(model._meta.label_lower, []),
            from_id=survivor.pk,
            to_id=absorbed.pk,
        )
