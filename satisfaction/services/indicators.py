"""The satisfaction indicators, computed in set-based SQL and stored as snapshot rows.

One run replaces every snapshot row in one transaction: the dashboard reads either the
previous figures or the new ones, never a mix. The answers and the invitations are read
once, grouped by Paris month, agency and channel (and survey) into a few thousand small
rows of counts, sums and sums of squares; the quarters and years (a LATERAL VALUES fans
every month out to its three periods) and the agency, channel and network totals
(GROUPING SETS: a NULL agency is the network, an empty channel is every channel) are
rolled up from those, with the arithmetic of avg() and stddev_samp() so that the figures
are the ones those aggregates give over the answers themselves. Fanning the 200 000
answers out to three periods and four grouping sets instead spilled 110 MB to disk at the
default work_mem (tests/benchmarks/bench_indicators.py).

Confidence intervals (95 %, normal approximation, z = 1.96):
- a mean score: mean ± 1.96 · s / √n, with s the sample standard deviation (n − 1);
- a share p: Wald interval p ± 1.96 · √(p (1 − p) / n);
- the gap on the same touchpoints: paired differences d = estimate − answer (both on
  0–100), d̄ ± 1.96 · s_d / √n;
- the barometer's gap (the staff's mean estimated share minus the real share), two
  independent samples: ± 1.96 · √(s_b² / n_b + p (1 − p) / n), in points.
Scores and shares are clipped to [0, 100], gaps to [−100, 100].
"""

import datetime
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agences.models import Agent
from relation_client.runs.models import BackgroundRun
from relation_client.runs.services import run_claim, run_fail, run_finish, run_progress, run_start
from satisfaction.models import (
    INDICATORS_RUN,
    MIN_SAMPLE,
    NPS_PROMOTER_FROM,
    PULSE_MIN_GROUP,
    SATISFIED_FROM,
    SCALES,
)
from socle.errors import DomainError
from socle.versioned_cache import token_bump

# replaced by every recompute: what was rendered from the snapshot rows before is stale
SNAPSHOT_TOKEN = "satisfaction:snapshots"

COMPUTE_LOCK = 6102  # advisory lock: one recompute at a time
STALE_RUN = datetime.timedelta(hours=2)  # a queued or running run older than this died


def _periods(local_expr: str) -> str:
    """LATERAL VALUES fanning a Paris wall-clock timestamp out to its three periods."""
    return f"""CROSS JOIN LATERAL (VALUES
        ('month', date_trunc('month', {local_expr})::date),
        ('quarter', date_trunc('quarter', {local_expr})::date),
        ('year', date_trunc('year', {local_expr})::date)
    ) AS p(period_kind, period)"""


def _normalised(score: str) -> str:
    """A score on its survey kind's scale, brought to 0–100 (kind in `s.kind`)."""
    whens = " ".join(
        f"WHEN '{kind}' THEN ({score} - {low}) * 100.0 / {high - low}"
        for kind, (low, high) in SCALES.items()
    )
    return f"CASE s.kind {whens} END"


SATISFIED = "a.score >= CASE s.kind {} END".format(
    " ".join(f"WHEN '{kind}' THEN {low}" for kind, low in SATISFIED_FROM.items())
)


def _stddev(n: str, total: str, squares: str) -> str:
    """stddev_samp() from a group's count, sum and sum of squares, with the arithmetic of
    PostgreSQL's own aggregate on numeric (n Σx² − (Σx)² exact, divided by n (n − 1),
    square root; NULL below two values, 0 if the exact numerator is not positive): the
    roll-up from months gives the same digits as stddev_samp() over the answers."""
    numerator = f"({n}::numeric * {squares} - {total} * {total})"
    return f"""CASE WHEN {n} > 1 THEN CASE WHEN {numerator} <= 0 THEN 0
        ELSE sqrt({numerator} / ({n}::numeric * ({n} - 1))) END END"""


