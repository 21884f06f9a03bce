"""Reads of the network: the disruptions list, a disruption's call list and contact counts
(its riders: riders.py)."""

from django.db.models import Count, Prefetch, QuerySet

from relation_client.customers.models import ContactKind, ContactPoint
from relation_client.network.models import ContactChannel, Disruption, DisruptionContact, Line


def disruptions_list() -> QuerySet[Disruption]:
    """Most recent first, each with its lines (two queries a page)."""
    return Disruption.objects.select_related("created_by").prefetch_related(
        Prefetch("lines", queryset=Line.objects.order_by("short_name"))
    )


def call_list(*, disruption: Disruption) -> list[DisruptionContact]:
    """The priority riders to call (no e-mail or SMS consent), with their phone numbers:
    two queries."""
    return list(
        disruption.contacts.filter(channel=ContactChannel.CALL)
        .select_related("customer__segment")
        .prefetch_related(
            Prefetch(
                "customer__contact_points",
                queryset=ContactPoint.objects.filter(kind=ContactKind.PHONE).order_by("id"),
                to_attr="phones",
            )
        )
        .order_by("customer__last_name", "customer__first_name", "id")
    )


def contact_counts(*, disruption: Disruption) -> dict[str, int]:
    """How many riders were drawn into each group, and by which channel: one query."""
    counts = {"contacted": 0, "held_out": 0, "email": 0, "sms": 0, "call": 0, "none": 0}
    rows = disruption.contacts.values("group", "channel").annotate(count=Count("id"))
    for row in rows:
        counts[row["group"]] += row["count"]
        if row["channel"]:
            counts[row["channel"]] += row["count"]
    return counts
