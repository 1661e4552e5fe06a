"""Reads for the go-live day: readiness, sign-offs, data checks, issue log, process review."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from checklists.models import Migration, Phase, Step, StepStatus
from golive.core.panels import facts_for

from .models import (
    SEVERITY_ORDER,
    CheckArea,
    CheckResult,
    CheckRound,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueSeverity,
    IssueStatus,
    ProcessReviewReference,
)

SIGN_OFF_STEP_CODE = "GL-02"
# The facts other apps offer the go-live readiness summary (golive/core/panels.py).
READINESS_FACTS = "go_live_readiness"
# The re-checks the guide asks for before the go-live data is signed off (DOMAIN.md §3.6). Degraded codes
# are fixed over weeks after go-live, so they are checked then, not required now.
GO_LIVE_REQUIRED_AREAS = [area for area in CheckArea if area != CheckArea.DEGRADED_CODES]
GO_LIVE_ROUNDS = [CheckRound.FDP, CheckRound.GO_LIVE]


def data_checks_for_migration(migration: Migration) -> QuerySet[DataCheck]:
    return migration.data_checks.select_related("checked_by").order_by("-checked_on", "-created_at", "-pk")


def failed_latest_checks() -> QuerySet[DataCheck]:
    """Checks that failed and are still the latest check of their area (any round): a re-check is a new row, and
    only a later check of the same area (a later date, or a later row on the same day) clears a failure.
    Filter it by migration, or correlate it with OuterRef("pk") on migrations."""
    later = DataCheck.objects.filter(migration=OuterRef("migration"), area=OuterRef("area")).filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
    )
    return DataCheck.objects.filter(result=CheckResult.FAILED).filter(~Exists(later))


def failed_latest_checks_of(migration_ids) -> dict[int, list[DataCheck]]:
    """The failing latest checks of each migration, by migration id, areas in the guide's order. One query."""
    found: dict[int, list[DataCheck]] = {}
    order = {area: index for index, area in enumerate(CheckArea.values)}
    for check in failed_latest_checks().filter(migration_id__in=migration_ids):
        found.setdefault(check.migration_id, []).append(check)
    return {key: sorted(checks, key=lambda check: order[check.area]) for key, checks in found.items()}


def latest_go_live_checks(migration: Migration) -> dict[str, DataCheck]:
    """The most recent cutover or go-live re-check of each area: the result that counts for sign-off."""
    latest: dict[str, DataCheck] = {}
    for check in data_checks_for_migration(migration).filter(round__in=GO_LIVE_ROUNDS):
        latest.setdefault(check.area, check)
    return latest


def sign_off_blocking_steps(migration: Migration) -> QuerySet[Step]:
    """Critical cutover and go-live steps still to do that the guide puts before the sign-off (GL-02)."""
    steps = migration.steps.filter(
        critical=True, status=StepStatus.TODO, phase__in=[Phase.CUTOVER, Phase.GO_LIVE]
    ).exclude(code=SIGN_OFF_STEP_CODE)
    # A checklist without GL-02 (a custom template): every critical cutover and go-live step blocks.
    sign_off_order = Coalesce(
        Subquery(migration.steps.filter(code=SIGN_OFF_STEP_CODE).values("order")[:1]), Value(2**31 - 1)
    )
    return steps.filter(order__lt=sign_off_order).order_by("order")


def open_issue_counts(migration: Migration) -> dict[str, int]:
    """Open issues per severity, most severe first, in one query."""
    rows = migration.issues.filter(status=IssueStatus.OPEN).values("severity").annotate(n=Count("pk")).order_by()
    found = {row["severity"]: row["n"] for row in rows}
    return {severity: found.get(severity, 0) for severity in IssueSeverity.values}


def current_go_live_sign_off(migration: Migration) -> GoLiveSignOff | None:
    """The sign-off no later one supersedes: the highest sequence."""
    return (
        migration.go_live_sign_offs.select_related("signed_by", "supplier_confirmation__recorded_by")
        .order_by("-sequence")
        .first()
    )


def go_live_sign_off_history(migration: Migration) -> QuerySet[GoLiveSignOff]:
    return migration.go_live_sign_offs.select_related("signed_by").order_by("-sequence")


