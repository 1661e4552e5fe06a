"""The bench's output: one table as printed, and bench/results.json with the same figures."""

import datetime
import json
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")


def machine() -> dict:
    """Cores, CPU model and memory of this machine (Linux /proc)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        kib = 0
    return {"cores": os.cpu_count(), "cpu_model": model, "memory_gib": round(kib / 1024 / 1024, 1)}


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def entry_from(measured: dict, floor_rps: float) -> dict:
    """One row of results.json from a phase's medians: page, rps, p50_ms, p95_ms, queries, ratio (to the floor's
    req/s in the same run), errors (requests that failed or, for ticks, were not kept: 0 in a good run)."""
    return {
        "page": measured["page"],
        "rps": round(measured["rps"], 1),
        "p50_ms": round(measured["p50_ms"], 1),
        "p95_ms": round(measured["p95_ms"], 1),
        "queries": measured["queries"],
        "ratio": round(measured["rps"] / floor_rps, 2) if floor_rps else None,
        "errors": measured["errors"],
    }


def table(rows: list[dict]) -> str:
    """The printed table: page, req/s, p50, p95, queries per request, ratio to the floor."""
    width = max(len(row["page"]) for row in rows)
    lines = [
        f"| {'Page':<{width}} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'queries':>7} | {'ratio':>5} |",
        f"|{'-' * (width + 2)}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 6}:|",
    ]
    for row in rows:
        queries = "" if row["queries"] is None else str(row["queries"])
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
        lines.append(
            f"| {row['page']:<{width}} | {row['rps']:>7.1f} | {row['p50_ms']:>7.1f} | {row['p95_ms']:>7.1f} | "
            f"{queries:>7} | {ratio:>5} |"
        )
    return "\n".join(lines)


def write(
    pages: list[dict], *, load_tool: str, extra: dict, path: Path = RESULTS, now: datetime.datetime | None = None
) -> dict:
    """Write results.json: `pages` (one entry each), the machine, the date (UTC, ISO 8601), the load tool, and
    whatever else the run measured (`extra`: the 4× seed, scale-out, reminders, memory, load average)."""
    document = {
        "date": (now or datetime.datetime.now(datetime.UTC)).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_tool": load_tool,
        "pages": pages,
        **extra,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return document


def report(document: dict) -> str:
    """Everything the run measured, as printed at the end of `make bench` (and pasted into the README)."""
    m = document["machine"]
    lines = [
        f"GoLive bench, {document['date']}: {m['cores']} cores ({m['cpu_model']}), {m['memory_gib']} GiB; "
        f"load tool {document['load_tool']} ({load_description()}); load average before "
        f"{document['load_average']['before']}, after {document['load_average']['after']}",
        "",
        table(document["pages"]),
        "",
        "ratio: req/s over the floor's in the same run; tick: POST + redirect pairs a second (p50/p95 per request);",
        f"errors in any row: {sum(row.get('errors') or 0 for row in document['pages'])}",
    ]
    if document.get("seed_4x"):
        lines += ["", "ICB-scoped pages at the national seed and at a 4× larger seed (growth target < 20 %):", ""]
        width = max(len(row["page"]) for row in document["seed_4x"])
        lines.append(f"| {'Page':<{width}} | p50 1× | p50 4× | ratio 1× | ratio 4× | queries 1×/4× | growth |")
        lines.append(f"|{'-' * (width + 2)}|-------:|-------:|---------:|---------:|--------------:|-------:|")
        for row in document["seed_4x"]:
            growth = "" if row["growth"] is None else f"{row['growth'] * 100:+.0f} %"
            lines.append(
                f"| {row['page']:<{width}} | {row['p50_ms_1x']:>6.1f} | {row['p50_ms_4x']:>6.1f} | "
                f"{row['ratio_1x']:>8.2f} | {row['ratio_4x']:>8.2f} | "
                f"{str(row['queries_1x']) + '/' + str(row['queries_4x']):>13} | {growth:>6} |"
            )
    if document.get("scale_out"):
        s = document["scale_out"]
        lines += ["", "Scale-out (2 gunicorn instances × 2 workers, 2 Celery workers, one PostgreSQL, one Redis):"]
        for name, figure in s["throughput"].items():
            lines.append(f"  {name}: {figure['combined_rps']:.1f} req/s combined ({figure['per_instance']})")
        for check in s["checks"]:
            lines.append(f"  {'ok  ' if check['ok'] else 'FAIL'} {check['what']}: {check['detail']}")
    if document.get("reminders"):
        r = document["reminders"]
        lines += [
            "",
            f"Reminders, {r['migrations']:,} active migrations, {r['due']:,} due: sweep {r['sweep_s']:.2f} s "
            f"(median of {r['runs']}), repeat sweep {r['repeat_s']:.3f} s; one worker (concurrency 1) "
            f"{r['emails_per_s']:.1f} emails/s to aiosmtpd over {r['sample']} sends "
            f"({r['smtp_connections']} SMTP connection(s), {r['duplicates']} duplicate message(s))",
        ]
    memory = document.get("memory") or {}
    lines += [
        "",
        f"Resident memory after the load: web worker {memory.get('web_worker_rss_mib')} MiB, "
        f"Celery worker {memory.get('celery_worker_rss_mib')} MiB",
    ]
    return "\n".join(lines)


def load_description() -> str:
    from bench import load

    rounds = f"medians of {load.ROUNDS} rounds of {load.ROUND_SECONDS} s"
    return f"{load.THREADS} threads, {load.CONCURRENCY} connections, {rounds}"
