"""One seed's measurements: `python -m bench.phase --database NAME --scale N --json OUT [--icb-scoped-only]`.

Run by bench/__main__.py once for the national seed and once for the 4× seed, each in its own process (Django
settings are per process: this one points at NAME). It makes sure NAME holds the seed (reseeding only when
bench/seed.py changed), starts GoLive under gunicorn as deployed and a second one with the dashboard cache off,
counts each page's queries with one instrumented request, drives every page beside the floor (already
running on FLOOR_PORT) and writes the medians, query counts and a web worker's RSS to OUT.
"""

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

import psycopg2

from bench import load

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432")


def prepare_database(name: str, fingerprint: str) -> bool:
    """Create NAME, or drop and recreate it when its seed fingerprint (the database comment) differs.

    Returns True when the database is new and must be seeded.
    """
    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
        row = cursor.fetchone()
        if row and row[0] == fingerprint:
            connection.close()
            return False
        if row:
            print(f"{name}: seed changed ({row[0]!r}); reseeding")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return True


def mark_seeded(name: str, fingerprint: str) -> None:
    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [fingerprint])
    connection.close()


def session_cookie_value(email: str) -> str:
    """A signed-in session for a bench user, made with the configured session engine (the bench measures pages,
    not sign-in; bench/scaleout.py signs in through the form). Administrators and commissioners get an
    authenticator app and a session that has entered a code, as they must."""
    import time

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import TWO_FACTOR_STATE_KEY, TwoFactorState
    from accounts.sessions import LAST_ACTIVITY_KEY, SIGNED_IN_AT_KEY
    from accounts.two_factor import VERIFIED_AT_SESSION_KEY, second_factor_required
    from practices.models import User

    user = User.objects.get(email=email)
    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT_KEY] = session[LAST_ACTIVITY_KEY] = int(time.time())
    session[TWO_FACTOR_STATE_KEY] = TwoFactorState.OPTIONAL
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Bench"})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()
        session[TWO_FACTOR_STATE_KEY] = TwoFactorState.VERIFY
    session.set_expiry(60 * 60 * 4)
    session.save()
    return session.session_key


def tick_steps(migration_id: int, email: str) -> list[tuple[str, int, str]]:
    """The steps the user may tick on the migration's checklist, with their current version and status."""
    from django.urls import reverse

    from checklists.models import Migration, Step, StepStatus
    from practices.models import User
    from practices.selectors import roles_for, step_updatable

    user = User.objects.get(email=email)
    migration = Migration.objects.select_related("practice").get(pk=migration_id)
    roles = roles_for(user, migration.practice)
    steps = Step.objects.filter(migration=migration, status__in=[StepStatus.TODO, StepStatus.DONE]).order_by("pk")
    return [
        (reverse("checklists:step_tick", args=[migration_id, step.pk]), step.version, step.status)
        for step in steps
        if step_updatable(roles, step.role)
    ]


