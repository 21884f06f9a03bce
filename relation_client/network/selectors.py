"""Reads of the network: the disruptions list, one disruption."""

from django.db.models import Prefetch, QuerySet

from relation_client.network.models import Disruption, Line


def disruptions_list() -> QuerySet[Disruption]:
    """Most recent first, each with its lines (two queries a page)."""
    return Disruption.objects.select_related("created_by").prefetch_related(
        Prefetch("lines", queryset=Line.objects.order_by("short_name"))
    )
