"""Reminder delivery with real processes: a private Redis, Celery worker subprocesses and an aiosmtpd server.

These prove what unit tests cannot: concurrent sweeps, killed workers and a Redis outage never lose a reminder
and never send one twice (apart from the documented window: a worker killed after the SMTP server accepted
a message and before the row was marked sent).
"""

import datetime
import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from practices.models import Role
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderStatus
from tests.factories import MembershipFactory, MigrationFactory
from tests.reminders.processes import PrivateRedis, Processes, SMTPServer, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes need a shared PostgreSQL database"),
]


@pytest.fixture
def smtp():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes(transactional_db, tmp_path, redis, smtp):
    database_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    if connection.settings_dict.get("PASSWORD"):
        database_url = database_url.replace("@", f":{connection.settings_dict['PASSWORD']}@", 1)
    running = Processes(tmp_path, database_url, redis, smtp)
    yield running
    running.stop_all()


def window_reminders_due_today(count: int, email: str = "") -> list:
    """`count` migrations whose read-only window ends in 7 days, each with one practice manager."""
    today = timezone.localdate()
    managers = []
    for number in range(count):
        migration = MigrationFactory(go_live_date=today - datetime.timedelta(days=38))
        assert migration.read_only_ends_on == today + datetime.timedelta(days=7)
        address = email or f"manager{number}@practice{migration.practice_id}.example"
        managers.append(MembershipFactory(practice=migration.practice, role=Role.PRACTICE_MANAGER, user__email=address))
    return managers


def sent_ids() -> set[str]:
    return set(Reminder.objects.filter(status=ReminderStatus.SENT).values_list("message_id", flat=True))


def settled() -> bool:
    return not Reminder.objects.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]).exists()


def sweep_until_settled(processes: Processes, timeout: float = 60):
    """Run the sweep every few seconds, as beat would every hour, until no reminder is pending or sending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if settled():
            return
        processes.sweep()
        time.sleep(2)
    raise AssertionError(f"Reminders still waiting: {list(Reminder.objects.exclude(status='sent').values())}")


def test_three_sweeps_at_once_send_each_reminder_exactly_once(processes, smtp):
    window_reminders_due_today(6)
    processes.start_worker()
    outputs = processes.sweep(count=3)
    assert Reminder.objects.filter(kind=Kind.READ_ONLY_WINDOW).count() == 6
    assert sum(int(output.split()[0]) for output in outputs) == 6, outputs  # each row made by one sweep
    wait_for(settled, 60, "every reminder to be sent")
    delivered = smtp.handler.message_ids()
    assert set(delivered) == sent_ids()
    assert len(delivered) == 6
    assert set(delivered.values()) == {1}


def test_killing_the_worker_mid_send_still_delivers_every_reminder(processes, smtp):
    window_reminders_due_today(4)
    worker = processes.start_worker()
    smtp.handler.stall_seconds = 3  # the first message hangs in DATA, so the kill lands mid-send
    processes.sweep()
    assert smtp.handler.in_data.wait(30), "no send started"
    os.kill(processes.pool_child(worker), signal.SIGKILL)
    processes.stop_worker(worker)
    processes.start_worker()
    sweep_until_settled(processes)
    delivered = smtp.handler.message_ids()
    assert set(delivered) == sent_ids()
    assert len(delivered) == 4
    # At most the one message in flight can arrive twice: the server may have accepted it as the worker died.
    assert sum(delivered.values()) <= 5


def test_redis_outage_loses_no_reminder(processes, redis, smtp):
    window_reminders_due_today(3)
    processes.sweep()  # queued in Redis while no worker runs
    redis.stop()
    window_reminders_due_today(2)
    outage_started = time.monotonic()
    processes.sweep()  # cannot publish: the rows wait for the next sweep
    time.sleep(max(0, 12 - (time.monotonic() - outage_started)))  # a 12-second outage
    redis.start()
    processes.start_worker()
    sweep_until_settled(processes)
    delivered = smtp.handler.message_ids()
    assert len(delivered) == 5
    assert set(delivered) == sent_ids()
    assert set(delivered.values()) == {1}


def test_smtp_answering_451_twice_then_250_delivers_once(processes, smtp):
    window_reminders_due_today(1)
    smtp.handler.data_answers = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]
    processes.start_worker()
    processes.sweep()
    wait_for(settled, 60, "the reminder to be sent after retries")
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.SENT, 3)
    assert smtp.handler.message_ids() == {reminder.message_id: 1}


def test_smtp_answering_550_marks_the_reminder_failed_without_retry(processes, smtp):
    window_reminders_due_today(1, email="bounce@practice.example")
    smtp.handler.bounce = {"bounce@practice.example"}
    processes.start_worker()
    processes.sweep()
    wait_for(settled, 60, "the reminder to fail")
    time.sleep(3)  # longer than the first retry's back-off: nothing more may be tried
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    assert reminder.last_error.startswith("550")
    assert smtp.handler.rcpt_attempts["bounce@practice.example"] == 1
    assert not smtp.handler.messages