def count_queries(target: load.Target, session_key: str, cache_off: bool) -> int:
    """Queries one request makes (for a tick: the POST and the GET it redirects to), through Django's test client
    against the same database and cache; a first request warms per-process caches and is not counted."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=load.HOST, HTTP_X_FORWARDED_PROTO="https")  # as the load balancer sends
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key

    def one() -> int:
        with CaptureQueriesContext(connection) as captured:
            if target.tick:
                path, version, status = tick_steps_for_count(target)
                flipped = "todo" if status == "done" else "done"
                response = client.post(path, {"version": version, "status": flipped, "next": target.tick.next_url})
                if response.status_code != 302 or "#step-" not in response["Location"]:
                    raise RuntimeError(f"{target.name}: the tick was not kept ({response.status_code})")
                response = client.get(response["Location"].split("#")[0])
            else:
                response = client.get(target.path)
            if response.status_code != 200:
                raise RuntimeError(f"{target.name}: {response.status_code} from the test client")
        return len(captured)

    with override_settings(**({"DASHBOARD_CACHE_SECONDS": 0} if cache_off else {})):
        one()
        return one()


def tick_steps_for_count(target: load.Target) -> tuple[str, int, str]:
    migration_id = int(target.tick.next_url.split("/")[2])
    return tick_steps(migration_id, target.tick.email)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--json", required=True)
    parser.add_argument("--icb-scoped-only", action="store_true")
    parser.add_argument("--port", type=int, default=8996, help="GoLive as deployed; PORT-1 with the cache off")
    args = parser.parse_args()

    from bench import seed

    fingerprint = seed.fingerprint(args.scale)
    fresh = prepare_database(args.database, fingerprint)
    os.environ["DATABASE_URL"] = f"{PG}/{args.database}"
    env = dict(os.environ)  # bench/__main__.py set the production settings, secret, Redis and var folder

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if fresh:
        seed.seed(scale=args.scale)
        mark_seeded(args.database, fingerprint)
    else:
        print(f"{args.database}: seeded already (x{args.scale}, seed unchanged)")
    manager_migration = seed.practice_manager_migration()
    commissioner = session_cookie_value(seed.COMMISSIONER_EMAIL)
    admin = session_cookie_value(seed.ADMIN_EMAIL)
    manager = session_cookie_value(seed.MANAGER_EMAIL)

    floor_port = int(os.environ["BENCH_FLOOR_PORT"])
    cached_port, uncached_port = args.port, args.port - 1
    servers = []
    try:
        servers.append(
            load.start_server(load.gunicorn_args("golive.wsgi:application", cached_port), env, cached_port, ROOT)
        )
        servers.append(
            load.start_server(
                load.gunicorn_args("golive.wsgi:application", uncached_port),
                {**env, "DASHBOARD_CACHE_SECONDS": "0"},
                uncached_port,
                ROOT,
            )
        )
        proxy = {"X-Forwarded-Proto": "https", "Host": load.HOST}
        cookie_name = "__Host-sessionid"

        def as_user(session: str) -> dict:
            return {**proxy, "Cookie": f"{cookie_name}={session}"}

        m = f"/migrations/{manager_migration}"
        checklist_path = f"{m}/checklist/"
        csrf_cookie, csrf_token = load.csrf_for(cached_port, checklist_path, as_user(manager))
        tick = load.Tick(
            steps=tick_steps(manager_migration, seed.MANAGER_EMAIL),
            cookie=f"{cookie_name}={manager}; {csrf_cookie}",
            csrf_token=csrf_token,
            next_url=checklist_path,
            email=seed.MANAGER_EMAIL,
        )
        floor = load.Target("floor /floor/page", floor_port, "/floor/page", {"Cookie": load.floor_cookie(floor_port)})

        def page(name, port, path, session, marker, **options):
            headers = {} if options.get("tick") else as_user(session)
            return load.Target(name, port, path, headers, **options), marker, session

        cached, miss = cached_port, uncached_port
        dashboards = "/dashboards/"
        icb, national = b"Migrations in NHS Bench 00", b"Migrations in England"
        pages = [
            (floor, b"<table", None),
            page("checklist, 201 steps", cached, checklist_path, manager, b"Go-live checklist"),
            page("tick a step (POST + redirect)", cached, checklist_path, manager, None, tick=tick),
            page("migration page", cached, f"{m}/", manager, b"<h1"),
            page("go-live readiness", cached, f"{m}/go-live/", manager, b"<h1"),
            page("link tracker", cached, f"{m}/links/", manager, b"<h1"),
            page("my tasks", cached, "/my-tasks/", manager, b"<h1"),
            page("portfolio, one ICB, cache as deployed", cached, dashboards, commissioner, icb, prime=True),
            page("portfolio, one ICB, cache miss", miss, dashboards, commissioner, icb),
            page(
                "portfolio, national, cache as deployed",
                cached,
                dashboards,
                admin,
                national,
                icb_scoped=False,
                prime=True,
            ),
            page("portfolio, national, cache miss", miss, dashboards, admin, national, icb_scoped=False),
        ]
        targets = []
        for target, marker, session in pages:
            if args.icb_scoped_only and not target.icb_scoped:
                continue
            if marker:
                load.check(target, marker)
            if session:
                target.queries = count_queries(target, session, cache_off=target.port == uncached_port)
            targets.append(target)

        def refresh_tick(target: load.Target) -> None:
            target.tick.steps = tick_steps(manager_migration, seed.MANAGER_EMAIL)

        results = load.measure(targets, refresh_tick=refresh_tick)
        web_rss = max(load.rss_mib(pid) for pid in load.children(servers[0].pid))
    finally:
        for server in servers:
            load.stop_server(server)

    Path(args.json).write_text(
        json.dumps(
            {
                "scale": args.scale,
                "pages": [
                    {
                        "page": target.name,
                        "rps": results[target.name].rps,
                        "p50_ms": results[target.name].p50_ms,
                        "p95_ms": results[target.name].p95_ms,
                        "errors": results[target.name].errors,
                        "queries": target.queries,
                        "icb_scoped": target.icb_scoped,
                    }
                    for target in targets
                ],
                "web_worker_rss_mib": round(web_rss, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
