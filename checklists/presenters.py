"""Turn migrations and steps into the parameters of NHS.UK components."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from golive.core.audit import audit_vocabulary

from .models import MigrationStage, Step, StepCompletion, StepRole, StepStatus

STAGE_TAG_CLASSES = {
    MigrationStage.PLANNING: "nhsuk-tag--grey",
    MigrationStage.DATA_CHECKING: "nhsuk-tag--blue",
    MigrationStage.CUTOVER: "nhsuk-tag--orange",
    MigrationStage.GO_LIVE_OVERDUE: "nhsuk-tag--yellow",
    MigrationStage.LIVE: "nhsuk-tag--green",
    MigrationStage.WINDOW_ENDED: "nhsuk-tag--red",
    MigrationStage.FINISHED: "nhsuk-tag--white",
    MigrationStage.WITHDRAWN: "nhsuk-tag--purple",
}


def stage_tag(stage: str) -> dict:
    return {"text": MigrationStage(stage).label, "classes": STAGE_TAG_CLASSES[stage]}


def step_status_tag(step: Step, today: datetime.date) -> dict:
    if step.status == StepStatus.DONE and step.completion == StepCompletion.BEFORE_GOLIVE:
        return {"text": "Done before GoLive", "classes": "nhsuk-tag--aqua-green"}
    if step.status == StepStatus.DONE:
        return {"text": "Done", "classes": "nhsuk-tag--green"}
    if step.status == StepStatus.NOT_APPLICABLE:
        return {"text": "Not applicable", "classes": "nhsuk-tag--grey"}
    if step.due_date < today:
        return {"text": "Overdue", "classes": "nhsuk-tag--red"}
    return {"text": "To do", "classes": "nhsuk-tag--blue"}


def long_date(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else "Not set"


def days_phrase(days: int) -> str:
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def step_who(step: Step, migration) -> str:
    """Who does the step, naming the supplier for supplier steps: "EMIS (old supplier)"."""
    if step.assignee_id:
        return str(step.assignee)
    if step.role == StepRole.OLD_SUPPLIER:
        return f"{migration.old_supplier} (old supplier)"
    if step.role == StepRole.NEW_SUPPLIER:
        return f"{migration.new_supplier} (new supplier)"
    return step.get_role_display()


def step_completion_text(step: Step) -> str:
    """Who closed a done step, in words that claim no more than is known."""
    if step.status != StepStatus.DONE:
        return ""
    if step.completion == StepCompletion.BEFORE_GOLIVE:
        return "Done before the practice started using GoLive. Nobody is named as doing it."
    when = date_format(timezone.localtime(step.completed_at), "j F Y \\a\\t H:i") if step.completed_at else ""
    if step.completion == StepCompletion.WITH_PHASE:
        return f"Marked done with its whole phase by {step.completed_by or 'someone no longer on GoLive'} on {when}"
    if step.completed_by_id:
        return f"{step.completed_by} on {when}"
    return ""


def _in_days(days: int) -> str:
    return "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


def countdown(migration, today: datetime.date) -> str | None:
    """The one countdown that fits the migration's stage, so the stage tag and the countdown never disagree.

    Before go-live it counts to the next key date; the read-only window is counted only once the practice has
    gone live (from the actual go-live). A go-live date passed without a sign-off says so, and counts nothing.
    """
    stage = migration.stage_on(today)
    if stage == MigrationStage.WITHDRAWN:
        return None
    if stage == MigrationStage.FINISHED:
        return f"The migration finished on {long_date(migration.completed_on)}"
    if stage in {MigrationStage.LIVE, MigrationStage.WINDOW_ENDED}:
        return read_only_countdown(migration, today)
    if stage == MigrationStage.GO_LIVE_OVERDUE:
        late = (today - migration.go_live_date).days
        return (
            f"Go-live was due on {long_date(migration.go_live_date)}, {late} day{'s' if late != 1 else ''} ago, "
            "and the go-live data is not signed off. The old system's read-only window starts when the practice "
            "goes live."
        )
    if stage == MigrationStage.CUTOVER:
        days = (migration.go_live_date - today).days
        if days == 0:
            return (
                f"Go-live is today ({long_date(migration.go_live_date)}). The old system's read-only window starts "
                "when the go-live data is signed off."
            )
        return f"Go-live {_in_days(days)} ({long_date(migration.go_live_date)})"
    if stage == MigrationStage.DATA_CHECKING:
        days = (migration.fdp_date - today).days
        return f"Final data production (FDP), when cutover starts, {_in_days(days)} ({long_date(migration.fdp_date)})"
    days = (migration.idp_date - today).days
    return f"Initial data production (IDP) {_in_days(days)} ({long_date(migration.idp_date)})"


def read_only_countdown(migration, today: datetime.date) -> str | None:
    """The read-only window countdown, shown once the practice has gone live (the window runs from then)."""
    if not migration.went_live_on:
        return None
    days_left = (migration.read_only_ends_on - today).days
    if days_left < 0:
        return f"The old system's read-only window ended on {long_date(migration.read_only_ends_on)}"
    if days_left == 0:
        return "The old system's read-only window ends today"
    unit = "day" if days_left == 1 else "days"
    return (
        f"{days_left} {unit} left of the old system's read-only window (ends {long_date(migration.read_only_ends_on)})"
    )


def key_dates_rows(migration) -> list[dict]:
    """Summary-list rows for a migration's key dates."""
    rows = [
        ("Old supplier", str(migration.old_supplier)),
        ("New supplier", str(migration.new_supplier)),
        ("Initial data production (IDP)", long_date(migration.idp_date)),
        ("Final data production (FDP), cutover starts", long_date(migration.fdp_date)),
        ("Go-live", long_date(migration.go_live_date)),
        (
            "Read-only window",
            f"{migration.read_only_window_days} days, ends {long_date(migration.read_only_ends_on)}"
            f" ({migration.get_read_only_window_source_display()})",
        ),
    ]
    if migration.planned_go_live_date != migration.go_live_date:
        rows.append(("Go-live first planned for", long_date(migration.planned_go_live_date)))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def audit_action(action: str) -> str:
    """The audited action in words; an unknown one reads "Thing: did something" rather than a code."""
    words = audit_vocabulary()
    if action in words.actions:
        return words.actions[action]
    subject, _, verb = action.partition(".")
    subject = words.subjects.get(subject) or subject.replace("_", " ").capitalize()
    return f"{subject}: {verb.replace('_', ' ')}" if verb else subject


