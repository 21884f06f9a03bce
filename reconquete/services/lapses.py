"""Lost customers: detection thresholds, opening cases, and closing them as won back.

Each loss rule is ONE set-based statement (INSERT … SELECT … ON CONFLICT DO NOTHING on
the "one open case per customer" index), and the win-back closing with its attribution
is one UPDATE … FROM. Running detection again opens nothing twice.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reconquete.models import CaseReason, ReconquestSettings
from reconquete.selectors import settings_effective
from relation_client.customers.models import Segment
from relation_client.webhooks import events as webhooks
from socle.errors import DomainError

DETECTION_LOCK = 4501  # advisory lock: the nightly job and the manager's button never overlap

# The effective thresholds of every segment (0 = customers without segment), as a
# relation the rules join on: passed as arrays, unnested, so one statement serves all.
PARAMS = """
    params AS (
        SELECT * FROM unnest(
            %(p_segment)s::bigint[], %(p_baseline_start)s::date[], %(p_baseline_end)s::date[],
            %(p_baseline_months)s::int[], %(p_grace_days)s::int[], %(p_drop_months)s::int[],
            %(p_drop_percent)s::int[], %(p_inactive_months)s::int[],
            %(p_attribution_days)s::int[]
        ) AS p(segment_key, baseline_start, baseline_end, baseline_months, grace_days,
               drop_months, drop_percent, inactive_months, attribution_days)
    )
"""

# a new loss must be later than the end of the customer's previous case (won back or
# closed): the same drop, seen again next month, opens nothing
NOT_ALREADY_HANDLED = """
    NOT EXISTS (
        SELECT 1 FROM reconquete_reconquestcase done
        WHERE done.customer_id = c.id AND done.status <> 'open'
          AND (COALESCE(done.won_back_at, done.closed_at) AT TIME ZONE 'Europe/Paris')::date
              >= {lost_since}
    )
"""

CASE_COLUMNS = """
    customer_id, reason, status, agency_id, segment_id, lost_since, watch_from, opened_at,
    subscription_id, baseline_trips, recent_trips, threshold_trips, details
"""

OPEN_LAPSED_SUBSCRIPTIONS = f"""
    WITH {PARAMS},
    last_subscription AS (
        SELECT DISTINCT ON (s.customer_id)
               s.customer_id, s.id, s.product, s.contract_number, s.end_date
        FROM reconquete_subscription s
        WHERE s.start_date <= %(as_of)s
        ORDER BY s.customer_id, s.end_date DESC NULLS FIRST, s.id DESC
    )
    INSERT INTO reconquete_reconquestcase ({CASE_COLUMNS})
    SELECT c.id, 'lapsed_subscription', 'open', c.home_agency_id, c.segment_id, ls.end_date,
           %(month)s, %(opened_at)s, ls.id, NULL, NULL, NULL,
           jsonb_build_object(
               'product', ls.product, 'contract', ls.contract_number,
               'ended_on', ls.end_date, 'grace_days', p.grace_days)
    FROM last_subscription ls
    JOIN customers_customer c ON c.id = ls.customer_id
    JOIN params p ON p.segment_key = COALESCE(c.segment_id, 0)
    WHERE ls.end_date IS NOT NULL
      AND ls.end_date + p.grace_days < %(as_of)s
      AND {NOT_ALREADY_HANDLED.format(lost_since="ls.end_date")}
    ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
"""

# trips per customer over the baseline period and the observed window, missing months
# counting as zero; months from the detection month on are not complete yet
RIDERSHIP_STATS = """
    stats AS (
        SELECT r.customer_id,
               MAX(r.month) FILTER (WHERE r.trips > 0) AS last_month,
               COALESCE(SUM(r.trips) FILTER (
                   WHERE r.month BETWEEN p.baseline_start AND p.baseline_end), 0)::numeric
                   / p.baseline_months AS baseline,
               COALESCE(SUM(r.trips) FILTER (
                   WHERE r.month >= (%(month)s::date - make_interval(months => p.drop_months))
               ), 0)::numeric / p.drop_months AS recent,
               p.baseline_end, p.drop_months, p.drop_percent, p.inactive_months
        FROM reconquete_ridershipmonth r
        JOIN customers_customer c ON c.id = r.customer_id
        JOIN params p ON p.segment_key = COALESCE(c.segment_id, 0)
        WHERE r.month < %(month)s
        GROUP BY r.customer_id, p.segment_key, p.baseline_start, p.baseline_end,
                 p.baseline_months, p.drop_months, p.drop_percent, p.inactive_months
    )
