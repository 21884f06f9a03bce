"""Merging two records of one person, and undoing it.

Every row that belongs to the absorbed record moves to the survivor: the core's own here,
the satellites' through `extensions.customer_merged`. What moved is written per app into
`CustomerMerge.moved` (row ids; rows folded into one of the survivor's, with the values
they had; fields of the survivor the merge filled in), so that `customer_merge_undo` can
put each row back where it was.

The absorbed record itself is deleted once it owns nothing, and recreated under the same
number by the undo from `absorbed_snapshot` (every field). A tombstone row would have
been the other way; it was not chosen because every read of customers (search, lists,
duplicates, the API, exports, retention, the satellites' counts) would have had to learn
to skip it. Nothing that points to a customer cascades (PROTECT): a row that no one moved
stops the merge instead of disappearing with the record.
"""

import datetime

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from agences.permissions import MERGE_CUSTOMERS
from relation_client import extensions
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import (
    Consent,
    ContactPoint,
    Customer,
    CustomerMerge,
    Identifier,
)
from relation_client.messaging.models import InboundMessage, OutboundMessage
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from relation_client.telephony.models import Call
from relation_client.touchpoints.models import Alert, Gesture, Request, Touchpoint
from socle.errors import DomainError

CORE = "core"

# rows that simply change hands: (model, the foreign key to the customer)
CORE_ROWS = [
    (Touchpoint, "customer"),
    (Request, "customer"),
    (Gesture, "customer"),
    (Alert, "customer"),
    (Consent, "customer"),
    (Identifier, "customer"),
    # the mails and SMS received from and sent to them, and their calls
    (InboundMessage, "customer"),
    (OutboundMessage, "customer"),
    (Call, "customer"),
    # the traces of earlier merges into the absorbed record follow it, undoable in turn
    (CustomerMerge, "survivor"),
]

# fields of the survivor that the absorbed record fills in when the survivor has none
FILLED_IN = [
    "birth_date",
    "postal_address",
    "segment_id",
    "usual_contact_id",
    "home_agency_id",
    "preferred_name",
    "civility",
]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _column(model: type[models.Model], field: str) -> str:
    return model._meta.get_field(field).column


def merge_rows_move(
    model: type[models.Model], field: str, *, from_id: int, to_id: int
) -> list[int]:
    """Hand every row of `from_id` over to `to_id` in one UPDATE; the ids that moved."""
    table, column = model._meta.db_table, _column(model, field)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s RETURNING id',
            [to_id, from_id],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def merge_rows_return(
    model: type[models.Model], field: str, ids: list[int], *, from_id: int, to_id: int
) -> list[int]:
    """Undo of merge_rows_move: the rows of `ids` still on `from_id` go back to `to_id`
    (a row the survivor has lost since, to erasure or a later merge, stays where it is)."""
    if not ids:
        return []
    table, column = model._meta.db_table, _column(model, field)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "{column}" = %s '
            f'WHERE "{column}" = %s AND id = ANY(%s) RETURNING id',
            [to_id, from_id, ids],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _snapshot(customer: Customer) -> dict:
    """Every stored field of the record, to recreate it as it was."""
    row = {
        field.attname: _json(getattr(customer, field.attname))
        for field in Customer._meta.concrete_fields
        if not field.generated
    }
    row["id"] = customer.pk
    return row


# the absorbed record's contact points the survivor already has (same kind and value) are
# folded into the survivor's: its label fills in a blank one, the row is kept here
CONTACT_POINTS_FOLD = """
    WITH folded AS (
        DELETE FROM customers_contactpoint a
        USING customers_contactpoint s
        WHERE a.customer_id = %(absorbed)s AND s.customer_id = %(survivor)s
          AND s.kind = a.kind AND s.value = a.value
        RETURNING a.id, a.kind, a.value, a.label, a.created_at, s.id AS into_id,
                  s.label = '' AND a.label <> '' AS labelled
    ),
    labelled AS (
        UPDATE customers_contactpoint s SET label = f.label
        FROM folded f WHERE s.id = f.into_id AND f.labelled
    )
    SELECT id, kind, value, label, created_at, into_id, labelled FROM folded ORDER BY id
"""


