"""Where a page's time goes: `python -m bench.profile [--requests 20] [--html DIR]` (after `make bench` seeded).

Profiles, with pyinstrument, repeated requests through Django's test client in this process against the national
bench database with production settings (DEBUG off, PostgreSQL), for the checklist page (201 steps) and the
portfolio on a cache miss (one ICB, and national). Prints each profile as text (and writes HTML with --html).
Time in SQL shows as the database driver's execute; the query count and SQL time per request are printed too.
"""

import argparse
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--html", help="also write one HTML profile per page into this folder")
    args = parser.parse_args()
    prefix = os.environ.get("BENCH_DB_PREFIX", "golive_bench")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="golive.settings.production",
        DATABASE_URL=f"{PG}/{prefix}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        GOLIVE_VAR_DIR=str(ROOT / "var" / "bench"),
        REDIS_URL="",  # no cache to hit: this measures the miss
        DASHBOARD_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from bench import seed
    from bench.phase import session_cookie_value

    migration = seed.practice_manager_migration()
    pages = [
        ("checklist, 201 steps", seed.MANAGER_EMAIL, f"/migrations/{migration}/checklist/"),
        ("portfolio, one ICB, cache miss", seed.COMMISSIONER_EMAIL, "/dashboards/"),
        ("portfolio, national, cache miss", seed.ADMIN_EMAIL, "/dashboards/"),
    ]
    for name, email, path in pages:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_value(email)
        client.get(path)  # warm: templates compiled, connection open
        count = max(1, args.requests if "national" not in name else args.requests // 5)
        profiler = Profiler(interval=0.0005)
        with CaptureQueriesContext(connection) as queries:
            profiler.start()
            for _ in range(count):
                response = client.get(path)
            profiler.stop()
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code}")
        session = profiler.last_session
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000 / count
        print(f"\n=== {name}: {count} requests, {session.duration * 1000 / count:.1f} ms each, "
              f"{len(queries) // count} queries, {sql_ms:.1f} ms of it waiting for SQL ===")  # fmt: skip
        print(profiler.output_text(unicode=False, color=False, show_all=False))
        if args.html:
            Path(args.html).mkdir(parents=True, exist_ok=True)
            (Path(args.html) / f"{name.split(',')[0].replace(' ', '-')}-{count}.html").write_text(
                profiler.output_html()
            )


if __name__ == "__main__":
    main()
