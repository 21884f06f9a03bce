"""Load test: simulated agents against a real gunicorn and Celery worker (not a test:
pytest collects only test_*.py). Bounded in time and count, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_medium \\
    REDIS_URL=redis://127.0.0.1:6379/8 python tests/benchmarks/load_agents.py \\
        --agents 50 --duration 120

Each simulated agent (a thread) signs in through the login page with its own account
(bench.load.01…) and loops: the caller box (phone lookup, htmx), the customer's page,
then logging the call through the page's form (htmx POST with the CSRF token). Every
logged touchpoint carries the run's tag in its summary. At the end: throughput, p50/p95
per operation, errors (any status other than the expected one, or an exception), and the
touchpoints the database holds for the run against the successful POSTs. The exit status
is 1 if there was an error or the counts differ.

`--ramp 10,25,50,100` runs successive steps of that many agents, `--duration` seconds
each, against the same server and worker (the Celery queue drained between two steps),
and reports per step the agents, requests/s, p50 and p95 over all requests, the errors
and the touchpoints POSTed against those in the database; then the saturation point:
the last step before requests/s stops growing by more than 10 % while the p95 grows.

    python tests/benchmarks/load_agents.py --ramp 10,25,50,100 --duration 60 --json out.json

With `--json`, the result (kind "load" for one step, "saturation" for a ramp, with the
date, the machine and its load average) is what write_docs.py turns into a block of
docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_support as hs  # noqa: E402
from http_operations import sample  # noqa: E402

OPERATIONS = ["lookup", "customer_page", "log_touchpoint"]
GROWTH = 0.10  # a step adding less than this to requests/s, with a higher p95: saturated


class SimulatedAgent(threading.Thread):
    """One agent's loop until the deadline; its times and errors stay its own."""

    def __init__(self, *, index, port, username, inputs, start, stop_at, run, think, seed):
        super().__init__(name=username, daemon=True)
        self.index, self.port, self.username = index, port, username
        self.inputs, self.start_event, self.stop_at = inputs, start, stop_at
        self.run_tag, self.think = run, think
        self.rng = random.Random(seed)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.posted = 0
        self.ready = threading.Event()
        self.login_error: str | None = None

    def _call(self, op: str, session: hs.Session, method: str, path: str, expect: int, **kw):
        try:
            if method == "POST":
                status, body, _h, elapsed = session.post_form(path, kw["form"], kw["headers"])
            else:
                status, body, _h, elapsed = session.request(method, path, **kw)
        except Exception as error:  # noqa: BLE001 (every failure counts as an error)
            self.errors.append(f"{op}: {type(error).__name__}: {error}")
            return False
        if status != expect:
            self.errors.append(f"{op}: HTTP {status} {body[:120]!r}")
            return False
        self.times[op].append(elapsed)
        return True

    def _pause(self, seconds: float) -> None:
        """The think time between two calls, cut short at the end of the run."""
        time.sleep(max(0.0, min(seconds, self.stop_at() - time.monotonic())))

    def run(self) -> None:
        session = hs.Session(self.port)
        try:
            session.login(self.username)
        except Exception as error:  # noqa: BLE001
            self.login_error = f"{self.username}: {error}"
        self.ready.set()
        self.start_event.wait()
        if self.login_error:
            return
        htmx = {"HX-Request": "true"}
        call = 0
        if self.think:  # agents pick up their first call at different moments, not at once
            self._pause(self.rng.uniform(0, 2 * self.think))
        while time.monotonic() < self.stop_at():
            phone, customer = self.rng.choice(self.inputs)
            call += 1
            if not self._call(
                "lookup",
                session,
                "GET",
                "/clients/appel/",
                200,
                params={"phone": phone},
                headers=htmx,
            ):
                continue
            if time.monotonic() >= self.stop_at():
                break
            if not self._call("customer_page", session, "GET", f"/clients/{customer}/", 200):
                continue
            if time.monotonic() >= self.stop_at():
                break
            form = {
                "channel": "phone",
                "direction": "inbound",
                "reason": "information",
                "summary": f"{self.run_tag} appel {call} de {self.username} : horaires du T1.",
                "outcome": "",
                "mood": "",
                "estimate": "",
                "climate": "",
                "occurred_at": "",
            }
            if self._call(
                "log_touchpoint",
                session,
                "POST",
                f"/clients/{customer}/contacts/",
                200,
                form=form,
                headers=htmx,
            ):
                self.posted += 1
            if self.think:
                self._pause(self.rng.uniform(0, 2 * self.think))  # the agent's next call
        session.close()


