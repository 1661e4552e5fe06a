"""Turn migrations and steps into the parameters of NHS.UK components."""

import datetime

from django.utils.formats import date_format

from golive.core.audit import audit_vocabulary

from .models import MigrationStage, Step, StepStatus

STAGE_TAG_CLASSES = {
    MigrationStage.PLANNING: "nhsuk-tag--grey",
    MigrationStage.DATA_CHECKING: "nhsuk-tag--blue",
    MigrationStage.CUTOVER: "nhsuk-tag--orange",
    MigrationStage.LIVE: "nhsuk-tag--green",
    MigrationStage.WINDOW_ENDED: "nhsuk-tag--red",
    MigrationStage.FINISHED: "nhsuk-tag--white",
}


def stage_tag(stage: str) -> dict:
    return {"text": MigrationStage(stage).label, "classes": STAGE_TAG_CLASSES[stage]}


def step_status_tag(step: Step, today: datetime.date) -> dict:
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


def read_only_countdown(migration, today: datetime.date) -> str | None:
    """The read-only window countdown, shown from go-live on."""
    if not migration.went_live_on and today < migration.go_live_date:
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
