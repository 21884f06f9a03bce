"""The effect of warning riders before they ask (« Effet des prévenances »): the riders a
disruption affected, drawn into the contacted group or the held-out one by the network app
(relation_client.network.contact), compared on lapse and win-back; and per line and month,
complaints, lapses and win-backs of its riders next to its disruption hours.

Definitions (docs/network.md, « Effet des prévenances »):
- A rider enters the comparison through their first draw among the disruptions that started
  in the period (a rider drawn for two disruptions counts once, in the group of the first).
- Lapsed: a reconquest case of the rider opened at or after that disruption's start.
- Won back: among the lapsed, a case opened then and since won back. Its rate is over the
  lapsed riders of the group, so it has its own sample size.
- A rate is shown only when its sample has at least MIN_SAMPLE riders, with its 95 % Wilson
  score interval (sound on small samples and near 0 or 100 %, unlike the normal one).
- Per line and month: the line's riders are the customers linked to it (declared, validated
  or mentioned on a contact: network.CustomerLine). Complaints are their touchpoints whose
  reason is a complaint, in the Paris month; lapses the cases opened in the month, win-backs
  the cases won back in it; disruption hours the overlap of the line's disruptions with the
  Paris month (an open disruption runs until now).

Both tables are one aggregate statement each, live: the figures are small (affected riders
of a period), and the draws are written once per disruption.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from reconquete.indicators import PARIS
from reconquete.models import CaseStatus, ReconquestCase
from relation_client.customers.models import Customer
from relation_client.network.models import (
    ContactGroup,
    CustomerLine,
    Disruption,
    DisruptionContact,
    Line,
)
from relation_client.touchpoints.models import Reason, Touchpoint

MIN_SAMPLE = 30  # the sample threshold of the satisfaction gaps: fewer, no rate is shown
Z = 1.96  # 95 %


@dataclass(frozen=True)
class Rate:
    hits: int
    n: int
    min_sample: int

    @property
    def shown(self) -> bool:
        return self.n >= self.min_sample and self.n > 0

    @property
    def percent(self) -> Decimal | None:
        return Decimal(100 * self.hits) / self.n if self.shown else None

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """The 95 % Wilson score interval, in percent."""
        if not self.shown:
            return None
        p, n, z2 = self.hits / self.n, self.n, Z * Z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        low, high = max(0.0, centre - half), min(1.0, centre + half)
        return Decimal(str(100 * low)), Decimal(str(100 * high))


@dataclass(frozen=True)
class GroupFigures:
    group: str
    label: str
    riders: int
    lapse: Rate
    win_back: Rate


@dataclass(frozen=True)
class LineMonth:
    line_id: int
    line: str
    month: datetime.date
    complaints: int
    lapses: int
    won_back: int
    disruption_hours: Decimal


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, ...]:
    """[first day of `first`, first day after `last`'s month) as Paris instants."""
    after = (last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(first.replace(day=1), datetime.time(), PARIS)
    return start, datetime.datetime.combine(after, datetime.time(), PARIS)


def _tables() -> dict[str, str]:
    return {
        "contact": DisruptionContact._meta.db_table,
        "disruption": Disruption._meta.db_table,
        "disruption_lines": Disruption.lines.through._meta.db_table,
        "customer": Customer._meta.db_table,
        "customer_line": CustomerLine._meta.db_table,
        "line": Line._meta.db_table,
        "case": ReconquestCase._meta.db_table,
        "touchpoint": Touchpoint._meta.db_table,
        "reason": Reason._meta.db_table,
    }


GROUPS_SQL = """
WITH drawn AS (
    SELECT DISTINCT ON (dc.customer_id) dc.customer_id, dc."group", d.starts_at
      FROM {contact} dc
      JOIN {disruption} d ON d.id = dc.disruption_id
      JOIN {customer} c ON c.id = dc.customer_id
     WHERE d.starts_at >= %(start)s AND d.starts_at < %(end)s
       AND (%(agency)s::bigint IS NULL OR c.home_agency_id = %(agency)s)
     ORDER BY dc.customer_id, d.starts_at, dc.id
), outcome AS (
    SELECT dr."group",
           bool_or(rc.id IS NOT NULL) AS lapsed,
           bool_or(rc.status = %(won_back)s) AS won_back
      FROM drawn dr
      LEFT JOIN {case} rc ON rc.customer_id = dr.customer_id AND rc.opened_at >= dr.starts_at
     GROUP BY dr.customer_id, dr."group"
)
SELECT "group", count(*), count(*) FILTER (WHERE lapsed), count(*) FILTER (WHERE won_back)
  FROM outcome
 GROUP BY "group"
"""


def disruption_effect(
    *,
    first: datetime.date,
    last: datetime.date,
    agency_id: int | None,
    min_sample: int | None = None,
) -> list[GroupFigures]:
    """The contacted and held-out groups of the disruptions that started from the month of
    `first` to the month of `last` (the riders of `agency_id` only, when given)."""
    min_sample = MIN_SAMPLE if min_sample is None else min_sample
    start, end = _bounds(first, last)
    with connection.cursor() as cursor:
        cursor.execute(
            GROUPS_SQL.format(**_tables()),
            {"start": start, "end": end, "agency": agency_id, "won_back": CaseStatus.WON_BACK},
        )
        counts = {group: (riders, lapsed, won) for group, riders, lapsed, won in cursor}
    figures = []
    for group in (ContactGroup.CONTACTED, ContactGroup.HELD_OUT):
        riders, lapsed, won = counts.get(group, (0, 0, 0))
        figures.append(
            GroupFigures(
                group=group,
                label=str(group.label),
                riders=riders,
                lapse=Rate(hits=lapsed, n=riders, min_sample=min_sample),
                win_back=Rate(hits=won, n=lapsed, min_sample=min_sample),
            )
        )
    return figures


LINES_SQL = """
WITH months AS (
    SELECT m::date AS month,
           (m::timestamp AT TIME ZONE 'Europe/Paris') AS m_start,
           ((m + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris') AS m_end
      FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m
), riders AS (
    SELECT DISTINCT cl.line_id, cl.customer_id
      FROM {customer_line} cl
      JOIN {customer} c ON c.id = cl.customer_id
     WHERE %(agency)s::bigint IS NULL OR c.home_agency_id = %(agency)s
), hours AS (
    SELECT dl.line_id, months.month,
           sum(extract(epoch FROM least(coalesce(d.ends_at, %(now)s), months.m_end)
                                - greatest(d.starts_at, months.m_start))) / 3600 AS hours
      FROM {disruption} d
      JOIN {disruption_lines} dl ON dl.disruption_id = d.id
      JOIN months ON d.starts_at < months.m_end AND coalesce(d.ends_at, %(now)s) > months.m_start
     WHERE d.starts_at < coalesce(d.ends_at, %(now)s)  -- an open one not started yet: 0 h
     GROUP BY dl.line_id, months.month
), complaints AS (
    SELECT r.line_id, months.month, count(DISTINCT t.id) AS n
      FROM riders r
      JOIN {touchpoint} t ON t.customer_id = r.customer_id
      JOIN {reason} re ON re.id = t.reason_id AND re.is_complaint
      JOIN months ON t.occurred_at >= months.m_start AND t.occurred_at < months.m_end
     GROUP BY r.line_id, months.month
), lapses AS (
    SELECT r.line_id, months.month, count(DISTINCT rc.id) AS n
      FROM riders r
      JOIN {case} rc ON rc.customer_id = r.customer_id
      JOIN months ON rc.opened_at >= months.m_start AND rc.opened_at < months.m_end
     GROUP BY r.line_id, months.month
), won AS (
    SELECT r.line_id, months.month, count(DISTINCT rc.id) AS n
      FROM riders r
      JOIN {case} rc ON rc.customer_id = r.customer_id AND rc.status = %(won_back)s
      JOIN months ON rc.won_back_at >= months.m_start AND rc.won_back_at < months.m_end
     GROUP BY r.line_id, months.month
), keys AS (
    SELECT line_id, month FROM hours UNION SELECT line_id, month FROM complaints
    UNION SELECT line_id, month FROM lapses UNION SELECT line_id, month FROM won
)
SELECT k.line_id, l.short_name, k.month, coalesce(c.n, 0), coalesce(la.n, 0),
       coalesce(w.n, 0), round(coalesce(h.hours, 0)::numeric, 1)
  FROM keys k
  JOIN {line} l ON l.id = k.line_id
  LEFT JOIN hours h USING (line_id, month)
  LEFT JOIN complaints c USING (line_id, month)
  LEFT JOIN lapses la USING (line_id, month)
  LEFT JOIN won w USING (line_id, month)
 ORDER BY k.month, l.short_name, k.line_id
"""


def line_months(
    *, first: datetime.date, last: datetime.date, agency_id: int | None
) -> list[LineMonth]:
    """Per line and Paris month from `first` to `last`: its riders' complaints, lapses and
    win-backs, and its disruption hours (clipped to the month). Lines with nothing are left
    out. Disruption hours are the network's, whatever the agency."""
    with connection.cursor() as cursor:
        cursor.execute(
            LINES_SQL.format(**_tables()),
            {
                "first": first.replace(day=1),
                "last": last.replace(day=1),
                "agency": agency_id,
                "won_back": CaseStatus.WON_BACK,
                "now": timezone.now(),
            },
        )
        return [LineMonth(*row) for row in cursor]
