"""The network's part of a customer merge (relation_client.extensions.customer_merged) and
of its undo: the absorbed record's line links and disruption draws move to the survivor.

What cannot sit twice on one customer is folded: a link to the same line from the same
source (the survivor's stays), a draw for the same disruption (the survivor's stays: they
were one person, drawn once). The folded rows are kept whole in the merge record
(row_to_json) and put back by the undo."""

import json

from django.db import connection

from relation_client.customers.services import merge_rows_move, merge_rows_return
from relation_client.network.models import CustomerLine, DisruptionContact

APP = "network"

# (model, its table, the columns that may not repeat for one customer)
FOLDED = [
    (CustomerLine, "network_customerline", ["line_id", "source"]),
    (DisruptionContact, "network_disruptioncontact", ["disruption_id"]),
]


def _fold(cursor, table: str, keys: list[str], *, survivor: int, absorbed: int) -> list[dict]:
    match = " AND ".join(f"s.{key} = a.{key}" for key in keys)
    cursor.execute(
        f"DELETE FROM {table} a USING {table} s "
        f"WHERE a.customer_id = %s AND s.customer_id = %s AND {match} "
        "RETURNING row_to_json(a)::jsonb",
        [absorbed, survivor],
    )
    return [row if isinstance(row, dict) else json.loads(row) for (row,) in cursor.fetchall()]


def network_merge(*, survivor, absorbed, moved: dict) -> None:
    part: dict = {"folded": {}, "rows": {}}
    with connection.cursor() as cursor:
        for model, table, keys in FOLDED:
            part["folded"][table] = _fold(
                cursor, table, keys, survivor=survivor.pk, absorbed=absorbed.pk
            )
            part["rows"][model._meta.label_lower] = merge_rows_move(
                model, "customer", from_id=absorbed.pk, to_id=survivor.pk
            )
    moved[APP] = part


def network_merge_undo(*, survivor, absorbed, moved: dict) -> None:
    part = moved.get(APP)
    if not part:
        return
    with connection.cursor() as cursor:
        for model, table, _keys in FOLDED:
            merge_rows_return(
                model,
                "customer",
                part["rows"].get(model._meta.label_lower, []),
                from_id=survivor.pk,
                to_id=absorbed.pk,
            )
            folded = part["folded"].get(table) or []
            if folded:
                cursor.execute(
                    f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, f.row)).* "
                    "FROM jsonb_to_recordset(%s::jsonb) AS f(row jsonb)",
                    [json.dumps([{"row": row} for row in folded])],
                )
