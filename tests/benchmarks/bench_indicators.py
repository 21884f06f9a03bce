"""Benchmark of the indicator recomputes through a real Celery worker (not a test: pytest
collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_medium \\
        python tests/benchmarks/bench_indicators.py

On a database already loaded (`make dataset`, or bench_reconquest.py's set; one the
benchmarks may write into: demo/dataset/createdb.py's mark), it starts one Celery worker
(solo pool: the tasks run in the worker's own process, whose peak resident memory, VmHWM,
is read from /proc at the end) and measures, median of 3:

- the full recompute of the reconquest snapshots and of the satisfaction snapshots, each
  through its task, as the night's beat sends it;
- the incremental update (`reconquete.tasks.update_indicators`) after one simulated day:
  1 % of the open reconquest cases won back (dated in the past month, as the detection
  dates a return) and the outcomes of 200 reconquest calls logged through the service;
- the floor: the same aggregations written by hand, one SELECT per family, run through
  psycopg on the same database; the floor of the full recompute is the sum of the
  families'. Steps without a hand-written floor (campaigns, channels, labels, barometer,
  incivility/pulse) are left in "ours": the ratio errs against us.

Ours and the floors alternate in the same run (ABAB): each repetition runs the reconquest
task, its floors, the satisfaction task, its floors, so that a burst of load on the
machine falls on both alike. The table is printed, and saved with --json for
write_docs.py, with the date, the machine and the load average before and after.

The simulated day stays in the database (a rerun simulates another day).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_support import facts_line, machine_facts  # noqa: E402

REPEAT = 3

PARIS_MONTH = "date_trunc('month', {ts} AT TIME ZONE 'Europe/Paris')::date"
PARIS_DAYS = (
    "(({end} AT TIME ZONE 'Europe/Paris')::date - ({start} AT TIME ZONE 'Europe/Paris')::date)"
)

FLOORS = {
    # lost per opening month, won back within 30/90 days, returns and their median delay
    "reconquest rate (cases)": f"""
        SELECT period, agency_id, segment_id, SUM(lost), SUM(w30), SUM(w90), SUM(back),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
        FROM (
            SELECT {PARIS_MONTH.format(ts="opened_at")} AS period, agency_id, segment_id,
                   1 AS lost,
                   (status = 'won_back'
                    AND {PARIS_DAYS.format(start="opened_at", end="won_back_at")} <= 30)::int AS w30,
                   (status = 'won_back'
                    AND {PARIS_DAYS.format(start="opened_at", end="won_back_at")} <= 90)::int AS w90,
                   0 AS back, NULL::int AS days
            FROM reconquete_reconquestcase WHERE opened_at >= %(start)s
            UNION ALL
            SELECT {PARIS_MONTH.format(ts="won_back_at")}, agency_id, segment_id, 0, 0, 0, 1,
                   {PARIS_DAYS.format(start="opened_at", end="won_back_at")}
            FROM reconquete_reconquestcase
            WHERE status = 'won_back' AND won_back_at >= %(start)s
        ) f
        GROUP BY GROUPING SETS ((period), (period, agency_id), (period, segment_id),
                                (period, agency_id, segment_id))
    """,
    # each case counted once in the month it was first contacted, reached, won over
    "contacted, reached, accepted": f"""
        SELECT {PARIS_MONTH.format(ts="f.at")}, rc.agency_id, f.kind, count(*)
        FROM (
            SELECT case_id, 'contacted' AS kind, MIN(occurred_at) AS at
            FROM reconquete_reconquestcontact GROUP BY case_id
            UNION ALL
            SELECT case_id, 'reached', MIN(occurred_at) FROM reconquete_reconquestcontact
            WHERE outcome IN ('reached', 'accepted', 'declined', 'do_not_contact')
            GROUP BY case_id
            UNION ALL
            SELECT case_id, 'accepted', MIN(occurred_at) FROM reconquete_reconquestcontact
            WHERE outcome = 'accepted' GROUP BY case_id
        ) f JOIN reconquete_reconquestcase rc ON rc.id = f.case_id
        WHERE f.at >= %(start)s
        GROUP BY GROUPING SETS ((1, f.kind), (1, f.kind, rc.agency_id))
    """,
    # trips of each month over the customers with a baseline (the network's period),
    # and the baselines, per network, agency and segment
    "ridership recovery": """
        WITH b AS MATERIALIZED (
            SELECT r.customer_id, c.home_agency_id AS agency_id, c.segment_id,
                   SUM(r.trips)::numeric / %(base_months)s AS baseline
            FROM reconquete_ridershipmonth r
            JOIN customers_customer c ON c.id = r.customer_id
            WHERE r.month BETWEEN %(base_start)s AND %(base_end)s
            GROUP BY 1, 2, 3 HAVING SUM(r.trips) > 0
        )
        SELECT NULL::date, agency_id, segment_id, NULL::bigint, SUM(baseline) FROM b
        GROUP BY GROUPING SETS ((), (agency_id), (segment_id), (agency_id, segment_id))
        UNION ALL
        SELECT r.month, b.agency_id, b.segment_id, SUM(r.trips), NULL
        FROM reconquete_ridershipmonth r JOIN b ON b.customer_id = r.customer_id
        WHERE r.month >= %(first_month)s
        GROUP BY GROUPING SETS ((r.month), (r.month, b.agency_id), (r.month, b.segment_id),
                                (r.month, b.agency_id, b.segment_id))
    """,
    # customers whose first trip falls in the month
    "new customers": """
        SELECT f.first_month, c.home_agency_id, c.segment_id, count(*)
        FROM (SELECT customer_id, MIN(month) AS first_month FROM reconquete_ridershipmonth
              WHERE trips > 0 GROUP BY customer_id) f
        JOIN customers_customer c ON c.id = f.customer_id
        WHERE f.first_month > (SELECT MIN(month) FROM reconquete_ridershipmonth)
        GROUP BY GROUPING SETS ((1), (1, 2), (1, 3), (1, 2, 3))
    """,
    # answers and the agents' estimates of the same touchpoints, per month, quarter,
    # year × agency × channel: mean score, mean estimate, mean paired difference and its
    # standard deviation. The best hand-written plan: each answer read once into its
    # (month, agency, channel), the quarters and years added up from those few rows.
    "satisfaction gap": """
        WITH m AS (
            SELECT date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/Paris') AS month,
                   i.agency_id, i.channel, count(*) AS n, sum(a.score) AS answers,
                   count(e.score) AS paired, sum(e.score) AS estimates,
                   sum(e.score - a.score) AS d, sum((e.score - a.score) ^ 2) AS dd
            FROM satisfaction_surveyanswer a
            JOIN satisfaction_surveyinvitation i ON i.id = a.invitation_id
            JOIN satisfaction_survey s ON s.id = i.survey_id
            LEFT JOIN satisfaction_agentestimate e
                   ON e.touchpoint_id = i.touchpoint_id AND e.kind = s.kind
            GROUP BY 1, 2, 3
        )
        SELECT p.kind, p.period, m.agency_id, m.channel, sum(n), sum(answers) / sum(n),
               sum(estimates) / nullif(sum(paired), 0), sum(d) / nullif(sum(paired), 0),
               sqrt(greatest(0, (sum(dd) - sum(d) ^ 2 / nullif(sum(paired), 0))
                                / nullif(sum(paired) - 1, 0)))
        FROM m CROSS JOIN LATERAL (VALUES
            ('month', m.month), ('quarter', date_trunc('quarter', m.month)),
            ('year', date_trunc('year', m.month))) p(kind, period)
        GROUP BY GROUPING SETS ((1, 2, 3, 4), (1, 2, 3), (1, 2, 4), (1, 2))
    """,
    # invitations sent and answered per period, survey, agency, channel: per month first,
    # then added up
    "survey response rates": """
        WITH m AS (
            SELECT date_trunc('month', i.sent_at AT TIME ZONE 'Europe/Paris') AS month,
                   i.survey_id, i.agency_id, i.channel, count(*) AS sent,
                   count(i.answered_at) AS answered
            FROM satisfaction_surveyinvitation i
            WHERE i.sent_at IS NOT NULL
            GROUP BY 1, 2, 3, 4
        )
        SELECT p.kind, p.period, m.survey_id, m.agency_id, m.channel, sum(sent), sum(answered)
        FROM m CROSS JOIN LATERAL (VALUES
            ('month', m.month), ('quarter', date_trunc('quarter', m.month)),
            ('year', date_trunc('year', m.month))) p(kind, period)
        GROUP BY GROUPING SETS ((1, 2, 3, 4, 5), (1, 2, 3, 4), (1, 2, 3, 5), (1, 2, 3),
                                (1, 2, 4, 5), (1, 2, 4), (1, 2, 5), (1, 2))
    """,
}


def setup_django() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
    import django

    django.setup()


def start_worker() -> subprocess.Popen:
    from relation_client.tasks import heartbeat

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "relation_client", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-mingle",
         "--without-gossip"],
        cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    heartbeat.delay().get(timeout=120)  # the worker is up and connected
    return worker


def memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def timed_task(task, **kwargs) -> tuple[float, dict]:
    started = time.perf_counter()
    result = task.delay(**kwargs).get(timeout=3600)
    return time.perf_counter() - started, result


def simulate_day(url: str) -> dict:
    """One day of changes: 1 % of the open cases won back (dated in the last month) and 200
    reconquest call outcomes logged through the service by an agent of their agency."""
    import psycopg

    from agences.models import Agent
    from reconquete.models import ReconquestCase
    from reconquete.services import case_outcome_record
    from relation_client.touchpoints.models import Direction, Reason
    from relation_client.touchpoints.services import touchpoint_log

    with psycopg.connect(url) as conn:
        won = conn.execute(
            """
            UPDATE reconquete_reconquestcase rc
            SET status = 'won_back', updated_at = now(),
                won_back_at = GREATEST(rc.opened_at, now() - (rc.id % 30) * interval '1 day')
            FROM (SELECT id FROM reconquete_reconquestcase WHERE status = 'open'
                  ORDER BY id LIMIT (SELECT GREATEST(1, count(*) / 100)
                                     FROM reconquete_reconquestcase WHERE status = 'open')) s
            WHERE rc.id = s.id
            """
        ).rowcount
    reason = Reason.objects.get(code="reconquest")
    agents = {a.agency_id: a for a in Agent.objects.filter(user__is_active=True)}
    cases = ReconquestCase.objects.filter(status="open").select_related("customer")
    logged = 0
    for case in cases.order_by("-id")[:200]:
        agent = agents.get(case.agency_id) or next(iter(agents.values()))
        touchpoint = touchpoint_log(
            agent=agent,
            customer=case.customer,
            channel="phone",
            reason=reason,
            summary="Appel de reconquête : présentation de l'offre « Un mois offert »",
            direction=Direction.OUTBOUND,
        )
        case_outcome_record(touchpoint=touchpoint, outcome="reached")
        logged += 1
    return {"won back": won, "contacts logged": logged}


RECONQUEST_FLOORS = [name for name in FLOORS if not name.startswith(("satisf", "survey"))]
SATISFACTION_FLOORS = [name for name in FLOORS if name not in RECONQUEST_FLOORS]


def floor_params() -> dict:
    from django.utils import timezone

    from reconquete.services.indicators import HISTORY_MONTHS, _add_months, _paris_midnight
    from reconquete.services.lapses import thresholds_params

    thresholds = thresholds_params()
    first_month = _add_months(timezone.localdate().replace(day=1), -(HISTORY_MONTHS - 1))
    return {
        "start": _paris_midnight(first_month),
        "first_month": first_month,
        "base_start": thresholds["p_baseline_start"][0],
        "base_end": thresholds["p_baseline_end"][0],
        "base_months": thresholds["p_baseline_months"][0],
    }


def floors_once(conn, names: list[str], params: dict) -> dict[str, float]:
    """Each named floor statement once, through psycopg: its time to the last row."""
    times = {}
    for name in names:
        started = time.perf_counter()
        conn.execute(FLOORS[name], params).fetchall()
        times[name] = time.perf_counter() - started
        conn.rollback()
    return times


def measure(url: str) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """REPEAT rounds of: the reconquest task, its floors, the satisfaction task, its
    floors (ours and the floor alternating in the same run)."""
    import psycopg

    from reconquete import tasks as reconquete_tasks
    from satisfaction import tasks as satisfaction_tasks

    params = floor_params()
    ours: dict[str, list[float]] = {"reconquest": [], "satisfaction": []}
    floors: dict[str, list[float]] = {name: [] for name in FLOORS}
    with psycopg.connect(url) as conn:
        conn.execute("SET jit = off")  # as the recomputes run: JIT compiles for longer than
        conn.commit()  # these statements take
        for _ in range(REPEAT):
            for family, task, names in (
                ("reconquest", reconquete_tasks.compute_indicators, RECONQUEST_FLOORS),
                ("satisfaction", satisfaction_tasks.compute_indicators, SATISFACTION_FLOORS),
            ):
                ours[family].append(timed_task(task)[0])
                for name, seconds in floors_once(conn, names, params).items():
                    floors[name].append(seconds)
    return ours, floors


def table(rows: list[tuple[str, float, float | None]]) -> str:
    lines = [
        f"| {'operation':<44} | {'ours (s)':>9} | {'floor (s)':>9} | {'ratio':>6} |",
        f"|-{'-' * 44}-|-{'-' * 9}-|-{'-' * 9}-|-{'-' * 6}-|",
    ]
    for name, ours, floor in rows:
        floor_text = f"{floor:9.3f}" if floor else f"{'':>9}"
        ratio = f"{ours / floor:5.2f}×" if floor else f"{'':>6}"
        lines.append(f"| {name:<44} | {ours:9.3f} | {floor_text} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="save the table and the machine there")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    from demo.dataset.createdb import database_marked

    if not database_marked(url):
        raise SystemExit(
            "bench_indicators writes into its database (a simulated day): give it one made "
            "by `make dataset` or the benchmarks (demo/dataset/createdb.py)"
        )
    setup_django()
    from django.db import connection

    from reconquete import tasks as reconquete_tasks

    with connection.cursor() as cursor:
        sizes = {}
        for table_name in ("customers_customer", "touchpoints_touchpoint",
                           "reconquete_ridershipmonth", "reconquete_reconquestcase",
                           "satisfaction_surveyinvitation",
                           "satisfaction_surveyanswer"):  # fmt: skip
            cursor.execute(f"SELECT count(*) FROM {table_name}")
            sizes[table_name] = cursor.fetchone()[0]
    if not sizes["customers_customer"]:
        raise SystemExit("the database is empty: fill it first (make dataset SIZE=medium)")
    print("data set:", ", ".join(f"{t} {n:,}" for t, n in sizes.items()))

    before = machine_facts()
    worker = start_worker()
    try:
        idle = memory_kib(worker.pid)["VmRSS"]
        ours, floors = measure(url)
        day = simulate_day(url)
        incremental, result = timed_task(reconquete_tasks.update_indicators)
        peak = memory_kib(worker.pid)["VmHWM"]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    after = machine_facts()

    def floor_of(names: list[str]) -> list[float]:
        return [sum(rep) for rep in zip(*(floors[name] for name in names), strict=True)]

    reconquest_floor, satisfaction_floor = (
        floor_of(RECONQUEST_FLOORS),
        floor_of(SATISFACTION_FLOORS),
    )
    both = [r + s for r, s in zip(ours["reconquest"], ours["satisfaction"], strict=True)]
    both_floor = [r + s for r, s in zip(reconquest_floor, satisfaction_floor, strict=True)]
    median = statistics.median
    rows = [
        ("full recompute, reconquest", median(ours["reconquest"]), median(reconquest_floor)),
        ("full recompute, satisfaction", median(ours["satisfaction"]),
         median(satisfaction_floor)),
        ("full recompute, both", median(both), median(both_floor)),
        (f"incremental update ({result.get('period_from', '-')} → "
         f"{result.get('period_to', '-')})", incremental, None),
    ]  # fmt: skip
    text = table(rows)
    print(
        f"\nmedian of {REPEAT}, ours and the floors alternating"
        f"\nbefore: {facts_line(before)}\nafter:  {facts_line(after)}"
    )
    print(f"one simulated day: {day}")
    print(text)
    floor_medians = {name: median(times) for name, times in floors.items()}
    print("\nfloors by family (s): " + ", ".join(f"{k} {v:.3f}" for k, v in floor_medians.items()))
    print(f"worker memory: {idle / 1024:.0f} MiB idle, peak {peak / 1024:.0f} MiB (VmHWM)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "kind": "indicators",
                    "sizes": sizes,
                    "repeat": REPEAT,
                    "interleaved": True,
                    "day": day,
                    "rows": [{"operation": n, "ours": o, "floor": f} for n, o, f in rows],
                    "ours_runs": ours,
                    "floor_runs": floors,
                    "floors": floor_medians,
                    "worker_idle_mib": idle / 1024,
                    "worker_peak_mib": peak / 1024,
                    "machine_before": before,
                    "machine": after,
                    "table": text,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        print(f"saved {args.json}")


if __name__ == "__main__":
    main()