def _core_move(survivor: Customer, absorbed: Customer) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(CONTACT_POINTS_FOLD, {"survivor": survivor.pk, "absorbed": absorbed.pk})
        folded = [
            {
                "id": pk,
                "kind": kind,
                "value": value,
                "label": label,
                "created_at": created_at.isoformat(),
                "into": into_id,
                "labelled": labelled,
            }
            for pk, kind, value, label, created_at, into_id, labelled in cursor.fetchall()
        ]
    rows = {
        _label(model): merge_rows_move(model, field, from_id=absorbed.pk, to_id=survivor.pk)
        for model, field in [*CORE_ROWS, (ContactPoint, "customer")]
    }
    filled = {}
    for name in FILLED_IN:
        if not getattr(survivor, name) and getattr(absorbed, name):
            filled[name] = {"old": _json(getattr(survivor, name))}
            setattr(survivor, name, getattr(absorbed, name))
            filled[name]["new"] = _json(getattr(survivor, name))
    for name, value in (
        ("needs", "\n".join(filter(None, [survivor.needs, absorbed.needs]))),
        ("tags", list(dict.fromkeys([*survivor.tags, *absorbed.tags]))),
    ):
        if value != getattr(survivor, name):
            filled[name] = {"old": getattr(survivor, name), "new": value}
            setattr(survivor, name, value)
    survivor.save()
    return {
        "survivor_id": survivor.pk,
        "rows": rows,
        "contact_points_folded": folded,
        "survivor_fields": filled,
    }


def _counts(moved: dict) -> dict:
    """Rows moved per table, across the apps: what the merge page and the audit say."""
    counts: dict[str, int] = {}
    for part in moved.values():
        for label, ids in part.get("rows", {}).items():
            counts[label] = counts.get(label, 0) + len(ids)
    return {label: count for label, count in counts.items() if count}


