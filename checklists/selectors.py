"""Reads for migrations and checklists, always scoped to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from golive.core.models import AuditEvent
from practices.models import ServiceCategory, ThirdPartyService
from practices.selectors import practices_visible_to, roles_for

from .models import (
    PHASE_ORDER,
    SEVERITY_ORDER,
    CheckArea,
    CheckResult,
    CheckRound,
    CutoverRegistrations,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueSeverity,
    IssueStatus,
    LinkStatus,
    MeshChange,
    MeshPartnerNotice,
    Migration,
    Phase,
    ProcessReviewReference,
    Step,
    StepStatus,
    ThirdPartyLink,
)
from .scheduling import add_working_days


def migrations_visible_to(user) -> QuerySet[Migration]:
    return Migration.objects.filter(practice__in=practices_visible_to(user))


def migration_get_for_user(user, pk) -> Migration:
    """The migration if the user may see it; otherwise 404, so other tenants learn nothing."""
    return get_object_or_404(
        migrations_visible_to(user).select_related("practice__icb", "old_supplier", "new_supplier"), pk=pk
    )


def step_get_for_user(user, migration: Migration, pk) -> Step:
    return get_object_or_404(
        Step.objects.filter(migration=migration).select_related("assignee", "updated_by", "completed_by"), pk=pk
    )


def migration_list_for_user(user, today: datetime.date) -> QuerySet[Migration]:
    """The user's migrations with progress counts, newest go-live last; one query however many there are."""
    return (
        migrations_visible_to(user)
        .with_stage(today)
        .select_related("practice", "old_supplier", "new_supplier")
        .annotate(
            steps_total=Count("steps"),
            steps_closed=Count("steps", filter=~Q(steps__status=StepStatus.TODO)),
            steps_overdue=Count("steps", filter=Q(steps__status=StepStatus.TODO, steps__due_date__lt=today)),
        )
        .order_by("go_live_date", "pk")
    )


@dataclass
class PhaseGroup:
    phase: str
    label: str
    steps: list = field(default_factory=list)
    total: int = 0
    closed: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.closed / self.total) if self.total else 0


@dataclass
class ChecklistFilters:
    mine: bool = False
    overdue: bool = False
    phase: str = ""


def checklist_for_user(
    *, user, migration: Migration, filters: ChecklistFilters, today: datetime.date
) -> list[PhaseGroup]:
    """Steps grouped by phase, with progress counted over the whole phase whatever the filters show.

    Two queries: the per-phase counts, and the filtered steps.
    """
    counts = (
        migration.steps.values("phase")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=~Q(status=StepStatus.TODO)),
            overdue=Count("pk", filter=Q(status=StepStatus.TODO, due_date__lt=today)),
        )
        .order_by()
    )
    groups = {row["phase"]: PhaseGroup(row["phase"], Phase(row["phase"]).label, [], **_counts(row)) for row in counts}

    steps = migration.steps.select_related("assignee", "updated_by").order_by("order")
    if filters.phase:
        steps = steps.filter(phase=filters.phase)
    if filters.overdue:
        steps = steps.filter(status=StepStatus.TODO, due_date__lt=today)
    if filters.mine:
        my_roles = roles_for(user, migration.practice)
        steps = steps.filter(Q(assignee=user) | Q(assignee__isnull=True, role__in=my_roles))
    for step in steps:
        groups[step.phase].steps.append(step)
    return sorted(groups.values(), key=lambda group: PHASE_ORDER[group.phase])


def current_phase(migration: Migration, today: datetime.date) -> str:
    """Where the schedule has reached: the phase of the latest step due by today (done or not), else the first."""
    steps = migration.steps.values_list("phase", flat=True)
    reached = steps.filter(due_date__lte=today).order_by("-due_date", "-order").first()
    return reached or steps.order_by("due_date", "order").first() or Phase.DECISION


def _counts(row: dict) -> dict:
    return {"total": row["total"], "closed": row["closed"], "overdue": row["overdue"]}


def migration_progress(migration: Migration, today: datetime.date) -> dict:
    return migration.steps.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=~Q(status=StepStatus.TODO)),
        overdue=Count("pk", filter=Q(status=StepStatus.TODO, due_date__lt=today)),
        critical_open=Count("pk", filter=Q(status=StepStatus.TODO, critical=True)),
    )


def migration_history(migration: Migration) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(migration_id=migration.pk).select_related("actor").order_by("-occurred_at", "-id")


# Go-live day


SIGN_OFF_STEP_CODE = "GL-02"
# The re-checks the guide asks for before the go-live data is signed off (DOMAIN.md §3.6). Degraded codes
# are fixed over weeks after go-live, so they are checked then, not required now.
GO_LIVE_REQUIRED_AREAS = [area for area in CheckArea if area != CheckArea.DEGRADED_CODES]
GO_LIVE_ROUNDS = [CheckRound.FDP, CheckRound.GO_LIVE]


def data_checks_for_migration(migration: Migration) -> QuerySet[DataCheck]:
    return migration.data_checks.select_related("checked_by").order_by("-checked_on", "-created_at", "-pk")


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


def third_party_links_outstanding(migration: Migration) -> list[str]:
    """Links not yet reconnected and verified, as "Service (status)" text: plain strings, so sign-off
    snapshots can store them. Informational at sign-off: links come back after go-live. One query."""
    links = (
        migration.third_party_links.filter(status__in=NOT_YET_VERIFIED)
        .select_related("service")
        .order_by("service__name")
    )
    return [f"{link.service.name} ({link.get_status_display().lower()})" for link in links]


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
        third_party_links=third_party_links_outstanding(migration),
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


