"""Writes about customers, split by sub-domain; import the use cases from here."""

from relation_client.customers.services.merges import (
    customer_merge,
    customer_merge_undo,
    merge_rows_move,
    merge_rows_return,
)
from relation_client.customers.services.records import (
    UPDATABLE,
    CustomerData,
    DuplicateSuspected,
    EditConflict,
    customer_create,
    customer_handover,
    customer_update,
)

__all__ = [
    "UPDATABLE",
    "CustomerData",
    "DuplicateSuspected",
    "EditConflict",
    "customer_create",
    "customer_handover",
    "customer_merge",
    "customer_merge_undo",
    "customer_update",
    "merge_rows_move",
    "merge_rows_return",
]
