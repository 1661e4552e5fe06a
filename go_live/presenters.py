"""Turn the go-live day's records into the parameters of NHS.UK components."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from checklists.presenters import long_date

from .models import CheckResult, IssueSeverity, IssueStatus, ReviewItem

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
