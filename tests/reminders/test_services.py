"""Sending one reminder: the row's state is the guard, every outcome is recorded on the row and audited."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from checklists.models import Step, StepStatus
from golive.core.models import AuditEvent
from practices.models import Role
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderStatus
from reminders.services import TemporarySendError, reminder_send, reminders_sweep
from reminders.tasks import send_reminder, send_reminders
from tests.reminders.backends import BOUNCE, TEMPORARY, refuse
from tests.reminders.test_due import add_link, sign_off


@pytest.fixture
def window_reminder(world):
    return Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.READ_ONLY_WINDOW,
        for_date=world.migration.read_only_ends_on - datetime.timedelta(days=7),
    )


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.RefusingBackend"
    yield refuse
    refuse(None, 0)


def test_reminder_is_sent_with_html_text_message_id_and_unsubscribe_link(window_reminder, mailoutbox):
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.SENT
    (email,) = mailoutbox
    assert email.to == ["manager@home.example"]
    assert "read-only window ends in 7 days" in email.subject
    assert email.extra_headers["Message-ID"] == f"<reminder-{window_reminder.pk}@127.0.0.1>"
    assert email.extra_headers["List-Unsubscribe"] == "<http://127.0.0.1:8000/my-tasks/reminders/>"
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    checklist = f"http://127.0.0.1:8000/migrations/{window_reminder.migration_id}/checklist/?phase=post_go_live"
    assert checklist in email.body
    assert checklist in html


def test_sent_reminder_is_recorded_and_audited(window_reminder, mailoutbox):
    reminder_send(reminder_id=window_reminder.pk)
    window_reminder.refresh_from_db()
    assert (window_reminder.status, window_reminder.attempts, window_reminder.sent_to) == (
        "sent",
        1,
        "manager@home.example",
    )
    assert window_reminder.message_id == f"<reminder-{window_reminder.pk}@127.0.0.1>"
    assert AuditEvent.objects.filter(action="reminder.sent", migration_id=window_reminder.migration_id).exists()


def test_a_reminder_is_never_sent_twice(window_reminder, mailoutbox):
    reminder_send(reminder_id=window_reminder.pk)
    assert reminder_send(reminder_id=window_reminder.pk) == "not claimed"
    assert len(mailoutbox) == 1


def test_a_reminder_another_worker_is_sending_is_left_alone(window_reminder, mailoutbox):
    Reminder.objects.filter(pk=window_reminder.pk).update(
        status=ReminderStatus.SENDING, claimed_at=datetime.datetime.now(datetime.UTC)
    )
    assert reminder_send(reminder_id=window_reminder.pk) == "not claimed"
    assert not mailoutbox


def test_a_reminder_abandoned_mid_send_is_sent_again(window_reminder, mailoutbox, settings):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(
        seconds=settings.REMINDER_SENDING_STALE_SECONDS + 1
    )
    Reminder.objects.filter(pk=window_reminder.pk).update(status=ReminderStatus.SENDING, claimed_at=long_ago)
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.SENT


def test_temporary_smtp_error_leaves_the_reminder_pending_for_a_retry(window_reminder, mailoutbox, refusing):
    refusing(TEMPORARY)
    with pytest.raises(TemporarySendError):
        reminder_send(reminder_id=window_reminder.pk)
    window_reminder.refresh_from_db()
    assert (window_reminder.status, window_reminder.attempts) == ("pending", 1)
    assert window_reminder.last_error.startswith("451")
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.SENT
    assert len(mailoutbox) == 1


def test_bounced_address_marks_the_reminder_failed_without_retry(window_reminder, mailoutbox, refusing):
    refusing(BOUNCE)
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.FAILED
    window_reminder.refresh_from_db()
    assert window_reminder.last_error.startswith("550")
    assert AuditEvent.objects.filter(action="reminder.failed").exists()
    assert reminder_send(reminder_id=window_reminder.pk) == "not claimed"


def test_reminder_fails_after_the_last_allowed_attempt(window_reminder, mailoutbox, refusing, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    refusing(TEMPORARY, times=2)
    with pytest.raises(TemporarySendError):
        reminder_send(reminder_id=window_reminder.pk)
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.FAILED


def test_connection_refused_is_temporary(window_reminder, refusing):
    refusing(ConnectionRefusedError(111, "Connection refused"))
    with pytest.raises(TemporarySendError):
        reminder_send(reminder_id=window_reminder.pk)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"email": ""}, "The recipient has no email address"),
        ({"is_active": False}, "The recipient's account is deactivated"),
    ],
)
def test_unreachable_recipient_is_skipped_with_the_reason(window_reminder, mailoutbox, world, change, reason):
    type(world.manager).objects.filter(pk=world.manager.pk).update(**change)
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.SKIPPED
    window_reminder.refresh_from_db()
    assert window_reminder.last_error == reason
    assert not mailoutbox


def test_deleted_recipient_is_skipped_with_the_reason(window_reminder, mailoutbox, world):
    world.manager.delete()
    assert reminder_send(reminder_id=window_reminder.pk) == ReminderStatus.SKIPPED
    window_reminder.refresh_from_db()
    assert (window_reminder.recipient, window_reminder.last_error) == (None, "The recipient's account was deleted")


def test_digest_with_nothing_left_to_say_is_skipped(world, mailoutbox):
    world.migration.steps.update(status=StepStatus.DONE)
    digest = Reminder.objects.create(
        recipient=world.staff, kind=Kind.DAILY_DIGEST, for_date=world.migration.go_live_date
    )
    assert reminder_send(reminder_id=digest.pk) == ReminderStatus.SKIPPED
    assert not mailoutbox


def test_daily_digest_lists_overdue_and_due_this_week_steps_and_links_to_my_tasks(world, mailoutbox):
    today = world.migration.go_live_date
    world.migration.steps.update(status=StepStatus.DONE)
    late, soon = world.migration.steps.filter(role=Role.PRACTICE_STAFF)[:2]
    for step, days in ((late, -1), (soon, 3)):
        Step.objects.filter(pk=step.pk).update(status=StepStatus.TODO, due_date=today + datetime.timedelta(days=days))
    digest = Reminder.objects.create(recipient=world.staff, kind=Kind.DAILY_DIGEST, for_date=today)
    reminder_send(reminder_id=digest.pk)
    (email,) = mailoutbox
    assert email.subject == "Your GoLive steps: 1 overdue, 1 step due this week"
    assert late.title in email.body
    assert "http://127.0.0.1:8000/my-tasks/" in email.body
    assert "Riverside Surgery" in email.body


def test_commissioner_weekly_digest_lists_go_lives(world, mailoutbox):
    monday = datetime.date(2027, 2, 22)
    weekly = Reminder.objects.create(recipient=world.commissioner, kind=Kind.COMMISSIONER_WEEKLY, for_date=monday)
    reminder_send(reminder_id=weekly.pk)
    (email,) = mailoutbox
    assert "Riverside Surgery (A12345): 1 March 2027" in email.body
    assert "Castle Street" not in email.body  # another ICB's practice


def test_sign_off_reminder_links_to_the_go_live_page(world, mailoutbox):
    reminder = Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.SIGN_OFF_OPEN,
        for_date=world.migration.go_live_date,
    )
    reminder_send(reminder_id=reminder.pk)
    assert f"/migrations/{world.migration.pk}/go-live/" in mailoutbox[0].body


def test_sign_off_reminder_is_skipped_once_signed_off(world, mailoutbox):
    reminder = Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.SIGN_OFF_OPEN,
        for_date=world.migration.go_live_date,
    )
    sign_off(world.migration, world.manager)
    assert reminder_send(reminder_id=reminder.pk) == ReminderStatus.SKIPPED
    assert not mailoutbox


def test_sweep_run_twice_makes_and_queues_each_reminder_once(world, queued, django_capture_on_commit_callbacks):
    now = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_sweep(now=now)
        second = reminders_sweep(now=now + datetime.timedelta(minutes=1))
    assert first.created == len(first.queued) > 0
    assert (second.created, second.queued) == (0, [])
    assert sorted(queued) == sorted(first.queued)


def test_sweep_queues_again_reminders_nobody_picked_up(world, queued, settings):
    now = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
    first = reminders_sweep(now=now)
    later = now + datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS + 1)
    assert reminders_sweep(now=later).queued == first.queued


def test_sweep_queues_again_reminders_abandoned_mid_send(window_reminder, queued, settings):
    stale = settings.REMINDER_SENDING_STALE_SECONDS
    now = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
    Reminder.objects.filter(pk=window_reminder.pk).update(
        status=ReminderStatus.SENDING, queued_at=now, claimed_at=now - datetime.timedelta(seconds=stale - 1)
    )
    assert window_reminder.pk not in reminders_sweep(now=now).queued
    later = now + datetime.timedelta(seconds=2)
    assert window_reminder.pk in reminders_sweep(now=later).queued


def test_sweep_leaves_reminders_for_the_next_sweep_when_the_broker_is_down(
    world, queued, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("reminders.tasks.send_reminders.apply_async", broker_down)
    now = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_sweep(now=now)
    assert first.queued
    assert reminders_sweep(now=now + datetime.timedelta(minutes=1)).queued == first.queued


def test_send_task_sends_through_the_service(window_reminder, mailoutbox):
    assert send_reminder.apply(args=[window_reminder.pk]).get() == ReminderStatus.SENT
    assert len(mailoutbox) == 1


def test_send_task_does_nothing_when_reminders_are_switched_off(window_reminder, mailoutbox, settings):
    settings.REMINDERS_ENABLED = False
    send_reminder.apply(args=[window_reminder.pk])
    assert not mailoutbox


def test_sweep_command_prints_what_it_queued(world, queued, capsys):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("sweep_reminders")
    out = capsys.readouterr().out
    assert out.startswith(f"{Reminder.objects.count()} new reminders; queued {Reminder.objects.count()} to send")


def test_links_reminder_lists_the_links_not_back_and_links_to_the_link_tracker(world, mailoutbox):
    link = add_link(world.migration, "reconnection_requested")
    reminder = Reminder.objects.create(
        migration=world.migration, recipient=world.manager, kind=Kind.LINKS_OPEN, for_date=world.migration.go_live_date
    )
    reminder_send(reminder_id=reminder.pk)
    (email,) = mailoutbox
    assert email.subject == "Riverside Surgery: 1 third-party link not yet back on and verified"
    assert f"{link.service}: reconnection requested" in email.body
    assert f"http://127.0.0.1:8000/migrations/{world.migration.pk}/links/" in email.body


def test_send_batch_sends_each_reminder_and_hands_a_temporary_failure_to_its_own_retrying_task(
    world, refusing, monkeypatch, mailoutbox
):
    first, second = (
        Reminder.objects.create(
            migration=world.migration,
            recipient=recipient,
            kind=Kind.READ_ONLY_WINDOW,
            for_date=world.migration.go_live_date,
        )
        for recipient in (world.manager, world.staff)
    )
    retried = []
    monkeypatch.setattr(send_reminder, "apply_async", lambda args, **options: retried.extend(args))
    refusing(TEMPORARY, times=1)

    assert send_reminders.apply(args=[[first.pk, second.pk]]).get() == 1

    assert retried == [first.pk]
    first.refresh_from_db()
    assert (first.status, first.attempts) == (ReminderStatus.PENDING, 1)
    assert [email.to for email in mailoutbox] == [[world.staff.email]]
