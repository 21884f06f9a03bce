"""Reads of the satisfaction app. The dashboard reads snapshot rows only."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from agences.models import Agency, Agent
from agences.permissions import VIEW_AGENCY_FIGURES, VIEW_NETWORK_FIGURES
from relation_client.runs.models import BackgroundRun
from relation_client.runs.selectors import run_for, run_latest
from satisfaction.common import month_of, token_hash
from satisfaction.models import (
    INDICATORS_RUN,
    MIN_SAMPLE,
    ChannelSampling,
    GapSnapshot,
    IncivilityReport,
    PeriodKind,
    PulseMarker,
    ResponseSnapshot,
    SurveyInvitation,
    SurveyKind,
    TeamBarometer,
    TeamSnapshot,
)

TREND_MONTHS = 24
WIDEST = 5

# --- Surveys ------------------------------------------------------------------------


def estimate_kind_for_channel(*, channel: str) -> str:
    """The scale an agent estimates on after a touchpoint on this channel: the one of the
    survey the customer may receive (CSAT when the channel has none)."""
    sampling = ChannelSampling.objects.select_related("survey").filter(channel=channel).first()
    return sampling.survey.kind if sampling else SurveyKind.CSAT


def invitation_for_token(*, token: str) -> SurveyInvitation | None:
    """The invitation behind a link, with what its page shows, or None."""
    if not token or len(token) > 100:
        return None
    return (
        SurveyInvitation.objects.select_related("survey", "agent", "customer")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_state(invitation: SurveyInvitation, now: datetime.datetime) -> str:
    """'open', 'answered' or 'expired'."""
    if invitation.answered_at is not None:
        return "answered"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


# --- Staff ----------------------------------------------------------------------------


def pulse_answered(*, agent: Agent, period: datetime.date | None = None) -> bool:
    period = (period or month_of()).replace(day=1)
    return PulseMarker.objects.filter(agent=agent, period=period).exists()


def barometer_of(*, agent: Agent, period: datetime.date | None = None) -> TeamBarometer | None:
    period = (period or month_of()).replace(day=1)
    return TeamBarometer.objects.filter(agent=agent, period=period).first()


def _incivility_scope(*, agent: Agent, user) -> Q:
    """Reports about an agent are seen by that agent, whoever filed them, and the
    agency's supervisors and managers (the network direction sees every agency)."""
    if user.has_perm(VIEW_NETWORK_FIGURES):
        return Q()
    mine = Q(agent=agent) | Q(reported_by=agent)
    if user.has_perm(VIEW_AGENCY_FIGURES):
        return mine | Q(agency_id=agent.agency_id)
    return mine


def incivility_list(*, agent: Agent, user) -> QuerySet[IncivilityReport]:
    return (
        IncivilityReport.objects.filter(_incivility_scope(agent=agent, user=user))
        .select_related("agent", "agency", "customer")
        .order_by("-occurred_at", "-id")
    )


def incivility_for_viewer(*, agent: Agent, user, pk: int) -> IncivilityReport | None:
    return (
        IncivilityReport.objects.filter(_incivility_scope(agent=agent, user=user), pk=pk)
        .select_related(
            "agent", "agency", "customer", "reported_by", "acknowledged_by", "closed_by"
        )
        .first()
    )


def incivility_can_follow_up(*, agent: Agent, user, report: IncivilityReport) -> bool:
    """Supervisors and managers of the report's agency, or the network direction; never
    the agent the report is about."""
    if report.agent_id == agent.pk:
        return False
    if user.has_perm(VIEW_NETWORK_FIGURES):
        return True
    return user.has_perm(VIEW_AGENCY_FIGURES) and report.agency_id == agent.agency_id


# --- Dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilter:
    period_kind: str = PeriodKind.YEAR
    period: datetime.date | None = None
    agency: Agency | None = None  # None: the whole network
    channel: str = ""  # "": every channel


@dataclass
class AgencyFigures:
    agency: Agency
    gap: GapSnapshot | None = None
    team: TeamSnapshot | None = None
    responses: ResponseSnapshot | None = None


@dataclass
class ResponseTable:
    by_survey: list[ResponseSnapshot] = field(default_factory=list)
    by_channel: list[ResponseSnapshot] = field(default_factory=list)
    total: ResponseSnapshot | None = None


@dataclass
class Dashboard:
    filters: DashboardFilter
    periods: list[datetime.date]
    min_sample: int = MIN_SAMPLE
    summary: GapSnapshot | None = None
    channels: list[GapSnapshot] = field(default_factory=list)
    trend: list[GapSnapshot] = field(default_factory=list)
    team: TeamSnapshot | None = None
    team_trend: list[TeamSnapshot] = field(default_factory=list)
    responses: ResponseTable = field(default_factory=ResponseTable)
    agencies: list[AgencyFigures] = field(default_factory=list)
    widest: list[AgencyFigures] = field(default_factory=list)
    last_run: BackgroundRun | None = None

    @property
    def network_view(self) -> bool:
        return self.filters.agency is None


