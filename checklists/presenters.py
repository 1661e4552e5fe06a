"""Turn migrations and steps into the parameters of NHS.UK components."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from reminders.models import ReminderStatus

from .models import (
    CheckArea,
    CheckResult,
    CheckRound,
    IssueSeverity,
    IssueStatus,
    LinkStatus,
    MigrationStage,
    ReviewItem,
    Step,
    StepStatus,
    WindowSource,
)

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


# What each audited action means, in the words of the pages where it happens.
AUDIT_ACTIONS = {
    "migration.created": "Migration created",
    "migration.key_dates_changed": "Key dates changed",
    "migration.went_live": "Went live",
    "step.updated": "Checklist step changed",
    "data_check.recorded": "Data check recorded",
    "issue.raised": "Issue raised",
    "issue.updated": "Issue changed",
    "issue.resolved": "Issue resolved",
    "issue.reopened": "Issue reopened",
    "go_live.signed_off": "Go-live data signed off",
    "go_live.supplier_told": "New supplier told of the sign-off",
    "process_review.references_changed": "Supplier's references changed",
    "third_party_links.created": "Services added to the link tracker",
    "third_party_service.created": "Local service added",
    "third_party_link.moved_back": "Third-party link moved back a stage",
    "third_party_link.reconfiguration": "Third-party link reconfiguration changed",
    "mesh_change.saved": "MESH mailboxes recorded",
    "mesh_partner.added": "MESH partner added",
    "mesh_partner.told": "MESH partner told",
    "cutover_registrations.updated": "Registrations from cutover updated",
    "reminder.sent": "Reminder email sent",
    "reminder.failed": "Reminder email failed",
}
AUDIT_FIELDS = {
    "idp_date": "Initial data production (IDP)",
    "fdp_date": "Final data production (FDP)",
    "go_live_date": "Go-live",
    "read_only_ends_on": "Read-only window ends",
    "read_only_window_days": "Read-only window (days)",
    "read_only_window_source": "Read-only window agreed by",
    "steps_moved": "Due dates moved",
}
# Stored choice values shown with their labels. "status" depends on what changed.
AUDIT_CHOICES = {
    "read_only_window_source": WindowSource,
    "area": CheckArea,
    "round": CheckRound,
    "result": CheckResult,
    "severity": IssueSeverity,
}
AUDIT_STATUS_CHOICES = {
    "step": StepStatus,
    "issue": IssueStatus,
    "third_party_link": LinkStatus,
    "reminder": ReminderStatus,
}


def links_progress_phrase(counts: dict[str, int]) -> str:
    """Where the tracked links are: before cutover, most are still in use, not waiting to be reconnected."""
    if not counts["to_switch_off"]:
        parts = [
            f"{counts['to_reconnect']} of {counts['total']} still to reconnect",
            f"{counts['to_verify']} reconnected but not yet checked working",
        ]
    else:
        parts = [f"{counts['to_switch_off']} of {counts['total']} still to switch off for cutover"]
        if switched_off := counts["to_reconnect"] - counts["to_switch_off"]:
            parts.append(f"{switched_off} switched off and still to reconnect")
        if counts["to_verify"]:
            parts.append(f"{counts['to_verify']} reconnected but not yet checked working")
    if counts["verified"]:
        parts.append(f"{counts['verified']} checked working")
    return ", ".join(parts) + "."


def audit_action(action: str) -> str:
    """The audited action in words; an unknown one reads "Thing: did something" rather than a code."""
    if action in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[action]
    subject, _, verb = action.partition(".")
    subject = "Third-party link" if subject == "third_party_link" else subject.replace("_", " ").capitalize()
    return f"{subject}: {verb.replace('_', ' ')}" if verb else subject


def _audit_value(action: str, field: str, value):
    if value is None or value == "":
        return None
    choices = AUDIT_STATUS_CHOICES.get(action.partition(".")[0]) if field == "status" else AUDIT_CHOICES.get(field)
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
            "field": AUDIT_FIELDS.get(key, key.replace("_", " ").capitalize()),
            "before": _audit_value(event.action, key, before.get(key)) if key in before else None,
            "after": _audit_value(event.action, key, value),
        }
        for key, value in (event.after or {}).items()
    ]


CHECK_RESULT_CLASSES = {
    CheckResult.PASSED: "nhsuk-tag--green",
    CheckResult.PASSED_WITH_ISSUES: "nhsuk-tag--yellow",
    CheckResult.FAILED: "nhsuk-tag--red",
}
SEVERITY_CLASSES = {
    IssueSeverity.CRITICAL: "nhsuk-tag--red",
    IssueSeverity.HIGH: "nhsuk-tag--orange",
    IssueSeverity.MEDIUM: "nhsuk-tag--yellow",
    IssueSeverity.LOW: "nhsuk-tag--grey",
}


def check_result_tag(check) -> dict:
    """The result of a data check, or "Not checked" when there is none."""
    if check is None:
        return {"text": "Not checked", "classes": "nhsuk-tag--grey"}
    return {"text": CheckResult(check.result).label, "classes": CHECK_RESULT_CLASSES[check.result]}


def severity_tag(severity: str) -> dict:
    return {"text": IssueSeverity(severity).label, "classes": SEVERITY_CLASSES[severity]}


def issue_status_tag(status: str) -> dict:
    if status == IssueStatus.RESOLVED:
        return {"text": "Resolved", "classes": "nhsuk-tag--green"}
    return {"text": "Open", "classes": "nhsuk-tag--blue"}


def timestamp(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def sign_off_rows(sign_off) -> list[dict]:
    """Summary-list rows for one go-live sign-off and its supplier confirmation."""
    rows = [
        ("Signed by", f"{sign_off.signed_by_name} ({sign_off.get_role_display()})"),
        ("Signed", timestamp(sign_off.signed_at)),
        ("Statement version", sign_off.statement_version),
    ]
    if sign_off.supersedes_id:
        rows.append(("Corrects an earlier sign-off because", sign_off.supersede_reason))
    confirmation = getattr(sign_off, "supplier_confirmation", None)
    if confirmation:
        told = f"{long_date(confirmation.told_on)}, {confirmation.contact}"
        rows.append(
            ("New supplier told", told + (f" (reference {confirmation.reference})" if confirmation.reference else ""))
        )
    else:
        rows.append(("New supplier told", "Not recorded yet"))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def open_issues_phrase(counts: dict[str, int]) -> str:
    """ "3 open issues: 1 critical, 2 low" or "No open issues"."""
    total = sum(counts.values())
    if not total:
        return "No open issues"
    parts = [f"{n} {IssueSeverity(severity).label.lower()}" for severity, n in counts.items() if n]
    return f"{total} open issue{'s' if total != 1 else ''}: {', '.join(parts)}"


def check_phrase(check) -> str:
    return (
        f"{CheckResult(check.result).label}: {check.problems_found} problems in {check.records_checked} records, "
        f"{check.get_round_display()} round, {long_date(check.checked_on)}"
    )


def process_review_rows(*, migration, facts: dict, references: dict, today: datetime.date) -> list[dict]:
    """One row per item the supplier reports on: what GoLive knows, and the supplier's reference."""
    known = {
        ReviewItem.MAPPING_TABLES: (
            f"Local code remapping: {check_phrase(facts['local_codes'])}"
            if facts["local_codes"]
            else "No local code remapping check recorded"
        ),
        ReviewItem.DATA_MIGRATION: _data_migration_text(facts),
        ReviewItem.DATA_EXTRACT: _data_extract_text(migration, today),
        ReviewItem.SAFETY_CASE: facts["safety_case"],
        ReviewItem.ISSUE_LOG: (
            f"{facts['issues_total']} issue{'s' if facts['issues_total'] != 1 else ''} raised, "
            f"{facts['issues_resolved']} resolved. " + open_issues_phrase(facts["open_issues"])
        ),
        ReviewItem.CUTOVER_TIMESCALE: cutover_timescale_text(migration),
    }
    return [
        {
            "item": item.value,
            "label": item.label,
            "known": known[item],
            "reference": references[item].reference if item in references else "",
        }
        for item in ReviewItem
    ]