# the figures each gap statement computes from its `grouped` rows: means, confidence
# intervals, the satisfied share, the paired gap, NPS, CSAT, CES; one text for both
_GAP_FIGURES = """
), shares AS (
    SELECT g.*, g.satisfied_n::numeric / g.n AS share, sqrt(g.n::numeric) AS root_n,
           sqrt(g.paired_n::numeric) AS root_paired,
           g.paired_n >= %(min_sample)s AS enough
    FROM grouped g
)
SELECT period_kind, period, agency_id, channel,
       n, round(real_mean, 2), round(real_sd, 2),
       CASE WHEN n > 1 THEN round(GREATEST(0, real_mean - 1.96 * real_sd / root_n), 2) END,
       CASE WHEN n > 1 THEN round(LEAST(100, real_mean + 1.96 * real_sd / root_n), 2) END,
       satisfied_n, round(100 * share, 2),
       round(100 * GREATEST(0, share - 1.96 * sqrt(share * (1 - share) / n)), 2),
       round(100 * LEAST(1, share + 1.96 * sqrt(share * (1 - share) / n)), 2),
       paired_n,
       CASE WHEN enough THEN round(paired_real, 2) END,
       CASE WHEN enough THEN round(est_mean, 2) END,
       CASE WHEN enough THEN round(d_mean, 2) END,
       CASE WHEN enough AND paired_n > 1
            THEN round(GREATEST(-100, d_mean - 1.96 * d_sd / root_paired), 2) END,
       CASE WHEN enough AND paired_n > 1
            THEN round(LEAST(100, d_mean + 1.96 * d_sd / root_paired), 2) END,
       0, nps_n, promoters_n, detractors_n,
       CASE WHEN nps_n > 0 THEN round(100.0 * (promoters_n - detractors_n) / nps_n, 2) END,
       csat_n, round(csat_mean, 2), ces_n, round(ces_mean, 2),
       service_n, round(service_mean, 2), %(now)s
FROM shares
"""

GAP_NUMERIC_SQL = f"""
INSERT INTO satisfaction_gapsnapshot (
    period_kind, period, agency_id, channel,
    answers_n, real_score, real_sd, real_ci_low, real_ci_high,
    satisfied_n, satisfied_share, satisfied_ci_low, satisfied_ci_high,
    paired_n, paired_real_score, estimate_score, gap, gap_ci_low, gap_ci_high,
    barometer_n, nps_n, promoters_n, detractors_n, nps,
    csat_n, csat_mean, ces_n, ces_mean, service_n, service_mean, computed_at
)
WITH scored AS (
    SELECT i.agency_id, i.channel,
           i.occurred_at AT TIME ZONE 'Europe/Paris' AS local_at,
           s.kind, a.score, a.service_rating,
           {_normalised("a.score")} AS real,
           {_normalised("e.score")} AS est,
           {SATISFIED} AS satisfied
    FROM satisfaction_surveyanswer a
    JOIN satisfaction_surveyinvitation i ON i.id = a.invitation_id
    JOIN satisfaction_survey s ON s.id = i.survey_id
    -- the same touchpoint, on the same scale
    LEFT JOIN satisfaction_agentestimate e
           ON e.touchpoint_id = i.touchpoint_id AND e.kind = s.kind
), monthly AS (
    -- one pass over the answers, per Paris month, agency and channel: a few thousand
    -- small rows of counts, sums and sums of squares (no averages: they do not add up),
    -- which the quarters, years and totals are rolled up from exactly
    SELECT date_trunc('month', sc.local_at)::date AS month, sc.agency_id, sc.channel,
           count(*) AS n,
           count(sc.real) AS real_n, sum(sc.real) AS real_sum,
           sum(sc.real * sc.real) AS real_squares,
           count(*) FILTER (WHERE sc.satisfied) AS satisfied_n,
           count(sc.est) AS paired_n,
           sum(sc.real) FILTER (WHERE sc.est IS NOT NULL) AS paired_real_sum,
           count(sc.real) FILTER (WHERE sc.est IS NOT NULL) AS paired_real_n,
           sum(sc.est) AS est_sum,
           count(sc.est - sc.real) AS d_n, sum(sc.est - sc.real) AS d_sum,
           sum((sc.est - sc.real) * (sc.est - sc.real)) AS d_squares,
           count(*) FILTER (WHERE sc.kind = 'nps') AS nps_n,
           count(*) FILTER (WHERE sc.kind = 'nps' AND sc.score >= {NPS_PROMOTER_FROM}) AS promoters_n,
           count(*) FILTER (WHERE sc.kind = 'nps' AND sc.score < {SATISFIED_FROM["nps"]}) AS detractors_n,
           count(*) FILTER (WHERE sc.kind = 'csat') AS csat_n,
           sum(sc.score) FILTER (WHERE sc.kind = 'csat') AS csat_sum,
           count(*) FILTER (WHERE sc.kind = 'ces') AS ces_n,
           sum(sc.score) FILTER (WHERE sc.kind = 'ces') AS ces_sum,
           count(sc.service_rating) AS service_n, sum(sc.service_rating) AS service_sum
    FROM scored sc
    GROUP BY 1, 2, 3
), summed AS (
    SELECT p.period_kind, p.period, m.agency_id, COALESCE(m.channel, '') AS channel,
           sum(m.n)::bigint AS n,
           sum(m.real_n)::bigint AS real_n, sum(m.real_sum) AS real_sum,
           sum(m.real_squares) AS real_squares,
           sum(m.satisfied_n)::bigint AS satisfied_n,
           sum(m.paired_n)::bigint AS paired_n,
           sum(m.paired_real_sum) AS paired_real_sum,
           sum(m.paired_real_n)::bigint AS paired_real_n,
           sum(m.est_sum) AS est_sum,
           sum(m.d_n)::bigint AS d_n, sum(m.d_sum) AS d_sum, sum(m.d_squares) AS d_squares,
           sum(m.nps_n)::bigint AS nps_n,
           sum(m.promoters_n)::bigint AS promoters_n,
           sum(m.detractors_n)::bigint AS detractors_n,
           sum(m.csat_n)::bigint AS csat_n, sum(m.csat_sum) AS csat_sum,
           sum(m.ces_n)::bigint AS ces_n, sum(m.ces_sum) AS ces_sum,
           sum(m.service_n)::bigint AS service_n, sum(m.service_sum) AS service_sum
    FROM monthly m
    {_periods("m.month::timestamp")}
    GROUP BY GROUPING SETS (
        (p.period_kind, p.period, m.agency_id, m.channel),
        (p.period_kind, p.period, m.agency_id),
        (p.period_kind, p.period, m.channel),
        (p.period_kind, p.period)
    )
), grouped AS (
    -- the averages as avg() computes them: the sum divided by the count, in numeric
    SELECT x.period_kind, x.period, x.agency_id, x.channel, x.n,
           x.real_sum / NULLIF(x.real_n, 0) AS real_mean,
           {_stddev("x.real_n", "x.real_sum", "x.real_squares")} AS real_sd,
           x.satisfied_n, x.paired_n,
           x.paired_real_sum / NULLIF(x.paired_real_n, 0) AS paired_real,
           x.est_sum / NULLIF(x.paired_n, 0) AS est_mean,
           x.d_sum / NULLIF(x.d_n, 0) AS d_mean,
           {_stddev("x.d_n", "x.d_sum", "x.d_squares")} AS d_sd,
           x.nps_n, x.promoters_n, x.detractors_n,
           x.csat_n, x.csat_sum::numeric / NULLIF(x.csat_n, 0) AS csat_mean,
           x.ces_n, x.ces_sum::numeric / NULLIF(x.ces_n, 0) AS ces_mean,
           x.service_n, x.service_sum::numeric / NULLIF(x.service_n, 0) AS service_mean
    FROM summed x
{_GAP_FIGURES}"""


