"""`{% migration_reminders migration %}`: the reminders sent for a migration, for its page."""

from django import template

from ..models import ReminderStatus
from ..selectors import reminders_for_migration

register = template.Library()

STATUS_TAG_CLASSES = {
    ReminderStatus.PENDING: "nhsuk-tag--grey",
    ReminderStatus.SENDING: "nhsuk-tag--blue",
    ReminderStatus.SENT: "nhsuk-tag--green",
    ReminderStatus.FAILED: "nhsuk-tag--red",
    ReminderStatus.SKIPPED: "nhsuk-tag--white",
}

SHOWN = 20


@register.inclusion_tag("reminders/_reminders_table.html")
def migration_reminders(migration):
    reminders = list(reminders_for_migration(migration)[:SHOWN])
    for reminder in reminders:
        reminder.status_tag = {"text": reminder.get_status_display(), "classes": STATUS_TAG_CLASSES[reminder.status]}
    return {"reminders": reminders}
