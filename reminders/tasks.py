"""Thin Celery tasks: take ids, call a service. Timing lives in the database, never in ETA tasks."""

import logging

from celery import shared_task
from django.conf import settings

from . import services

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