def queue_drained(redis_url: str, timeout: float) -> bool:
    """Poll the Celery queue (and acks_late's unacked tasks) until empty, with a deadline."""
    import redis

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.llen("celery") == 0 and client.hlen("unacked") == 0:
            return True
        time.sleep(0.5)  # polling the worker's progress, bounded by the deadline
    return False


def run_step(*, count, staff, port, inputs, args, conn) -> dict:
    """`count` agents (the first of `staff`) for args.duration seconds, then the queue
    drained and the run's touchpoints counted in the database."""
    run = f"{hs.BENCH_TAG} charge {uuid.uuid4().hex[:8]}"
    agent_ids = [a.pk for a in staff[:count]]
    start = threading.Event()
    window = {"end": float("inf")}
    agents = [
        SimulatedAgent(
            index=i,
            port=port,
            username=a.user.username,
            inputs=inputs,
            start=start,
            stop_at=lambda: window["end"],
            run=run,
            think=args.think,
            seed=args.seed + i,
        )
        for i, a in enumerate(staff[:count])
    ]
    print(f"{count} agents signing in…", flush=True)
    for agent in agents:
        agent.start()
    for agent in agents:
        agent.ready.wait(timeout=300)
    began = time.monotonic()
    window["end"] = began + args.duration
    print(f"running {args.duration:.0f} s against {args.workers} gunicorn workers…", flush=True)
    start.set()
    for agent in agents:
        agent.join(timeout=args.duration + 120)
    elapsed = time.monotonic() - began
    load = os.getloadavg()
    drained = queue_drained(args.redis_url, timeout=180)

    times: dict[str, list[float]] = defaultdict(list)
    errors = [a.login_error for a in agents if a.login_error]
    for agent in agents:
        for op, values in agent.times.items():
            times[op].extend(values)
        errors.extend(agent.errors)
    posted = sum(a.posted for a in agents)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(DISTINCT request_id) FROM touchpoints_touchpoint "
            "WHERE agent_id = ANY(%s) AND summary LIKE %s",
            [agent_ids, run + " %"],
        )
        stored, requests = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM satisfaction_surveyinvitation i "
            "JOIN touchpoints_touchpoint t ON t.id = i.touchpoint_id "
            "WHERE t.agent_id = ANY(%s) AND t.summary LIKE %s",
            [agent_ids, run + " %"],
        )
        invitations = cur.fetchone()[0]
    every = [value for values in times.values() for value in values]
    operations = {}
    for op in OPERATIONS:
        values = times.get(op, [])
        operations[op] = {
            "requests": len(values),
            "p50_ms": hs.percentile(values, 50) * 1000,
            "p95_ms": hs.percentile(values, 95) * 1000,
            "max_ms": max(values, default=float("nan")) * 1000,
        }
    return {
        "agents": count,
        "duration_s": elapsed,
        "requests": len(every),
        "throughput_rps": len(every) / elapsed,
        "p50_ms": hs.percentile(every, 50) * 1000,
        "p95_ms": hs.percentile(every, 95) * 1000,
        "operations": operations,
        "errors": len(errors),
        "error_samples": errors[:20],
        "posts": posted,
        "touchpoints_stored": stored,
        "requests_opened": requests,
        "invitations": invitations,
        "load_average": load,
        "queue_drained": drained,
    }