# _normalised() gives k × 100 / D, with k a score's offset and D its scale's span, as a
# numeric: 20 decimal zeros for k = 0, otherwise the quotient rounded (half away from
# zero) to 16 decimals, for |k| < 100 (below 10 000 points). That is R / 10¹⁶ with R the
# integer k · 10¹⁸ / D rounded, R = (k · 10¹⁸ + c) / D, c the small correction below
# (0 when D divides 10¹⁸). So the sums of the scores on 0–100, and of their squares and
# of the paired differences', are integer sums of k, k², k·c, c, c² per survey kind,
# made exact numerics once per month: the same values and the same number of decimals
# as numeric sums over the answers, at the cost of integer sums.
_E18 = 10**18


def _correction(offset: str) -> str:
    """c = D · round(k · 10¹⁸ / D) − k · 10¹⁸, from m = |k| · (10¹⁸ mod D) mod D (D and
    10¹⁸ mod D in sc.span and sc.remainder), rounded half away from zero as numeric is."""
    m = f"mod(abs({offset}) * sc.remainder, sc.span)"
    return f"CASE WHEN {offset} < 0 THEN -1 ELSE 1 END * CASE WHEN 2 * {m} >= sc.span THEN sc.span - {m} ELSE -{m} END"


_SCALE_ROWS = ", ".join(
    f"('{kind}', {low}, {high - low}, {_E18 % (high - low)}, {SATISFIED_FROM[kind]})"
    for kind, (low, high) in SCALES.items()
)


