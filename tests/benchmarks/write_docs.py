"""Write the benchmarks' tables into docs/benchmarks.md from their own JSON output (not
a test: pytest collects only test_*.py).

    python tests/benchmarks/bench_http.py --json http-medium.json
    python tests/benchmarks/bench_reconquest.py --customers 100000 --json reco-medium.json
    python tests/benchmarks/load_agents.py --agents 50 --duration 120 --json load-medium.json
    python tests/benchmarks/load_agents.py --ramp 10,25,50,100 --json saturation-large.json
    python tests/benchmarks/bench_indicators.py --json indicators-medium.json
    python tests/benchmarks/write_docs.py --set medium http-medium.json reco-medium.json \
        indicators-medium.json
    python tests/benchmarks/write_docs.py --remove http-small --remove reconquest-small

Each JSON file becomes one block of the page, between the markers
`<!-- generated: <kind>-<set> -->` and `<!-- /generated: <kind>-<set> -->`: the block
of the same kind and data set is replaced where it stands; a new one is added after the
last block of the "Generated tables" section (that section is added at the end of the
page if missing). Each block carries the date, the machine and the load average the
harness recorded, so that no table outlives the run that produced it. A stale block is
removed by name with `--remove KIND-SET` (explicitly: a JSON file missing from the command
line does not make its block stale). Sections of the page outside the markers (the prose,
other benchmarks' sections) are left as they are.
"""

import argparse
import json
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
SECTION = "## Generated tables"
TITLES = {
    "http": "HTTP operations",
    "reconquest": "Reconquest indicators, full recompute against the hand-written statements",
    "load": "Load test",
    "saturation": "Load ramp: where one machine saturates",
    "indicators": "Indicator recomputes through a Celery worker, against the hand-written floors",
}


def _facts(facts: dict) -> str:
    load = ", ".join(f"{value:.2f}" for value in facts["load_average"])
    return f"{facts['cpus']} CPUs ({facts['cpu_model']}), load average (1, 5, 15 min) {load}"


def _lead(data: dict) -> str:
    kind, after = data["kind"], data["machine"]
    if kind == "http":
        return (
            f"{after['customers']:,} customers, {after['touchpoints']:,} touchpoints; "
            f"PostgreSQL {after['postgresql']}, Python {after['python']}; {data['server']}, "
            f"DEBUG=false; {data['requests']} requests after {data['warmup']} warm-ups, ours "
            "and the floor alternating request by request; times in ms. Targets: the "
            "design's p95 (the contract) and issue 17's tighter ones (customer page on the "
            "medium set, dashboards, name search at 1 M customers)."
        )
    if kind in ("load", "saturation"):
        steps = ", ".join(str(step["agents"]) for step in data["steps"])
        return (
            f"{after['customers']:,} customers; PostgreSQL {after['postgresql']}; "
            f"{data['server']}, DEBUG=false, Celery worker concurrency "
            f"{data['worker_concurrency']}; {steps} agents for {data['duration_s']:.0f} s"
            f"{' each' if kind == 'saturation' else ''}, think time {data['think_s']:g} s "
            "(each agent: caller lookup, customer page, touchpoint logged through the form); "
            + ("p50 and p95 over all requests" if kind == "saturation" else "times per operation")
            + ", in ms."
        )
    if kind == "indicators":
        sizes = data["sizes"]
        return (
            f"{sizes['customers_customer']:,} customers, "
            f"{sizes['touchpoints_touchpoint']:,} touchpoints, "
            f"{sizes['satisfaction_surveyanswer']:,} survey answers; one Celery worker (solo "
            f"pool, peak {data['worker_peak_mib']:.0f} MiB); median of {data['repeat']}, "
            "each task and its floors alternating; times in seconds."
        )
    return (
        f"{data['customers']:,} customers, months {data['months']}, "
        f"{data['snapshot_rows']} snapshot rows; median of {data['repeat']}, ours and "
        "the floors alternating; times in seconds."
    )


def block(data: dict, data_set: str) -> str:
    after, before = data["machine"], data["machine_before"]
    lines = [
        f"### {TITLES[data['kind']]} — {data_set} set ({after['date']})",
        "",
        _lead(data),
        "",
        f"- before: {before['date']}, {_facts(before)}",
        f"- after: {after['date']}, {_facts(after)}",
        "",
        data["table"],
    ]
    if data.get("summary"):
        lines += ["", data["summary"]]
    return "\n".join(lines)


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- generated: {name} -->", f"<!-- /generated: {name} -->"


def _pattern(name: str) -> re.Pattern:
    begin, end = _markers(name)
    return re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)


def write(doc: str, name: str, text: str) -> str:
    """The block `name` replaced where it stands, or added at the end of the generated
    tables section (after its last block, before the next section)."""
    begin, end = _markers(name)
    section = f"{begin}\n{text}\n{end}"
    pattern = _pattern(name)
    if pattern.search(doc):
        return pattern.sub(lambda _match: section, doc)
    heading = re.search(rf"^{re.escape(SECTION)}\n", doc, re.MULTILINE)
    if heading is None:
        return doc.rstrip("\n") + f"\n\n{SECTION}\n\n{section}\n"
    following = re.compile(r"^## ", re.MULTILINE).search(doc, heading.end())
    stop = following.start() if following else len(doc)
    closing = list(re.finditer(r"^<!-- /generated: [^>]+ -->\n?", doc[:stop], re.MULTILINE))
    closing = [match for match in closing if match.start() > heading.end()]
    if closing:  # after the section's last block
        at = closing[-1].end()
        return doc[:at].rstrip("\n") + f"\n\n{section}\n" + _rest(doc[at:])
    return doc[:stop].rstrip("\n") + f"\n\n{section}\n" + _rest(doc[stop:])


def _rest(text: str) -> str:
    text = text.lstrip("\n")
    return "\n" + text if text else ""


def remove(doc: str, name: str) -> str:
    """The block `name` and the blank lines after it removed; an error if it is absent."""
    pattern = re.compile(_pattern(name).pattern + r"\n*", re.DOTALL)
    if not pattern.search(doc):
        raise SystemExit(f"no block {name} in the page")
    return pattern.sub("", doc, count=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", help="the data set of the results: small, medium, large")
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="KIND-SET",
        help="remove that stale block, e.g. http-small (repeatable)",
    )
    parser.add_argument("results", nargs="*", type=Path, help="JSON files of the benchmarks")
    args = parser.parse_args()
    if args.results and not args.set:
        parser.error("--set is required with results")
    if not args.results and not args.remove:
        parser.error("nothing to do: give JSON results or --remove KIND-SET")
    doc = args.doc.read_text()
    for name in args.remove:
        doc = remove(doc, name)
        print(f"{args.doc.name}: {name} removed")
    for path in args.results:
        data = json.loads(path.read_text())
        doc = write(doc, f"{data['kind']}-{args.set}", block(data, args.set))
        print(f"{args.doc.name}: {data['kind']}-{args.set} from {path}")
    args.doc.write_text(doc)


if __name__ == "__main__":
    main()
