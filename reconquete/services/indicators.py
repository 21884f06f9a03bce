"""Reconquest indicators, computed by PostgreSQL aggregates and written as snapshot rows.

A month is a calendar month in Paris time: `date_trunc('month', ts AT TIME ZONE
'Europe/Paris')`. Each family of indicators is one INSERT … SELECT … GROUP BY GROUPING
SETS (the network and each agency, in total and by segment, campaign or channel) that
upserts its own columns. The recomputed months are deleted and rewritten in ONE
transaction: the dashboard never sees half a snapshot, and a rerun writes the same rows.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reconquete.services.lapses import PARAMS, thresholds_params
from socle.errors import DomainError
from socle.versioned_cache import token_bump

# replaced by every recompute: what was rendered from the snapshot rows before is stale
SNAPSHOT_TOKEN = "reconquete:snapshots"
SNAPSHOT_LOCK = 4502  # advisory lock: two recomputes would delete each other's rows
HISTORY_MONTHS = 36  # a full recompute covers at most this many months

Progress = Callable[[int, int], None]

PARIS_MONTH = "date_trunc('month', {ts} AT TIME ZONE 'Europe/Paris')::date"
# whole days between two moments, counted on the Paris calendar
PARIS_DAYS = (
    "(({end} AT TIME ZONE 'Europe/Paris')::date - ({start} AT TIME ZONE 'Europe/Paris')::date)"
)

SCOPE = "CASE WHEN GROUPING(agency_id) = 0 THEN agency_id END"
# a breakdown row of an agency that is unknown (customer without agency) would collide
# with the network's row
KNOWN_AGENCY = "(GROUPING(agency_id) = 1 OR agency_id IS NOT NULL)"


def _upsert(columns: list[str]) -> str:
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*columns, "computed_at"])
    return f"ON CONFLICT (period, agency_id, dimension, key) DO UPDATE SET {updates}"


def _insert(columns: list[str]) -> str:
    return (
        "INSERT INTO reconquete_reconquestsnapshot "
        f"(period, agency_id, dimension, key, label, {', '.join(columns)}, computed_at)"
    )


CASE_COLUMNS = ["lost", "cohort", "won_back_30", "won_back_90", "won_back", "median_days"]
CASES = f"""
    WITH facts AS (
        SELECT {PARIS_MONTH.format(ts="rc.opened_at")} AS period, rc.agency_id, rc.segment_id,
               1 AS lost,
               (rc.status = 'won_back'
                AND {PARIS_DAYS.format(start="rc.opened_at", end="rc.won_back_at")} <= 30
               )::int AS w30,
               (rc.status = 'won_back'
                AND {PARIS_DAYS.format(start="rc.opened_at", end="rc.won_back_at")} <= 90
               )::int AS w90,
               0 AS won_back, NULL::int AS days
        FROM reconquete_reconquestcase rc
        WHERE rc.opened_at >= %(start)s AND rc.opened_at < %(end)s
        UNION ALL
        SELECT {PARIS_MONTH.format(ts="rc.won_back_at")}, rc.agency_id, rc.segment_id,
               0, 0, 0, 1, {PARIS_DAYS.format(start="rc.opened_at", end="rc.won_back_at")}
        FROM reconquete_reconquestcase rc
        WHERE rc.status = 'won_back' AND rc.won_back_at >= %(start)s AND rc.won_back_at < %(end)s
    )
    {_insert(CASE_COLUMNS)}
    SELECT period, {SCOPE},
           CASE WHEN GROUPING(segment_id) = 0 THEN 'segment' ELSE 'total' END,
           CASE WHEN GROUPING(segment_id) = 0 THEN COALESCE(segment_id::text, '') ELSE '' END,
           '', SUM(lost), SUM(lost), SUM(w30), SUM(w90), SUM(won_back),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days), %(now)s
    FROM facts
    GROUP BY GROUPING SETS (
        (period), (period, agency_id), (period, segment_id), (period, agency_id, segment_id))
    HAVING {KNOWN_AGENCY}
    {_upsert(CASE_COLUMNS)}
