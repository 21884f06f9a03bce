"""Write the benchmarks' tables into docs/benchmarks.md from their own JSON output (not
a test: pytest collects only test_*.py).

    python tests/benchmarks/bench_http.py --json http-medium.json
    python tests/benchmarks/bench_reconquest.py --customers 100000 --json reco-medium.json
    python tests/benchmarks/bench_indicators.py --json indicators-medium.json
    python tests/benchmarks/write_docs.py --set medium http-medium.json reco-medium.json \
        indicators-medium.json

Each JSON file becomes one block of the page, between the markers
`<!-- generated: <kind>-<set> -->` and `<!-- /generated: <kind>-<set> -->`: the block
of the same kind and data set is replaced (a new one is added at the end of the page),
with the date, the machine and the load average the harness recorded, so that no table
outlives the run that produced it. Sections of the page outside the markers (the prose,
other benchmarks' sections) are left as they are.
"""

import argparse
import json
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
TITLES = {
    "http": "HTTP operations",
    "reconquest": "Reconquest indicators, full recompute against the hand-written statements",
    "indicators": "Indicator recomputes through a Celery worker, against the hand-written floors",
}


def _facts(facts: dict) -> str:
    load = ", ".join(f"{value:.2f}" for value in facts["load_average"])
    return f"{facts['cpus']} CPUs ({facts['cpu_model']}), load average (1, 5, 15 min) {load}"


def block(data: dict, data_set: str) -> str:
    kind = data["kind"]
    after, before = data["machine"], data["machine_before"]
    lines = [f"### {TITLES[kind]} — {data_set} set ({after['date']})", ""]
    if kind == "http":
        lines.append(
            f"{after['customers']:,} customers, {after['touchpoints']:,} touchpoints; "
            f"PostgreSQL {after['postgresql']}, Python {after['python']}; {data['server']}, "
            f"DEBUG=false; {data['requests']} requests after {data['warmup']} warm-ups, ours "
            "and the floor alternating request by request; times in ms."
        )
    elif kind == "indicators":
        sizes = data["sizes"]
        lines.append(
            f"{sizes['customers_customer']:,} customers, "
            f"{sizes['touchpoints_touchpoint']:,} touchpoints, "
            f"{sizes['satisfaction_surveyanswer']:,} survey answers; one Celery worker (solo "
            f"pool, peak {data['worker_peak_mib']:.0f} MiB); median of {data['repeat']}, "
            "each task and its floors alternating; times in seconds."
        )
    else:
        lines.append(
            f"{data['customers']:,} customers, months {data['months']}, "
            f"{data['snapshot_rows']} snapshot rows; median of {data['repeat']}, ours and "
            "the floors alternating; times in seconds."
        )
    lines += [
        "",
        f"- before: {before['date']}, {_facts(before)}",
        f"- after: {after['date']}, {_facts(after)}",
        "",
        data["table"],
    ]
    return "\n".join(lines)


def write(doc: str, name: str, text: str) -> str:
    begin, end = f"<!-- generated: {name} -->", f"<!-- /generated: {name} -->"
    section = f"{begin}\n{text}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(doc):
        return pattern.sub(lambda _match: section, doc)
    return doc.rstrip("\n") + "\n\n" + section + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", required=True, help="the data set: small, medium, large")
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("results", nargs="+", type=Path, help="JSON files of the benchmarks")
    args = parser.parse_args()
    doc = args.doc.read_text()
    for path in args.results:
        data = json.loads(path.read_text())
        doc = write(doc, f"{data['kind']}-{args.set}", block(data, args.set))
        print(f"{args.doc.name}: {data['kind']}-{args.set} from {path}")
    args.doc.write_text(doc)


if __name__ == "__main__":
    main()
