"""`make bench`: seed national scale, then measure GoLive's pages against the floor in one run (about 3 minutes).

Databases on the same PostgreSQL server: golive_bench for GoLive, golive_bench_floor for the floor (the floor
migrates Django's own auth app, whose user table GoLive swaps out, so the two cannot share one schema).
BENCH_PG_URL overrides the server (default postgres://root@127.0.0.1:5432).
"""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432")
GOLIVE_DB, FLOOR_DB = "golive_bench", "golive_bench_floor"
RATIO_TARGET = 0.5


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


def golive_environment() -> dict:
    """Production settings, DEBUG off; TLS is pretended by the X-Forwarded-Proto header the load sends."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "golive.settings.production",
        "DATABASE_URL": f"{PG}/{GOLIVE_DB}",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "GOLIVE_VAR_DIR": str(ROOT / "var" / "bench"),
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    started = time.monotonic()
    for name in (GOLIVE_DB, FLOOR_DB):
        ensure_database(name)
    env = golive_environment()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    if not (ROOT / "static" / "compiled" / "nhsuk.css").exists():  # `make bench` builds it; `python -m bench` may not
        subprocess.run(["npm", "run", "--silent", "build:css"], cwd=ROOT, check=True)  # noqa: S607
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    import django

    django.setup()
    from bench import portfolio, seed

    seed.seed()
    commissioner_session = seed.session_cookie_value(seed.COMMISSIONER_EMAIL)
    admin_session = seed.session_cookie_value(seed.ADMIN_EMAIL)
    manager_migration = seed.practice_manager_migration()
    manager_session = seed.session_cookie_value(seed.MANAGER_EMAIL)

    floor = floor_dir()
    floor_env = {**os.environ, "DATABASE_URL": f"{PG}/{FLOOR_DB}"}
    subprocess.run([sys.executable, "floor.py", "prepare"], cwd=floor, env=floor_env, check=True)  # noqa: S603
    servers = []
    try:
        servers.append(
            portfolio.start_server(
                portfolio.gunicorn_args("floor:application", portfolio.FLOOR_PORT),
                floor_env,
                portfolio.FLOOR_PORT,
                floor,
            )
        )
        golive_args = portfolio.gunicorn_args("golive.wsgi:application", portfolio.GOLIVE_PORT)
        servers.append(portfolio.start_server(golive_args, env, portfolio.GOLIVE_PORT, ROOT))
        uncached_env = {**env, "DASHBOARD_CACHE_SECONDS": "0"}
        uncached_args = portfolio.gunicorn_args("golive.wsgi:application", portfolio.GOLIVE_UNCACHED_PORT)
        servers.append(portfolio.start_server(uncached_args, uncached_env, portfolio.GOLIVE_UNCACHED_PORT, ROOT))
        proxy = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        commissioner = {**proxy, "Cookie": f"__Host-sessionid={commissioner_session}"}
        admin = {**proxy, "Cookie": f"__Host-sessionid={admin_session}"}
        manager = {**proxy, "Cookie": f"__Host-sessionid={manager_session}"}
        floor_page = portfolio.Target("floor /floor/page", portfolio.FLOOR_PORT, "/floor/page", {})
        floor_page.headers = {"Cookie": portfolio.floor_cookie()}
        icb_page = portfolio.Target("portfolio, one ICB", portfolio.GOLIVE_PORT, "/dashboards/", commissioner)
        targets = [
            floor_page,
            icb_page,
            portfolio.Target(
                "portfolio, one ICB, no cache", portfolio.GOLIVE_UNCACHED_PORT, "/dashboards/", commissioner
            ),
            portfolio.Target("portfolio, national", portfolio.GOLIVE_PORT, "/dashboards/", admin),
            portfolio.Target("portfolio, national, no cache", portfolio.GOLIVE_UNCACHED_PORT, "/dashboards/", admin),
        ]
        practice_pages = [
            (
                portfolio.Target("migration page", portfolio.GOLIVE_PORT, f"/migrations/{manager_migration}/", manager),
                b"<h1",
            ),
            (
                portfolio.Target(
                    "checklist, 201 steps",
                    portfolio.GOLIVE_PORT,
                    f"/migrations/{manager_migration}/checklist/",
                    manager,
                ),
                b"Go-live checklist",
            ),
            (portfolio.Target("my tasks", portfolio.GOLIVE_PORT, "/my-tasks/", manager), b"<h1"),
        ]
        portfolio.check(floor_page, b"<table")
        for target in targets[1:]:
            portfolio.check(
                target, b"Migrations in NHS Bench 00" if target.headers is commissioner else b"Migrations in England"
            )
        for target, marker in practice_pages:
            portfolio.check(target, marker)
            targets.append(target)
        results = portfolio.measure(targets)
    finally:
        for server in servers:
            portfolio.stop_server(server)

    floor_rate = results[floor_page.name].requests_per_second
    print("\nMedians:")
    for name, result in results.items():
        ratio = result.requests_per_second / floor_rate if floor_rate else 0
        print(
            f"  {name:<32} {result.requests_per_second:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
            f"ratio to floor {ratio:4.2f}  errors {result.errors}"
        )
    icb_ratio = results[icb_page.name].requests_per_second / floor_rate
    verdict = "meets" if icb_ratio >= RATIO_TARGET else "MISSES"
    print(f"Portfolio (one ICB) / floor = {icb_ratio:.2f}: {verdict} the target of {RATIO_TARGET}.")

    reminders = Path(__file__).with_name("reminders.py")
    if reminders.exists():
        print("\nbench/reminders.py:")
        subprocess.run([sys.executable, "-m", "bench.reminders"], cwd=ROOT, check=True)  # noqa: S603
    print(f"\nBench finished in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
