"""Writes for reminders: the sweep that fills the outbox, sending one reminder, and people's preferences."""

import datetime
import logging
import smtplib
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.constants import OnConflict
from django.dispatch import receiver
from django.utils import timezone

from golive.core.audit import audit_record

from . import emails, selectors
from .kinds import OPTIONAL_KINDS, RULES
from .models import Reminder, ReminderOptOut, ReminderStatus

logger = logging.getLogger(__name__)


class TemporarySendError(Exception):
    """The SMTP server said try later (4xx), or could not be reached: the send task retries."""


@dataclass
class SweepResult:
    created: int  # rows queued for the first time: new today, or never published
    queued: list[int]


def _seconds(name: str) -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, name))


def reminders_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Insert the reminders due today and queue a send for each new or stuck one, after commit.

    Safe to run any number of times at once: the unique constraints refuse duplicate rows, and each
    row is queued by one sweep only (row locks, skipped by the others).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # Nobody wants a reminder at 1 a.m.: rows for a day are only made from the configured local hour.
        if timezone.localtime(now).hour >= settings.REMINDER_SEND_FROM_HOUR:
            _insert_due(today, now)
        waiting = Q(status=ReminderStatus.PENDING) & (
            Q(queued_at__isnull=True) | Q(queued_at__lt=now - _seconds("REMINDER_REQUEUE_AFTER_SECONDS"))
        )
        # A worker that died mid-send leaves its row in "sending": send it again (a duplicate is possible).
        abandoned = Q(status=ReminderStatus.SENDING, claimed_at__lt=now - _seconds("REMINDER_SENDING_STALE_SECONDS"))
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(waiting | abandoned)
            .order_by("pk")
            .values_list("pk", "queued_at")
        )
        queued = [pk for pk, _ in rows]
        Reminder.objects.filter(pk__in=queued).update(queued_at=now)
        transaction.on_commit(lambda: _queue_sends(queued))
    # Rows are locked by one sweep only, so counting never-queued rows here is exact even when sweeps overlap.
    return SweepResult(created=sum(1 for _, queued_at in rows if queued_at is None), queued=queued)


def _insert_due(today: datetime.date, now: datetime.datetime) -> None:
    """Insert the day's reminders in the database, one INSERT … SELECT per kind, skipping rows already there.

    The rows never travel to Python and back (10,000 migrations make ~7,000 rows). The unique constraints stay
    the guard: ON CONFLICT DO NOTHING on PostgreSQL (INSERT OR IGNORE on SQLite), as bulk_create(
    ignore_conflicts=True) does, so overlapping sweeps insert each reminder once.
    """
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Reminder._meta.get_field(name).column)
        for name in ("migration", "recipient", "kind", "for_date", "status", "attempts", "last_error")
        + ("sent_to", "message_id", "created_at")
    )
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    with connection.cursor() as cursor:
        for kind, rows in selectors.reminders_due_rows(today):
            try:
                select, params = rows.order_by().query.sql_with_params()
            except EmptyResultSet:  # nobody can be due (e.g. the commissioners' digest on another weekday)
                continue
            migration = "due.m" if "m" in rows.query.annotations else "NULL"
            cursor.execute(
                f"{insert} {table} ({columns}) SELECT {migration}, due.u, %s, %s, %s, 0, '', '', '', %s "  # noqa: S608
                f"FROM ({select}) due WHERE due.u IS NOT NULL {suffix}",
                [kind, today, ReminderStatus.PENDING, now, *params],
            )


def _queue_sends(reminder_ids: list[int]) -> None:
    """Publish the sends in batches of REMINDER_SEND_BATCH over one broker connection (one message per reminder
    cost the sweep seconds at national scale); if the broker is down, the next sweep queues what is left."""
    from .tasks import send_reminders as send_reminders_task

    size = settings.REMINDER_SEND_BATCH
    published = 0
    try:
        with send_reminders_task.app.producer_or_acquire() as producer:
            for start in range(0, len(reminder_ids), size):
                batch = reminder_ids[start : start + size]
                send_reminders_task.apply_async(
                    args=[batch], producer=producer, retry_policy={"max_retries": 2, "interval_start": 0.5}
                )
                published += len(batch)
    except Exception:
        logger.exception("Could not queue reminders; the next sweep will queue them")
        Reminder.objects.filter(pk__in=reminder_ids[published:]).update(queued_at=None)


def _claim(reminder_id: int, now: datetime.datetime) -> bool:
    """Move the row to "sending" if nobody else holds it: the state on the row is what stops a double send."""
    abandoned_before = now - _seconds("REMINDER_SENDING_STALE_SECONDS")
    return bool(
        Reminder.objects.filter(pk=reminder_id)
        .filter(Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.SENDING, claimed_at__lt=abandoned_before))
        .update(status=ReminderStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )


def _finish(reminder: Reminder, status: str, error: str = "", **fields) -> None:
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(status=status, last_error=error[:2000], **fields)
        audit_record(
            actor=None,
            action=f"reminder.{status}",
            obj=reminder,
            after={"status": status, "kind": reminder.kind, "for_date": reminder.for_date.isoformat(), **_json(fields)},
            reason=error,
            practice_id=reminder.migration.practice_id if reminder.migration else None,
            migration_id=reminder.migration_id,
        )


