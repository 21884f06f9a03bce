"""Reads about agencies and agents, partners and their compliance, skills and training."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone

from agences.models import (
    Agency,
    Agent,
    AgentAbsence,
    AgentSkill,
    AttendanceStatus,
    PartnerMember,
    Skill,
    SkillLevel,
    TrainingAttendance,
    TrainingSession,
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


def partner_member_trainings(
    *, member: PartnerMember, now: datetime.datetime | None = None, past_days: int = 90
) -> tuple[list[TrainingAttendance], list[TrainingAttendance]]:
    """The sessions a partner's person is invited to, upcoming (soonest first) and of the
    last `past_days` days: their own invitations only, nothing about anyone else."""
    now = now or timezone.now()
    invitations = TrainingAttendance.objects.filter(partner_member=member).select_related(
        "session__skill"
    )
    upcoming = list(
        invitations.filter(session__starts_at__gte=now).order_by("session__starts_at", "id")
    )
    recent = list(
        invitations.filter(
            session__starts_at__lt=now,
            session__starts_at__gte=now - datetime.timedelta(days=past_days),
        ).order_by("-session__starts_at", "-id")
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
