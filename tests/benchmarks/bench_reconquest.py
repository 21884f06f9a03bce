"""Benchmark of the reconquest indicators (not a test: pytest collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench \\
        python tests/benchmarks/bench_reconquest.py --customers 100000

Creates the dedicated database if missing, migrates it, loads a generated data set
entirely in SQL (INSERT … SELECT generate_series) and measures, 3 repetitions each
(median):

- the full recompute, `snapshot_compute()`, and each of its statements (timed through
  its progress callback);
- the floor: the reconquest-rate aggregation (lost, and won back within 90 days, per
  Paris month and agency) written by hand as ONE SQL statement run through psycopg.

The data set (reconquest_dataset.py) is reloaded only when the customer count differs
(or with --reload).
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconquest_dataset import counts, ensure_database, load, reference_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rc_bench"
REPEAT = 3

# the floor: the same reconquest rate (lost, won back within 90 Paris days, per Paris
# month, network and agency) in one statement, as a person would write it by hand
FLOOR = """
    SELECT period, agency_id, count(*) AS lost, count(*) FILTER (WHERE w90) AS won_back_90
    FROM (
        SELECT date_trunc('month', opened_at AT TIME ZONE 'Europe/Paris')::date AS period,
               agency_id,
               status = 'won_back'
                   AND (won_back_at AT TIME ZONE 'Europe/Paris')::date
                       - (opened_at AT TIME ZONE 'Europe/Paris')::date <= 90 AS w90
        FROM reconquete_reconquestcase
        WHERE opened_at >= %(start)s AND opened_at < %(end)s
    ) cases
    GROUP BY GROUPING SETS ((period), (period, agency_id))
"""

# an extra floor for the statement that dominates: trips of each month over the customers
# with a baseline, per network and agency, by hand
RIDERSHIP_FLOOR = """
    WITH b AS (
        SELECT r.customer_id, c.home_agency_id AS agency_id
        FROM reconquete_ridershipmonth r JOIN customers_customer c ON c.id = r.customer_id
        WHERE r.month BETWEEN %(base_start)s AND %(base_end)s
        GROUP BY r.customer_id, c.home_agency_id HAVING SUM(r.trips) > 0
    )
    SELECT r.month, b.agency_id, SUM(r.trips)
    FROM reconquete_ridershipmonth r JOIN b ON b.customer_id = r.customer_id
    WHERE r.month BETWEEN %(period_from)s AND %(period_to)s
    GROUP BY GROUPING SETS ((r.month), (r.month, b.agency_id))
"""


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure_ours() -> tuple[list[float], dict[str, list[float]], object]:
    from reconquete.services import indicators

    names = ["setup + DELETE", "CASES", "CONTACTS", "CAMPAIGNS", "CHANNELS", "RIDERSHIP"]
    names += ["NEW_CUSTOMERS", "LABELS (3 UPDATE)"]
    totals, steps, report = [], {}, None
    for _ in range(REPEAT):
        marks = []
        started = time.perf_counter()
        report = indicators.snapshot_compute(
            progress=lambda done, total, marks=marks: marks.append(time.perf_counter())
        )
        totals.append(time.perf_counter() - started)
        previous = started
        durations = []
        for mark in marks:
            durations.append(mark - previous)
            previous = mark
        # DELETE, the 6 families, then the 3 label updates together
        durations = [*durations[:7], sum(durations[7:])]
        for name, seconds in zip(names, durations, strict=True):
            steps.setdefault(name, []).append(seconds)
    return totals, steps, report


def measure_floor(url: str, statement: str, params: dict) -> list[float]:
    import psycopg

    times = []
    with psycopg.connect(url) as conn:
        for _ in range(REPEAT):
            started = time.perf_counter()
            conn.execute(statement, params).fetchall()
            times.append(time.perf_counter() - started)
            conn.rollback()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reload", action="store_true", help="reload even if present")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL

    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    refs = reference_rows()
    load(url, args.customers, refs, args.reload)
    for table, count in counts(url).items():
        print(f"  {table:<30} {count:>10}")

    totals, steps, report = measure_ours()
    from reconquete.services.indicators import _add_months, _paris_midnight

    params = {
        "start": _paris_midnight(report.period_from),
        "end": _paris_midnight(_add_months(report.period_to, 1)),
    }
    floor = statistics.median(measure_floor(url, FLOOR, params))
    ridership_params = {
        "base_start": refs["baseline"][0],
        "base_end": refs["baseline"][1],
        "period_from": report.period_from,
        "period_to": report.period_to,
    }
    ridership_floor = statistics.median(measure_floor(url, RIDERSHIP_FLOOR, ridership_params))

    print(
        f"\n{args.customers} customers, months {report.period_from:%Y-%m} to "
        f"{report.period_to:%Y-%m}, {report.rows} snapshot rows; median of {REPEAT}"
    )
    rows = [("snapshot_compute() full recompute", statistics.median(totals), floor)]
    rows += [(f"  step {name}", statistics.median(times), None) for name, times in steps.items()]
    rows.append(("  step CASES vs its floor", statistics.median(steps["CASES"]), floor))
    rows.append(
        ("  step RIDERSHIP vs trips floor", statistics.median(steps["RIDERSHIP"]), ridership_floor)
    )
    print(f"{'operation':<38} | {'ours (s)':>9} | {'floor (s)':>9} | {'ratio':>7}")
    print(f"{'-' * 38}-|-{'-' * 9}-|-{'-' * 9}-|-{'-' * 7}")
    for name, ours, base in rows:
        floor_text = f"{base:9.3f}" if base is not None else f"{'':>9}"
        ratio_text = f"{ours / base:6.1f}×" if base else f"{'':>7}"
        print(f"{name:<38} | {ours:9.3f} | {floor_text} | {ratio_text}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
