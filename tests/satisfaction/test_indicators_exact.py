"""The satisfaction gap sums integer offsets per survey kind and makes them numerics once
per month: the sums of the scores on 0–100 (and of their squares, and of the paired
differences') have the value and the number of decimals of numeric sums over the answers,
digit for digit; an estimate far off its scale sends the recompute back to those numeric
sums row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satisfaction.models import SCALES, AgentEstimate, GapSnapshot
from satisfaction.services import indicators_compute
from satisfaction.services.indicators import (
    GAP_NUMERIC_SQL,
    _correction,
    _normalised,
    _points,
    _squares,
    _units,
)
from tests.satisfaction.conftest import paris

pytestmark = pytest.mark.django_db

E18 = 10**18

# per kind, lists of scores: every score of the scale with its bottom (0,000…0 on 0–100:
# twenty decimals), without it (sixteen), and a CSAT 0 (below the scale's 1: negative)
SAMPLES = [
    ("ces", [1, 2, 3, 4, 5, 6, 7]),
    ("ces", [2, 3, 5, 6, 6, 7]),
    ("ces", [3, 6]),
    ("csat", [0, 1, 2, 5]),
    ("csat", [2, 3, 4]),
    ("nps", [0, 3, 7, 10]),
    ("nps", [9, 10]),
]


@pytest.mark.parametrize(("kind", "scores"), SAMPLES)
def test_the_integer_sums_are_the_numeric_sums_digit_for_digit(kind, scores):
    low, high = SCALES[kind]
    span = high - low
    zeros = "count(*) FILTER (WHERE x.k = 0)"
    units = _units("sum(x.k)", "sum(x.c)", str(span))
    squares = _squares("sum(x.k * x.k)", "sum(x.k * x.c)", "sum(x.c * x.c)", str(span))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT sum(x.real)::text, sum(x.real * x.real)::text,
                   {_points(units, zeros, 16)}::text, {_points(squares, zeros, 32)}::text
            FROM (
                SELECT {_normalised("a.score")} AS real, a.score - sc.low AS k,
                       {_correction("(a.score - sc.low)")} AS c
                FROM (VALUES {", ".join(f"({score}::smallint)" for score in scores)}) a(score)
                CROSS JOIN (SELECT %s::text AS kind) s
                CROSS JOIN (SELECT {low} AS low, {span} AS span, {E18 % span} AS remainder) sc
            ) x
            """,
            [kind],
        )
        numeric_sum, numeric_squares, integer_sum, integer_squares = cursor.fetchone()
    # the text shows the decimals: 16, or 20 with a score at the bottom of the scale
    assert integer_sum == numeric_sum
    assert integer_squares == numeric_squares


@pytest.fixture
def mixed(bulk_answers, helene, agent):
    """November, Lyon's counter: CES answers 1 to 7 estimated 7 down to 1 (so every
    difference, and the bottom of the scale on both sides), NPS 0, 6, 10 estimated 10, 5
    and none, CSAT 0 (below the scale) estimated 1."""
    at = paris(2025, 11, 14, 10, 0)
    bulk_answers(
        customer=helene, agent=agent, at=at, kind="ces",
        scores=[1, 2, 3, 4, 5, 6, 7], estimates=[7, 6, 5, 4, 3, 2, 1],
    )  # fmt: skip
    bulk_answers(
        customer=helene, agent=agent, at=at, kind="nps", scores=[0, 6, 10], estimates=[10, 5, None]
    )
    bulk_answers(customer=helene, agent=agent, at=at, kind="csat", scores=[0], estimates=[1])


def snapshot_rows():
    fields = [f.attname for f in GapSnapshot._meta.fields if f.attname not in ("id", "computed_at")]
    return sorted(GapSnapshot.objects.values_list(*fields), key=repr)


FAST = "corrected AS ("  # only in GAP_SQL
NUMERIC = "sum(sc.real * sc.real)"  # only in GAP_NUMERIC_SQL


def test_every_figure_is_the_row_by_row_numeric_statement_s(mixed):
    with CaptureQueriesContext(connection) as queries:
        indicators_compute(min_sample=2)
    assert [FAST in q["sql"] for q in queries if NUMERIC in q["sql"] or FAST in q["sql"]] == [True]
    fast = snapshot_rows()
    assert len(fast) == 3 * 4  # month, quarter, year × network, agency, channel, both
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM satisfaction_gapsnapshot")
        cursor.execute(GAP_NUMERIC_SQL, {"min_sample": 2, "now": paris(2025, 12, 1, 3, 0)})
    assert snapshot_rows() == fast


def test_an_estimate_far_off_its_scale_sends_the_sums_back_to_numeric(mixed):
    estimate = AgentEstimate.objects.filter(kind="ces").first()
    estimate.score = 150  # none the services accept (satisfaction/services/common.py)
    estimate.save(update_fields=["score"])
    with CaptureQueriesContext(connection) as queries:
        indicators_compute(min_sample=2)
    assert [NUMERIC in q["sql"] for q in queries if NUMERIC in q["sql"] or FAST in q["sql"]] == [
        True
    ]
    network = GapSnapshot.objects.get(period_kind="month", agency=None, channel="")
    assert (network.answers_n, network.paired_n) == (11, 10)