"""

# contacted, reached, accepted: counted in the month the case was FIRST contacted,
# reached, won over (overall, on a channel, in a campaign), so that months add up
CONTACT_COLUMNS = ["contacted", "reached", "accepted"]
CONTACTS = f"""
    WITH firsts AS (
        SELECT ct.case_id, ct.channel, ct.campaign_id,
               CASE WHEN GROUPING(ct.channel) = 0 THEN 'channel'
                    WHEN GROUPING(ct.campaign_id) = 0 THEN 'campaign' ELSE 'total' END AS dim,
               CASE WHEN GROUPING(ct.channel) = 0 THEN ct.channel
                    WHEN GROUPING(ct.campaign_id) = 0 THEN ct.campaign_id::text
                    ELSE '' END AS dim_key,
               MIN(ct.occurred_at) AS contacted_at,
               MIN(ct.occurred_at) FILTER (
                   WHERE ct.outcome IN ('reached', 'accepted', 'declined', 'do_not_contact')
               ) AS reached_at,
               MIN(ct.occurred_at) FILTER (WHERE ct.outcome = 'accepted') AS accepted_at
        FROM reconquete_reconquestcontact ct
        GROUP BY GROUPING SETS (
            (ct.case_id), (ct.case_id, ct.channel), (ct.case_id, ct.campaign_id))
    ),
    events AS (
        SELECT {PARIS_MONTH.format(ts="e.at")} AS period, f.dim, f.dim_key, e.kind,
               rc.agency_id, rc.segment_id
        FROM firsts f
        JOIN reconquete_reconquestcase rc ON rc.id = f.case_id
        CROSS JOIN LATERAL (VALUES ('contacted', f.contacted_at), ('reached', f.reached_at),
                                   ('accepted', f.accepted_at)) AS e(kind, at)
        WHERE e.at >= %(start)s AND e.at < %(end)s
          AND NOT (f.dim = 'campaign' AND f.campaign_id IS NULL)
    )
    {_insert(CONTACT_COLUMNS)}
    SELECT period, {SCOPE},
           CASE WHEN GROUPING(segment_id) = 0 THEN 'segment' ELSE dim END,
           CASE WHEN GROUPING(segment_id) = 0 THEN COALESCE(segment_id::text, '')
                ELSE dim_key END,
           '',
           COUNT(*) FILTER (WHERE kind = 'contacted'),
           COUNT(*) FILTER (WHERE kind = 'reached'),
           COUNT(*) FILTER (WHERE kind = 'accepted'),
           %(now)s
    FROM events
    GROUP BY GROUPING SETS (
        (period, dim, dim_key), (period, dim, dim_key, agency_id),
        (period, dim, dim_key, segment_id), (period, dim, dim_key, agency_id, segment_id))
    HAVING {KNOWN_AGENCY} AND (GROUPING(segment_id) = 1 OR dim = 'total')
    {_upsert(CONTACT_COLUMNS)}