def saturation(steps: list[dict], growth: float = GROWTH) -> dict | None:
    """The step after which one machine saturates: the last one before a step whose
    requests/s grew by less than `growth` while its p95 grew. None within the ramp."""
    for before, after in zip(steps, steps[1:], strict=False):
        if (
            after["throughput_rps"] < before["throughput_rps"] * (1 + growth)
            and after["p95_ms"] > before["p95_ms"]
        ):
            return before
    return None


def operations_table(step: dict) -> str:
    lines = [
        "| operation      | requests | p50 ms | p95 ms | max ms |",
        "|----------------|---------:|-------:|-------:|-------:|",
    ]
    for op, row in step["operations"].items():
        lines.append(
            f"| {op:<14} | {row['requests']:>8} | {row['p50_ms']:>6.1f} | "
            f"{row['p95_ms']:>6.1f} | {row['max_ms']:>6.1f} |"
        )
    return "\n".join(lines)


def _counted(step: dict) -> str:
    equal = step["posts"] == step["touchpoints_stored"]
    return (
        f"{step['posts']} = {step['touchpoints_stored']}"
        if equal
        else (f"{step['posts']} ≠ {step['touchpoints_stored']} MISMATCH")
    )


def steps_table(steps: list[dict], saturated: dict | None) -> str:
    lines = [
        "| agents | requests | requests/s | p50 ms | p95 ms | errors "
        "| touchpoints POSTed = in the database | queue |",
        "|-------:|---------:|-----------:|-------:|-------:|-------:|---|---|",
    ]
    for step in steps:
        mark = " (saturation)" if step is saturated else ""
        lines.append(
            f"| {step['agents']}{mark} | {step['requests']} | {step['throughput_rps']:.1f} "
            f"| {step['p50_ms']:.1f} | {step['p95_ms']:.1f} | {step['errors']} "
            f"| {_counted(step)} | {'drained' if step['queue_drained'] else 'NOT drained'} |"
        )
    return "\n".join(lines)


def saturation_line(steps: list[dict], saturated: dict | None) -> str:
    if saturated is None:
        return (
            f"saturation: not reached within the ramp (requests/s still grew by more than "
            f"{GROWTH:.0%} at each step, or the p95 did not grow)"
        )
    return (
        f"saturation: at {saturated['agents']} agents, {saturated['throughput_rps']:.1f} "
        f"requests/s, p95 {saturated['p95_ms']:.1f} ms (the next step added less than "
        f"{GROWTH:.0%} to requests/s while its p95 grew)"
    )