def customer_merge(
    *, survivor: Customer, absorbed: Customer, by: Agent, channel: str = "page"
) -> Customer:
    """Fold `absorbed` into `survivor`: every row of the absorbed record moves over (the
    satellites' through `extensions.customer_merged`), the absorbed record, owning
    nothing any more, is deleted, and the merge is recorded with enough to be undone."""
    if survivor.pk == absorbed.pk:
        raise DomainError(
            "same_customer", _("Choisissez deux fiches différentes."), field="absorbed"
        )
    if not by.user.has_perm(MERGE_CUSTOMERS):
        raise DomainError("forbidden", _("Seul un superviseur peut fusionner des fiches."))
    with transaction.atomic():
        # lock both: two supervisors may merge the same pair
        locked = {
            c.pk: c
            for c in Customer.objects.select_for_update()
            .filter(pk__in=[survivor.pk, absorbed.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise DomainError(
                "not_found", _("Une des deux fiches n'existe plus."), field="absorbed"
            )
        survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
        customer_ensure_writable(survivor)
        customer_ensure_writable(absorbed)
        snapshot = _snapshot(absorbed)
        moved = {CORE: _core_move(survivor, absorbed)}
        for receiver in extensions.customer_merged:
            receiver(survivor=survivor, absorbed=absorbed, moved=moved)
        merge = CustomerMerge.objects.create(
            survivor=survivor,
            absorbed_id=absorbed.pk,
            absorbed_snapshot=snapshot,
            moved=moved,
            merged_by=by,
        )
        # raises ProtectedError, and rolls everything back, if a row was left behind
        absorbed.delete()
        audit_record(
            user=by.user,
            action=AuditAction.MERGE,
            channel=channel,
            customer_ids=[survivor.pk, snapshot["id"]],
            code="audit.merge",
            params={"absorbed": snapshot["id"], "survivor": survivor.pk, "merge": merge.pk},
            changes={"moved": _counts(moved)},
        )
    return survivor


def customer_merge_undo(*, merge: CustomerMerge, by: Agent, channel: str = "page") -> Customer:
    """Undo a merge: the absorbed record comes back under its number, and every row the
    merge moved or folded goes back to it (the satellites' through
    `extensions.customer_merge_undone`). Rows the survivor got after the merge stay."""
    if not by.user.has_perm(MERGE_CUSTOMERS):
        raise DomainError("forbidden", _("Seul un superviseur peut annuler une fusion de fiches."))
    with transaction.atomic():
        merge = CustomerMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise DomainError("already_undone", _("Cette fusion a déjà été annulée."))
        core = merge.moved.get(CORE)
        if not core:
            raise DomainError(
                "not_undoable",
                _("Cette fusion date d'avant l'enregistrement des lignes déplacées."),
            )
        if core["survivor_id"] != merge.survivor_id:
            # the survivor was itself absorbed later: that merge comes undone first
            raise DomainError(
                "later_merge",
                _("La fiche n° %(id)s a été fusionnée depuis : annulez d'abord cette fusion.")
                % {"id": core["survivor_id"]},
            )
        if Customer.objects.filter(pk=merge.absorbed_id).exists():
            raise DomainError("already_undone", _("La fiche absorbée existe déjà."))
        survivor = Customer.objects.select_for_update().get(pk=merge.survivor_id)
        # erasure emptied the snapshot: nothing to bring back, and the survivor is read-only
        customer_ensure_writable(survivor)
        absorbed = Customer(**merge.absorbed_snapshot)
        # created_at is auto_now_add: the row comes back with its first date
        absorbed.save(force_insert=True)
        Customer.objects.filter(pk=absorbed.pk).update(
            created_at=merge.absorbed_snapshot["created_at"],
            updated_at=merge.absorbed_snapshot["updated_at"],
        )
        returned = _core_return(core, survivor=survivor, absorbed=absorbed)
        for receiver in extensions.customer_merge_undone:
            receiver(survivor=survivor, absorbed=absorbed, moved=merge.moved)
        merge.undone_at = timezone.now()
        merge.undone_by = by
        merge.save(update_fields=["undone_at", "undone_by"])
        audit_record(
            user=by.user,
            action=AuditAction.UNMERGE,
            channel=channel,
            customer_ids=[survivor.pk, absorbed.pk],
            code="audit.unmerge",
            params={"merge": merge.pk, "absorbed": absorbed.pk, "survivor": survivor.pk},
            changes={"returned": returned},
        )
    absorbed.refresh_from_db()
    return absorbed


def _core_return(core: dict, *, survivor: Customer, absorbed: Customer) -> dict:
    returned = {}
    for model, field in [*CORE_ROWS, (ContactPoint, "customer")]:
        ids = core["rows"].get(_label(model), [])
        back = merge_rows_return(model, field, ids, from_id=survivor.pk, to_id=absorbed.pk)
        if back:
            returned[_label(model)] = len(back)
    folded = core["contact_points_folded"]
    ContactPoint.objects.bulk_create(
        ContactPoint(
            id=row["id"],
            customer=absorbed,
            kind=row["kind"],
            value=row["value"],
            label=row["label"],
            created_at=row["created_at"],
        )
        for row in folded
    )
    # created_at is auto_now_add: give the folded rows back their own dates
    for row in folded:
        ContactPoint.objects.filter(pk=row["id"]).update(created_at=row["created_at"])
        if row["labelled"]:
            ContactPoint.objects.filter(pk=row["into"], label=row["label"]).update(label="")
    if folded:
        returned[_label(ContactPoint)] = returned.get(_label(ContactPoint), 0) + len(folded)
    # a field the merge filled in goes back unless someone changed it since
    survivor.refresh_from_db()
    restored = []
    for name, change in core["survivor_fields"].items():
        if _json(getattr(survivor, name)) == change["new"]:
            setattr(survivor, name, change["old"])
            restored.append(name)
    if restored:
        survivor.save(update_fields=[*restored, "updated_at"])
    return returned
