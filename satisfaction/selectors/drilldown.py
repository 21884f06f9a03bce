"""The rows behind a dashboard figure: live tables, one page at a time.

Each drill-down reads the same rows, over the same Paris period, as the snapshot compute
(satisfaction/services/indicators.py) counted: answers and their touchpoints by the
touchpoint's moment, invitations by their sending, incivilities by their date. The agent's
name is never selected: a team tool ranks nobody."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from agences.models import Agency, Agent
from satisfaction.models import (
    AgentEstimate,
    IncivilityDirection,
    IncivilityReport,
    PeriodKind,
    SurveyAnswer,
    SurveyInvitation,
)
from satisfaction.selectors import _period_end, incivility_list

PARIS = ZoneInfo("Europe/Paris")  # the compute's periods are Paris months

DRILL_KINDS = {
    "reponses": gettext_lazy("Réponses des clients"),
    "ecart": gettext_lazy("Contacts avec une estimation du personnel"),
    "invitations": gettext_lazy("Invitations envoyées"),
    "incivilites": gettext_lazy("Signalements d'incivilités"),
}


@dataclass(frozen=True)
class DrillFilter:
    period_kind: str
    period: datetime.date
    agency: Agency | None = None  # None: the whole network
    channel: str = ""  # "": every channel
    survey_kind: str = ""  # "": every survey
    direction: str = ""  # incivilities only; "": both directions
    answered: bool | None = None  # invitations only; None: sent, answered or not


def period_start(period_kind: str, day: datetime.date) -> datetime.date:
    """The first day of the period of this kind holding `day`."""
    if period_kind == PeriodKind.YEAR:
        return day.replace(month=1, day=1)
    if period_kind == PeriodKind.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def period_bounds(
    period_kind: str, start: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[first Paris midnight of the period, first Paris midnight after it)."""
    last = _period_end(period_kind, start)
    after = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)

    def midnight(day):
        return datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)

    return midnight(start), midnight(after)


def _invitation_scope(filters: DrillFilter, prefix: str = "") -> dict:
    lookups = {}
    if filters.agency is not None:
        lookups[f"{prefix}agency"] = filters.agency
    if filters.channel:
        lookups[f"{prefix}channel"] = filters.channel
    if filters.survey_kind:
        lookups[f"{prefix}survey__kind"] = filters.survey_kind
    return lookups


def drill_answers(*, filters: DrillFilter, paired: bool = False) -> QuerySet[SurveyAnswer]:
    """The answers behind satisfaction, NPS and effort (`paired`: only those whose
    touchpoint has the staff's estimate on the same scale, the gap's sample, with the
    estimate as `estimate`), newest contact first."""
    start, end = period_bounds(filters.period_kind, filters.period)
    answers = (
        SurveyAnswer.objects.filter(
            invitation__occurred_at__gte=start,
            invitation__occurred_at__lt=end,
            **_invitation_scope(filters, "invitation__"),
        )
        .select_related("invitation__survey", "invitation__agency", "invitation__customer")
        .order_by("-invitation__occurred_at", "-id")
    )
    if paired:
        estimate = AgentEstimate.objects.filter(
            touchpoint_id=OuterRef("invitation__touchpoint_id"),
            kind=OuterRef("invitation__survey__kind"),
        ).values("score")[:1]
        answers = answers.annotate(estimate=Subquery(estimate)).filter(estimate__isnull=False)
    return answers


def drill_invitations(*, filters: DrillFilter) -> QuerySet[SurveyInvitation]:
    """The invitations sent in the period (the response rate's denominator), with their
    answer when there is one, newest first."""
    start, end = period_bounds(filters.period_kind, filters.period)
    invitations = SurveyInvitation.objects.filter(
        sent_at__gte=start, sent_at__lt=end, **_invitation_scope(filters)
    )
    if filters.answered is not None:
        invitations = invitations.filter(answered_at__isnull=not filters.answered)
    return invitations.select_related("survey", "agency", "customer", "answer").order_by(
        "-sent_at", "-id"
    )


def drill_incivilities(*, filters: DrillFilter, agent: Agent, user) -> QuerySet[IncivilityReport]:
    """The incivility reports of the period the viewer may see (the rule of the reports'
    list: about an agent, only that agent, whoever filed it and the agency's managers)."""
    start, end = period_bounds(filters.period_kind, filters.period)
    reports = incivility_list(agent=agent, user=user).filter(
        occurred_at__gte=start, occurred_at__lt=end
    )
    if filters.agency is not None:
        reports = reports.filter(agency=filters.agency)
    if filters.direction in IncivilityDirection.values:
        reports = reports.filter(direction=filters.direction)
    # incivility_list also joins the agent: the drill-down does not show who
    return reports.select_related(None).select_related("agency", "customer")
