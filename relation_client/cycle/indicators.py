"""The registry of indicators a control can name.

An indicator has a code, a French label, a unit, a direction (is a higher value better?)
and a function that computes its current value for a segment — or no function at all
for an indicator whose value is typed by hand ("manual").

Another app makes its indicators available to the cycle from its AppConfig.ready():

    from relation_client.cycle.indicators import register

    def lapsed_won_back(*, segment, now):
        # read your own snapshot rows; return a Decimal, or None when there is no data
        ...

    register("reconquest_won_back", _("Abonnés reconquis (%)"), lapsed_won_back, unit="%")

The function takes keyword arguments `segment` (customers.Segment) and `now` (an aware
datetime) and returns a Decimal or None. It runs when a manager measures a control (or
when the nightly task measures the open rounds' controls); its value is stored on the
control, so the board reads stored values only. A control keeps a copy of the label,
unit and direction, so a round's record still reads right if an indicator goes away.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from relation_client.customers.models import Customer, Segment
from relation_client.touchpoints.models import Request, Touchpoint, TouchpointKind

Compute = Callable[..., Decimal | None]

MANUAL = "manual"
WINDOW = datetime.timedelta(days=30)  # the built-in indicators look at the last 30 days


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    compute: Compute | None
    unit: str = ""
    higher_is_better: bool = True

    @property
    def is_manual(self) -> bool:
        return self.compute is None


_REGISTRY: dict[str, Indicator] = {}


def register(
    code: str,
    label,
    compute: Compute | None = None,
    *,
    unit: str = "",
    higher_is_better: bool = True,
) -> Indicator:
    """Make an indicator available to controls. Registering the same code twice with
    another function is a programming error: two apps would fight over one code."""
    found = _REGISTRY.get(code)
    if found is not None and found.compute is not compute:
        raise ValueError(f"Indicator {code!r} is already registered by another function.")
    indicator = Indicator(code, label, compute, unit, higher_is_better)
    _REGISTRY[code] = indicator
    return indicator


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def choices() -> list[tuple[str, str]]:
    """(code, label) for a form, computed indicators first, the manual one last."""
    indicators = sorted(_REGISTRY.values(), key=lambda i: (i.is_manual, str(i.label)))
    return [(i.code, i.label) for i in indicators]


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Built-in indicators -----------------------------------------------------------------


def requests_on_time(*, segment: Segment, now: datetime.datetime) -> Decimal | None:
    """Share (%) of the segment's requests opened in the last 30 days that got their answer
    (or were closed) before their deadline, among those answered or already past it."""
    done = Coalesce("answered_at", "closed_at")
    counts = (
        Request.objects.filter(
            customer__segment=segment, opened_at__gte=now - WINDOW, opened_at__lt=now
        )
        .annotate(done=done)
        .aggregate(
            settled=Count("id", filter=Q(done__isnull=False) | Q(deadline__lt=now)),
            on_time=Count("id", filter=Q(done__isnull=False, done__lte=F("deadline"))),
        )
    )
    if not counts["settled"]:
        return None
    return _one_decimal(counts["on_time"] * 100 / counts["settled"])


def requests_median_delay(*, segment: Segment, now: datetime.datetime) -> Decimal | None:
    """Median time (elapsed hours) from opening to answer of the segment's requests
    answered in the last 30 days."""
    sql = f"""
        SELECT percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY EXTRACT(EPOCH FROM r.answered_at - r.opened_at) / 3600)
          FROM {Request._meta.db_table} r
          JOIN {Customer._meta.db_table} c ON c.id = r.customer_id
         WHERE c.segment_id = %s AND r.answered_at >= %s AND r.answered_at < %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [segment.pk, now - WINDOW, now])
        (median,) = cursor.fetchone()
    return _one_decimal(median)


def identification_rate(*, segment: Segment, now: datetime.datetime) -> Decimal | None:
    """Share (%) of the network's exchanges of the last 30 days with a named customer.
    Network-wide: an unnamed caller belongs to no segment, so a per-segment rate would
    always be 100 %."""
    counts = Touchpoint.objects.filter(
        kind=TouchpointKind.INTERACTION, occurred_at__gte=now - WINDOW, occurred_at__lt=now
    ).aggregate(named=Count("customer_id"), total=Count("id"))
    if not counts["total"]:
        return None
    return _one_decimal(counts["named"] * 100 / counts["total"])


register(
    "requests_on_time",
    _("Demandes répondues dans le délai (%, 30 jours)"),
    requests_on_time,
    unit="%",
)
register(
    "requests_median_delay",
    _("Délai médian de réponse aux demandes (heures, 30 jours)"),
    requests_median_delay,
    unit="h",
    higher_is_better=False,
)
register(
    "identification_rate",
    _("Taux d'identification du réseau (%, 30 jours)"),
    identification_rate,
    unit="%",
)
register(MANUAL, _("Autre indicateur (valeur saisie)"))
