"""What reminders adds to other apps' pages and to the history page (golive/core/panels.py, audit.py)."""

from golive.core.audit import audit_vocabulary_register
from golive.core.panels import PageLink, Panel, link_register, panel_register

from .models import ReminderStatus
from .selectors import reminders_for_migration

STATUS_TAG_CLASSES = {
    ReminderStatus.PENDING: "nhsuk-tag--grey",
    ReminderStatus.SENDING: "nhsuk-tag--blue",
    ReminderStatus.SENT: "nhsuk-tag--green",
    ReminderStatus.FAILED: "nhsuk-tag--red",
    ReminderStatus.SKIPPED: "nhsuk-tag--white",
}
# The migration page lists the newest reminders only; the outbox admin has the rest.
SHOWN = 20


def migration_reminders_panel(request, migration) -> dict:
    """The reminders sent for a migration, newest first. One query."""
    reminders = list(reminders_for_migration(migration)[:SHOWN])
    for reminder in reminders:
        reminder.status_tag = {"text": reminder.get_status_display(), "classes": STATUS_TAG_CLASSES[reminder.status]}
    return {"reminders": reminders}


def register() -> None:
    panel_register(
        "migration",
        Panel(
            name="reminders",
            order=30,
            template="reminders/_migration_reminders.html",
            context=migration_reminders_panel,
        ),
    )
    link_register(
        "step_returns_to", "reminders", PageLink("reminders:my_tasks", "Back to my tasks", takes_migration=False)
    )
    audit_vocabulary_register(
        actions={"reminder.sent": "Reminder email sent", "reminder.failed": "Reminder email failed"},
        status_choices={"reminder": ReminderStatus},
    )
