"""Reads about agencies and agents, partners and their compliance, skills and training."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agences.models import (
    Agency,
    Agent,
    AgentAbsence,
    AgentSkill,
    AttendanceStatus,
    Partner,
    PartnerCommitment,
    PartnerComplianceMonth,
    PartnerMember,
    Skill,
    SkillLevel,
    TrainingAttendance,
    TrainingSession,
)
from agences.months import next_month, paris_month_bounds
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Direction,
    Request,
    Touchpoint,
    TouchpointKind,
)


def agent_for_user(*, user) -> Agent | None:
    """The user's agent profile with its agency and role names (`role_names`, for the
    navigation), loaded once per request in one query."""
    if not hasattr(user, "_agent_cache"):
        user._agent_cache = (
            Agent.objects.select_related("agency")
            .annotate(role_names=ArrayAgg("user__groups__name", default=Value([])))
            .filter(user=user)
            .first()
        )
    return user._agent_cache


def agency_today(*, agency: Agency) -> dict:
    """Today's opening hours and team size of an agency, in Paris time."""
    today = timezone.localdate()
    return {
        "date": today,
        "hours": agency.opening_hours.get(str(today.isoweekday()), []),
        "team_size": agency.agents.count(),
    }


# --- Partners ----------------------------------------------------------------------------


def partner_member_for_user(*, user) -> PartnerMember | None:
    """The user's partner-staff profile with its partner, loaded once per request."""
    if not hasattr(user, "_partner_member_cache"):
        user._partner_member_cache = (
            PartnerMember.objects.select_related("partner").filter(user=user).first()
        )
    return user._partner_member_cache


def escalated_requests(*, partner_id: int) -> QuerySet[Request]:
    """Every request escalated to the partner — the only requests partner staff may see:
    open ones first, by deadline, then the answered and closed ones, newest first."""
    still_open = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Request.objects.filter(partner_id=partner_id, escalated_at__isnull=False)
        .select_related("customer", "reason", "agency")
        .annotate(closed_rank=still_open)
        .order_by("closed_rank", "deadline", "-escalated_at", "id")
    )


def escalated_request_for_partner(*, partner_id: int, pk: int) -> Request | None:
    """One request escalated to the partner, with what the partner needs to read: the
    escalation notes and the partner's own answers — not the customer's whole timeline.
    Another partner's request, or one never escalated, is None."""
    notes = (
        Touchpoint.objects.filter(
            Q(kind=TouchpointKind.ESCALATION) | Q(agent__isnull=True, direction=Direction.OUTBOUND)
        )
        .select_related("agent")
        .order_by("occurred_at", "id")
    )
    return (
        escalated_requests(partner_id=partner_id)
        .filter(pk=pk)
        .prefetch_related(Prefetch("touchpoints", queryset=notes, to_attr="partner_notes"))
        .first()
    )


@dataclass
class CommitmentMonth:
    commitment: PartnerCommitment
    snapshot: PartnerComplianceMonth | None


@dataclass
class PartnerMonth:
    partner: Partner
    month: datetime.date
    commitments: list[CommitmentMonth]
    requests: list[Request]
    computed_at: datetime.datetime | None


def partner_month(*, partner: Partner, month: datetime.date) -> PartnerMonth:
    """A partner's commitments in force during a Paris month with their compliance
    snapshot, and the requests escalated that month with their delay. Three queries."""
    following = next_month(month)
    commitments = list(
        partner.commitments.filter(starts_on__lt=following)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month))
        .order_by("party", "title")
    )
    snapshots = {
        s.commitment_id: s
        for s in PartnerComplianceMonth.objects.filter(partner=partner, month=month)
    }
    start, end = paris_month_bounds(month)
    delay = ExpressionWrapper(
        Coalesce("answered_at", "closed_at") - F("escalated_at"), output_field=DurationField()
    )
    requests = list(
        Request.objects.filter(partner=partner, escalated_at__gte=start, escalated_at__lt=end)
        .select_related("agency")
        .annotate(delay=delay)
        .order_by("escalated_at", "id")
    )
    for req in requests:
        # elapsed hours, as the commitments count them
        req.delay_hours = (
            Decimal(req.delay.total_seconds() / 3600).quantize(Decimal("0.1"))
            if req.delay is not None
            else None
        )
    rows = [CommitmentMonth(c, snapshots.get(c.pk)) for c in commitments]
    computed = [s.computed_at for s in snapshots.values()]
    return PartnerMonth(partner, month, rows, requests, max(computed) if computed else None)