def _json(fields: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in fields.items()}


def _why_not_send(reminder: Reminder) -> str:
    if reminder.migration is not None and reminder.migration.is_withdrawn:
        # Queued before the withdrawal: a withdrawn migration sends nothing more.
        return "The migration was withdrawn"
    user = reminder.recipient
    if user is None:
        return "The recipient's account was deleted"
    if not user.is_active:
        return "The recipient's account is deactivated"
    if not user.email:
        return "The recipient has no email address"
    if not RULES[reminder.kind].mandatory and user.reminder_opt_outs.filter(kind=reminder.kind).exists():
        return "The recipient switched this kind of reminder off"
    return ""


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return max(code for code, _ in error.recipients.values())
    return None


# One SMTP connection per worker process (per thread, for thread pools), opened on first use and kept: a
# connection, EHLO, STARTTLS and AUTH for every email cost more than the email. Each reminder is still its own
# message; the claim on the row, not the connection, is what stops a double send.
_mail = threading.local()


def _mail_connection():
    """This process's open email backend, re-opened when the SMTP server has dropped the kept connection.

    A kept connection is checked with NOOP before each send (one round trip), so a connection the server closed
    while idle is replaced before the message goes, not found broken halfway through sending it.
    Raises smtplib.SMTPException or OSError when no connection can be opened.
    """
    backend = getattr(_mail, "backend", None)
    if backend is not None and not _still_open(backend):
        mail_connection_close()
        backend = None
    if backend is None:
        backend = get_connection(fail_silently=False)
        backend.open()
        _mail.backend = backend
    return backend


def _still_open(backend) -> bool:
    if not isinstance(backend, SMTPBackend):
        return True  # console, locmem and test backends hold no connection to lose
    if backend.connection is None:
        return False
    try:
        return backend.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def mail_connection_close() -> None:
    """Close this process's kept SMTP connection, if any (worker shutdown, a failed send, changed settings)."""
    backend = getattr(_mail, "backend", None)
    _mail.backend = None
    if backend is not None:
        try:
            backend.close()
        except (smtplib.SMTPException, OSError):  # already gone: nothing to close
            logger.debug("SMTP connection was already closed")


@receiver(setting_changed)
def _email_settings_changed(*, setting, **kwargs):
    if setting.startswith("EMAIL_"):
        mail_connection_close()


def reminder_send(*, reminder_id: int, now: datetime.datetime | None = None) -> str:
    """Send one reminder at most once at a time; returns its status afterwards.

    Raises TemporarySendError on a 4xx answer or a connection problem, with the row back in "pending".
    """
    now = now or timezone.now()
    if not _claim(reminder_id, now):
        return "not claimed"
    reminder = Reminder.objects.select_related("migration__practice", "recipient").get(pk=reminder_id)
    reason = _why_not_send(reminder)
    email = None if reason else emails.compose(reminder)
    if not reason and email is None:
        reason = "Nothing to remind about any more"
    if reason:
        _finish(reminder, ReminderStatus.SKIPPED, reason)
        return ReminderStatus.SKIPPED
    message = emails.build_message(reminder, email, reminder.recipient.email)
    try:
        _mail_connection().send_messages([message])
    except (smtplib.SMTPException, OSError) as error:  # timeouts and refused connections are OSErrors
        mail_connection_close()  # its state is unknown after an error: the next send opens a fresh one
        code = _smtp_code(error)
        detail = f"{code} {error}" if code else f"{type(error).__name__}: {error}"
        permanent = code is not None and code >= 500
        if permanent or reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(reminder, ReminderStatus.FAILED, detail)
            return ReminderStatus.FAILED
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.PENDING, last_error=detail[:2000])
        raise TemporarySendError(detail) from error
    _finish(
        reminder,
        ReminderStatus.SENT,
        sent_at=timezone.now(),
        sent_to=reminder.recipient.email,
        message_id=message.extra_headers["Message-ID"],
    )
    return ReminderStatus.SENT


def reminder_preferences_update(
    *, user, actor, kinds_wanted: list[str], kinds_offered: list[str] | None = None
) -> None:
    """Record which optional reminders a person receives. Only they (or an admin) may change it.

    `kinds_offered`: the kinds the person was asked about (default: every optional kind). Choices about
    kinds not offered, such as those for a role the person does not hold, are left as they were.
    """
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied("People choose their own reminders.")
    offered = set(OPTIONAL_KINDS if kinds_offered is None else kinds_offered) & set(OPTIONAL_KINDS)
    wanted = set(kinds_wanted) & offered
    with transaction.atomic():
        before = sorted(user.reminder_opt_outs.values_list("kind", flat=True))
        after = sorted((set(before) - offered) | (offered - wanted))
        user.reminder_opt_outs.exclude(kind__in=after).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=kind) for kind in after], ignore_conflicts=True
        )
        audit_record(
            actor=actor,
            action="reminder.preferences_changed",
            obj=user,
            before={"switched_off": before},
            after={"switched_off": after},
        )
