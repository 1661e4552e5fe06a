"""`make bench`: GoLive's pages against the floor at national scale and at 4×, the scale-out proof, reminders.

    python -m bench [--skip-4x] [--skip-scaleout] [--skip-reminders]

PostgreSQL databases on one server (BENCH_PG_URL, default postgres://root@127.0.0.1:5432), named from
BENCH_DB_PREFIX (default golive_bench): PREFIX (national seed), PREFIX_4x, PREFIX_floor (the floor migrates
Django's own auth app, whose user table GoLive swaps out, so it cannot share a schema), PREFIX_reminders.
Seeds are made once and reused while bench/seed.py is unchanged. Redis: a private redis-server on a free port,
started and stopped here (one database number per part, so no part sees another's cache).
GoLive runs as deployed: golive.settings.production, DEBUG off, PostgreSQL, sessions and cache on Redis, a
bench-only SECRET_KEY; the load sends X-Forwarded-Proto: https as the load balancer does.
Prints one table and writes bench/results.json.
"""

import argparse
import atexit
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from bench import load, results

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "golive_bench")
FLOOR_PORT = 8999
GROWTH_LIMIT = 0.20  # an ICB-scoped page may take at most 20 % longer at the 4× seed (issue 14): reported only


def floor_dir() -> Path:
    """The floor lives beside the repository (../shared/perf); a git worktree may sit one level deeper."""
    candidates = [Path(os.environ["GOLIVE_FLOOR_DIR"])] if os.environ.get("GOLIVE_FLOOR_DIR") else []
    candidates += [ROOT.parent / "shared" / "perf", ROOT.parent.parent / "shared" / "perf"]
    for candidate in candidates:
        if (candidate / "floor.py").exists():
            return candidate
    raise SystemExit(f"floor.py not found in {[str(c) for c in candidates]}; set GOLIVE_FLOOR_DIR")


def ensure_database(name: str) -> None:
    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def golive_environment(redis_url: str) -> dict:
    """As deployed: production settings, DEBUG off, PostgreSQL, Redis; only the secret and hosts are bench's own."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "golive.settings.production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "GOLIVE_VAR_DIR": str(ROOT / "var" / "bench"),
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "BENCH_FLOOR_PORT": str(FLOOR_PORT),
        "BENCH_PG_URL": PG,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",  # progress as it happens
    }


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def run_part(module: str, args: list[str], env: dict) -> dict:
    """Run `python -m module args --json FILE` and return what it wrote."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    subprocess.run([sys.executable, "-m", module, *args, "--json", str(out)], cwd=ROOT, env=env, check=True)  # noqa: S603
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-4x", action="store_true", help="do not measure the 4× seed")
    parser.add_argument("--skip-scaleout", action="store_true")
    parser.add_argument("--skip-reminders", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    load_before = results.load_average()
    print(f"Load average before: {load_before}; load tool: {load.load_tool()}")
    if load.load_tool() != "wrk":
        print("wrk is not installed (make bench installs it with apt-get): falling back to a Python load client")

    from tests.reminders.processes import free_port

    folder = Path(tempfile.mkdtemp(prefix="golive-bench-"))
    redis_port = free_port()
    redis = subprocess.Popen(  # noqa: S603 - a private redis-server, persistence as deployed (AOF, fsync every second)
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
         "--appendfsync", "everysec", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    atexit.register(stop_process, redis)  # also when a part fails and the bench stops with an exception
    redis_base = f"redis://127.0.0.1:{redis_port}"
    env = golive_environment(f"{redis_base}/0")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if not (ROOT / "static" / "compiled" / "nhsuk.css").exists():  # `make bench` builds it; `python -m bench` may not
        subprocess.run(["npm", "run", "--silent", "build:css"], cwd=ROOT, check=True)  # noqa: S607
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    floor = floor_dir()
    floor_db = f"{PREFIX}_floor"
    ensure_database(floor_db)
    floor_env = {**os.environ, "DATABASE_URL": f"{PG}/{floor_db}"}
    subprocess.run([sys.executable, "floor.py", "prepare"], cwd=floor, env=floor_env, check=True)  # noqa: S603
    floor_server = load.start_server(load.gunicorn_args("floor:application", FLOOR_PORT), floor_env, FLOOR_PORT, floor)
    extra: dict = {}
    try:
        print("\n== National seed ==")
        national = run_part("bench.phase", ["--database", PREFIX, "--scale", "1"], env)
        bigger = None
        if not args.skip_4x:
            print("\n== 4× national seed (ICB-scoped pages) ==")
            bigger = run_part(
                "bench.phase",
                ["--database", f"{PREFIX}_4x", "--scale", "4", "--icb-scoped-only"],
                {**env, "REDIS_URL": f"{redis_base}/1"},
            )
    finally:
        load.stop_server(floor_server)
    try:
        if not args.skip_scaleout:
            print("\n== Scale-out: two web instances, two Celery workers, one PostgreSQL, one Redis ==")
            extra["scale_out"] = run_part(
                "bench.scaleout", ["--database", PREFIX], {**env, "REDIS_URL": f"{redis_base}/2"}
            )
    finally:
        stop_process(redis)
    if not args.skip_reminders:
        print("\n== Reminders at 10,000 active migrations ==")
        extra["reminders"] = run_part("bench.reminders", [], {**os.environ, "BENCH_DB_PREFIX": PREFIX})

    pages = national["pages"]
    floor_rps = pages[0]["rps"]
    rows = [results.entry_from(page, floor_rps) for page in pages]
    extra["memory"] = {
        "web_worker_rss_mib": national["web_worker_rss_mib"],
        "celery_worker_rss_mib": extra.get("scale_out", {}).get("celery_worker_rss_mib"),
    }
    if bigger:
        extra["seed_4x"] = growth(pages, bigger["pages"])
    extra["load_average"] = {"before": load_before, "after": results.load_average()}
    document = results.write(rows, load_tool=load.load_tool(), extra=extra)
    print()
    print(results.report(document))
    print(f"\nBench finished in {time.monotonic() - started:.0f} s; wrote {results.RESULTS.relative_to(ROOT)}.")
    failed = [check["what"] for check in extra.get("scale_out", {}).get("checks", []) if not check["ok"]]
    if failed:
        raise SystemExit(f"Scale-out checks failed: {failed}")


def growth(national: list[dict], bigger: list[dict]) -> list[dict]:
    """Each ICB-scoped page at both seeds; time growth = (floor-normalised time at 4×) / (at 1×) - 1, where
    floor-normalised time is the floor's req/s over the page's, each measured beside the floor in its own run."""
    floor_1, floor_4 = national[0]["rps"], bigger[0]["rps"]
    by_name = {page["page"]: page for page in national}
    rows = []
    for page in bigger[1:]:
        before = by_name[page["page"]]
        time_1 = floor_1 / before["rps"] if before["rps"] else None
        time_4 = floor_4 / page["rps"] if page["rps"] else None
        rows.append(
            {
                "page": page["page"],
                "p50_ms_1x": round(before["p50_ms"], 1),
                "p50_ms_4x": round(page["p50_ms"], 1),
                "ratio_1x": round(before["rps"] / floor_1, 2),
                "ratio_4x": round(page["rps"] / floor_4, 2),
                "queries_1x": before["queries"],
                "queries_4x": page["queries"],
                "growth": round(time_4 / time_1 - 1, 3) if time_1 and time_4 else None,
            }
        )
    return rows


if __name__ == "__main__":
    main()