# Third-party links.


def link_due_dates(link: ThirdPartyLink, migration: Migration) -> dict[str, datetime.date]:
    """When each stage is due, from the guide's default timings and today's key dates (DOMAIN.md §5, §10.2).

    Worked out at read time so the dates follow FDP and go-live whenever they move.
    Switch off 1–2 working days before FDP (due by the later); tell the supplier its notice period before that;
    request reconnection on go-live day; reconnected and checked by the working day after.
    """
    switch_off = add_working_days(migration.fdp_date, -1)
    after_go_live = add_working_days(migration.go_live_date, 1)
    return {
        LinkStatus.SUPPLIER_TOLD: add_working_days(
            add_working_days(migration.fdp_date, -2), -link.service.notice_working_days
        ),
        LinkStatus.SWITCHED_OFF: switch_off,
        LinkStatus.RECONNECTION_REQUESTED: migration.go_live_date,
        LinkStatus.RECONNECTED: after_go_live,
        LinkStatus.VERIFIED: after_go_live,
    }


# The stage that follows each status on the way off and back on.
NEXT_LINK_STATUS = {
    LinkStatus.IN_USE: LinkStatus.SUPPLIER_TOLD,
    LinkStatus.SUPPLIER_TOLD: LinkStatus.SWITCHED_OFF,
    LinkStatus.SWITCHED_OFF: LinkStatus.RECONNECTION_REQUESTED,
    LinkStatus.RECONNECTION_REQUESTED: LinkStatus.RECONNECTED,
    LinkStatus.RECONNECTED: LinkStatus.VERIFIED,
}


@dataclass
class LinkRow:
    link: ThirdPartyLink
    next_status: str | None
    next_due: datetime.date | None
    overdue: bool


@dataclass
class LinkCategory:
    category: str
    label: str
    rows: list[LinkRow] = field(default_factory=list)


def link_row(link: ThirdPartyLink, migration: Migration, today: datetime.date) -> LinkRow:
    next_status = NEXT_LINK_STATUS.get(link.status)
    next_due = link_due_dates(link, migration)[next_status] if next_status else None
    return LinkRow(link, next_status, next_due, bool(next_due and next_due < today))


def link_tracker(migration: Migration, today: datetime.date) -> list[LinkCategory]:
    """The migration's links grouped by category, each with its next stage, when it is due and whether overdue.

    One query however many links there are.
    """
    groups: dict[str, LinkCategory] = {}
    links = migration.third_party_links.select_related("service").order_by("service__category", "service__name")
    for link in links:
        category = link.service.category
        group = groups.setdefault(category, LinkCategory(category, ServiceCategory(category).label))
        group.rows.append(link_row(link, migration, today))
    return sorted(groups.values(), key=lambda group: group.label)


def link_get_for_user(user, migration: Migration, pk) -> ThirdPartyLink:
    return get_object_or_404(
        ThirdPartyLink.objects.filter(migration=migration).select_related("service", "verified_by", "updated_by"),
        pk=pk,
    )


STILL_TO_RECONNECT = [
    LinkStatus.IN_USE,
    LinkStatus.SUPPLIER_TOLD,
    LinkStatus.SWITCHED_OFF,
    LinkStatus.RECONNECTION_REQUESTED,
]
# Not back and verified working (nor marked not needed): what the practice and commissioner still chase.
NOT_YET_VERIFIED = [*STILL_TO_RECONNECT, LinkStatus.RECONNECTED]


def links_outstanding(migration: Migration) -> dict[str, int]:
    """How many links are still to reconnect and, once reconnected, still to verify. One query."""
    return migration.third_party_links.aggregate(
        total=Count("pk"),
        to_reconnect=Count("pk", filter=Q(status__in=STILL_TO_RECONNECT)),
        # Of those, the ones not yet switched off for cutover.
        to_switch_off=Count("pk", filter=Q(status__in=[LinkStatus.IN_USE, LinkStatus.SUPPLIER_TOLD])),
        to_verify=Count("pk", filter=Q(status=LinkStatus.RECONNECTED)),
        verified=Count("pk", filter=Q(status=LinkStatus.VERIFIED)),
        not_needed=Count("pk", filter=Q(status=LinkStatus.NOT_NEEDED)),
    )


def links_panel(migration: Migration) -> dict:
    """What the migration page shows about reconnections and cutover registrations. Two queries."""
    return {"links": links_outstanding(migration), "registrations": cutover_registrations_for(migration)}


def cutover_registrations_for(migration: Migration) -> CutoverRegistrations | None:
    return CutoverRegistrations.objects.filter(migration=migration).first()


def services_available_for(migration: Migration) -> QuerySet[ThirdPartyService]:
    """Catalogue services and the practice's own, less those the migration already tracks."""
    return (
        ThirdPartyService.objects.filter(Q(practice=None) | Q(practice=migration.practice_id))
        .exclude(pk__in=migration.third_party_links.values("service_id"))
        .order_by("category", "name")
    )


def mesh_change_for(migration: Migration) -> MeshChange | None:
    return MeshChange.objects.filter(migration=migration).select_related("updated_by").first()


def mesh_partner_get_for_user(user, migration: Migration, pk) -> MeshPartnerNotice:
    return get_object_or_404(MeshPartnerNotice.objects.filter(mesh_change__migration=migration), pk=pk)