def _units(k_sum: str, c_sum: str, span: str) -> str:
    """Σ R over a kind's rows: (10¹⁸ Σk + Σc) / D, exact."""
    return f"div({_E18}::numeric * ({k_sum}) + ({c_sum}), {span})"


def _squares(kk: str, kc: str, cc: str, span: str) -> str:
    """Σ R² over a kind's rows: (10³⁶ Σk² + 2 · 10¹⁸ Σkc + Σc²) / D², exact."""
    return (
        f"div({_E18 * _E18}::numeric * ({kk}) + {2 * _E18}::numeric * ({kc}) + ({cc}),"
        f" {span} * {span})"
    )


def _points(units: str, zeros: str, decimals: int) -> str:
    """R / 10^decimals as a numeric with the decimals numeric arithmetic gives the sum:
    `decimals`, or more (20 per factor) if a zero score contributed 0.000…0."""
    return (
        f"({units} * 0.{'0' * (decimals - 1)}1"
        f" + CASE WHEN {zeros} > 0 THEN 0.{'0' * (decimals // 16 * 20)} ELSE 0 END)"
    )


_KA = "sc.ka"
_KE = "sc.ke"
_ESTIMATE_RANGE = " OR ".join(
    f"(kind = '{kind}' AND score NOT BETWEEN {low - 99} AND {low + 99})"
    for kind, (low, _high) in SCALES.items()
)
# the fast statement's condition: no estimate 100 scale steps or more away from its scale
ESTIMATES_OUT_OF_RANGE_SQL = (
    f"SELECT EXISTS (SELECT 1 FROM satisfaction_agentestimate WHERE {_ESTIMATE_RANGE})"
)

