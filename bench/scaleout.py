"""The scale-out shape, measured and checked: `python -m bench.scaleout --database NAME --json OUT`.

Two gunicorn instances (2 workers each, ports 8993 and 8992) and two Celery worker processes (concurrency 1)
against one PostgreSQL database (the national bench seed, already made by bench.phase) and one Redis (REDIS_URL,
set by bench/__main__.py), with an aiosmtpd sink as the mail server. About a minute, every wait bounded.

1. Sessions are shared: sign in through the form on instance A, use the session on B, sign out on B, and the
   session no longer works on A.
2. Ticks on both instances are all kept: wrk on each instance ticks its own half of a checklist's steps (POST and
   redirect) for ROUND_SECONDS while two reminder sweeps run at once and both workers deliver; afterwards the
   steps' versions and the audit trail grew by exactly the ticks the two wrk runs saw kept.
3. No duplicate reminder: every row the sweeps made was sent once, and the SMTP server received exactly one
   message per sent row (Message-IDs all distinct).
4. Combined throughput: the tick flow (above) and the migration page, wrk on both instances at once.
Also the resident memory of each Celery worker's pool process after delivering.
"""

import argparse
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench import load

ROOT = Path(__file__).resolve().parents[1]
PORTS = (8993, 8992)
PASSWORD = "bench-scale-out-password"  # noqa: S105 - a bench-only user in a bench-only database


