"""The dashboard: snapshot rows only, and the recompute runs behind them."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Max,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reconquete.models import INDICATORS_RUN, ReconquestSnapshot, SnapshotDimension
from relation_client.runs.models import BackgroundRun
from relation_client.runs.selectors import run_for, run_latest
from relation_client.touchpoints.models import Channel

TREND_MONTHS = 12


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def latest_period() -> datetime.date | None:
    return ReconquestSnapshot.objects.aggregate(latest=Max("period"))["latest"]


@dataclass
class Figure:
    code: str
    label: str
    value: object
    previous: object
    unit: str = ""  # "%" for rates; "j" for days
    drill: str | None = None  # the drill-down kind, when customers stand behind it

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class CampaignResult:
    key: str
    label: str
    first_period: datetime.date
    targeted: int
    contacted: int
    reached: int
    accepted: int
    won_back: int
    cohort: int
    won_back_30: int
    won_back_90: int

    @property
    def rate_30(self):
        return ReconquestSnapshot._ratio(self.won_back_30, self.cohort)

    @property
    def rate_90(self):
        return ReconquestSnapshot._ratio(self.won_back_90, self.cohort)


@dataclass
class Dashboard:
    period: datetime.date
    agency_id: int | None
    dimension: str
    key: str
    current: ReconquestSnapshot | None
    previous: ReconquestSnapshot | None
    periods: list[datetime.date] = field(default_factory=list)
    trend: list[ReconquestSnapshot | None] = field(default_factory=list)
    agencies: list[ReconquestSnapshot] = field(default_factory=list)
    segments: list[ReconquestSnapshot] = field(default_factory=list)
    channels: list[ReconquestSnapshot] = field(default_factory=list)
    campaigns: list[CampaignResult] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


FIGURES = [
    # code, label, unit, drill-down kind
    ("lost", gettext_lazy("Clients perdus"), "", "lost"),
    ("targeted", gettext_lazy("Clients ciblés"), "", "targeted"),
    ("contacted", gettext_lazy("Contactés"), "", "contacted"),
    ("reached", gettext_lazy("Joints"), "", "reached"),
    ("accepted", gettext_lazy("Offres acceptées"), "", "accepted"),
    ("won_back", gettext_lazy("Reconquis"), "", "won_back"),
    ("rate_30", gettext_lazy("Taux de reconquête à 30 jours"), "%", "won_back_30"),
    ("rate_90", gettext_lazy("Taux de reconquête à 90 jours"), "%", "won_back_90"),
    ("median_days", gettext_lazy("Délai médian de reconquête"), "j", "won_back"),
    ("recovery", gettext_lazy("Fréquentation retrouvée"), "%", "recovery"),
    ("new_customers", gettext_lazy("Nouveaux clients"), "", "new_customers"),
]
# the figures that make sense for each breakdown
DIMENSION_FIGURES = {
    SnapshotDimension.TOTAL: {
        "lost",
        "contacted",
        "reached",
        "accepted",
        "won_back",
        "rate_30",
        "rate_90",
        "median_days",
        "recovery",
        "new_customers",
    },
    SnapshotDimension.SEGMENT: {
        "lost",
        "contacted",
        "reached",
        "accepted",
        "won_back",
        "rate_30",
        "rate_90",
        "median_days",
        "recovery",
        "new_customers",
    },
    SnapshotDimension.CAMPAIGN: {
        "targeted",
        "contacted",
        "reached",
        "accepted",
        "won_back",
        "rate_30",
        "rate_90",
        "median_days",
    },
}


def _figures(current, previous, dimension: str) -> list[Figure]:
    wanted = DIMENSION_FIGURES[dimension]
    result = []
    for code, label, unit, drill in FIGURES:
        if code not in wanted:
            continue
        value = getattr(current, code, None) if current else None
        before = getattr(previous, code, None) if previous else None
        if code == "median_days":
            value = round(value, 1) if value is not None else None
            before = round(before, 1) if before is not None else None
        result.append(Figure(code, str(label), value, before, unit, drill))
    return result


def dashboard_snapshot(
    *,
    period: datetime.date,
    agency_id: int | None,
    segment_id: str | None = None,
    campaign_id: str | None = None,
    compare_agencies: bool = False,
) -> Dashboard:
    """The dashboard of one month for a scope (network or agency), optionally narrowed to
    a segment or a campaign: two queries on the snapshot table."""
    if campaign_id is not None:
        dimension, key = SnapshotDimension.CAMPAIGN, str(campaign_id)
    elif segment_id is not None:
        dimension, key = SnapshotDimension.SEGMENT, str(segment_id)
    else:
        dimension, key = SnapshotDimension.TOTAL, ""
    first = add_months(period, -(TREND_MONTHS - 1))
    scope = Q(agency_id=agency_id) if agency_id else Q(agency__isnull=True)
    wanted = Q(period__range=(first, period)) & (
        (scope & Q(dimension=dimension, key=key))
        | (scope & Q(period=period, dimension__in=["segment", "channel"]))
    )
    if compare_agencies:
        wanted |= Q(period=period, dimension="total")
    rows = list(ReconquestSnapshot.objects.filter(wanted).order_by("period", "label", "key"))
    by_period = {
        r.period: r
        for r in rows
        if r.dimension == dimension and r.key == key and r.agency_id == agency_id
    }
    board = Dashboard(
        period=period,
        agency_id=agency_id,
        dimension=dimension,
        key=key,
        current=by_period.get(period),
        previous=by_period.get(add_months(period, -1)),
    )
    board.periods = [add_months(first, i) for i in range(TREND_MONTHS)]
    board.trend = [by_period.get(month) for month in board.periods]
    board.agencies = [
        r
        for r in rows
        if compare_agencies and r.period == period and r.dimension == "total" and r.agency_id
    ]
    board.segments = [
        r
        for r in rows
        if r.period == period and r.dimension == "segment" and r.agency_id == agency_id
    ]
    board.channels = [
        r
        for r in rows
        if r.period == period and r.dimension == "channel" and r.agency_id == agency_id
    ]
    for row in board.channels:
        row.label = str(Channel(row.key).label) if row.key in Channel.values else row.key
    for row in board.segments:
        row.label = row.label or _("Sans segment")
    board.campaigns = campaign_results(period=period, agency_id=agency_id)
    board.figures = _figures(board.current, board.previous, dimension)
    return board


def campaign_results(*, period: datetime.date, agency_id: int | None) -> list[CampaignResult]:
    """Each campaign's results from its launch to the end of the month; the counts add
    up across months (a customer counts once, in the month it happened first)."""
    scope = Q(agency_id=agency_id) if agency_id else Q(agency__isnull=True)
    rows = (
        ReconquestSnapshot.objects.filter(scope, dimension="campaign", period__lte=period)
        .values("key")
        .annotate(
            name=Max("label"),
            first_period=Min("period"),
            targeted_sum=Coalesce(Sum("targeted"), 0),
            contacted_sum=Coalesce(Sum("contacted"), 0),
            reached_sum=Coalesce(Sum("reached"), 0),
            accepted_sum=Coalesce(Sum("accepted"), 0),
            won_back_sum=Coalesce(Sum("won_back"), 0),
            cohort_sum=Coalesce(Sum("cohort"), 0),
            w30=Coalesce(Sum("won_back_30"), 0),
            w90=Coalesce(Sum("won_back_90"), 0),
        )
        .order_by("-targeted_sum", "key")
    )
    return [
        CampaignResult(
            key=r["key"],
            label=r["name"],
            first_period=r["first_period"],
            targeted=r["targeted_sum"],
            contacted=r["contacted_sum"],
            reached=r["reached_sum"],
            accepted=r["accepted_sum"],
            won_back=r["won_back_sum"],
            cohort=r["cohort_sum"],
            won_back_30=r["w30"],
            won_back_90=r["w90"],
        )
        for r in rows
    ]


def recompute_run_latest() -> BackgroundRun | None:
    return run_latest(kind=INDICATORS_RUN)


def recompute_run(*, run_id: int) -> BackgroundRun | None:
    """A recompute run as its progress bar polls it: the worker keeps the row current."""
    return run_for(kind=INDICATORS_RUN, run_id=run_id)