@dataclass
class PartnerOverview:
    partner: Partner
    snapshots: list[PartnerComplianceMonth] = field(default_factory=list)


def partners_overview(*, month: datetime.date) -> list[PartnerOverview]:
    """Every partner with the month's compliance snapshot rows: two queries."""
    snapshots = PartnerComplianceMonth.objects.filter(month=month).select_related("commitment")
    partners = Partner.objects.order_by("name").prefetch_related(
        Prefetch("compliance", queryset=snapshots, to_attr="month_snapshots")
    )
    return [PartnerOverview(p, p.month_snapshots) for p in partners]


# --- Skills and academy -----------------------------------------------------------------


def agents_with_skill(
    skill_code: str, *, agency: Agency | None = None, min_level: int = SkillLevel.BASICS
) -> QuerySet[Agent]:
    """Agents holding a skill at `min_level` or above — for a language skill, also those
    who declare the language in their profile (level None) — best level first. Each agent
    carries `level` and `away_today`; `agency` narrows to one agency. Two queries."""
    skill = Skill.objects.filter(code=skill_code).first()
    if skill is None:
        return Agent.objects.none()
    held = AgentSkill.objects.filter(agent=OuterRef("pk"), skill=skill)
    has_skill = Exists(held.filter(level__gte=min_level))
    if skill.language_code:
        has_skill |= Q(languages__contains=[skill.language_code])
    today = timezone.localdate()
    away = AgentAbsence.objects.filter(agent=OuterRef("pk"), start__lte=today, end__gte=today)
    agents = Agent.objects.filter(has_skill, user__is_active=True)
    if agency is not None:
        agents = agents.filter(agency=agency)
    return (
        agents.select_related("agency")
        .annotate(level=Subquery(held.values("level")[:1]), away_today=Exists(away))
        .order_by(F("level").desc(nulls_last=True), "display_name", "id")
    )


@dataclass
class SkillCoverage:
    skill: Skill
    covered: int  # agents at "autonomous" or above

    def percent(self, team_size: int) -> int | None:
        return round(self.covered * 100 / team_size) if team_size else None


@dataclass
class AgencyTeamFigures:
    """Team-level figures only: no agent is named."""

    agency: Agency
    team_size: int
    training_hours: Decimal
    people_trained: int
    coverage: list[SkillCoverage]

    @property
    def hours_per_person(self) -> Decimal | None:
        if not self.team_size:
            return None
        return (self.training_hours / self.team_size).quantize(Decimal("0.1"))

    @property
    def coverage_rows(self) -> list[tuple[SkillCoverage, int | None]]:
        return [(c, c.percent(self.team_size)) for c in self.coverage]


