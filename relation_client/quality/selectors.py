"""What the sampling pages read: a few aggregate queries, per team and per segment.
Nothing here selects or returns the agent who handled a request."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from relation_client.quality.models import CONFORMING, Quality, Sample, SampledRequest

REVIEWED = Q(reviewed_at__isnull=False)


@dataclass(frozen=True)
class Line:
    label: str
    drawn: int
    reviewed: int
    conforming: int
    quality_good: int
    deadline_kept: int
    customer_named: int
    follow_up_done: int

    @property
    def rate(self) -> float | None:
        return self.conforming * 100 / self.reviewed if self.reviewed else None


_FIGURES = {
    "drawn": Count("id"),
    "reviewed": Count("id", filter=REVIEWED),
    "conforming": Count("id", filter=CONFORMING),
    "quality_good": Count("id", filter=REVIEWED & Q(quality=Quality.GOOD)),
    "deadline_kept": Count("id", filter=REVIEWED & Q(deadline_kept=True)),
    "customer_named": Count("id", filter=REVIEWED & Q(customer_named=True)),
    "follow_up_done": Count("id", filter=REVIEWED & Q(follow_up_done=True)),
}


def _lines(items, key: str, label: str) -> list[Line]:
    rows = items.values(key, label).annotate(**_FIGURES).order_by(label)
    return [
        Line(
            label=row[label] or "",
            **{name: row[name] for name in _FIGURES},
        )
        for row in rows
    ]


def results(*, agencies, since: datetime.date) -> dict:
    """Per team (agency) and per segment, the samples of the weeks from `since` on."""
    items = SampledRequest.objects.filter(sample__agency__in=agencies, sample__week__gte=since)
    return {
        "teams": _lines(items, "sample__agency_id", "sample__agency__name"),
        "segments": _lines(
            items, "request__customer__segment_id", "request__customer__segment__name"
        ),
    }


def samples_of(*, agency, limit: int = 8) -> list[Sample]:
    """The agency's latest samples, with their progress."""
    return list(
        Sample.objects.filter(agency=agency)
        .annotate(
            drawn=Count("items"),
            reviewed=Count("items", filter=Q(items__reviewed_at__isnull=False)),
            conforming=Count(
                "items",
                filter=Q(
                    items__reviewed_at__isnull=False,
                    items__quality=Quality.GOOD,
                    items__deadline_kept=True,
                    items__customer_named=True,
                    items__follow_up_done=True,
                ),
            ),
        )
        .order_by("-week")[:limit]
    )
