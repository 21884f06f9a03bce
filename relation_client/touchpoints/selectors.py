"""Reads for the agent's workspace: the request queue, alerts, gestures, identification."""

import datetime
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
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
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, new_method_proxy
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from agences.roles import WORKSPACE_ROLES, works_in_workspace
from relation_client.customers.models import SearchNormalized
from relation_client.touchpoints.deadlines import PARIS, commitment_rule
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Alert,
    AlertStatus,
    Channel,
    ChannelCommitment,
    Direction,
    Gesture,
    GestureStatus,
    Outcome,
    Reason,
    Request,
    RequestStatus,
    Touchpoint,
    TouchpointKind,
)

# --- Requests ------------------------------------------------------------------------


def requests_workable(*, agent: Agent) -> QuerySet[Request]:
    """The requests the agent may open and work: their agency's, and those assigned to
    them whatever the agency (a usual contact working elsewhere is often the assignee)."""
    return Request.objects.filter(Q(agency_id=agent.agency_id) | Q(assignee=agent))


def request_workable_by(request: Request, agent: Agent | None) -> bool:
    """Whether the request page opens for this agent, on a request already loaded (no
    query): their role works requests (`workspace_required`) and the request is among
    `requests_workable`. The pages offer a link to it only then."""
    return (
        agent is not None
        and works_in_workspace(getattr(agent, "role_names", ()))
        and (request.agency_id == agent.agency_id or request.assignee_id == agent.pk)
    )


QUEUE_SORTS = {
    # the deadline nearest first (overdue ones lead), then the segment's priority
    "echeance": ("deadline", "priority", "id"),
    # the customers served first (reduced mobility…), then the deadline
    "priorite": ("priority", "deadline", "id"),
    # what just came in
    "ouverture": ("-opened_at", "-id"),
}
# "RC-000042", "rc 42", "RC42": the reference the customer quotes (Request.reference)
REFERENCE = re.compile(r"^\s*RC[\s-]?0*(\d{1,10})\s*$", re.IGNORECASE)
SEARCH_WORDS = 5


def reference_pk(text: str) -> int | None:
    """The request's number in a reference such as RC-000042, else None."""
    found = REFERENCE.match(text or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class QueueFilters:
    """What the queue page (or anyone reading the queue) narrows it to. `assignee`:
    "moi" (the agent reading it), "personne" (nobody: in the agency's queue) or an agent's
    id; `statuses` empty means the open ones (open and waiting for the customer)."""

    statuses: tuple[str, ...] = ()
    channel: str = ""
    assignee: str = ""
    overdue: bool = False
    segment_id: int | None = None
    sort: str = "echeance"
    text: str = ""


ASSIGNEE_ME, ASSIGNEE_NOBODY = "moi", "personne"


def _search(text: str) -> Q:
    """Each word in the customer's name or in the subject (accents and case aside, as the
    customer search normalises them)."""
    condition = Q()
    for word in text.split()[:SEARCH_WORDS]:
        typed = SearchNormalized(Value(word))
        condition &= Q(customer__search_name__contains=typed) | Q(
            Contains(SearchNormalized(F("subject")), typed)
        )
    return condition


def request_queue(
    *,
    agency_id: int | None,
    assignee: Agent | None = None,
    agent: Agent | None = None,
    filters: QueueFilters | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Request]:
    """The agency's open requests, with those assigned to `agent` in other agencies when
    it is the agent's own agency (`agency_id` None: every agency, for the network roles),
    oldest deadline first (a segment answered faster has an earlier one), then the
    segment's priority; `is_overdue` tells which are past their deadline, `workable`
    which the agent may open and act on (requests_workable). Served by the request_queue
    index. `filters` narrow and sort it; a reference (RC-000042) in their text finds that
    request whatever its status, unless a status was chosen."""
    now = now or timezone.now()
    filters = filters or QueueFilters()
    if agency_id is None:
        scope = Q()
    else:
        scope = Q(agency_id=agency_id)
        if agent is not None and agent.agency_id == agency_id:
            scope |= Q(assignee=agent)
    queryset = Request.objects.filter(scope)
    reference = reference_pk(filters.text)
    if reference is not None:
        queryset = queryset.filter(pk=reference)
        if filters.statuses:
            queryset = queryset.filter(status__in=filters.statuses)
    else:
        queryset = queryset.filter(status__in=filters.statuses or OPEN_STATUSES)
        if filters.text.strip():
            queryset = queryset.filter(_search(filters.text))
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    if filters.assignee == ASSIGNEE_ME and agent is not None:
        queryset = queryset.filter(assignee=agent)
    elif filters.assignee == ASSIGNEE_NOBODY:
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.segment_id is not None:
        queryset = queryset.filter(customer__segment_id=filters.segment_id)
    if filters.overdue:
        # a request waiting for the customer is paused: never overdue meanwhile
        queryset = queryset.filter(deadline__lt=now, status=RequestStatus.OPEN)
    workable = Value(False)
    if agent is not None:
        workable = Q(agency_id=agent.agency_id) | Q(assignee=agent)
    return (
        # the customer's segment: its name with the priority in words, and the rule of a
        # commitment it shortened (request_deadlines), in the same query
        queryset.select_related("customer__segment", "assignee", "reason", "partner", "agency")
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(deadline__lt=now, status=RequestStatus.OPEN), output_field=BooleanField()
            ),
            workable=ExpressionWrapper(workable, output_field=BooleanField()),
        )
        .order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["echeance"]))
    )


