"""Benchmark of the reconquest indicators (not a test: pytest collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench \\
        python tests/benchmarks/bench_reconquest.py --customers 100000

Creates the dedicated database if missing, migrates it, loads a generated data set
entirely in SQL (INSERT … SELECT generate_series) and measures, 3 repetitions each
(median):

- the full recompute, `snapshot_compute()`, and each of its statements (timed through
  its progress callback);
- the floor: the reconquest-rate aggregation (lost, and won back within 90 days, per
  Paris month and agency) written by hand as ONE SQL statement run through psycopg,
  alternating with ours in the same run (ours, floor, ours, floor…).

The database is the benchmark's own: created and marked if missing, refused if it
exists without the mark (demo/dataset/createdb.py). Every table is printed with the
date, the machine and the load average before and after.

The data set (reconquest_dataset.py) is reloaded only when the customer count differs
(or with --reload).
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_support import facts_line, machine_facts  # noqa: E402
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


STEP_NAMES = ["setup + DELETE", "CASES", "CONTACTS", "CAMPAIGNS", "CHANNELS", "RIDERSHIP"]
STEP_NAMES += ["NEW_CUSTOMERS", "LABELS (3 UPDATE)"]


def compute_once(steps: dict) -> tuple[float, object]:
    from reconquete.services import indicators

    marks = []
    started = time.perf_counter()
    report = indicators.snapshot_compute(
        progress=lambda done, total, marks=marks: marks.append(time.perf_counter())
    )
    total = time.perf_counter() - started
    previous = started
    durations = []
    for mark in marks:
        durations.append(mark - previous)
        previous = mark
    # DELETE, the 6 families, then the 3 label updates together
    durations = [*durations[:7], sum(durations[7:])]
    for name, seconds in zip(STEP_NAMES, durations, strict=True):
        steps.setdefault(name, []).append(seconds)
    return total, report


def floor_once(conn, statement: str, params: dict) -> float:
    started = time.perf_counter()
    conn.execute(statement, params).fetchall()
    elapsed = time.perf_counter() - started
    conn.rollback()
    return elapsed


def measure(url: str, refs: dict):
    """Ours and the floors alternate (ours, floor, ridership floor, ours, …) in the same
    run: a burst of load on the machine falls on both alike."""
    import psycopg

    from reconquete.services.indicators import _add_months, _paris_midnight

    totals, floors, ridership_floors, steps, report = [], [], [], {}, None
    with psycopg.connect(url) as conn:
        for _ in range(REPEAT):
            total, report = compute_once(steps)
            totals.append(total)
            params = {
                "start": _paris_midnight(report.period_from),
                "end": _paris_midnight(_add_months(report.period_to, 1)),
            }
            floors.append(floor_once(conn, FLOOR, params))
            ridership_params = {
                "base_start": refs["baseline"][0],
                "base_end": refs["baseline"][1],
                "period_from": report.period_from,
                "period_to": report.period_to,
            }
            ridership_floors.append(floor_once(conn, RIDERSHIP_FLOOR, ridership_params))
    return totals, floors, ridership_floors, steps, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reload", action="store_true", help="reload even if present")
    parser.add_argument("--json", type=Path, help="save the table and the machine there")
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

    before = machine_facts()
    totals, floors, ridership_floors, steps, report = measure(url, refs)
    floor = statistics.median(floors)
    ridership_floor = statistics.median(ridership_floors)
    after = machine_facts()

    print(
        f"\n{args.customers} customers, months {report.period_from:%Y-%m} to "
        f"{report.period_to:%Y-%m}, {report.rows} snapshot rows; median of {REPEAT}, ours "
        f"and the floors alternating\nbefore: {facts_line(before)}\nafter:  {facts_line(after)}"
    )
    rows = [("snapshot_compute() full recompute", statistics.median(totals), floor)]
    rows += [(f"  step {name}", statistics.median(times), None) for name, times in steps.items()]
    rows.append(("  step CASES vs its floor", statistics.median(steps["CASES"]), floor))
    rows.append(
        ("  step RIDERSHIP vs trips floor", statistics.median(steps["RIDERSHIP"]), ridership_floor)
    )
    lines = [
        f"| {'operation':<38} | {'ours (s)':>9} | {'floor (s)':>9} | {'ratio':>7} |",
        f"|-{'-' * 38}-|-{'-' * 9}-|-{'-' * 9}-|-{'-' * 7}-|",
    ]
    for name, ours, base in rows:
        floor_text = f"{base:9.3f}" if base is not None else f"{'':>9}"
        ratio_text = f"{ours / base:6.1f}×" if base else f"{'':>7}"
        lines.append(f"| {name:<38} | {ours:9.3f} | {floor_text} | {ratio_text} |")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "kind": "reconquest",
                    "customers": args.customers,
                    "months": f"{report.period_from:%Y-%m} to {report.period_to:%Y-%m}",
                    "snapshot_rows": report.rows,
                    "repeat": REPEAT,
                    "interleaved": True,
                    "machine_before": before,
                    "machine": after,
                    "table": "\n".join(lines),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        print(f"saved {args.json}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