"""

# the return threshold: X % of the baseline, and at least one trip a month
THRESHOLD = "round(GREATEST(st.baseline * st.drop_percent / 100.0, 1), 2)"

OPEN_INACTIVE = f"""
    WITH {PARAMS}, {RIDERSHIP_STATS}
    INSERT INTO reconquete_reconquestcase ({CASE_COLUMNS})
    SELECT c.id, 'inactive', 'open', c.home_agency_id, c.segment_id,
           (st.last_month + interval '1 month')::date, %(month)s, %(opened_at)s, NULL,
           round(st.baseline, 2), 0, {THRESHOLD},
           jsonb_build_object(
               'last_trip_month', st.last_month, 'inactive_months', st.inactive_months,
               'baseline', round(st.baseline, 2))
    FROM stats st
    JOIN customers_customer c ON c.id = st.customer_id
    WHERE st.last_month < (%(month)s::date - make_interval(months => st.inactive_months))
      AND {NOT_ALREADY_HANDLED.format(lost_since="(st.last_month + interval '1 month')::date")}
    ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
"""

OPEN_RIDERSHIP_DROPS = f"""
    WITH {PARAMS}, {RIDERSHIP_STATS}
    INSERT INTO reconquete_reconquestcase ({CASE_COLUMNS})
    SELECT c.id, 'ridership_drop', 'open', c.home_agency_id, c.segment_id,
           (%(month)s::date - make_interval(months => st.drop_months))::date, %(month)s,
           %(opened_at)s, NULL, round(st.baseline, 2), round(st.recent, 2), {THRESHOLD},
           jsonb_build_object(
               'baseline', round(st.baseline, 2), 'recent', round(st.recent, 2),
               'ratio_percent', round(100 * st.recent / st.baseline),
               'drop_months', st.drop_months, 'drop_percent', st.drop_percent)
    FROM stats st
    JOIN customers_customer c ON c.id = st.customer_id
    WHERE st.baseline > 0
      AND st.recent < st.baseline * st.drop_percent / 100.0
      -- the observed window must come after the reference period
      AND (%(month)s::date - make_interval(months => st.drop_months))::date > st.baseline_end
      AND {
    NOT_ALREADY_HANDLED.format(
        lost_since="(%(month)s::date - make_interval(months => st.drop_months))::date"
    )
}
    ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
"""

# A return: a subscription started after the lapse, or a complete month at or above the
# threshold since detection. Dated the subscription's start, or the month's last day (the
# trips are monthly), never before the case opened nor after the run. Attributed to the
# latest contact that reached the person within the window (in calendar days) before the
# return.
CLOSE_WON_BACK = f"""
    WITH {PARAMS},
    returns AS (
        SELECT rc.id AS case_id, MIN(s.start_date) + interval '12 hours' AS back_local
        FROM reconquete_reconquestcase rc
        JOIN reconquete_subscription s
          ON s.customer_id = rc.customer_id AND s.start_date > rc.lost_since
         AND s.start_date <= %(as_of)s
        WHERE rc.status = 'open' AND rc.reason = 'lapsed_subscription'
        GROUP BY rc.id
        UNION ALL
        SELECT rc.id, MIN(r.month) + interval '1 month - 1 day 12 hours'
        FROM reconquete_reconquestcase rc
        JOIN reconquete_ridershipmonth r
          ON r.customer_id = rc.customer_id AND r.month >= rc.watch_from
         AND r.month < %(month)s AND r.trips >= rc.threshold_trips
        WHERE rc.status = 'open' AND rc.reason IN ('ridership_drop', 'inactive')
        GROUP BY rc.id
    ),
    dated AS (
        SELECT ret.case_id, rc.segment_id,
               GREATEST(rc.opened_at, LEAST(%(now)s,
                   ret.back_local AT TIME ZONE 'Europe/Paris')) AS won_back_at
        FROM returns ret
        JOIN reconquete_reconquestcase rc ON rc.id = ret.case_id
    ),
    attributed AS (
        SELECT DISTINCT ON (d.case_id) d.case_id, ct.touchpoint_id, ct.campaign_id
        FROM dated d
        JOIN params p ON p.segment_key = COALESCE(d.segment_id, 0)
        JOIN reconquete_reconquestcontact ct ON ct.case_id = d.case_id
        WHERE ct.outcome IN ('reached', 'accepted', 'declined')
          AND ct.occurred_at <= d.won_back_at
          -- the window counts calendar days in Paris, whatever the hour (day N in, N+1
          -- out): from midnight, Paris time, N days before the return's day
          AND ct.occurred_at >= ((d.won_back_at AT TIME ZONE 'Europe/Paris')::date
                                 - p.attribution_days)::timestamp AT TIME ZONE 'Europe/Paris'
        ORDER BY d.case_id, ct.occurred_at DESC, ct.id DESC
    )
    UPDATE reconquete_reconquestcase rc
    SET status = 'won_back', won_back_at = d.won_back_at, updated_at = now(),
        attributed_touchpoint_id = a.touchpoint_id, attributed_campaign_id = a.campaign_id
    FROM dated d
    LEFT JOIN attributed a ON a.case_id = d.case_id
    WHERE rc.id = d.case_id
    RETURNING a.touchpoint_id IS NOT NULL, rc.id, rc.customer_id, rc.agency_id, rc.reason,
              rc.opened_at, rc.won_back_at, rc.attributed_campaign_id
