"""Reminder benchmark (not a test): 10,000 active migrations on PostgreSQL.

    python -m bench.reminders [--migrations 10000] [--runs 5]

Prints the median time of a sweep that inserts the day's reminders, of a repeat sweep that finds nothing new,
and how many emails a second one Celery worker (concurrency 1) delivers to a local aiosmtpd server, timed
from the first to the last of a sample of sends (worker start-up excluded).
Uses its own database (golive_bench_reminders; BENCH_DB_PREFIX changes the golive_bench part), its own Redis
on a free port and its own SMTP server.
"""

import argparse
import datetime
import json
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

import psycopg2

DATABASE = os.environ.get("BENCH_DB_PREFIX", "golive_bench") + "_reminders"
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
STEPS_PER_MIGRATION = 12


def ensure_database():
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {DATABASE}")
    admin.close()


def seed(count: int):
    """Practices, one manager each, and migrations at every stage, with steps due around today."""
    from django.db import connection
    from django.utils import timezone

    from checklists.models import Migration, Step
    from practices.models import ICB, Membership, Practice, Role, Supplier, User

    if Migration.objects.filter(completed_on__isnull=True).count() >= count:
        return
    today = timezone.localdate()
    icbs = ICB.objects.bulk_create([ICB(code=f"B{n:02d}", name=f"Bench ICB {n}") for n in range(42)])
    emis, _ = Supplier.objects.get_or_create(name="EMIS")
    tpp, _ = Supplier.objects.get_or_create(name="TPP")
    practices = Practice.objects.bulk_create(
        [Practice(ods_code=f"Z{n:05d}", name=f"Bench Practice {n}", icb=icbs[n % 42]) for n in range(count)]
    )
    users = User.objects.bulk_create(
        [User(email=f"manager{n}@bench.example", full_name=f"M {n}") for n in range(count)]
    )
    commissioners = User.objects.bulk_create([User(email=f"commissioner{n}@bench.example") for n in range(42)])
    Membership.objects.bulk_create(
        [Membership(user=u, practice=p, role=Role.PRACTICE_MANAGER) for u, p in zip(users, practices, strict=True)]
        + [Membership(user=u, icb=i, role=Role.COMMISSIONER) for u, i in zip(commissioners, icbs, strict=True)]
    )
    migrations = []
    for n, practice in enumerate(practices):
        go_live = today + datetime.timedelta(days=(n % 150) - 75)  # from 75 days ago to 75 days ahead
        migrations.append(
            Migration(
                practice=practice,
                old_supplier=emis,
                new_supplier=tpp,
                idp_date=go_live - datetime.timedelta(days=56),
                fdp_date=go_live - datetime.timedelta(days=7),
                go_live_date=go_live,
                planned_go_live_date=go_live,
                read_only_ends_on=go_live + datetime.timedelta(days=45),
            )
        )
    migrations = Migration.objects.bulk_create(migrations, batch_size=2000)
    steps = [
        Step(
            migration=migration,
            code="GL-02" if s == 0 else f"B-{s:02d}",
            phase="go_live",
            order=(s + 1) * 10,
            title=f"Bench step {s}",
            role=Role.PRACTICE_MANAGER,
            anchor="go_live",
            offset_working_days=s - 6,
            critical=s % 4 == 0,
            due_date=migration.go_live_date + datetime.timedelta(days=s - 6),
        )
        for migration in migrations
        for s in range(STEPS_PER_MIGRATION)
    ]
    Step.objects.bulk_create(steps, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as production has them


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=1000, help="sends to time for the emails-a-second figure")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    from bench.load import rss_mib
    from tests.reminders.processes import PrivateRedis, Processes, SMTPServer, wait_for

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    folder = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    redis, smtp = PrivateRedis(folder), SMTPServer()
    redis.start()
    smtp.start()
    database_url = f"{SERVER}/{DATABASE}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="golive.settings.local",
        DEBUG="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis.url,
        GOLIVE_VAR_DIR=str(folder),
        REMINDER_SEND_FROM_HOUR="0",
    )
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from golive.celery import app
    from reminders.models import Reminder, ReminderStatus
    from reminders.services import reminders_sweep

    processes = Processes(folder, database_url, redis, smtp)
    try:
        call_command("migrate", verbosity=0)
        seed(args.migrations)
        today = timezone.localdate()

        def fresh_sweep():
            Reminder.objects.filter(for_date=today).delete()
            with app.connection_for_write() as connection:
                connection.default_channel.client.flushdb()
            return timed(reminders_sweep)

        inserting = [fresh_sweep() for _ in range(args.runs)]
        made = Reminder.objects.filter(for_date=today).count()
        repeat = [timed(reminders_sweep) for _ in range(args.runs)]

        fresh_sweep()
        worker = processes.start_worker()
        sent = Reminder.objects.filter(status=ReminderStatus.SENT)
        wait_for(lambda: sent.count() >= args.sample, 1800, f"{args.sample} sends", interval=0.5)
        times = sorted(sent.values_list("sent_at", flat=True))[: args.sample]
        per_second = (len(times) - 1) / (times[-1] - times[0]).total_seconds()
        figures = {
            "migrations": args.migrations,
            "due": made,
            "runs": args.runs,
            "sweep_s": round(statistics.median(inserting), 3),
            "repeat_s": round(statistics.median(repeat), 3),
            "emails_per_s": round(per_second, 1),
            "sample": len(times),
            "smtp_connections": smtp.handler.connections(),
            "duplicates": sum(1 for count in smtp.handler.message_ids().values() if count > 1),
            "celery_worker_rss_mib": round(rss_mib(processes.pool_child(worker)), 1),
        }
        print(f"Active migrations:                  {args.migrations}")
        print(f"Reminders due today:                {made}")
        print(f"Sweep inserting them (median of {args.runs}): {figures['sweep_s']:.2f} s")
        print(f"Repeat sweep, nothing new (median): {figures['repeat_s']:.3f} s")
        print(f"One worker, concurrency 1:          {per_second:.1f} emails/s over {len(times)} sends")
        print(f"SMTP connections used:              {figures['smtp_connections']}")
        print(f"Duplicate messages:                 {figures['duplicates']}")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
    finally:
        processes.stop_all()
        smtp.stop()
        redis.stop()


if __name__ == "__main__":
    main()