def _ramp(text: str) -> list[int]:
    steps = [int(part) for part in text.split(",") if part.strip()]
    if not steps or steps != sorted(set(steps)):
        raise argparse.ArgumentTypeError("a growing list of agent counts, e.g. 10,25,50,100")
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument(
        "--ramp",
        type=_ramp,
        help="agents per step, e.g. 10,25,50,100: find where the machine saturates",
    )
    parser.add_argument("--duration", type=float, default=120, help="seconds (max 600)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in seconds between two calls of an agent (0: none)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--fill-size",
        default="medium",
        help="generate_dataset size used only when the database is empty",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("Set DATABASE_URL (or --database-url) to a filled database.")
    counts = args.ramp or [args.agents]
    if not 0 < args.duration <= 600 or not 0 < max(counts) <= 200 or min(counts) < 1:
        raise SystemExit("--duration is bounded to 600 s and --agents (each step) to 200.")

    env = hs.server_env(args.database_url, args.redis_url)
    hs.prepare_database(env, fill_size=args.fill_size)
    hs.setup_django(env)
    import psycopg

    from agences.models import Agency
    from agences.roles import AGENT

    conn = psycopg.connect(args.database_url, autocommit=True)
    agencies = list(Agency.objects.order_by("id"))
    staff = hs.bench_staff(prefix="bench.load", count=max(counts), role=AGENT, agencies=agencies)
    data = sample(conn, 2000, args.seed)
    # the phone as typed, and the customer it belongs to
    with conn.cursor() as cur:
        cur.execute(
            "SELECT value, customer_id FROM customers_contactpoint "
            "WHERE kind = 'phone' AND value = ANY(%s)",
            [[stored for stored, _shown in data["phones"]]],
        )
        owner = dict(cur.fetchall())
        cur.execute("SHOW server_version")
        postgresql = cur.fetchone()[0]
    inputs = [(shown, owner[stored]) for stored, shown in data["phones"] if stored in owner]

    before = hs.machine_facts()
    steps = []
    worker = server = None
    try:
        worker = hs.start_worker(env, concurrency=args.worker_concurrency)
        hs.worker_wait_ready()
        port = hs.free_port()
        server = hs.start_gunicorn(
            env, port=port, workers=args.workers, app="relation_client.asgi:application"
        )
        for count in counts:
            steps.append(
                run_step(count=count, staff=staff, port=port, inputs=inputs, args=args, conn=conn)
            )
            step = steps[-1]
            print(
                f"  {count} agents: {step['throughput_rps']:.1f} requests/s, p95 "
                f"{step['p95_ms']:.1f} ms, {step['errors']} errors, touchpoints "
                f"{_counted(step)}",
                flush=True,
            )
    finally:
        hs.stop(server)
        hs.stop(worker)
    after = hs.machine_facts()
    served = hs.server_label("uvicorn", args.workers)
    setup = (
        f"{served} (DEBUG=false), Celery worker concurrency {args.worker_concurrency}, "
        f"think time {args.think:g} s, {os.cpu_count()} CPUs"
    )

    print()
    if args.ramp:
        saturated = saturation(steps)
        table = steps_table(steps, saturated)
        summary = saturation_line(steps, saturated)
        print(f"ramp {','.join(map(str, counts))} agents, {args.duration:.0f} s each, {setup}")
        print(f"before: {hs.facts_line(before)}\nafter:  {hs.facts_line(after)}")
        print(table)
        print(summary)
        for step in steps:
            for message in step["error_samples"][:3]:
                print(f"  {step['agents']} agents: {message}")
    else:
        step = steps[0]
        table = operations_table(step)
        print(f"{step['agents']} agents, {step['duration_s']:.1f} s, {setup}")
        print(f"before: {hs.facts_line(before)}\nafter:  {hs.facts_line(after)}")
        print(
            f"throughput: {step['throughput_rps']:.1f} requests/s ({step['requests']} "
            f"requests, {step['posts'] / step['duration_s'] * 60:.0f} touchpoints/min)"
        )
        summary = (
            f"{step['throughput_rps']:.1f} requests/s ({step['requests']} requests); "
            f"{step['errors']} errors; touchpoints POSTed = in the database: {_counted(step)}; "
            f"Celery queue {'drained' if step['queue_drained'] else 'NOT drained'}"
        )
        print(table)
        print(f"errors: {step['errors']}")
        for message in step["error_samples"][:10]:
            print(f"  {message}")
        print(
            f"touchpoints: {step['posts']} successful POSTs, {step['touchpoints_stored']} in "
            f"the database for the run "
            f"({'equal' if step['posts'] == step['touchpoints_stored'] else 'MISMATCH'}); "
            f"{step['requests_opened']} requests opened; {step['invitations']} survey "
            f"invitations; Celery queue "
            f"{'drained' if step['queue_drained'] else 'NOT drained within 180 s'}"
        )
    if args.json:
        result = {
            "kind": "saturation" if args.ramp else "load",
            "machine": {
                **after,
                "postgresql": postgresql,
                "customers": data["customer_count"],
            },
            "machine_before": before,
            "server": served,
            "workers": args.workers,
            "worker_concurrency": args.worker_concurrency,
            "think_s": args.think,
            "duration_s": args.duration,
            "growth": GROWTH,
            "steps": steps,
            "table": table,
            "summary": summary,
        }
        if args.ramp:
            result["saturation"] = saturation(steps)
        else:  # the fields of the single run, as before the ramp
            result.update(steps[0], cpus=os.cpu_count())
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"saved {args.json}")
    failed = any(s["errors"] or s["posts"] != s["touchpoints_stored"] for s in steps)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