def _data_extract_text(migration, today: datetime.date) -> str:
    """When the extracts were (or are planned to be) taken: a date still to come is not written in the past."""
    initial = (
        f"Initial extract loaded {long_date(migration.idp_date)}"
        if migration.idp_date <= today
        else f"Initial extract planned for {long_date(migration.idp_date)}"
    )
    final = (
        f"final extract taken {long_date(migration.fdp_date)}"
        if migration.fdp_date <= today
        else f"final extract planned for {long_date(migration.fdp_date)}"
    )
    return f"{initial}; {final}. The supplier holds the document."


def _data_migration_text(facts: dict) -> str:
    counts = facts["check_counts"]
    checks = (
        f"{counts['total']} data checks recorded: {counts['passed']} passed, "
        f"{counts['passed_with_issues']} passed with issues, {counts['failed']} failed."
    )
    sign_off = facts["sign_off"]
    if sign_off:
        signed_on = long_date(timezone.localtime(sign_off.signed_at).date())
        signed = f" Go-live data signed off by {sign_off.signed_by_name} on {signed_on}."
    else:
        signed = " Go-live data not signed off yet."
    return checks + signed


def cutover_timescale_text(migration) -> str:
    """FDP to go-live in days, with slippage from the first planned go-live date."""
    go_live = migration.went_live_on or migration.go_live_date
    days = (go_live - migration.fdp_date).days
    text = f"FDP {long_date(migration.fdp_date)} to go-live {long_date(go_live)}: {days} day{'s' if days != 1 else ''}"
    if not migration.went_live_on:
        text += " (planned)"
    slipped = (go_live - migration.planned_go_live_date).days
    if slipped:
        text += f". Go-live moved {abs(slipped)} days {'later' if slipped > 0 else 'earlier'} than first planned"
    return text


def blockers_callout(blockers: list[str]) -> dict | None:
    """A warning callout naming everything that stops the go-live sign-off, or None if nothing does."""
    if not blockers:
        return None
    items = format_html_join("", "<li>{}</li>", ((reason,) for reason in blockers))
    return {"heading": "The go-live data cannot be signed off yet", "html": format_html("<ul>{}</ul>", items)}


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
