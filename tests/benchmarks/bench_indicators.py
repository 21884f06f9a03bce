"""Benchmark of the indicator recomputes through a real Celery worker (not a test: pytest
collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_medium \\
        python tests/benchmarks/bench_indicators.py

On a database already loaded (`manage.py generate_dataset`, or bench_reconquest.py's set),
it starts one Celery worker (solo pool: the tasks run in the worker's own process, whose
peak resident memory, VmHWM, is read from /proc at the end) and measures, median of 3:

- the full recompute of the reconquest snapshots and of the satisfaction snapshots, each
  through its task, as the night's beat sends it;
- the incremental update (`reconquete.tasks.update_indicators`) after one simulated day:
  1 % of the open reconquest cases won back (dated in the past month, as the detection
  dates a return) and the outcomes of 200 reconquest calls logged through the service;
- the floor: the same aggregations written by hand, one SELECT per family, run through
  psycopg on the same database; the floor of the full recompute is the sum of the
  families'. Steps without a hand-written floor (campaigns, channels, labels, barometer,
  incivility/pulse) are left in "ours": the ratio errs against us.

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
    # year × agency × channel: mean score, mean estimate, mean paired difference
    "satisfaction gap": """
        SELECT p.kind, p.period, i.agency_id, i.channel, count(*), avg(a.score),
               avg(e.score), avg(e.score - a.score), stddev_samp(e.score - a.score)
        FROM satisfaction_surveyanswer a
        JOIN satisfaction_surveyinvitation i ON i.id = a.invitation_id
        JOIN satisfaction_survey s ON s.id = i.survey_id
        LEFT JOIN satisfaction_agentestimate e
               ON e.touchpoint_id = i.touchpoint_id AND e.kind = s.kind
        CROSS JOIN LATERAL (VALUES
            ('month', date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/Paris')),
            ('quarter', date_trunc('quarter', i.occurred_at AT TIME ZONE 'Europe/Paris')),
            ('year', date_trunc('year', i.occurred_at AT TIME ZONE 'Europe/Paris'))) p(kind, period)
        GROUP BY GROUPING SETS ((1, 2, 3, 4), (1, 2, 3), (1, 2, 4), (1, 2))
    """,
    # invitations sent and answered per period, survey, agency, channel
    "survey response rates": """
        SELECT p.kind, p.period, i.survey_id, i.agency_id, i.channel, count(*),
               count(i.answered_at)
        FROM satisfaction_surveyinvitation i
        CROSS JOIN LATERAL (VALUES
            ('month', date_trunc('month', i.sent_at AT TIME ZONE 'Europe/Paris')),
            ('quarter', date_trunc('quarter', i.sent_at AT TIME ZONE 'Europe/Paris')),
            ('year', date_trunc('year', i.sent_at AT TIME ZONE 'Europe/Paris'))) p(kind, period)
        WHERE i.sent_at IS NOT NULL
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


def measure_floors(url: str) -> dict[str, float]:
    import psycopg
    from django.utils import timezone

    from reconquete.services.indicators import HISTORY_MONTHS, _add_months, _paris_midnight
    from reconquete.services.lapses import thresholds_params

    thresholds = thresholds_params()
    first_month = _add_months(timezone.localdate().replace(day=1), -(HISTORY_MONTHS - 1))
    params = {
        "start": _paris_midnight(first_month),
        "first_month": first_month,
        "base_start": thresholds["p_baseline_start"][0],
        "base_end": thresholds["p_baseline_end"][0],
        "base_months": thresholds["p_baseline_months"][0],
    }
    medians = {}
    with psycopg.connect(url) as conn:
        for name, statement in FLOORS.items():
            times = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                conn.execute(statement, params).fetchall()
                times.append(time.perf_counter() - started)
            conn.rollback()
            medians[name] = statistics.median(times)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    setup_django()
    from django.db import connection

    from reconquete import tasks as reconquete_tasks
    from satisfaction import tasks as satisfaction_tasks

    with connection.cursor() as cursor:
        sizes = {}
        for table in ("customers_customer", "touchpoints_touchpoint",
                      "reconquete_ridershipmonth", "reconquete_reconquestcase",
                      "satisfaction_surveyanswer"):  # fmt: skip
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cursor.fetchone()[0]
    print("data set:", ", ".join(f"{t} {n:,}" for t, n in sizes.items()))

    worker = start_worker()
    try:
        idle = memory_kib(worker.pid)["VmRSS"]
        full_reconquest = [
            timed_task(reconquete_tasks.compute_indicators)[0] for _ in range(REPEAT)
        ]
        full_satisfaction = [timed_task(satisfaction_tasks.compute_indicators)[0]
                             for _ in range(REPEAT)]  # fmt: skip
        day = simulate_day(url)
        incremental, result = timed_task(reconquete_tasks.update_indicators)
        peak = memory_kib(worker.pid)["VmHWM"]
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    floors = measure_floors(url)
    reconquest_floor = sum(v for k, v in floors.items() if not k.startswith(("satisf", "survey")))
    satisfaction_floor = floors["satisfaction gap"] + floors["survey response rates"]
    ours_full = statistics.median(full_reconquest) + statistics.median(full_satisfaction)
    rows = [
        ("full recompute, reconquest", statistics.median(full_reconquest), reconquest_floor),
        ("full recompute, satisfaction", statistics.median(full_satisfaction),
         satisfaction_floor),
        ("full recompute, both", ours_full, reconquest_floor + satisfaction_floor),
        (f"incremental update ({result.get('period_from', '-')} → "
         f"{result.get('period_to', '-')})", incremental, None),
    ]  # fmt: skip
    print(f"\none simulated day: {day}")
    print(f"{'operation':<44} | {'ours (s)':>9} | {'floor (s)':>9} | {'ratio':>6}")
    print(f"{'-' * 44}-|-{'-' * 9}-|-{'-' * 9}-|-{'-' * 6}")
    for name, ours, floor in rows:
        floor_text = f"{floor:9.3f}" if floor else f"{'':>9}"
        ratio = f"{ours / floor:5.2f}×" if floor else f"{'':>6}"
        print(f"{name:<44} | {ours:9.3f} | {floor_text} | {ratio}")
    print("\nfloors by family (s): " + ", ".join(f"{k} {v:.3f}" for k, v in floors.items()))
    print(f"worker memory: {idle / 1024:.0f} MiB idle, peak {peak / 1024:.0f} MiB (VmHWM)")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "sizes": sizes,
                    "day": day,
                    "rows": [{"operation": n, "ours": o, "floor": f} for n, o, f in rows],
                    "floors": floors,
                    "worker_idle_mib": idle / 1024,
                    "worker_peak_mib": peak / 1024,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
