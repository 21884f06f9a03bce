"""Reads of the compliments: the "Remerciements reçus" list, and each team's monthly
compliments and incivilities next to its figures on the academy page (through the core's
`team_figures` extension point). Nothing here hands a page the customer: the words come
with the customer's own names blanked out, and no name, contact or link to their file."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agences.models import Agency, Agent
from agences.permissions import VIEW_NETWORK_FIGURES
from relation_client.touchpoints.deadlines import PARIS
from satisfaction.common import month_of, words_without_names
from satisfaction.models import Compliment, ComplimentTarget, IncivilityReport

TEAM_MONTHS = 6


def compliment_scope(*, agent: Agent, user) -> Q:
    """A team reads the thanks routed to its agency; the network direction reads them all,
    the lines with no route included."""
    if user.has_perm(VIEW_NETWORK_FIGURES):
        return Q()
    return Q(agency_id=agent.agency_id)


def compliment_list(*, agent: Agent, user, agency: Agency | None = None) -> QuerySet[Compliment]:
    compliments = Compliment.objects.filter(compliment_scope(agent=agent, user=user))
    if agency is not None:
        compliments = compliments.filter(agency=agency)
    return (
        compliments.select_related("agency", "touchpoint__customer")
        .only(
            "target",
            "line",
            "channel",
            "occurred_at",
            "agency__name",
            "touchpoint__summary",
            # read only to blank them out of the words, never handed to the page
            "touchpoint__customer__first_name",
            "touchpoint__customer__last_name",
            "touchpoint__customer__preferred_name",
        )
        .order_by("-occurred_at", "-id")
    )


@dataclass(frozen=True)
class ComplimentRow:
    """What the page shows of a compliment: never who said it."""

    pk: int
    occurred_at: datetime.datetime
    channel: str
    target: str
    line: str
    agency: str
    words: str


def compliment_rows(compliments) -> list[ComplimentRow]:
    rows = []
    for compliment in compliments:
        customer = compliment.touchpoint.customer
        names = (
            [customer.first_name, customer.last_name, customer.preferred_name] if customer else []
        )
        rows.append(
            ComplimentRow(
                pk=compliment.pk,
                occurred_at=compliment.occurred_at,
                channel=compliment.get_channel_display(),
                target=compliment.target,
                line=compliment.line,
                agency=compliment.agency.name if compliment.agency_id else "",
                words=words_without_names(compliment.touchpoint.summary, names),
            )
        )
    return rows


# --- the academy's team cards ----------------------------------------------------------


@dataclass
class TeamMonth:
    month: datetime.date
    compliments: int = 0
    incivilities: int = 0


@dataclass
class TeamReciprocity:
    months: list[datetime.date] = field(default_factory=list)
    by_agency: dict[int, list[TeamMonth]] = field(default_factory=dict)


def _months_back(current: datetime.date, count: int) -> list[datetime.date]:
    months = [current]
    while len(months) < count:
        first = months[-1]
        months.append((first - datetime.timedelta(days=1)).replace(day=1))
    return months[::-1]


def _monthly(model, kind: str, agencies_ids, since):
    return (
        model.objects.filter(agency_id__in=agencies_ids, occurred_at__gte=since)
        .annotate(month=TruncMonth("occurred_at", tzinfo=PARIS))
        .values("agency_id", "month")
        .annotate(n=Count("id"), kind=Value(kind))
        .order_by()
    )


def team_reciprocity(
    *, agencies: list[Agency], now: datetime.datetime, months: int = TEAM_MONTHS
) -> TeamReciprocity:
    """Each team's compliments and incivility reports (both directions) per Paris month,
    the current one included: one query, whatever the number of agencies."""
    figures = TeamReciprocity(months=_months_back(month_of(now), months))
    since = datetime.datetime.combine(figures.months[0], datetime.time(), tzinfo=PARIS)
    ids = [agency.pk for agency in agencies]
    counts = {"compliments": {}, "incivilities": {}}
    # one query for both counts: the academy page's cost does not grow with its columns
    monthly = _monthly(Compliment, "compliments", ids, since).union(
        _monthly(IncivilityReport, "incivilities", ids, since), all=True
    )
    for row in monthly:
        month = timezone.localtime(row["month"], PARIS).date()
        counts[row["kind"]][row["agency_id"], month] = row["n"]
    compliments, incivilities = counts["compliments"], counts["incivilities"]
    for pk in ids:
        figures.by_agency[pk] = [
            TeamMonth(
                month=month,
                compliments=compliments.get((pk, month), 0),
                incivilities=incivilities.get((pk, month), 0),
            )
            for month in figures.months
        ]
    return figures


__all__ = [
    "ComplimentRow",
    "ComplimentTarget",
    "TeamReciprocity",
    "compliment_list",
    "compliment_rows",
    "compliment_scope",
    "team_reciprocity",
]