@dataclass
class GoLiveReadiness:
    """What a practice manager reads before signing off the go-live data, and what blocks the sign-off."""

    checks: list[tuple[str, DataCheck | None]]
    blocking_steps: list[Step]
    open_issues: dict[str, int]
    third_party_links: object
    sign_off: GoLiveSignOff | None

    @property
    def failed_checks(self) -> list[DataCheck]:
        return [check for _, check in self.checks if check and check.result == CheckResult.FAILED]

    @property
    def blockers(self) -> list[str]:
        """Each reason the sign-off cannot be made yet, in words the page shows."""
        reasons = [f"Critical step still open: {step.code} {step.title}" for step in self.blocking_steps]
        reasons += [
            f"Data check failed: {check.get_area_display()} ({check.get_round_display()} round, "
            f"{check.problems_found} problems in {check.records_checked} records)"
            for check in self.failed_checks
        ]
        return reasons

    @property
    def open_issue_total(self) -> int:
        return sum(self.open_issues.values())

    def snapshot(self) -> dict:
        """The summary stored with a sign-off: what was true when it was signed."""
        return {
            "checks": {
                area: {
                    "result": check.result,
                    "records_checked": check.records_checked,
                    "problems_found": check.problems_found,
                    "checked_on": check.checked_on.isoformat(),
                }
                if check
                else None
                for area, check in self.checks
            },
            "critical_steps_open": [step.code for step in self.blocking_steps],
            "open_issues": self.open_issues,
            "third_party_links_outstanding": self.third_party_links,
        }


def go_live_readiness(migration: Migration) -> GoLiveReadiness:
    """Five queries, however many checks, steps and issues the migration has."""
    latest = latest_go_live_checks(migration)
    return GoLiveReadiness(
        checks=[(area, latest.get(area)) for area in GO_LIVE_REQUIRED_AREAS],
        blocking_steps=list(sign_off_blocking_steps(migration)),
        open_issues=open_issue_counts(migration),
        # Reconnections offers this fact (golive/core/panels.py): plain strings, so the snapshot can keep them.
        third_party_links=facts_for(READINESS_FACTS, migration).get("third_party_links_outstanding", []),
        sign_off=current_go_live_sign_off(migration),
    )


@dataclass
class IssueFilters:
    status: str = ""
    severity: str = ""


def issues_for_migration(migration: Migration, filters: IssueFilters | None = None) -> QuerySet[Issue]:
    issues = migration.issues.select_related("owner", "raised_by", "resolved_by")
    if filters and filters.status:
        issues = issues.filter(status=filters.status)
    if filters and filters.severity:
        issues = issues.filter(severity=filters.severity)
    # Open first, the most severe first, then the newest.
    severity_rank = Case(*(When(severity=value, then=Value(rank)) for value, rank in SEVERITY_ORDER.items()))
    return issues.order_by("status", severity_rank, "-raised_at", "-pk")


def issue_get_for_user(user, migration: Migration, pk) -> Issue:
    return get_object_or_404(Issue.objects.filter(migration=migration).select_related("owner", "raised_by"), pk=pk)


def process_review_references(migration: Migration) -> dict[str, ProcessReviewReference]:
    return {ref.item: ref for ref in migration.process_review_references.select_related("updated_by")}


@dataclass
class GoLivePanel:
    """The go-live summary on the migration page."""

    sign_off: GoLiveSignOff | None
    open_issues: int


def go_live_panel(migration: Migration) -> GoLivePanel:
    """Two queries: the current sign-off (with its supplier confirmation) and the open issue count."""
    return GoLivePanel(
        sign_off=current_go_live_sign_off(migration),
        open_issues=migration.issues.filter(status=IssueStatus.OPEN).count(),
    )


SAFETY_REVIEW_STEP_CODE = "PR-02"


def process_review_facts(migration: Migration) -> dict:
    """What GoLive knows for the supplier's process-review report; six queries whatever the data."""
    check_counts = migration.data_checks.aggregate(
        total=Count("pk"),
        **{result: Count("pk", filter=Q(result=result)) for result in CheckResult.values},
    )
    issue_counts = migration.issues.aggregate(
        total=Count("pk"),
        resolved=Count("pk", filter=Q(status=IssueStatus.RESOLVED)),
        **{
            severity: Count("pk", filter=Q(status=IssueStatus.OPEN, severity=severity))
            for severity in IssueSeverity.values
        },
    )
    safety_step = migration.steps.filter(code=SAFETY_REVIEW_STEP_CODE).first()
    return {
        "check_counts": check_counts,
        "local_codes": data_checks_for_migration(migration).filter(area=CheckArea.LOCAL_CODES).first(),
        "sign_off": current_go_live_sign_off(migration),
        "safety_case": (
            f"{safety_step.code} {safety_step.title}: {safety_step.get_status_display()}"
            if safety_step
            else "No hazard log review step on this checklist"
        ),
        "issues_total": issue_counts["total"],
        "issues_resolved": issue_counts["resolved"],
        "open_issues": {severity: issue_counts[severity] for severity in IssueSeverity.values},
    }