GAP_SQL = f"""
INSERT INTO satisfaction_gapsnapshot (
    period_kind, period, agency_id, channel,
    answers_n, real_score, real_sd, real_ci_low, real_ci_high,
    satisfied_n, satisfied_share, satisfied_ci_low, satisfied_ci_high,
    paired_n, paired_real_score, estimate_score, gap, gap_ci_low, gap_ci_high,
    barometer_n, nps_n, promoters_n, detractors_n, nps,
    csat_n, csat_mean, ces_n, ces_mean, service_n, service_mean, computed_at
)
WITH scored AS (
    SELECT i.agency_id, i.channel, i.occurred_at, k.kind, a.score, a.service_rating,
           a.score >= k.satisfied_from AS satisfied, a.score - k.low AS ka,
           -- the same touchpoint, on the same scale
           e.score - k.low AS ke, k.span, k.remainder
    FROM satisfaction_surveyanswer a
    JOIN satisfaction_surveyinvitation i ON i.id = a.invitation_id
    -- each survey with its scale's bottom, span, 10¹⁸ mod span and satisfied-from: three
    -- rows hashed once, not one more join per answer
    JOIN (
        SELECT s.id, s.kind, k.low, k.span, k.remainder, k.satisfied_from
        FROM satisfaction_survey s
        LEFT JOIN (VALUES {_SCALE_ROWS}) AS k(kind, low, span, remainder, satisfied_from)
               ON k.kind = s.kind
        OFFSET 0
    ) k ON k.id = i.survey_id
    LEFT JOIN satisfaction_agentestimate e
           ON e.touchpoint_id = i.touchpoint_id AND e.kind = k.kind
), corrected AS (
    SELECT sc.*, {_correction("sc.ka")} AS ca, {_correction("sc.ke")} AS ce
    FROM scored sc
    OFFSET 0  -- each expression computed once per answer, not once per aggregate
), counted AS (
    -- one pass over the answers, per Paris month, agency, channel and survey kind: a
    -- few thousand small rows of integer counts and sums (see _correction())
    SELECT date_trunc('month', sc.occurred_at AT TIME ZONE 'Europe/Paris')::date AS month,
           sc.agency_id, sc.channel, sc.kind, sc.span,
           count(*) AS n, count({_KA}) AS real_n,
           sum({_KA}) AS ka, sum({_KA} * {_KA}) AS kaka, sum({_KA} * sc.ca) AS kaca,
           sum(sc.ca) AS ca, sum(sc.ca * sc.ca) AS caca,
           count(*) FILTER (WHERE {_KA} = 0) AS real_zeros,
           count(*) FILTER (WHERE sc.satisfied) AS satisfied_n,
           count({_KE}) AS paired_n,
           sum({_KA}) FILTER (WHERE {_KE} IS NOT NULL) AS pka,
           sum(sc.ca) FILTER (WHERE {_KE} IS NOT NULL) AS pca,
           count(*) FILTER (WHERE {_KE} IS NOT NULL AND {_KA} = 0) AS paired_real_zeros,
           sum({_KE}) AS ke, sum(sc.ce) FILTER (WHERE {_KE} IS NOT NULL) AS ce,
           count(*) FILTER (WHERE {_KE} = 0) AS est_zeros,
           sum(({_KE} - {_KA}) * ({_KE} - {_KA})) AS dkdk,
           sum(({_KE} - {_KA}) * (sc.ce - sc.ca)) AS dkdc,
           sum((sc.ce - sc.ca) * (sc.ce - sc.ca)) AS dcdc,
           count(*) FILTER (WHERE {_KE} = 0 OR ({_KE} IS NOT NULL AND {_KA} = 0)) AS d_zeros,
           count(*) FILTER (WHERE sc.score >= {NPS_PROMOTER_FROM}) AS promoters_n,
           count(*) FILTER (WHERE sc.score < {SATISFIED_FROM["nps"]}) AS detractors_n,
           sum(sc.score) AS score_sum,
           count(sc.service_rating) AS service_n, sum(sc.service_rating) AS service_sum
    FROM corrected sc
    GROUP BY 1, 2, 3, 4, 5
), monthly AS (
    -- the sums of R (scores on 0–100 times 10¹⁶), of R² and of the paired differences'
    SELECT c.month, c.agency_id, c.channel, c.n, c.real_n,
           {_units("c.ka", "c.ca", "c.span")} AS real_units,
           {_squares("c.kaka", "c.kaca", "c.caca", "c.span")} AS real_squares,
           c.real_zeros, c.satisfied_n, c.paired_n,
           {_units("c.pka", "c.pca", "c.span")} AS paired_real_units,
           c.paired_real_zeros,
           {_units("c.ke", "c.ce", "c.span")} AS est_units, c.est_zeros,
           {_units("c.ke - c.pka", "c.ce - c.pca", "c.span")} AS d_units,
           {_squares("c.dkdk", "c.dkdc", "c.dcdc", "c.span")} AS d_squares, c.d_zeros,
           CASE WHEN c.kind = 'nps' THEN c.n ELSE 0 END AS nps_n,
           CASE WHEN c.kind = 'nps' THEN c.promoters_n ELSE 0 END AS promoters_n,
           CASE WHEN c.kind = 'nps' THEN c.detractors_n ELSE 0 END AS detractors_n,
           CASE WHEN c.kind = 'csat' THEN c.n ELSE 0 END AS csat_n,
           CASE WHEN c.kind = 'csat' THEN c.score_sum END AS csat_sum,
           CASE WHEN c.kind = 'ces' THEN c.n ELSE 0 END AS ces_n,
           CASE WHEN c.kind = 'ces' THEN c.score_sum END AS ces_sum,
           c.service_n, c.service_sum
    FROM counted c
), summed AS (
    SELECT p.period_kind, p.period, m.agency_id, COALESCE(m.channel, '') AS channel,
           sum(m.n)::bigint AS n,
           sum(m.real_n)::bigint AS real_n, sum(m.real_units) AS real_units,
           sum(m.real_squares) AS real_squares, sum(m.real_zeros) AS real_zeros,
           sum(m.satisfied_n)::bigint AS satisfied_n,
           sum(m.paired_n)::bigint AS paired_n,
           sum(m.paired_real_units) AS paired_real_units,
           sum(m.paired_real_zeros) AS paired_real_zeros,
           sum(m.est_units) AS est_units, sum(m.est_zeros) AS est_zeros,
           sum(m.d_units) AS d_units, sum(m.d_squares) AS d_squares,
           sum(m.d_zeros) AS d_zeros,
           sum(m.nps_n)::bigint AS nps_n,
           sum(m.promoters_n)::bigint AS promoters_n,
           sum(m.detractors_n)::bigint AS detractors_n,
           sum(m.csat_n)::bigint AS csat_n, sum(m.csat_sum) AS csat_sum,
           sum(m.ces_n)::bigint AS ces_n, sum(m.ces_sum) AS ces_sum,
           sum(m.service_n)::bigint AS service_n, sum(m.service_sum) AS service_sum
    FROM monthly m
    {_periods("m.month::timestamp")}
    GROUP BY GROUPING SETS (
        (p.period_kind, p.period, m.agency_id, m.channel),
        (p.period_kind, p.period, m.agency_id),
        (p.period_kind, p.period, m.channel),
        (p.period_kind, p.period)
    )
), sums AS (
    -- the numeric sums over the answers, digit for digit
    SELECT x.*,
           {_points("x.real_units", "x.real_zeros", 16)} AS real_sum,
           {_points("x.real_squares", "x.real_zeros", 32)} AS real_sq,
           {_points("x.paired_real_units", "x.paired_real_zeros", 16)} AS paired_real_sum,
           {_points("x.est_units", "x.est_zeros", 16)} AS est_sum,
           {_points("x.d_units", "x.d_zeros", 16)} AS d_sum,
           {_points("x.d_squares", "x.d_zeros", 32)} AS d_sq
    FROM summed x
), grouped AS (
    -- the averages as avg() computes them: the sum divided by the count, in numeric
    SELECT x.period_kind, x.period, x.agency_id, x.channel, x.n,
           x.real_sum / NULLIF(x.real_n, 0) AS real_mean,
           {_stddev("x.real_n", "x.real_sum", "x.real_sq")} AS real_sd,
           x.satisfied_n, x.paired_n,
           x.paired_real_sum / NULLIF(x.paired_n, 0) AS paired_real,
           x.est_sum / NULLIF(x.paired_n, 0) AS est_mean,
           x.d_sum / NULLIF(x.paired_n, 0) AS d_mean,
           {_stddev("x.paired_n", "x.d_sum", "x.d_sq")} AS d_sd,
           x.nps_n, x.promoters_n, x.detractors_n,
           x.csat_n, x.csat_sum::numeric / NULLIF(x.csat_n, 0) AS csat_mean,
           x.ces_n, x.ces_sum::numeric / NULLIF(x.ces_n, 0) AS ces_mean,
           x.service_n, x.service_sum::numeric / NULLIF(x.service_n, 0) AS service_mean
    FROM sums x
    OFFSET 0  -- the square roots and quotients computed once per row, not once per use
{_GAP_FIGURES}"""

