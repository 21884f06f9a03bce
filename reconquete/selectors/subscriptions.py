"""What a customer rides: their subscriptions and a year of monthly trips against their own
baseline, for the panel of the customer page and the caller card (one query for all the
customers shown); and the subscriptions about to end without renewal, the reasons for a
retention call before the lapse."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agences.models import Agent
from reconquete.models import (
    ReconquestSettings,
    RidershipMonth,
    Subscription,
    SubscriptionStatus,
    default_baseline_end,
    default_baseline_start,
)
from reconquete.selectors.dashboard import add_months
from relation_client.customers.models import Consent, ConsentChannel, ConsentPurpose, Customer
from relation_client.touchpoints.models import Direction, Touchpoint
from socle.dates import date_text

RENEWAL_WINDOW_DAYS = 30  # a subscription ending within this many days is due for renewal
HISTORY_MONTHS = 12  # complete months of ridership shown
SUBSCRIPTIONS_SHOWN = 4  # the latest; the older ones are counted
RETENTION_REASON = "subscription"  # the touchpoint reason of a retention call ("Abonnement")
# a subscription still running: its end, if near, is worth a call
RUNNING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED)


@dataclass(frozen=True)
class SubscriptionLine:
    product: str
    contract_number: str
    start_date: datetime.date
    end_date: datetime.date | None
    status: str
    status_label: str
    renewal_due: datetime.date | None  # ends within the window, nothing follows it


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    trips: int
    # drawing (viewBox units): the bar's top and height
    y: float
    height: float
    x: float
    below: bool  # under the lapse threshold


@dataclass(frozen=True)
class RidingPanel:
    customer_id: int
    subscriptions: list[SubscriptionLine]
    older: int  # subscriptions not shown (the oldest)
    months: list[MonthBar]
    baseline: Decimal | None  # trips a month in the reference period
    threshold: Decimal | None  # under it, a month counts as lost (detection's rule)
    baseline_y: float | None
    threshold_y: float | None
    sentence: str
    dropping: bool


# chart geometry, in viewBox units
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 240, 60, 4

# one statement for every customer shown: each one's thresholds (their segment's row, else
# the network's, else the defaults: selectors.settings_effective's rule), subscriptions
# (with whether one follows), the reference-period trips, and the months shown
PANEL_SQL = f"""
SELECT c.id,
       st.baseline_start, st.baseline_end, st.drop_percent,
       (SELECT COALESCE(SUM(r.trips), 0) FROM {RidershipMonth._meta.db_table} r
         WHERE r.customer_id = c.id
           AND r.month BETWEEN st.baseline_start AND st.baseline_end) AS baseline_trips,
       (SELECT json_agg(json_build_object('month', r.month, 'trips', r.trips)
                        ORDER BY r.month)
          FROM {RidershipMonth._meta.db_table} r
         WHERE r.customer_id = c.id
           AND r.month BETWEEN %(first)s AND %(last)s) AS months,
       (SELECT json_agg(json_build_object(
                   'product', s.product, 'contract', s.contract_number,
                   'start', s.start_date, 'end', s.end_date, 'status', s.status,
                   'followed', EXISTS (
                       SELECT 1 FROM {Subscription._meta.db_table} n
                        WHERE n.customer_id = s.customer_id AND n.id <> s.id
                          AND n.start_date > s.start_date AND n.status <> 'cancelled'
                          AND (n.end_date IS NULL OR n.end_date > s.end_date)))
                        ORDER BY s.start_date DESC, s.id DESC)
          FROM {Subscription._meta.db_table} s
         WHERE s.customer_id = c.id) AS subscriptions