"""

# a campaign's cohort is its targets of the month; a return counts for the campaign it
# was attributed to, within 30 / 90 days of the targeting
CAMPAIGN_COLUMNS = [
    "targeted",
    "cohort",
    "won_back_30",
    "won_back_90",
    "won_back",
    "median_days",
]
CAMPAIGNS = f"""
    WITH facts AS (
        SELECT {PARIS_MONTH.format(ts="t.created_at")} AS period, rc.agency_id, t.campaign_id,
               1 AS targeted,
               (rc.status = 'won_back' AND rc.attributed_campaign_id = t.campaign_id
                AND {PARIS_DAYS.format(start="t.created_at", end="rc.won_back_at")} <= 30
               )::int AS w30,
               (rc.status = 'won_back' AND rc.attributed_campaign_id = t.campaign_id
                AND {PARIS_DAYS.format(start="t.created_at", end="rc.won_back_at")} <= 90
               )::int AS w90,
               0 AS won_back, NULL::int AS days
        FROM reconquete_campaigntarget t
        JOIN reconquete_reconquestcase rc ON rc.id = t.case_id
        WHERE t.created_at >= %(start)s AND t.created_at < %(end)s
        UNION ALL
        SELECT {PARIS_MONTH.format(ts="rc.won_back_at")}, rc.agency_id, rc.attributed_campaign_id,
               0, 0, 0, 1, {PARIS_DAYS.format(start="rc.opened_at", end="rc.won_back_at")}
        FROM reconquete_reconquestcase rc
        WHERE rc.status = 'won_back' AND rc.attributed_campaign_id IS NOT NULL
          AND rc.won_back_at >= %(start)s AND rc.won_back_at < %(end)s
    )
    {_insert(CAMPAIGN_COLUMNS)}
    SELECT period, {SCOPE}, 'campaign', campaign_id::text, '',
           SUM(targeted), SUM(targeted), SUM(w30), SUM(w90), SUM(won_back),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days), %(now)s
    FROM facts
    GROUP BY GROUPING SETS ((period, campaign_id), (period, agency_id, campaign_id))
    HAVING {KNOWN_AGENCY}
    {_upsert(CAMPAIGN_COLUMNS)}
"""

# a channel's cohort is the cases first contacted on it that month; a return counts for
# the channel of the touchpoint it was attributed to
CHANNEL_COLUMNS = ["cohort", "won_back_30", "won_back_90", "won_back", "median_days"]
CHANNELS = f"""
    WITH first_contact AS (
        SELECT ct.case_id, ct.channel, MIN(ct.occurred_at) AS at
        FROM reconquete_reconquestcontact ct
        GROUP BY ct.case_id, ct.channel
    ),
    facts AS (
        SELECT {PARIS_MONTH.format(ts="fc.at")} AS period, rc.agency_id, fc.channel,
               1 AS cohort,
               (rc.status = 'won_back' AND tp.channel = fc.channel
                AND {PARIS_DAYS.format(start="fc.at", end="rc.won_back_at")} <= 30)::int AS w30,
               (rc.status = 'won_back' AND tp.channel = fc.channel
                AND {PARIS_DAYS.format(start="fc.at", end="rc.won_back_at")} <= 90)::int AS w90,
               0 AS won_back, NULL::int AS days
        FROM first_contact fc
        JOIN reconquete_reconquestcase rc ON rc.id = fc.case_id
        LEFT JOIN touchpoints_touchpoint tp ON tp.id = rc.attributed_touchpoint_id
        WHERE fc.at >= %(start)s AND fc.at < %(end)s
        UNION ALL
        SELECT {PARIS_MONTH.format(ts="rc.won_back_at")}, rc.agency_id, tp.channel,
               0, 0, 0, 1, {PARIS_DAYS.format(start="rc.opened_at", end="rc.won_back_at")}
        FROM reconquete_reconquestcase rc
        JOIN touchpoints_touchpoint tp ON tp.id = rc.attributed_touchpoint_id
        WHERE rc.status = 'won_back' AND rc.won_back_at >= %(start)s
          AND rc.won_back_at < %(end)s
    )
    {_insert(CHANNEL_COLUMNS)}
    SELECT period, {SCOPE}, 'channel', channel, '',
           SUM(cohort), SUM(w30), SUM(w90), SUM(won_back),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days), %(now)s
    FROM facts
    GROUP BY GROUPING SETS ((period, channel), (period, agency_id, channel))
    HAVING {KNOWN_AGENCY}
    {_upsert(CHANNEL_COLUMNS)}