def agency_team_figures(
    *, agencies: QuerySet[Agency] | list[Agency], since: datetime.datetime, until: datetime.datetime
) -> list[AgencyTeamFigures]:
    """Per agency: training hours attended by its agents between `since` and `until`,
    how many of them trained, and per skill how many agents are autonomous or better.
    Four grouped queries, whatever the number of agencies."""
    agencies = list(
        Agency.objects.filter(pk__in=[a.pk for a in agencies])
        .annotate(team_size=Count("agents", filter=Q(agents__user__is_active=True)))
        .order_by("name")
    )
    ids = [a.pk for a in agencies]
    hours = {
        row["agent__agency_id"]: row
        for row in TrainingAttendance.objects.filter(
            status=AttendanceStatus.ATTENDED,
            agent__agency_id__in=ids,
            session__starts_at__gte=since,
            session__starts_at__lt=until,
        )
        .values("agent__agency_id")
        .annotate(hours=Sum("session__duration_hours"), people=Count("agent_id", distinct=True))
        .order_by()
    }
    covered = {
        (row["agent__agency_id"], row["skill_id"]): row["n"]
        for row in AgentSkill.objects.filter(
            agent__agency_id__in=ids,
            agent__user__is_active=True,
            level__gte=SkillLevel.AUTONOMOUS,
        )
        .values("agent__agency_id", "skill_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    skills = list(Skill.objects.order_by("category", "label"))
    figures = []
    for agency in agencies:
        row = hours.get(agency.pk, {})
        figures.append(
            AgencyTeamFigures(
                agency=agency,
                team_size=agency.team_size,
                training_hours=row.get("hours") or Decimal("0"),
                people_trained=row.get("people", 0),
                coverage=[SkillCoverage(s, covered.get((agency.pk, s.pk), 0)) for s in skills],
            )
        )
    return figures


@dataclass
class AgentDevelopment:
    """One agent's skills and trainings: for the agent and their manager only."""

    agent: Agent
    skills: list[AgentSkill]
    trainings: list[TrainingAttendance]
    hours_last_year: Decimal


def agent_development(*, agent: Agent, now: datetime.datetime | None = None) -> AgentDevelopment:
    now = now or timezone.now()
    skills = list(
        agent.skills.select_related("skill", "assessed_by").order_by(
            "skill__category", "skill__label"
        )
    )
    trainings = list(
        agent.trainings.select_related("session", "session__skill").order_by("-session__starts_at")
    )
    year_ago = now - datetime.timedelta(days=365)
    hours = sum(
        (
            t.session.duration_hours
            for t in trainings
            if t.status == AttendanceStatus.ATTENDED and year_ago <= t.session.starts_at < now
        ),
        Decimal("0"),
    )
    return AgentDevelopment(agent, skills, trainings, hours)


def training_sessions(
    *, now: datetime.datetime | None = None, agent: Agent | None = None, past_days: int = 90
) -> tuple[list[TrainingSession], list[TrainingSession]]:
    """Upcoming sessions (soonest first) and those of the last `past_days` days (newest
    first), each with `registered` (its participant count) and `mine` (is the agent in?)."""
    now = now or timezone.now()
    mine = (
        Exists(TrainingAttendance.objects.filter(session=OuterRef("pk"), agent=agent))
        if agent is not None
        else Value(False)
    )
    sessions = TrainingSession.objects.select_related("skill").annotate(
        registered=Count("attendances"), mine=mine
    )
    upcoming = list(sessions.filter(starts_at__gte=now).order_by("starts_at", "id"))
    recent = list(
        sessions.filter(
            starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=past_days)
        ).order_by("-starts_at", "-id")
    )
    return upcoming, recent


def session_with_attendance(*, pk: int) -> TrainingSession | None:
    attendances = TrainingAttendance.objects.select_related(
        "agent__agency", "partner_member__partner"
    ).order_by("id")
    return (
        TrainingSession.objects.filter(pk=pk)
        .select_related("skill")
        .prefetch_related(Prefetch("attendances", queryset=attendances))
        .first()
    )


@dataclass
class AgencySatisfaction:
    """The customer satisfaction of one month (every channel), from the satisfaction
    snapshots: the network's row and each agency's (an agency without one had no answer).
    The rows are satisfaction.models.GapSnapshot."""

    period: datetime.date | None = None
    network: object | None = None
    by_agency: dict[int, object] = field(default_factory=dict)


def agency_satisfaction_figures(
    *, agencies: list[Agency], now: datetime.datetime | None = None
) -> AgencySatisfaction:
    """The latest complete Paris month the network has satisfaction figures for, with the
    network's row and these agencies' rows of that month — the same month for all, so
    they compare. One query, whatever the number of agencies."""
    from satisfaction.models import GapSnapshot, PeriodKind

    now = now or timezone.now()
    current = timezone.localtime(now).date().replace(day=1)
    monthly = GapSnapshot.objects.filter(period_kind=PeriodKind.MONTH, channel="")
    latest = (
        monthly.filter(agency__isnull=True, period__lt=current)
        .order_by("-period")
        .values("period")[:1]
    )
    figures = AgencySatisfaction()
    for row in monthly.filter(
        Q(agency__isnull=True) | Q(agency_id__in=[a.pk for a in agencies]),
        period=Subquery(latest),
    ):
        figures.period = row.period
        if row.agency_id is None:
            figures.network = row
        else:
            figures.by_agency[row.agency_id] = row
    return figures