def _audit_value(action: str, field: str, value):
    if value is None or value == "":
        return None
    words = audit_vocabulary()
    choices = words.status_choices.get(action.partition(".")[0]) if field == "status" else words.choices.get(field)
    if choices is not None and value in choices.values:
        return choices(value).label
    if isinstance(value, str):
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    return value


def audit_changes(event) -> list[dict]:
    """One row per changed field of an audit event, with readable field names, dates and choices."""
    before = event.before or {}
    return [
        {
            "field": audit_vocabulary().fields.get(key, key.replace("_", " ").capitalize()),
            "before": _audit_value(event.action, key, before.get(key)) if key in before else None,
            "after": _audit_value(event.action, key, value),
        }
        for key, value in (event.after or {}).items()
    ]


def withdrawal_rows(migration) -> dict | None:
    """The summary list shown on a withdrawn migration: when, by whom and why (None while it is not withdrawn)."""
    if not migration.is_withdrawn:
        return None
    rows = [
        ("Withdrawn", date_format(timezone.localtime(migration.withdrawn_at), "j F Y \\a\\t H:i")),
        ("By", str(migration.withdrawn_by) if migration.withdrawn_by_id else "GoLive (automatic)"),
        ("Reason", migration.withdrawal_reason),
    ]
    return {"rows": [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]}


def withdrawal_refusal(migration) -> str:
    """Why the migration cannot be withdrawn, or "" when it can."""
    if migration.is_withdrawn:
        return f"This migration was withdrawn on {date_format(timezone.localtime(migration.withdrawn_at), 'j F Y')}."
    if migration.completed_on:
        return "This migration is finished, so it cannot be withdrawn."
    return ""


def _migration_summary(migration) -> str:
    return f"{migration.old_supplier} to {migration.new_supplier}, go-live {long_date(migration.go_live_date)}"


def open_migration_error(existing) -> str:
    """The create form's error when the practice already has an open migration."""
    return (
        f"{existing.practice.name} already has an open migration ({_migration_summary(existing)}). "
        "Withdraw it before creating another"
    )


def open_migration_inset(existing) -> dict:
    """Inset text linking to the practice's open migration, shown under the error."""
    return {
        "html": format_html(
            '<p>{} already has a migration in progress: <a href="{}">{} ({})</a>.</p>'
            "<p>A practice has one open migration at a time. If that one was made by mistake or has been "
            "abandoned, withdraw it from its page first.</p>",
            existing.practice.name,
            reverse("checklists:migration", args=[existing.pk]),
            existing.practice.name,
            _migration_summary(existing),
        )
    }


def created_message(migration) -> str:
    total = migration.steps.count()
    before = migration.steps.filter(completion=StepCompletion.BEFORE_GOLIVE).count()
    message = f"Migration created with {total} checklist steps"
    if before:
        message += f"; {before} recorded as done before GoLive"
    return message


def record_steps_inset(steps) -> dict | None:
    """Inset text naming the phase's open sign-off steps, which closing the phase leaves open."""
    names = [f"{step.code} {step.title}" for step in steps]
    if not names:
        return None
    return {"text": f"Left open, because only its sign-off record completes it: {'; '.join(names)}."}