"""

# recovery: trips of the month ÷ baseline trips, over the customers who have a baseline
# (their segment's reference period); months without any ridership are left out. Two
# hash-joined passes over the ridership rows: the per-customer baselines (materialised
# once), then the trips of their months; one row set holds both the baselines (gm = 1,
# without month) and the trips (gm = 0) of the network, agencies and segments.
RIDERSHIP_COLUMNS = ["trips", "baseline_trips"]
RIDERSHIP = f"""
    WITH {PARAMS},
    baseline AS MATERIALIZED (
        SELECT r.customer_id, c.home_agency_id AS agency_id, c.segment_id,
               SUM(r.trips)::numeric / p.baseline_months AS baseline
        FROM reconquete_ridershipmonth r
        JOIN customers_customer c ON c.id = r.customer_id
        JOIN params p ON p.segment_key = COALESCE(c.segment_id, 0)
        WHERE r.month BETWEEN p.baseline_start AND p.baseline_end
        GROUP BY r.customer_id, c.home_agency_id, c.segment_id, p.baseline_months
        HAVING SUM(r.trips) > 0
    ),
    groups AS MATERIALIZED (
        SELECT NULL::date AS month, agency_id, segment_id, 1 AS gm,
               GROUPING(agency_id) AS ga, GROUPING(segment_id) AS gs,
               NULL::bigint AS trips, SUM(baseline) AS baseline
        FROM baseline
        GROUP BY GROUPING SETS ((), (agency_id), (segment_id), (agency_id, segment_id))
        UNION ALL
        SELECT r.month, b.agency_id, b.segment_id, 0,
               GROUPING(b.agency_id), GROUPING(b.segment_id), SUM(r.trips), NULL
        FROM reconquete_ridershipmonth r
        JOIN baseline b ON b.customer_id = r.customer_id
        WHERE r.month BETWEEN %(period_from)s AND %(period_to)s
        GROUP BY GROUPING SETS (
            (r.month), (r.month, b.agency_id), (r.month, b.segment_id),
            (r.month, b.agency_id, b.segment_id))
    )
    {_insert(RIDERSHIP_COLUMNS)}
    SELECT m.month, CASE WHEN bg.ga = 0 THEN bg.agency_id END,
           CASE WHEN bg.gs = 0 THEN 'segment' ELSE 'total' END,
           CASE WHEN bg.gs = 0 THEN COALESCE(bg.segment_id::text, '') ELSE '' END,
           '', COALESCE(t.trips, 0), round(bg.baseline, 4), %(now)s
    FROM groups m
    JOIN groups bg ON bg.gm = 1 AND (bg.ga = 1 OR bg.agency_id IS NOT NULL)
    LEFT JOIN groups t ON t.gm = 0 AND t.month = m.month AND t.ga = bg.ga AND t.gs = bg.gs
         AND t.agency_id IS NOT DISTINCT FROM bg.agency_id
         AND t.segment_id IS NOT DISTINCT FROM bg.segment_id
    WHERE m.gm = 0 AND m.ga = 1 AND m.gs = 1 AND m.trips IS NOT NULL
    {_upsert(RIDERSHIP_COLUMNS)}
"""

# conquest: customers whose first trip falls in the month; those already travelling when
# the ticketing data starts are not new
NEW_COLUMNS = ["new_customers"]
NEW_CUSTOMERS = f"""
    WITH firsts AS (
        SELECT customer_id, MIN(month) AS first_month
        FROM reconquete_ridershipmonth WHERE trips > 0
        GROUP BY customer_id
    )
    {_insert(NEW_COLUMNS)}
    SELECT f.first_month, CASE WHEN GROUPING(c.home_agency_id) = 0 THEN c.home_agency_id END,
           CASE WHEN GROUPING(c.segment_id) = 0 THEN 'segment' ELSE 'total' END,
           CASE WHEN GROUPING(c.segment_id) = 0 THEN COALESCE(c.segment_id::text, '')
                ELSE '' END,
           '', COUNT(*), %(now)s
    FROM firsts f
    JOIN customers_customer c ON c.id = f.customer_id
    WHERE f.first_month BETWEEN %(period_from)s AND %(period_to)s
      AND f.first_month > (SELECT MIN(month) FROM reconquete_ridershipmonth)
    GROUP BY GROUPING SETS (
        (f.first_month), (f.first_month, c.home_agency_id), (f.first_month, c.segment_id),
        (f.first_month, c.home_agency_id, c.segment_id))
    HAVING GROUPING(c.home_agency_id) = 1 OR c.home_agency_id IS NOT NULL
    {_upsert(NEW_COLUMNS)}
