"""Turn migrations and steps into the parameters of NHS.UK components."""

import datetime

from django.utils.formats import date_format

from .models import LinkStatus, MigrationStage, Step, StepStatus

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


def audit_changes(event) -> list[dict]:
    """One row per changed field of an audit event, with readable field names."""
    before = event.before or {}
    return [
        {"field": key.replace("_", " ").capitalize(), "before": before.get(key), "after": value}
        for key, value in (event.after or {}).items()
    ]


LINK_TAG_CLASSES = {
    LinkStatus.IN_USE: "nhsuk-tag--grey",
    LinkStatus.SUPPLIER_TOLD: "nhsuk-tag--blue",
    LinkStatus.SWITCHED_OFF: "nhsuk-tag--orange",
    LinkStatus.RECONNECTION_REQUESTED: "nhsuk-tag--yellow",
    LinkStatus.RECONNECTED: "nhsuk-tag--aqua-green",
    LinkStatus.VERIFIED: "nhsuk-tag--green",
    LinkStatus.NOT_NEEDED: "nhsuk-tag--white",
}


def link_status_tag(link) -> dict:
    return {"text": link.get_status_display(), "classes": LINK_TAG_CLASSES[link.status]}


def link_due_text(row) -> str:
    """'Switch off by 26 February 2027', or what is left when nothing is due."""
    if row.next_status is None:
        return "Nothing due"
    return f"{LinkStatus(row.next_status).label} by {long_date(row.next_due)}"


def link_summary_rows(link, due_dates: dict) -> list[dict]:
    """Summary-list rows for a link: each stage's date (or when it is due), and who checked it works."""

    def stage(done_on, status):
        return long_date(done_on) if done_on else f"Due by {long_date(due_dates[status])}"

    service = link.service
    rows = [
        ("Category", service.get_category_display()),
        ("Company", service.company or "Not recorded"),
        ("Support contact", service.support_contact or "Not recorded"),
        ("Notice needed", f"{service.notice_working_days} working days before switch-off"),
    ]
    if link.status == LinkStatus.NOT_NEEDED:
        rows.append(("Not needed because", link.not_needed_reason))
    else:
        rows += [
            ("Supplier told", stage(link.told_on, LinkStatus.SUPPLIER_TOLD)),
            ("Switched off", stage(link.switched_off_on, LinkStatus.SWITCHED_OFF)),
            ("Reconnection requested", stage(link.reconnection_requested_on, LinkStatus.RECONNECTION_REQUESTED)),
        ]
        if link.reconnection_contact or link.reconnection_reference:
            contact = ", ".join(part for part in (link.reconnection_contact, link.reconnection_reference) if part)
            rows.append(("Contact and reference", contact))
        rows += [
            ("Reconnected", stage(link.reconnected_on, LinkStatus.RECONNECTED)),
            ("Checked working by the practice", stage(link.verified_on, LinkStatus.VERIFIED)),
        ]
        if link.verified_by:
            rows.append(("Checked by", str(link.verified_by)))
    rows.append(
        ("Reconfiguration", (link.reconfiguration_note or "Needed") if link.reconfiguration_needed else "Not needed")
    )
    if service.notes:
        rows.append(("Notes", service.notes))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]