# the real share in points, and its variance p (1 − p) / n in points²
_SHARE = "(100.0 * g.satisfied_n / g.answers_n)"
_SHARE_VARIANCE = (
    "(10000.0 * g.satisfied_n * (g.answers_n - g.satisfied_n)"
    " / (g.answers_n::numeric * g.answers_n * g.answers_n))"
)
_BAROMETER_HALF = f"1.96 * sqrt(b.variance / b.n + {_SHARE_VARIANCE})"

BAROMETER_SQL = f"""
UPDATE satisfaction_gapsnapshot g
SET barometer_n = b.n,
    barometer_share = round(b.mean, 2),
    barometer_gap = CASE WHEN g.answers_n >= %(min_sample)s
        THEN round(b.mean - {_SHARE}, 2) END,
    barometer_gap_ci_low = CASE WHEN g.answers_n >= %(min_sample)s AND b.n > 1
        THEN round(GREATEST(-100, b.mean - {_SHARE} - {_BAROMETER_HALF}), 2) END,
    barometer_gap_ci_high = CASE WHEN g.answers_n >= %(min_sample)s AND b.n > 1
        THEN round(LEAST(100, b.mean - {_SHARE} + {_BAROMETER_HALF}), 2) END
FROM (
    SELECT p.period_kind, p.period, t.agency_id, count(*) AS n,
           avg(t.satisfied_share) AS mean, var_samp(t.satisfied_share) AS variance
    FROM satisfaction_teambarometer t
    {_periods("t.period::timestamp")}
    GROUP BY GROUPING SETS ((p.period_kind, p.period, t.agency_id), (p.period_kind, p.period))
) b
WHERE g.period_kind = b.period_kind AND g.period = b.period
  AND g.agency_id IS NOT DISTINCT FROM b.agency_id AND g.channel = ''
"""