def queue_assignees() -> QuerySet[Agent]:
    """Everyone a request may be handed to or filtered by: the active members of the
    agencies' teams, by agency then name (one query, their agency with them)."""
    return (
        Agent.objects.filter(
            pk__in=Subquery(
                Agent.objects.filter(
                    user__is_active=True, user__groups__name__in=WORKSPACE_ROLES
                ).values("pk")
            )
        )
        .select_related("agency")
        .order_by("agency__name", "display_name", "id")
    )


def request_for_agent(*, agent: Agent, pk: int) -> Request | None:
    """One request the agent may work (requests_workable) with its touchpoints, or None:
    another agency's requests are not theirs to see, unless assigned to them."""
    touchpoints = (
        Touchpoint.objects.select_related("agent", "reason")
        # the received message an e-mail or form contact came from (its "Voir le message")
        .annotate(inbound_message_pk=F("inbound_message__id"))
        .order_by("-occurred_at", "-id")
    )
    return (
        requests_workable(agent=agent)
        .filter(pk=pk)
        .select_related("customer__segment", "assignee__agency", "reason", "partner", "agency")
        .prefetch_related(Prefetch("touchpoints", queryset=touchpoints))
        .first()
    )


def request_opens(
    *, reason: Reason, direction: str, outcome: str, open_request: bool | None = None
) -> bool:
    """Whether logging this exchange opens a request. The agent's choice (`open_request`)
    wins; without one, an inbound exchange opens one when the agent noted a follow-up
    (« Suite à donner »), or when its reason opens one by default (a complaint does, a
    piece of information does not) unless the answer was given on the spot.
    touchpoint_log and the form's hint both ask here, so the hint never says otherwise
    than what happens."""
    if open_request is not None:
        return open_request
    if direction != Direction.INBOUND:
        return False
    if outcome == Outcome.FOLLOW_UP:
        return True
    return reason.opens_request and outcome != Outcome.ANSWERED


def request_opening_hint(
    *, reason: Reason, direction: str, outcome: str, channel: str, open_request: bool | None = None
) -> str:
    """What the touchpoint form tells the agent before they save: a request or none, and
    why (the agent's choice, the reason's default, the direction, the answer on the spot)."""
    if request_opens(
        reason=reason, direction=direction, outcome=outcome, open_request=open_request
    ):
        commitment = ChannelCommitment.objects.filter(channel=channel).first()
        if commitment is None:
            opens = _("Une demande sera ouverte.")
        else:
            opens = _("Une demande sera ouverte (réponse attendue sous %(rule)s).") % {
                "rule": commitment_rule(amount=commitment.amount, unit=commitment.unit)
            }
        if open_request is None and outcome == Outcome.FOLLOW_UP:
            return opens + " " + _("Une suite est à donner.")
        if open_request is None:
            return (
                opens
                + " "
                + _("Le motif « %(reason)s » en ouvre une par défaut.") % {"reason": reason.label}
            )
        return opens
    if open_request is False:
        return _("Aucune demande ne sera ouverte : vous l'avez choisi.")
    if direction != Direction.INBOUND:
        return _("Un échange sortant n'ouvre pas de demande.")
    if reason.opens_request:
        return _("Aucune demande ne sera ouverte : réponse donnée sur place.")
    return _(
        "Aucune demande ne sera ouverte : le motif « %(reason)s » n'en ouvre pas par défaut. "
        "Choisissez « Ouvrir une demande » s'il y a une suite à donner."
    ) % {"reason": reason.label}