def _period_end(kind: str, start: datetime.date) -> datetime.date:
    """The first day of the last month of the period."""
    months = {PeriodKind.MONTH: 0, PeriodKind.QUARTER: 2, PeriodKind.YEAR: 11}[kind]
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _months_before(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def dashboard_periods(*, period_kind: str) -> list[datetime.date]:
    """The periods of this kind that have figures, newest first."""
    return list(
        GapSnapshot.objects.filter(period_kind=period_kind, agency=None, channel="")
        .order_by("-period")
        .values_list("period", flat=True)
    )


def dashboard_frame(*, filters: DashboardFilter) -> Dashboard:
    """What surrounds the figures: the periods that have some, the period shown (the
    newest unless one is asked for) and the latest recompute. Two queries."""
    periods = dashboard_periods(period_kind=filters.period_kind)
    last_run = run_latest(kind=INDICATORS_RUN)
    if not periods:
        return Dashboard(filters=filters, periods=[], last_run=last_run)
    period = filters.period if filters.period in periods else periods[0]
    filters = DashboardFilter(filters.period_kind, period, filters.agency, filters.channel)
    return Dashboard(filters=filters, periods=periods, last_run=last_run)


def dashboard(*, filters: DashboardFilter, frame: Dashboard | None = None) -> Dashboard:
    """Every figure of the dashboard for one period and scope, from the snapshot rows:
    a fixed number of queries, however many answers the snapshots summarise. `frame`:
    the `dashboard_frame` of these filters, if the caller has it already."""
    board = frame or dashboard_frame(filters=filters)
    if not board.periods:
        return board
    filters, period = board.filters, board.filters.period
    agency_id = filters.agency.pk if filters.agency else None
    in_period = {"period_kind": filters.period_kind, "period": period}

    # the period's rows of the scope, every channel: the summary and the channel table
    for row in GapSnapshot.objects.filter(agency_id=agency_id, **in_period).order_by("channel"):
        if row.channel == filters.channel:
            board.summary = row
        if row.channel:
            board.channels.append(row)

    end = _period_end(filters.period_kind, period)
    board.trend = list(
        GapSnapshot.objects.filter(
            period_kind=PeriodKind.MONTH,
            agency_id=agency_id,
            channel=filters.channel,
            period__gt=_months_before(end, TREND_MONTHS),
            period__lte=end,
        ).order_by("period")
    )
    board.team_trend = []
    for row in TeamSnapshot.objects.filter(
        Q(**in_period) | Q(period_kind=PeriodKind.MONTH, period__gt=_months_before(end, 12)),
        agency_id=agency_id,
        period__lte=end,
    ).order_by("period"):
        if row.period_kind == filters.period_kind and row.period == period:
            board.team = row
        if row.period_kind == PeriodKind.MONTH:
            board.team_trend.append(row)

    responses = ResponseSnapshot.objects.filter(**in_period).select_related("survey")
    if board.network_view:
        responses = responses.filter(Q(agency=None) | Q(survey=None, channel=""))
    else:
        responses = responses.filter(agency_id=agency_id)
    per_agency: dict[int, ResponseSnapshot] = {}
    for row in responses.order_by("survey__name", "channel"):
        if row.agency_id != agency_id:
            per_agency[row.agency_id] = row
        elif row.survey_id and not row.channel:
            board.responses.by_survey.append(row)
        elif not row.survey_id and row.channel:
            board.responses.by_channel.append(row)
        elif not row.survey_id and not row.channel:
            board.responses.total = row

    if board.network_view:
        figures: dict[int, AgencyFigures] = {}
        for row in (
            GapSnapshot.objects.filter(agency__isnull=False, channel=filters.channel, **in_period)
            .select_related("agency")
            .order_by("agency__name")
        ):
            figures[row.agency_id] = AgencyFigures(agency=row.agency, gap=row)
        for row in TeamSnapshot.objects.filter(agency__isnull=False, **in_period).select_related(
            "agency"
        ):
            figures.setdefault(row.agency_id, AgencyFigures(agency=row.agency)).team = row
        for agency_pk, row in per_agency.items():
            if agency_pk in figures:
                figures[agency_pk].responses = row
        board.agencies = sorted(figures.values(), key=lambda item: item.agency.name)
        # a team tool: agencies side by side and where the gap is widest, never agents
        board.widest = sorted(
            (item for item in board.agencies if item.gap and item.gap.gap is not None),
            key=lambda item: -abs(item.gap.gap),
        )[:WIDEST]
    return board


def gap_export(*, filters: DashboardFilter) -> QuerySet[GapSnapshot]:
    """The snapshot rows behind the dashboard, every period of the kind, for the CSV."""
    rows = GapSnapshot.objects.filter(period_kind=filters.period_kind)
    if filters.agency is not None:
        rows = rows.filter(agency=filters.agency)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    return rows.select_related("agency").order_by("period", "agency__name", "channel")


def recompute_status(*, run_id: int) -> BackgroundRun | None:
    """A recompute run as its progress bar polls it: the worker keeps the row current."""
    return run_for(kind=INDICATORS_RUN, run_id=run_id)