RESPONSE_SQL = f"""
INSERT INTO satisfaction_responsesnapshot (
    period_kind, period, survey_id, agency_id, channel, sent_n, answered_n, rate, computed_at
)
WITH monthly AS (
    -- one pass over the invitations per Paris month, survey, agency and channel; the
    -- quarters, years and totals are rolled up from these counts
    SELECT date_trunc('month', i.sent_at AT TIME ZONE 'Europe/Paris')::date AS month,
           i.survey_id, i.agency_id, i.channel,
           count(*) AS sent_n, count(i.answered_at) AS answered_n
    FROM satisfaction_surveyinvitation i
    WHERE i.sent_at IS NOT NULL
    GROUP BY 1, 2, 3, 4
), summed AS (
    SELECT p.period_kind, p.period, m.survey_id, m.agency_id,
           COALESCE(m.channel, '') AS channel,
           sum(m.sent_n)::bigint AS sent_n, sum(m.answered_n)::bigint AS answered_n
    FROM monthly m
    {_periods("m.month::timestamp")}
    GROUP BY GROUPING SETS (
        (p.period_kind, p.period, m.survey_id, m.agency_id, m.channel),
        (p.period_kind, p.period, m.survey_id, m.agency_id),
        (p.period_kind, p.period, m.survey_id, m.channel),
        (p.period_kind, p.period, m.survey_id),
        (p.period_kind, p.period, m.agency_id, m.channel),
        (p.period_kind, p.period, m.agency_id),
        (p.period_kind, p.period, m.channel),
        (p.period_kind, p.period)
    )
)
SELECT period_kind, period, survey_id, agency_id, channel, sent_n, answered_n,
       round(100.0 * answered_n / sent_n, 2), %(now)s
FROM summed
"""

_AGENCY_SETS = """GROUP BY GROUPING SETS (
        (p.period_kind, p.period, x.agency_id), (p.period_kind, p.period))"""

TEAM_SQL = f"""
INSERT INTO satisfaction_teamsnapshot (
    period_kind, period, agency_id,
    incivility_against_staff_n, incivility_by_staff_n, incivility_severe_n,
    climate_n, climate_mean, pulse_n, pulse_engagement, pulse_workload, pulse_support,
    computed_at
)
WITH pulse_groups AS (
    -- anonymity: an agency's month with fewer than {PULSE_MIN_GROUP} answers is left out
    -- of every figure, quarters, years and the network included, so that it cannot be
    -- recovered by subtracting the groups that are shown from a total
    SELECT agency_id, period, count(*) AS n, sum(engagement) AS engagement,
           sum(workload) AS workload, sum(support) AS support
    FROM satisfaction_pulseresponse
    GROUP BY agency_id, period
    HAVING count(*) >= %(pulse_min)s
), incivility_months AS (
    -- the reports and the exchanges' climate counted per Paris month and agency first,
    -- then added up into quarters and years (the counts and sums add up exactly)
    SELECT date_trunc('month', x.occurred_at AT TIME ZONE 'Europe/Paris')::date AS month,
           x.agency_id,
           count(*) FILTER (WHERE x.direction = 'against_staff') AS against_staff,
           count(*) FILTER (WHERE x.direction = 'by_staff') AS by_staff,
           count(*) FILTER (WHERE x.severity >= 3) AS severe
    FROM satisfaction_incivilityreport x
    GROUP BY 1, 2
), climate_months AS (
    SELECT date_trunc('month', x.occurred_at AT TIME ZONE 'Europe/Paris')::date AS month,
           x.agency_id, count(*) AS n, sum(x.rating) AS rating
    FROM satisfaction_exchangeclimate x
    GROUP BY 1, 2
), parts AS (
    SELECT p.period_kind, p.period, x.agency_id,
           sum(x.against_staff)::bigint AS against_staff,
           sum(x.by_staff)::bigint AS by_staff, sum(x.severe)::bigint AS severe,
           0 AS climate_n, 0 AS climate_sum, 0 AS pulse_n,
           0 AS engagement, 0 AS workload, 0 AS support
    FROM incivility_months x
    {_periods("x.month::timestamp")}
    {_AGENCY_SETS}
    UNION ALL
    SELECT p.period_kind, p.period, x.agency_id, 0, 0, 0, sum(x.n)::bigint, sum(x.rating)::bigint, 0, 0, 0, 0
    FROM climate_months x
    {_periods("x.month::timestamp")}
    {_AGENCY_SETS}
    UNION ALL
    SELECT p.period_kind, p.period, x.agency_id, 0, 0, 0, 0, 0,
           sum(x.n), sum(x.engagement), sum(x.workload), sum(x.support)
    FROM pulse_groups x
    {_periods("x.period::timestamp")}
    {_AGENCY_SETS}
)
SELECT period_kind, period, agency_id,
       sum(against_staff), sum(by_staff), sum(severe),
       sum(climate_n), round(sum(climate_sum)::numeric / NULLIF(sum(climate_n), 0), 2),
       sum(pulse_n),
       round(sum(engagement)::numeric / NULLIF(sum(pulse_n), 0), 2),
       round(sum(workload)::numeric / NULLIF(sum(pulse_n), 0), 2),
       round(sum(support)::numeric / NULLIF(sum(pulse_n), 0), 2),
       %(now)s
FROM parts
GROUP BY period_kind, period, agency_id
"""