ATTACHABLE_LIMIT = 20


def touchpoints_attachable(*, request: Request) -> QuerySet[Touchpoint]:
    """The customer's latest touchpoints attached to no request: what may be attached."""
    if request.customer_id is None:
        return Touchpoint.objects.none()
    return (
        Touchpoint.objects.filter(
            customer_id=request.customer_id,
            request__isnull=True,
            kind=TouchpointKind.INTERACTION,
        )
        .select_related("reason")
        .order_by("-occurred_at", "-id")[:ATTACHABLE_LIMIT]
    )


def walkins_unattached(*, agency_id: int) -> QuerySet[Touchpoint]:
    """The agency's exchanges with nobody named, newest first: what may still be attached
    to a customer. Served by touchpoint_agency_time (agency, occurred_at)."""
    return (
        Touchpoint.objects.filter(
            agency_id=agency_id, customer__isnull=True, kind=TouchpointKind.INTERACTION
        )
        .select_related("reason", "agent", "request")
        .order_by("-occurred_at", "-id")
    )


def walkin_for_agent(*, agent: Agent, pk: int) -> Touchpoint | None:
    """One unattached exchange of the agent's agency, or None (another agency's, or one
    already attached: a 404)."""
    return walkins_unattached(agency_id=agent.agency_id).filter(pk=pk).first()


# --- Alerts --------------------------------------------------------------------------

PENDING_ALERTS = [AlertStatus.NEW, AlertStatus.ACKNOWLEDGED]


def alert_inbox(*, agent: Agent) -> QuerySet[Alert]:
    """The agent's alerts: new ones, then acknowledged, then resolved; newest first."""
    rank = Case(
        When(status=AlertStatus.NEW, then=Value(0)),
        When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Alert.objects.filter(recipient=agent)
        .select_related("customer", "request")
        .annotate(rank=rank)
        .order_by("rank", "-created_at", "-id")
    )


def alert_for_recipient(*, agent: Agent, pk: int) -> Alert | None:
    return (
        Alert.objects.filter(pk=pk, recipient=agent).select_related("customer", "request").first()
    )


class LazyCount(SimpleLazyObject):
    """A number computed on first use; usable by filters that call int() or float(). The
    navigation bar's counts are four of them, read in one query:
    messaging.selectors.navigation_counts, touchpoints.context_processors."""

    __int__ = new_method_proxy(int)
    __float__ = new_method_proxy(float)
    __index__ = new_method_proxy(operator.index)


def _counted(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a queryset correlated to the outer row, as a scalar subquery."""
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row even when empty
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def navigation_count_columns(*, now: datetime.datetime) -> dict[str, Coalesce]:
    """The navigation bar's counts of alerts and requests, as columns of an Agent row (one
    query with the messages to identify: messaging.selectors.navigation_counts):
    `count_alerts` (new and acknowledged: index alert_inbox), `count_queue` (the open
    requests the queue page lists by default: their agency's, and those assigned to them
    elsewhere; index request_queue) and `count_overdue` (those of the queue past their
    deadline, the paused ones aside)."""
    queue = Request.objects.filter(
        Q(agency_id=OuterRef("agency_id")) | Q(assignee_id=OuterRef("pk")),
        status__in=OPEN_STATUSES,
    )
    # named apart from the agent's own fields (Agent.alerts is the alerts' relation)
    return {
        "count_alerts": _counted(
            Alert.objects.filter(recipient_id=OuterRef("pk"), status__in=PENDING_ALERTS)
        ),
        "count_queue": _counted(queue),
        "count_overdue": _counted(queue.filter(status=RequestStatus.OPEN, deadline__lt=now)),
    }


# --- Gestures ------------------------------------------------------------------------


def month_bounds(moment: datetime.datetime | None = None) -> tuple[datetime.datetime, ...]:
    """The Paris calendar month holding `moment`: its first instant and the next month's."""
    local = (moment or timezone.now()).astimezone(PARIS)
    start = datetime.datetime(local.year, local.month, 1, tzinfo=PARIS)
    following = datetime.datetime(
        local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=PARIS
    )
    return start, following


@dataclass
class GestureBudget:
    allotted: Decimal
    granted: Decimal
    pending: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allotted - self.granted

    @property
    def percent(self) -> int:
        if self.allotted <= 0:
            return 100 if self.granted > 0 else 0
        return int(self.granted * 100 / self.allotted)

    @property
    def exceeded(self) -> bool:
        return self.granted > self.allotted


