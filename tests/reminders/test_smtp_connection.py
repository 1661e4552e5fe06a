"""One kept SMTP connection per worker process: reused for every reminder, re-opened when the server drops it.

Against a real aiosmtpd server (in a thread), with Django's SMTP backend as deployed.
"""

import datetime

import pytest

from practices.models import Role
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderStatus
from reminders.services import mail_connection_close, reminder_send
from tests.factories import MembershipFactory, MigrationFactory
from tests.reminders.processes import SMTPServer


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.controller.port
    settings.EMAIL_USE_TLS = False
    yield server
    mail_connection_close()
    server.stop()


def window_reminders(count: int) -> list[Reminder]:
    """`count` read-only-window reminders, each to its own practice manager."""
    reminders = []
    for number in range(count):
        migration = MigrationFactory()
        manager = MembershipFactory(
            practice=migration.practice, role=Role.PRACTICE_MANAGER, user__email=f"manager{number}@smtp.example"
        ).user
        reminders.append(
            Reminder.objects.create(
                migration=migration,
                recipient=manager,
                kind=Kind.READ_ONLY_WINDOW,
                for_date=migration.read_only_ends_on - datetime.timedelta(days=7),
            )
        )
    return reminders


def test_reminders_share_one_connection_and_each_is_its_own_message(db, smtp):
    reminders = window_reminders(3)

    for reminder in reminders:
        assert reminder_send(reminder_id=reminder.pk) == ReminderStatus.SENT

    assert smtp.handler.connections() == 1
    received = smtp.handler.message_ids()
    assert sorted(received) == sorted(f"<reminder-{reminder.pk}@127.0.0.1>" for reminder in reminders)
    assert set(received.values()) == {1}
    assert [message["To"] for message in smtp.handler.messages] == [
        "manager0@smtp.example",
        "manager1@smtp.example",
        "manager2@smtp.example",
    ]


def test_a_connection_the_server_dropped_is_reopened_and_nothing_is_lost_or_doubled(db, smtp):
    first, second = window_reminders(2)
    smtp.handler.drop_after_data = True
    assert reminder_send(reminder_id=first.pk) == ReminderStatus.SENT
    assert smtp.handler.dropped.wait(10), "the server did not drop the connection"

    assert reminder_send(reminder_id=second.pk) == ReminderStatus.SENT

    assert smtp.handler.connections() == 2
    assert smtp.handler.message_ids() == {
        f"<reminder-{first.pk}@127.0.0.1>": 1,
        f"<reminder-{second.pk}@127.0.0.1>": 1,
    }
    second.refresh_from_db()
    assert (second.status, second.attempts, second.last_error) == (ReminderStatus.SENT, 1, "")
