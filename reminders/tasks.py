"""Thin Celery tasks: take ids, call a service. Timing lives in the database, never in ETA tasks."""

import logging

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from . import services
from .models import ReminderStatus

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep")
def sweep_reminders() -> int:
    """Beat runs this hourly: insert the reminders now due and queue their sends."""
    if not settings.REMINDERS_ENABLED:
        return 0
    result = services.reminders_sweep()
    logger.info("Reminder sweep: %s new, %s queued", result.created, len(result.queued))
    return len(result.queued)


@shared_task(
    bind=True,
    name="reminders.send",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def send_reminder(self, reminder_id: int) -> str:
    """Send one reminder. Temporary SMTP trouble retries with back-off; after that the sweep re-queues it."""
    if not settings.REMINDERS_ENABLED:
        return "reminders are switched off"
    try:
        return services.reminder_send(reminder_id=reminder_id)
    except services.TemporarySendError as error:
        if self.request.retries >= self.max_retries:
            logger.warning("Reminder %s still failing (%s); the next sweep will queue it again", reminder_id, error)
            return "left for the next sweep"
        # Short back-off, far below the broker's visibility timeout, so a waiting retry is never redelivered.
        countdown = min(settings.REMINDER_RETRY_BASE_SECONDS * 2**self.request.retries, 300)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="reminders.send_batch", acks_late=True, reject_on_worker_lost=True)
def send_reminders(reminder_ids: list[int]) -> int:
    """Send a batch the sweep queued, in turn, each reminder its own email; returns how many were sent.

    One batch task per ~20 reminders, not one task each: publishing 7,000 messages took the sweep seconds.
    A reminder that meets temporary SMTP trouble moves to its own send_reminder task, which retries it with
    back-off, so the rest of the batch is not held up. The claim on each row still stops a double send.
    """
    if not settings.REMINDERS_ENABLED:
        return 0
    sent = 0
    for reminder_id in reminder_ids:
        try:
            sent += services.reminder_send(reminder_id=reminder_id) == ReminderStatus.SENT
        except services.TemporarySendError:
            try:
                send_reminder.apply_async(args=[reminder_id], countdown=settings.REMINDER_RETRY_BASE_SECONDS)
            except Exception:
                # The row is pending with its queued time set: the sweep queues it again later.
                logger.exception("Could not queue a retry for reminder %s", reminder_id)
    return sent


@worker_process_shutdown.connect
def _close_mail_connection(**kwargs):
    """Say QUIT to the SMTP server on the way out rather than dropping the kept connection."""
    services.mail_connection_close()
