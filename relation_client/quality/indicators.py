"""The sampling control as an indicator of the loyalty cycle (relation_client.cycle
.indicators), registered from QualityConfig.ready()."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from relation_client.customers.models import Segment
from relation_client.quality.models import CONFORMING, SampledRequest

INDICATOR = "quality_sample"
WINDOW = datetime.timedelta(days=30)


def sample_conformity(*, segment: Segment, now: datetime.datetime) -> Decimal | None:
    """Share (%) of conforming requests among the segment's sampled requests reviewed in
    the last 30 days, all agencies together."""
    counts = SampledRequest.objects.filter(
        request__customer__segment=segment,
        reviewed_at__gte=now - WINDOW,
        reviewed_at__lt=now,
    ).aggregate(reviewed=Count("id"), conforming=Count("id", filter=CONFORMING))
    if not counts["reviewed"]:
        return None
    value = Decimal(counts["conforming"] * 100) / counts["reviewed"]
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
