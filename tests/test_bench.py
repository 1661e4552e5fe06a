"""The bench's own machinery (no timing is asserted): reading wrk's report line, and writing results.json."""

import datetime
import json

import pytest

from bench import load, results

WRK_OUTPUT = """Running 6s test @ http://127.0.0.1:8996/migrations/1/checklist/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   10.11ms 120.00ms   80.00%
  1200 requests in 6.00s, 30.00MB read
Requests/sec:    200.00
Transfer/sec:      5.00MB
BENCH_JSON {"requests": 1200, "duration_us": 6000000, "p50_us": 40100, "p95_us": 61250, "connect_errors": 0, \
"read_errors": 0, "write_errors": 0, "status_errors": 3, "timeouts": 1, "kept": 0, "conflicts": 0, "pages": 0, \
"failed": 0}
"""


def test_wrk_report_line_gives_rate_percentiles_and_errors():
    result = load.result_from_wrk(load.parse_wrk(WRK_OUTPUT), tick=False)
    assert (result.rps, result.p50_ms, result.p95_ms, result.errors) == (1197 / 6, 40.1, 61.25, 4)


def test_a_tick_run_counts_completed_post_and_redirect_pairs_and_any_tick_not_kept_as_an_error():
    report = {
        **load.parse_wrk(WRK_OUTPUT),
        "requests": 601,
        "status_errors": 0,
        "timeouts": 0,
        "kept": 300,
        "conflicts": 1,
        "pages": 299,
        "failed": 0,
    }
    result = load.result_from_wrk(report, tick=True)
    assert result.rps == 299 / 6
    assert result.errors == 1


def test_wrk_output_without_the_report_line_is_refused():
    with pytest.raises(ValueError, match="no BENCH_JSON line"):
        load.parse_wrk("Running 6s test\nRequests/sec: 1.0\n")


def test_results_json_has_one_entry_per_page_with_the_machine_date_and_load_tool(tmp_path):
    measured = [
        {"page": "floor /floor/page", "rps": 400.0, "p50_ms": 20.0, "p95_ms": 30.0, "queries": None, "errors": 0},
        {"page": "checklist, 201 steps", "rps": 100.0, "p50_ms": 80.04, "p95_ms": 95.0, "queries": 8, "errors": 0},
    ]
    pages = [results.entry_from(page, floor_rps=400.0) for page in measured]
    path = tmp_path / "results.json"
    now = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)

    results.write(pages, load_tool="wrk", extra={"memory": {"web_worker_rss_mib": 90.0}}, path=path, now=now)

    document = json.loads(path.read_text())
    assert document["date"] == "2026-11-30T12:00:00+00:00"
    assert document["load_tool"] == "wrk"
    assert set(document["machine"]) == {"cores", "cpu_model", "memory_gib"}
    assert document["machine"]["cores"] >= 1
    assert document["pages"][1] == {
        "page": "checklist, 201 steps",
        "rps": 100.0,
        "p50_ms": 80.0,
        "p95_ms": 95.0,
        "queries": 8,
        "ratio": 0.25,
        "errors": 0,
    }
    table = results.table(document["pages"]).splitlines()
    assert table[0].split("|")[1:-1] == [
        " Page                 ",
        "   req/s ",
        "  p50 ms ",
        "  p95 ms ",
        " queries ",
        " ratio ",
    ]
    assert "| checklist, 201 steps |   100.0 |    80.0 |    95.0 |       8 |  0.25 |" in table