STEPS = [
    (gettext_noop("Effacement des anciens instantanés"), None),
    (gettext_noop("Écart de satisfaction"), GAP_SQL),
    (gettext_noop("Baromètre d'équipe"), BAROMETER_SQL),
    (gettext_noop("Taux de réponse"), RESPONSE_SQL),
    (gettext_noop("Incivilités, climat et ressenti de l'équipe"), TEAM_SQL),
]


@dataclass
class ComputeSummary:
    run_id: int
    gap_rows: int
    response_rows: int
    team_rows: int
    seconds: float


def recompute_request(*, by: Agent | None) -> BackgroundRun:
    """A recompute for the dashboard's button: the one already waiting or running, or a
    new one queued once this transaction commits."""
    from satisfaction.tasks import compute_indicators  # the tasks module imports these services

    def enqueue(run: BackgroundRun) -> None:
        compute_indicators.apply_async(kwargs={"run_id": run.pk}, task_id=run.task_id)

    return run_start(kind=INDICATORS_RUN, stale_after=STALE_RUN, requested_by=by, enqueue=enqueue)


def indicators_compute(
    *, run_id: int | None = None, min_sample: int = MIN_SAMPLE
) -> ComputeSummary:
    """Replace every satisfaction snapshot row, in one transaction. Idempotent: run twice
    on the same data, it writes the same rows."""
    started = time.monotonic()
    now = timezone.now()
    if run_id is None:
        # the nightly run, requested by nobody (or the manager's, if one is waiting)
        run_id = run_start(kind=INDICATORS_RUN, stale_after=STALE_RUN).pk
    if not run_claim(run_id=run_id, kind=INDICATORS_RUN):
        raise DomainError("run_over", _("Ce recalcul est déjà terminé."))
    params = {"min_sample": min_sample, "pulse_min": PULSE_MIN_GROUP, "now": now}
    counts: list[int] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMPUTE_LOCK])
            # the planner cannot tell how many Paris months an expression of the answers'
            # timestamps makes (it takes one per answer), so it costs the monthly
            # grouping as if it were a hundred times larger and JIT-compiles it, with
            # optimisation: seconds, for statements that run in about one
            cursor.execute("SET LOCAL jit = off")
            # an estimate far off its scale (none the services accept) would leave the
            # integer sums of GAP_SQL: the answers are then summed row by row in numeric
            cursor.execute(ESTIMATES_OUT_OF_RANGE_SQL)
            (estimates_off_scale,) = cursor.fetchone()
            for index, (label, sql) in enumerate(STEPS):
                run_progress(run_id=run_id, progress=round(100 * index / len(STEPS)), step=_(label))
                if sql is None:
                    cursor.execute(
                        "DELETE FROM satisfaction_gapsnapshot; "
                        "DELETE FROM satisfaction_responsesnapshot; "
                        "DELETE FROM satisfaction_teamsnapshot"
                    )
                    continue
                if sql is GAP_SQL:
                    # it counts the answers' Paris months as one group per answer too, and
                    # sorts the 200 000 answers (spilling to disk) rather than hash their few
                    # thousand (month, agency, channel, kind) groups of integers
                    cursor.execute("SET LOCAL enable_sort = off")
                    # the answers' and the estimates' hash tables (about 7 MB each) in
                    # memory, not split in two batches written to disk
                    cursor.execute("SET LOCAL work_mem = '16MB'")
                    if estimates_off_scale:
                        sql = GAP_NUMERIC_SQL
                cursor.execute(sql, params)
                counts.append(cursor.rowcount)
                cursor.execute("RESET enable_sort; RESET work_mem")
            # the dashboards rendered from the old rows are stale (views/dashboard.py)
            token_bump(SNAPSHOT_TOKEN)
    except Exception as error:
        run_fail(run_id=run_id, error=str(error))
        raise
    gap_rows, _barometer_rows, response_rows, team_rows = counts
    run_finish(run_id=run_id, rows=gap_rows + response_rows + team_rows, step=_("Terminé"))
    return ComputeSummary(
        run_id=run_id,
        gap_rows=gap_rows,
        response_rows=response_rows,
        team_rows=team_rows,
        seconds=round(time.monotonic() - started, 3),
    )