GIVEN = [GestureStatus.GRANTED, GestureStatus.APPROVED]


def gesture_budget(*, agency: Agency, now: datetime.datetime | None = None) -> GestureBudget:
    """Gestures granted or approved this Paris month against the agency's monthly budget,
    in one aggregate query (index gesture_agency_month)."""
    start, end = month_bounds(now)
    totals = Gesture.objects.filter(
        agency=agency, created_at__gte=start, created_at__lt=end
    ).aggregate(
        granted=Sum("value", filter=Q(status__in=GIVEN), default=Decimal("0")),
        pending=Sum("value", filter=Q(status=GestureStatus.PENDING), default=Decimal("0")),
    )
    return GestureBudget(
        allotted=agency.monthly_gesture_budget,
        granted=totals["granted"],
        pending=totals["pending"],
    )


def gestures_of_month(*, agency_id: int, now: datetime.datetime | None = None) -> QuerySet:
    start, end = month_bounds(now)
    return (
        Gesture.objects.filter(agency_id=agency_id, created_at__gte=start, created_at__lt=end)
        .select_related("customer", "granted_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def gestures_pending(*, agency_id: int, recipient: Agent | None = None) -> QuerySet:
    """Gestures waiting for approval, whatever their month, oldest first: the agency's,
    and those of other agencies whose approval alert climbed to `recipient`."""
    gestures = Gesture.objects.filter(status=GestureStatus.PENDING)
    mine = Q(agency_id=agency_id)
    if recipient is not None:
        # the approval alert's cause names the gesture (services.gestures._approval_cause);
        # whatever the alert's status: marking it read does not take the decision away
        gestures = gestures.alias(
            approval_cause=Concat(
                Value("gesture:"),
                Cast("pk", CharField()),
                Case(
                    When(over_budget=True, then=Value(":budget")),
                    default=Value(":approval"),
                    output_field=CharField(),
                ),
                output_field=CharField(),
            )
        )
        mine |= Exists(Alert.objects.filter(recipient=recipient, cause=OuterRef("approval_cause")))
    return (
        gestures.filter(mine)
        .select_related("customer", "granted_by", "agency")
        .order_by("created_at", "id")
    )


# --- Identification rate ---------------------------------------------------------------


@dataclass
class RateCell:
    named: int = 0
    total: int = 0

    @property
    def percent(self) -> int | None:
        return round(self.named * 100 / self.total) if self.total else None


@dataclass
class MonthRow:
    month: datetime.date
    cells: list[RateCell]
    overall: RateCell = field(default_factory=RateCell)


@dataclass
class IdentificationTable:
    channels: list[tuple[str, str]]
    rows: list[MonthRow]


def identification_rate(
    *, agency_id: int, months: int = 12, now: datetime.datetime | None = None
) -> IdentificationTable:
    """Touchpoints with a named customer ÷ all, per Paris calendar month and channel, over
    the last `months` months (the current one included), newest first.

    One GROUP BY over date_trunc('month', occurred_at AT TIME ZONE 'Europe/Paris'),
    served by the touchpoint_agency_time index.
    """
    current, _next = month_bounds(now)
    first = current
    for _month in range(months - 1):
        first, _unused = month_bounds(first - datetime.timedelta(days=1))
    grouped = (
        Touchpoint.objects.filter(
            agency_id=agency_id,
            kind=TouchpointKind.INTERACTION,
            occurred_at__gte=first,
            occurred_at__lt=_next,
        )
        .annotate(month=TruncMonth("occurred_at", tzinfo=PARIS))
        .values("month", "channel")
        .annotate(named=Count("customer_id"), total=Count("id"))
        .order_by()
    )
    counts = {(row["month"].date(), row["channel"]): row for row in grouped}
    channels = list(Channel.choices)
    rows = []
    month = current
    for _month in range(months):
        row = MonthRow(month=month.date(), cells=[])
        for code, _label in channels:
            found = counts.get((month.date(), code))
            cell = RateCell(found["named"], found["total"]) if found else RateCell()
            row.cells.append(cell)
            row.overall.named += cell.named
            row.overall.total += cell.total
        rows.append(row)
        month, _unused = month_bounds(month - datetime.timedelta(days=1))
    return IdentificationTable(channels=channels, rows=rows)