"""


@dataclass
class DetectionReport:
    as_of: datetime.date
    opened: dict[str, int] = field(default_factory=dict)
    won_back: int = 0
    attributed: int = 0

    @property
    def opened_total(self) -> int:
        return sum(self.opened.values())


def thresholds_params() -> dict[str, list]:
    """The PARAMS arrays: each segment's effective thresholds, 0 for no segment."""
    by_segment = settings_effective()
    keys = sorted(by_segment, key=lambda k: k or 0)
    rows = [by_segment[k] for k in keys]
    return {
        "p_segment": [k or 0 for k in keys],
        "p_baseline_start": [r.baseline_start for r in rows],
        "p_baseline_end": [r.baseline_end for r in rows],
        "p_baseline_months": [r.baseline_months for r in rows],
        "p_grace_days": [r.grace_days for r in rows],
        "p_drop_months": [r.drop_months for r in rows],
        "p_drop_percent": [r.drop_percent for r in rows],
        "p_inactive_months": [r.inactive_months for r in rows],
        "p_attribution_days": [r.attribution_days for r in rows],
    }


def _run_moment(as_of: datetime.date) -> datetime.datetime:
    """When the run counts as happening: now for today, else 02:00 (the nightly run) that
    day in Paris, so that replaying past days dates the cases as the night job would."""
    if as_of >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(2, 0)))


def lapse_detect(*, as_of: datetime.date | None = None) -> DetectionReport:
    """Close the cases whose customer came back, then open a case for every newly lost
    customer, rule by rule (a customer matching several keeps the first reason)."""
    as_of = as_of or timezone.localdate()
    moment = _run_moment(as_of)
    report = DetectionReport(as_of=as_of)
    params = {
        **thresholds_params(),
        "as_of": as_of,
        "month": as_of.replace(day=1),
        "opened_at": moment,
        "now": moment,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DETECTION_LOCK])
        cursor.execute(CLOSE_WON_BACK, params)
        closed = cursor.fetchall()
        report.won_back = len(closed)
        report.attributed = sum(1 for attributed, *_case in closed if attributed)
        webhooks.customers_won_back(cases=[case for _attributed, *case in closed])
        for reason, sql in (
            (CaseReason.LAPSED_SUBSCRIPTION, OPEN_LAPSED_SUBSCRIPTIONS),
            (CaseReason.INACTIVE, OPEN_INACTIVE),
            (CaseReason.RIDERSHIP_DROP, OPEN_RIDERSHIP_DROPS),
        ):
            cursor.execute(sql, params)
            report.opened[reason.value] = cursor.rowcount
    return report


# --- Thresholds, set by managers -------------------------------------------------------


def _first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def settings_save(*, segment: Segment | None, data: dict) -> ReconquestSettings:
    """Create or change the thresholds of a segment (None: the network's defaults)."""
    with transaction.atomic():
        row = ReconquestSettings.objects.select_for_update().filter(
            segment=segment
        ).first() or ReconquestSettings(segment=segment)
        for name, value in data.items():
            if name in ("baseline_start", "baseline_end") and value:
                value = _first_of_month(value)
            setattr(row, name, value)
        if row.baseline_end < row.baseline_start:
            raise DomainError(
                "baseline_order",
                _("Le dernier mois de référence précède le premier."),
                field="baseline_end",
            )
        row.full_clean(validate_unique=False)
        row.save()
    return row


def settings_reset(*, segment: Segment) -> None:
    """The segment follows the network's defaults again."""
    ReconquestSettings.objects.filter(segment=segment).delete()


def detection_request() -> None:
    """The manager's "detect now": queued for the worker once the request's work is
    committed (the nightly beat entry runs the same task)."""
    from reconquete.tasks import detect_lapses  # the tasks module imports these services

    # safe to lose by design: the nightly beat entry runs the same detection, and the
    # manager can click again; robust, so that Redis down never fails the click's request
    transaction.on_commit(detect_lapses.delay, robust=True)
