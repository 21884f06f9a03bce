"""The benchmark harness's own logic, without a server: the page's generated blocks
(write_docs.py), the two targets of the HTTP table (bench_http.py), the issue's fixed
name queries (http_operations.py) and the saturation point of a load ramp
(load_agents.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

import bench_http  # noqa: E402
import http_operations  # noqa: E402
import load_agents  # noqa: E402
import write_docs  # noqa: E402

PAGE = """# Benchmarks

## Chargement des données

Texte écrit à la main, à garder tel quel.

## Generated tables

Écrit par write_docs.py.

<!-- generated: http-small -->
ancien tableau HTTP
<!-- /generated: http-small -->

<!-- generated: reconquest-small -->
ancien tableau reconquête
<!-- /generated: reconquest-small -->

## Recherche par nom

Prose d'après, à garder.
"""

FACTS = {
    "date": "2026-12-05 10:00 UTC",
    "cpus": 2,
    "cpu_model": "AMD EPYC",
    "load_average": [0.5, 0.4, 0.3],
}


def step(agents, rps, p95, *, posts=100, stored=100, errors=0):
    return {
        "agents": agents,
        "requests": int(rps * 60),
        "throughput_rps": rps,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "errors": errors,
        "posts": posts,
        "touchpoints_stored": stored,
        "queue_drained": True,
    }


def test_a_block_is_replaced_where_it_stands():
    doc = write_docs.write(PAGE, "http-small", "nouveau tableau HTTP")

    assert "ancien tableau HTTP" not in doc
    assert doc.index("nouveau tableau HTTP") < doc.index("ancien tableau reconquête")
    assert doc.replace("nouveau tableau HTTP", "ancien tableau HTTP") == PAGE


def test_a_new_block_goes_after_the_last_generated_one_not_at_the_end_of_the_page():
    doc = write_docs.write(PAGE, "saturation-large", "montée en charge")

    assert (
        doc.index("<!-- /generated: reconquest-small -->")
        < doc.index("<!-- generated: saturation-large -->\nmontée en charge\n")
        < doc.index("## Recherche par nom")
    )
    assert doc.endswith("## Recherche par nom\n\nProse d'après, à garder.\n")
    assert "<!-- /generated: saturation-large -->\n\n## Recherche par nom" in doc


def test_a_page_without_the_section_gets_it_at_the_end():
    doc = write_docs.write("# Benchmarks\n\nProse.\n", "load-medium", "charge")

    assert doc.endswith(
        "Prose.\n\n## Generated tables\n\n"
        "<!-- generated: load-medium -->\ncharge\n<!-- /generated: load-medium -->\n"
    )


def test_a_stale_block_is_removed_by_name_and_an_absent_one_refused():
    doc = write_docs.remove(PAGE, "http-small")

    assert "http-small" not in doc and "ancien tableau HTTP" not in doc
    assert "Écrit par write_docs.py.\n\n<!-- generated: reconquest-small -->" in doc
    with pytest.raises(SystemExit):
        write_docs.remove(doc, "http-small")


def test_a_saturation_ramp_becomes_a_block_with_its_steps_and_saturation_point():
    steps = [step(10, 20.0, 300), step(25, 40.0, 500), step(50, 42.0, 1200)]
    saturated = load_agents.saturation(steps)
    data = {
        "kind": "saturation",
        "machine": {**FACTS, "customers": 1_000_000, "postgresql": "15.20"},
        "machine_before": FACTS,
        "server": "gunicorn, 5 uvicorn workers (ASGI)",
        "worker_concurrency": 1,
        "think_s": 0.0,
        "duration_s": 60,
        "steps": steps,
        "table": load_agents.steps_table(steps, saturated),
        "summary": load_agents.saturation_line(steps, saturated),
    }

    text = write_docs.block(data, "large")

    assert text.startswith("### Load ramp: where one machine saturates — large set (2026-12-05")
    assert "1,000,000 customers" in text and "10, 25, 50 agents for 60 s each" in text
    assert "| 25 (saturation) | 2400 | 40.0 |" in text
    assert "| 100 = 100 |" in text
    assert text.endswith(
        "saturation: at 25 agents, 40.0 requests/s, p95 500.0 ms (the next step added less "
        "than 10% to requests/s while its p95 grew)"
    )


def test_the_50_agents_run_becomes_a_block_with_its_operations_and_counted_writes():
    run = step(50, 43.6, 1500, posts=1745, stored=1745)
    run["operations"] = {
        "lookup": {"requests": 1760, "p50_ms": 900.0, "p95_ms": 1400.0, "max_ms": 2100.0}
    }
    data = {
        "kind": "load",
        "machine": {**FACTS, "customers": 100_000, "postgresql": "15.20"},
        "machine_before": FACTS,
        "server": "gunicorn, 5 uvicorn workers (ASGI)",
        "worker_concurrency": 1,
        "think_s": 0.0,
        "duration_s": 120,
        "steps": [run],
        "table": load_agents.operations_table(run),
        "summary": "43.6 requests/s; 0 errors; touchpoints POSTed = in the database: 1745 = 1745",
    }

    text = write_docs.block(data, "medium")

    assert text.startswith("### Load test — medium set (2026-12-05 10:00 UTC)")
    assert "; 50 agents for 120 s, think time 0 s" in text
    assert "| lookup         |     1760 |  900.0 | 1400.0 | 2100.0 |" in text
    assert text.endswith("1745 = 1745")


def test_saturation_is_the_step_before_throughput_stops_growing_while_p95_grows():
    growing = [step(10, 20.0, 300), step(25, 40.0, 500), step(50, 60.0, 900)]
    flat_but_faster = [step(10, 20.0, 300), step(25, 21.0, 250)]
    flat_and_slower = [step(10, 20.0, 300), step(25, 21.0, 600), step(50, 19.0, 1500)]

    assert load_agents.saturation(growing) is None
    assert load_agents.saturation(flat_but_faster) is None
    assert load_agents.saturation(flat_and_slower)["agents"] == 10
    assert "not reached" in load_agents.saturation_line(growing, None)


def test_lost_writes_show_in_the_steps_table():
    lost = step(50, 42.0, 1200, posts=967, stored=966)

    assert "| 967 ≠ 966 MISMATCH |" in load_agents.steps_table([lost], None)


def test_the_http_table_shows_the_design_target_and_issue_17s_beside_it():
    ops = {op.key: op for op in http_operations.operations(_data(), _refs())}
    customer = bench_http.result(ops["customer_page"], "14", [0.030] * 18 + [0.045] * 2, [])
    dashboard = bench_http.result(ops["reconquest"], "7", [0.020] * 20, [0.001] * 20)
    listing = bench_http.result(ops["list_first"], "8", [0.050] * 20, [0.001] * 20)
    framework = bench_http.result(ops["floor"], "1", [0.010] * 20, [])

    assert (customer.target_ms, customer.met) == (150, True)
    assert (customer.issue_target_ms, customer.issue_met) == (40, False)
    assert (dashboard.issue_target_ms, dashboard.issue_met) == (30, True)
    assert (listing.issue_target_ms, listing.issue_met) == (None, None)
    table = bench_http.table([customer, dashboard, listing, framework], framework)
    header, _rule, *rows = (
        [cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()
    )
    assert header[-2:] == ["target p95", "target p95 (issue 17)"]
    assert rows[0][-2:] == ["< 150 met", "≤ 40 MISSED"]
    assert rows[1][-2:] == ["< 200 met", "≤ 30 met"]
    assert rows[2][-2:] == ["—", "—"]


def test_the_name_search_runs_on_drawn_names_and_on_each_of_the_issues_three_queries():
    ops = {op.key: op for op in http_operations.operations(_data(), _refs())}

    for kind, query in (
        ("common", "Martin"),
        ("typo", "Natalie Lefèbvre"),
        ("hyphen", "Dupont-Lefèvre"),
    ):
        page, api = ops[f"search_page_{kind}"], ops[f"search_api_{kind}"]
        assert f"« {query} »" in page.label and f"« {query} »" in api.label
        assert [page.request(i).params for i in range(2)] == [{"q": query}] * 2
        assert api.request(5).params == {"search": query}
        assert page.floor(3)[1] == {"q": query}
        assert page.target == api.target == "search"
    assert [ops["search_page"].request(i).params["q"] for i in range(2)] == [
        "hélène dupont-lefèvre",
        "françois bézier",
    ]


def _data():
    return {
        "phones": [("+33612345678", "06 12 34 56 78")],
        "names": ["hélène dupont-lefèvre", "françois bézier"],
        "customers": [1, 2],
        "heavy": 1,
        "heavy_touchpoints": 98,
        "deep": [2],
        "customer_count": 2,
    }


def _refs():
    return {"agent": 1, "agency": 1, "reason": 1, "reason_code": "information"}