"""

# names as they are when computed: the dashboard reads no other table
LABELS = [
    """UPDATE reconquete_reconquestsnapshot s SET label = a.name FROM agences_agency a
       WHERE s.period BETWEEN %(period_from)s AND %(period_to)s
         AND s.dimension = 'total' AND s.agency_id = a.id""",
    """UPDATE reconquete_reconquestsnapshot s SET label = g.name FROM customers_segment g
       WHERE s.period BETWEEN %(period_from)s AND %(period_to)s
         AND s.dimension = 'segment' AND s.key = g.id::text""",
    """UPDATE reconquete_reconquestsnapshot s SET label = c.name FROM reconquete_campaign c
       WHERE s.period BETWEEN %(period_from)s AND %(period_to)s
         AND s.dimension = 'campaign' AND s.key = c.id::text""",
]

# The planner guesses 4 % of the customers for the join to the per-segment parameters
# (an unnest) and would then read the ridership of each one through 100 k nested index
# scans: 2.8× the hand-written floor at 100 k customers; hash joins bring it to 1.3×.
# Disabling nested loops adds a huge cost to the plan, which would trigger a second of
# JIT compilation, even on a handful of rows: JIT is off for that statement too.
HASH_ONLY = {RIDERSHIP}

STEPS = [CASES, CONTACTS, CAMPAIGNS, CHANNELS, RIDERSHIP, NEW_CUSTOMERS, *LABELS]

ORIGIN = """
    SELECT LEAST(
        (SELECT MIN(month) FROM reconquete_ridershipmonth),
        (SELECT date_trunc('month', MIN(opened_at) AT TIME ZONE 'Europe/Paris')::date
         FROM reconquete_reconquestcase))
"""


@dataclass
class ComputeReport:
    period_from: datetime.date
    period_to: datetime.date
    rows: int


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _paris_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _default_range(cursor) -> tuple[datetime.date, datetime.date]:
    period_to = timezone.localdate().replace(day=1)
    cursor.execute(ORIGIN)
    origin = cursor.fetchone()[0] or period_to
    return max(origin, _add_months(period_to, -(HISTORY_MONTHS - 1))), period_to


def snapshot_compute(
    *,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    progress: Progress | None = None,
) -> ComputeReport:
    """Recompute every indicator for the months from `period_from` to `period_to` (by
    default the last months with data, up to HISTORY_MONTHS), replacing their rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SNAPSHOT_LOCK])
        if period_from is None or period_to is None:
            default_from, default_to = _default_range(cursor)
            period_from, period_to = period_from or default_from, period_to or default_to
        period_from, period_to = period_from.replace(day=1), period_to.replace(day=1)
        if period_to < period_from:
            raise DomainError("period_order", _("La période est inversée."), field="period_to")
        params = {
            **thresholds_params(),
            "period_from": period_from,
            "period_to": period_to,
            "start": _paris_midnight(period_from),
            "end": _paris_midnight(_add_months(period_to, 1)),
            "now": timezone.now(),
        }
        total = len(STEPS) + 1
        cursor.execute(
            "DELETE FROM reconquete_reconquestsnapshot WHERE period BETWEEN %s AND %s",
            [period_from, period_to],
        )
        if progress:
            progress(1, total)
        for done, sql in enumerate(STEPS, start=2):
            if sql in HASH_ONLY:
                cursor.execute("SET LOCAL enable_nestloop = off; SET LOCAL jit = off")
            cursor.execute(sql, params)
            if sql in HASH_ONLY:
                cursor.execute("RESET enable_nestloop; RESET jit")
            if progress:
                progress(done, total)
        cursor.execute(
            "SELECT count(*) FROM reconquete_reconquestsnapshot WHERE period BETWEEN %s AND %s",
            [period_from, period_to],
        )
        rows = cursor.fetchone()[0]
        # the dashboards rendered from the old rows are stale (reconquete/views/dashboard.py)
        token_bump(SNAPSHOT_TOKEN)
    return ComputeReport(period_from=period_from, period_to=period_to, rows=rows)