FROM {Customer._meta.db_table} c
CROSS JOIN LATERAL (
    SELECT COALESCE(own.baseline_start, %(default_start)s::date) AS baseline_start,
           COALESCE(own.baseline_end, %(default_end)s::date) AS baseline_end,
           COALESCE(own.drop_percent, %(default_percent)s) AS drop_percent
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
        SELECT k.baseline_start, k.baseline_end, k.drop_percent
          FROM {ReconquestSettings._meta.db_table} k
         WHERE k.segment_id = c.segment_id OR k.segment_id IS NULL
         ORDER BY k.segment_id NULLS LAST
         LIMIT 1
    ) own ON true
) st
WHERE c.id = ANY(%(ids)s)
"""


def _date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _month_words(month: datetime.date, today: datetime.date) -> str:
    return date_text(month, "F" if month.year == today.year else "F Y")


def _round(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def riding_sentence(
    *,
    trips: int,
    month: datetime.date,
    baseline: Decimal | None,
    threshold: Decimal | None,
    today: datetime.date,
) -> tuple[str, bool]:
    """The last complete month against the customer's habit, in words; and whether it is
    under the lapse threshold."""
    month_words = _month_words(month, today)
    if not baseline:
        return (
            ngettext(
                "%(trips)s trajet en %(month)s (pas de période de référence pour comparer).",
                "%(trips)s trajets en %(month)s (pas de période de référence pour comparer).",
                trips,
            )
            % {"trips": trips, "month": month_words},
            False,
        )
    habit = formats.localize(_round(baseline, "1"))
    values = {"trips": trips, "month": month_words, "habit": habit}
    if threshold is not None and trips < threshold:
        return (
            ngettext(
                "Fréquentation en baisse : %(trips)s trajet en %(month)s contre %(habit)s "
                "d'habitude.",
                "Fréquentation en baisse : %(trips)s trajets en %(month)s contre %(habit)s "
                "d'habitude.",
                trips,
            )
            % values,
            True,
        )
    return (
        ngettext(
            "Fréquentation habituelle : %(trips)s trajet en %(month)s pour %(habit)s d'habitude.",
            "Fréquentation habituelle : %(trips)s trajets en %(month)s pour %(habit)s d'habitude.",
            trips,
        )
        % values,
        False,
    )


def _chart_y(value: float, top: float) -> float:
    return round(CHART_HEIGHT - CHART_HEIGHT * value / top, 1) if top else CHART_HEIGHT


def _panel(row: dict, *, first: datetime.date, last: datetime.date, today) -> RidingPanel | None:
    subscriptions_raw = row["subscriptions"] or []
    months_raw = row["months"] or []
    if not subscriptions_raw and not months_raw and not row["baseline_trips"]:
        return None
    due_by = today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
    subscriptions = []
    # the latest first; one ending soon is always among them (nothing started after it)
    for item in subscriptions_raw[:SUBSCRIPTIONS_SHOWN]:
        end = _date(item["end"])
        due = (
            end
            if end is not None
            and item["status"] in RUNNING
            and today <= end <= due_by
            and not item["followed"]
            else None
        )
        subscriptions.append(
            SubscriptionLine(
                product=item["product"],
                contract_number=item["contract"],
                start_date=_date(item["start"]),
                end_date=end,
                status=item["status"],
                status_label=str(SubscriptionStatus(item["status"]).label),
                renewal_due=due,
            )
        )
    baseline = threshold = None
    reference = _months_between(row["baseline_start"], row["baseline_end"])
    if row["baseline_trips"]:
        baseline = Decimal(row["baseline_trips"]) / reference
        # the detection's return threshold (services.lapses.THRESHOLD): X % of the
        # baseline, at least one trip a month
        threshold = _round(max(baseline * row["drop_percent"] / Decimal(100), Decimal(1)), "0.01")
    trips_by_month = {_date(m["month"]): m["trips"] for m in months_raw}
    months = [add_months(first, i) for i in range(_months_between(first, last))]
    values = [trips_by_month.get(month, 0) for month in months]
    top = float(max([*values, baseline or 0, threshold or 0, 1])) * 1.1
    slot = CHART_WIDTH / len(months)
    bars = [
        MonthBar(
            month=month,
            trips=trips,
            y=_chart_y(trips, top),
            height=round(CHART_HEIGHT - _chart_y(trips, top), 1),
            x=round(i * slot + BAR_GAP / 2, 1),
            below=threshold is not None and trips < threshold,
        )
        for i, (month, trips) in enumerate(zip(months, values, strict=True))
    ]
    if months_raw or baseline is not None:
        sentence, dropping = riding_sentence(
            trips=values[-1], month=last, baseline=baseline, threshold=threshold, today=today
        )
    else:  # the ticketing sent no trip of theirs: nothing to draw, nothing to compare
        bars, sentence, dropping = (
            [],
            _("Aucune validation connue sur les douze derniers mois."),
            False,
        )
    return RidingPanel(
        customer_id=row["id"],
        subscriptions=subscriptions,
        older=max(len(subscriptions_raw) - SUBSCRIPTIONS_SHOWN, 0),
        months=bars,
        baseline=_round(baseline) if baseline is not None else None,
        threshold=_round(threshold) if threshold is not None else None,
        baseline_y=_chart_y(float(baseline), top) if baseline is not None else None,
        threshold_y=_chart_y(float(threshold), top) if threshold is not None else None,
        sentence=sentence,
        dropping=dropping,
    )


def riding_for(customer_ids: list[int], *, today: datetime.date | None = None) -> dict:
    """The subscriptions and ridership panel of each of these customers who has either:
    one query."""
    if not customer_ids:
        return {}
    today = today or timezone.localdate()
    last = add_months(today.replace(day=1), -1)  # the last complete month
    first = add_months(last, 1 - HISTORY_MONTHS)
    network = ReconquestSettings()
    params = {
        "ids": list(customer_ids),
        "first": first,
        "last": last,
        "default_start": default_baseline_start(),
        "default_end": default_baseline_end(),
        "default_percent": network.drop_percent,
    }
    with connection.cursor() as cursor:
        cursor.execute(PANEL_SQL, params)
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    panels = {}
    for row in rows:
        panel = _panel(row, first=first, last=last, today=today)
        if panel is not None:
            panels[row["id"]] = panel
    return panels


# --- retention: subscriptions ending soon without renewal ------------------------------


def _renewal_follows() -> Exists:
    return Exists(
        Subscription.objects.filter(
            customer_id=OuterRef("customer_id"), start_date__gt=OuterRef("start_date")
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=SubscriptionStatus.CANCELLED)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("end_date")))
    )


def _latest_consent(field: str) -> Subquery:
    return Subquery(
        Consent.objects.filter(
            customer_id=OuterRef("customer_id"),
            channel=ConsentChannel.PHONE,
            purpose=ConsentPurpose.MARKETING,
        )
        .order_by("-recorded_at", "-id")
        .values(field)[:1]
    )


def _latest_call(field: str, since: datetime.datetime) -> Subquery:
    """The latest outbound call about subscriptions since the window opened: the
    retention call already made."""
    return Subquery(
        Touchpoint.objects.filter(
            customer_id=OuterRef("customer_id"),
            direction=Direction.OUTBOUND,
            reason__code=RETENTION_REASON,
            occurred_at__gte=since,
        )
        .order_by("-occurred_at", "-id")
        .values(field)[:1]
    )


def renewal_scope(agent: Agent, *, agency: bool) -> Q:
    """The agent's customers (they are the usual contact), or their agency's: its agents'
    customers, and those of the agency who have no usual contact."""
    if agency:
        return Q(customer__usual_contact__agency_id=agent.agency_id) | Q(
            customer__usual_contact__isnull=True, customer__home_agency_id=agent.agency_id
        )
    return Q(customer__usual_contact=agent)


def renewals_in_scope(agent: Agent, *, agency: bool) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        renewal_scope(agent, agency=agency), customer__anonymised_at__isnull=True
    )


def renewals_due(
    agent: Agent, *, agency: bool = False, today: datetime.date | None = None
) -> QuerySet[Subscription]:
    """Running subscriptions of the agent's customers (or their agency's) that end within
    the window with nothing to follow them, soonest first, with the phone's marketing
    consent and the retention call already made."""
    today = today or timezone.localdate()
    window = datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
    return (
        renewals_in_scope(agent, agency=agency)
        .filter(
            status__in=RUNNING,
            end_date__gte=today,
            end_date__lte=today + window,
        )
        .exclude(_renewal_follows())
        .annotate(
            marketing_given=_latest_consent("given"),
            marketing_at=_latest_consent("recorded_at"),
            called_at=_latest_call("occurred_at", timezone.now() - window),
            called_summary=_latest_call("summary", timezone.now() - window),
        )
        .select_related("customer", "customer__usual_contact", "customer__segment")
        .order_by("end_date", "customer__last_name", "id")
    )