def start_worker(number: int, env: dict, folder: Path) -> tuple[subprocess.Popen, Path]:
    log = folder / f"worker-{number}.log"
    worker = subprocess.Popen(  # noqa: S603 - our own Celery command line
        [sys.executable, "-m", "celery", "-A", "golive", "worker", "--concurrency=1", "--pool=prefork",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--hostname", f"bench-{number}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return worker, log


def sign_in(port: int, email: str) -> str:
    """Sign in through the form on one instance; returns the session cookie value."""
    status, headers, body = load.request(port, "GET", "/sign-in/", {"Host": load.HOST, "X-Forwarded-Proto": "https"})
    csrf_cookie = re.search(r"(__Host-csrftoken=[^;]+)", " ".join(headers.get("set-cookie", []))).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, headers, _ = load.request(
        port,
        "POST",
        "/sign-in/",
        {
            "Host": load.HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{load.HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
        },
        urlencode({"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}),
    )
    match = re.search(r"__Host-sessionid=([^;]+)", " ".join(headers.get("set-cookie", [])))
    if status != 302 or not match:
        raise RuntimeError(f"Sign-in on port {port} failed: {status}")
    return match.group(1)


def check(checks: list, what: str, ok: bool, detail: str) -> None:
    checks.append({"what": what, "ok": bool(ok), "detail": detail})
    print(f"  {'ok  ' if ok else 'FAIL'} {what}: {detail}")


def main() -> None:  # noqa: PLR0915 - one straight story, told in order
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    pg = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432")
    os.environ["DATABASE_URL"] = f"{pg}/{args.database}"

    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from bench import seed
    from bench.phase import session_cookie_value, tick_steps
    from checklists.models import Step
    from golive.core.models import AuditEvent
    from practices.models import User
    from reminders.models import Reminder, ReminderStatus
    from tests.reminders.processes import SMTPServer, wait_for

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    folder = Path(os.environ.get("GOLIVE_VAR_DIR", ROOT / "var" / "bench")) / "scaleout"
    folder.mkdir(parents=True, exist_ok=True)
    smtp = SMTPServer()
    smtp.start()
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.controller.port),
        # Today's reminders are made whatever the hour the bench runs (production default: from 07:00).
        "REMINDER_SEND_FROM_HOUR": "0",
    }
    migration_id = seed.practice_manager_migration()
    manager = User.objects.get(email=seed.MANAGER_EMAIL)
    manager.set_password(PASSWORD)
    manager.save(update_fields=["password"])
    today = timezone.localdate()
    # Bench data only: the outbox starts empty for today, so this run's sweeps make (and must send) every row.
    Reminder.objects.filter(for_date=today).delete()

    checks: list[dict] = []
    servers, workers = [], []
    figures: dict = {"throughput": {}, "checks": checks}
    try:
        for port in PORTS:
            servers.append(
                load.start_server(load.gunicorn_args("golive.wsgi:application", port, workers=2), env, port, ROOT)
            )
        for number in range(2):
            workers.append(start_worker(number, env, folder))
        for _worker, log in workers:
            wait_for(lambda log=log: "ready." in log.read_text(), 60, "a Celery worker to be ready")

        # 1. One session, both instances.
        proxy = {"Host": load.HOST, "X-Forwarded-Proto": "https"}
        session = sign_in(PORTS[0], seed.MANAGER_EMAIL)
        cookie = {**proxy, "Cookie": f"__Host-sessionid={session}"}
        status_b, _, body_b = load.request(PORTS[1], "GET", "/my-tasks/", cookie)
        check(
            checks,
            "a session made on instance A works on B",
            status_b == 200 and b'action="/sign-out/"' in body_b,  # signed in: the header offers sign-out
            f"GET /my-tasks/ on B: {status_b}",
        )
        csrf_cookie, token = load.csrf_for(PORTS[1], "/my-tasks/", cookie)
        status_out, _, _ = load.request(
            PORTS[1],
            "POST",
            "/sign-out/",
            {**cookie, "Cookie": f"{cookie['Cookie']}; {csrf_cookie}", "Origin": f"https://{load.HOST}",
             "Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"csrfmiddlewaretoken": token}),
        )  # fmt: skip
        status_a, headers_a, _ = load.request(PORTS[0], "GET", "/my-tasks/", cookie)
        check(
            checks,
            "signing out on B ends the session on A",
            status_out == 302 and status_a == 302 and "/sign-in/" in headers_a.get("location", [""])[0],
            f"sign-out on B: {status_out}; then GET /my-tasks/ on A: {status_a} to {headers_a.get('location')}",
        )

        # 2 and 3. Ticks on both instances while two sweeps run at once and two workers deliver.
        session = session_cookie_value(seed.MANAGER_EMAIL)
        checklist = reverse("checklists:checklist", args=[migration_id])
        as_manager = {**proxy, "Cookie": f"__Host-sessionid={session}"}
        csrf_cookie, token = load.csrf_for(PORTS[0], checklist, as_manager)
        steps = tick_steps(migration_id, seed.MANAGER_EMAIL)
        step_ids = [int(path.rstrip("/").split("/")[-2]) for path, _, _ in steps]
        before = dict(Step.objects.filter(pk__in=step_ids).values_list("pk", "version"))
        status_before = dict(Step.objects.filter(pk__in=step_ids).values_list("pk", "status"))
        step_events = AuditEvent.objects.filter(
            action="step.updated", object_id__in=[str(pk) for pk in step_ids], migration_id=migration_id
        )
        events_before = step_events.count()
        runs = []
        for number, port in enumerate(PORTS):
            tick = load.Tick(steps[number::2], f"__Host-sessionid={session}; {csrf_cookie}", token, checklist)
            target = load.Target(f"tick on :{port}", port, checklist, {}, tick=tick)
            runs.append(load.start_wrk(target, load.ROUND_SECONDS, threads=1, connections=load.CONCURRENCY // 2))
        sweeps = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "sweep_reminders"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for _ in range(2)
        ]
        sweep_output = [sweep.communicate(timeout=300) for sweep in sweeps]
        tick_results = [load.finish_wrk(run) for run in runs]
        kept = sum(result.detail["kept"] for result in tick_results)
        figures["throughput"]["tick a step (POST + redirect)"] = {
            "combined_rps": round(sum(result.rps for result in tick_results), 1),
            "per_instance": ", ".join(f"{result.rps:.1f}" for result in tick_results),
        }
        after = dict(Step.objects.filter(pk__in=step_ids).values_list("pk", "version"))
        status_after = dict(Step.objects.filter(pk__in=step_ids).values_list("pk", "status"))
        events = step_events.count() - events_before
        changes = sum(after[pk] - before[pk] for pk in step_ids)
        # Each tick flips the step: an odd number of kept ticks leaves it flipped, an even number as it was.
        consistent = all(
            ((after[pk] - before[pk]) % 2 == 1) == (status_after[pk] != status_before[pk]) for pk in step_ids
        )
        unkept = sum(result.detail["conflicts"] + result.detail["failed"] + result.errors for result in tick_results)
        # wrk stops with up to one request in flight per connection; the servers finish those, so the database
        # may hold up to that many more ticks than wrk saw answered.
        in_flight = load.CONCURRENCY
        check(
            checks,
            "ticks on both instances all kept",
            kept > 0 and unkept == 0 and consistent and changes == events and kept <= changes <= kept + in_flight,
            f"{kept} ticks answered as kept ({', '.join(str(r.detail['kept']) for r in tick_results)}), "
            f"{unkept} conflicts or failures; step versions +{changes} and step audit events +{events} "
            f"(at most {in_flight} more than answered: requests in flight when wrk stopped); every step's status "
            f"{'agrees' if consistent else 'DISAGREES'} with its number of ticks",
        )
        check(
            checks,
            "two sweeps at once",
            all(sweep.returncode == 0 for sweep in sweeps),
            "; ".join(stdout.splitlines()[0] for stdout, _ in sweep_output if stdout),
        )
        todays = Reminder.objects.filter(for_date=today)
        unfinished = todays.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING])
        wait_for(lambda: not unfinished.exists(), 300, "every reminder to be sent", interval=0.5)
        by_status = dict(todays.values_list("status").annotate(n=Count("pk")))
        sent = todays.filter(status=ReminderStatus.SENT)
        sent_ids = set(sent.values_list("message_id", flat=True))
        received = smtp.handler.message_ids()
        duplicates = sum(1 for count in received.values() if count > 1)
        check(
            checks,
            "no duplicate reminder (two workers, two sweeps)",
            sent_ids and duplicates == 0 and set(received) == sent_ids and sum(received.values()) == len(sent_ids),
            f"outbox rows today {sum(by_status.values())} {by_status}; SMTP messages received "
            f"{sum(received.values())}, distinct Message-IDs {len(received)}, duplicates {duplicates}",
        )
        shares = [log.read_text().count("succeeded in") for _, log in workers]
        check(checks, "both workers delivered", all(shares), f"tasks succeeded per worker: {shares}")
        figures["celery_worker_rss_mib"] = round(
            max(load.rss_mib(child) for worker, _ in workers for child in load.children(worker.pid)), 1
        )

        # 4. A page read on both instances at once.
        runs = [
            load.start_wrk(
                load.Target(f"migration page on :{port}", port, f"/migrations/{migration_id}/", as_manager),
                load.ROUND_SECONDS,
                threads=1,
                connections=load.CONCURRENCY // 2,
            )
            for port in PORTS
        ]
        page_results = [load.finish_wrk(run) for run in runs]
        figures["throughput"]["migration page"] = {
            "combined_rps": round(sum(result.rps for result in page_results), 1),
            "per_instance": ", ".join(f"{result.rps:.1f}" for result in page_results),
        }
        figures["web_worker_rss_mib"] = round(
            max(load.rss_mib(child) for server in servers for child in load.children(server.pid)), 1
        )
        for name, figure in figures["throughput"].items():
            print(f"  {name}: {figure['combined_rps']} req/s combined ({figure['per_instance']} per instance)")
    finally:
        for worker, _ in workers:
            load.stop_server(worker)
        for server in servers:
            load.stop_server(server)
        smtp.stop()
    # A failed check is reported (and fails `make bench` at the end), after the rest of the bench has run.
    Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
