"""RAG status: the rules in one place, as data, evaluated in SQL so the portfolio can sort, filter and count by it.

The status is the worst that applies: rules are listed worst first and the first that matches gives the status
(and the main reason, for sorting). Every red and amber rule that applies is a reason, and the pages show them
all (`reasons_of`). A migration no rule matches is green. Closed migrations are decided by their own rule first:
finished is green, withdrawn is not rated. The definitions section of the dashboard lists every rule's text.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When

from checklists.models import Phase, StepStatus
from checklists.scheduling import add_working_days
from go_live.models import Issue, IssueSeverity, IssueStatus
from go_live.selectors import failed_latest_checks
from reconnections.models import ThirdPartyLink
from reconnections.selectors import NOT_YET_VERIFIED

RED = "red"
AMBER = "amber"
GREEN = "green"
NOT_RATED = "not_rated"
RAG_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", NOT_RATED: "Not rated"}
RAG_ORDER = {RED: 0, AMBER: 1, GREEN: 2, NOT_RATED: 3}

# Working days a critical step may be late before the migration turns red.
CRITICAL_LATE_WORKING_DAYS = 3
# Go-live this close (working days) with critical steps open is red.
GO_LIVE_SOON_WORKING_DAYS = 5
# Read-only window ending this close (calendar days) with end-of-migration steps open: red, then amber.
WINDOW_RED_DAYS = 7
WINDOW_AMBER_DAYS = 14
# Third-party links are due back and verified the working day after go-live (reconnections.selectors.link_due_dates):
# amber once that has passed, red this many working days after go-live.
LINKS_RED_WORKING_DAYS = 5


@dataclass(frozen=True)
class Thresholds:
    """The dates the rules compare against, worked out once per request (working days skip bank holidays)."""

    today: datetime.date
    critical_late_before: datetime.date
    go_live_soon_by: datetime.date
    window_red_by: datetime.date
    window_amber_by: datetime.date
    # Went live before these days: links should be back (amber), and long since (red).
    links_due_before: datetime.date
    links_late_before: datetime.date

    @classmethod
    def on(cls, today: datetime.date) -> "Thresholds":
        return cls(
            today=today,
            critical_late_before=add_working_days(today, -CRITICAL_LATE_WORKING_DAYS),
            go_live_soon_by=add_working_days(today, GO_LIVE_SOON_WORKING_DAYS),
            window_red_by=today + datetime.timedelta(days=WINDOW_RED_DAYS),
            window_amber_by=today + datetime.timedelta(days=WINDOW_AMBER_DAYS),
            links_due_before=add_working_days(today, -1),
            links_late_before=add_working_days(today, -LINKS_RED_WORKING_DAYS),
        )


@dataclass(frozen=True)
class Rule:
    status: str
    code: str
    text: str
    condition: Callable[[Thresholds], Q]
    # Where a reader sees what the rule is about: a URL name taking the migration's id ("" for none).
    evidence_url: str = ""


NOT_LIVE = Q(went_live_on__isnull=True)
LIVE_NOT_FINISHED = Q(went_live_on__isnull=False, completed_on__isnull=True)

RULES: list[Rule] = [
    Rule(
        NOT_RATED,
        "withdrawn",
        "The migration was withdrawn: it is not rated, and is left out of the counts and charts",
        lambda t: Q(withdrawn_at__isnull=False),
    ),
    Rule(
        GREEN,
        "finished",
        "The migration is finished (end-of-migration steps done)",
        lambda t: Q(completed_on__isnull=False),
    ),
    Rule(
        RED,
        "critical_late",
        f"A critical step is overdue by more than {CRITICAL_LATE_WORKING_DAYS} working days",
        lambda t: Q(critical_late__gt=0),
        "checklists:checklist",
    ),
    Rule(
        RED,
        "go_live_at_risk",
        f"Go-live is within {GO_LIVE_SOON_WORKING_DAYS} working days (or has passed without sign-off) "
        "and critical steps due by go-live are still open",
        lambda t: NOT_LIVE & Q(go_live_date__lte=t.go_live_soon_by, critical_open_by_go_live__gt=0),
        "checklists:checklist",
    ),
    Rule(
        RED,
        "sign_off_overdue",
        "The go-live date has passed and the go-live data is not signed off",
        lambda t: NOT_LIVE & Q(go_live_date__lt=t.today),
        "go_live:go_live",
    ),
    Rule(
        RED,
        "data_check_failed",
        "The latest data check of an area failed (a later check of that area that passes clears it)",
        lambda t: Q(data_check_failed=True),
        "go_live:data_checks",
    ),
    Rule(
        RED,
        "critical_issue_open",
        "An issue of critical severity is open in the issue log",
        lambda t: Q(critical_issue_open=True),
        "go_live:issues",
    ),
    Rule(
        RED,
        "links_late",
        f"Went live more than {LINKS_RED_WORKING_DAYS} working days ago and third-party links are not all "
        "reconnected and verified",
        lambda t: LIVE_NOT_FINISHED & Q(went_live_on__lt=t.links_late_before, links_not_back=True),
        "reconnections:links",
    ),
    Rule(
        RED,
        "window_ending",
        f"The read-only window ends within {WINDOW_RED_DAYS} days (or has ended) and end-of-migration steps are open",
        lambda t: LIVE_NOT_FINISHED & Q(read_only_ends_on__lte=t.window_red_by, end_of_migration_open__gt=0),
        "checklists:checklist",
    ),
    Rule(
        AMBER,
        "critical_overdue",
        f"A critical step is overdue by {CRITICAL_LATE_WORKING_DAYS} working days or fewer",
        # Overdue critical steps beyond those already late: each reason shown must be true on its own.
        lambda t: Q(critical_overdue__gt=F("critical_late")),
        "checklists:checklist",
    ),
    Rule(
        AMBER,
        "high_issue_open",
        "An issue of high severity is open in the issue log",
        lambda t: Q(high_issue_open=True),
        "go_live:issues",
    ),
    Rule(
        AMBER,
        "links_due",
        "Third-party links are not all reconnected and verified by the working day after go-live",
        lambda t: (
            LIVE_NOT_FINISHED
            & Q(went_live_on__lt=t.links_due_before, went_live_on__gte=t.links_late_before, links_not_back=True)
        ),
        "reconnections:links",
    ),
    Rule(
        AMBER,
        "overdue",
        "A step that is not critical is overdue",
        lambda t: Q(steps_overdue__gt=F("critical_overdue")),
        "checklists:checklist",
    ),
    Rule(
        AMBER,
        "window_ending_soon",
        f"The read-only window ends within {WINDOW_AMBER_DAYS} days and end-of-migration steps are open",
        lambda t: (
            LIVE_NOT_FINISHED
            & Q(
                read_only_ends_on__gt=t.window_red_by,
                read_only_ends_on__lte=t.window_amber_by,
                end_of_migration_open__gt=0,
            )
        ),
        "checklists:checklist",
    ),
]
CLOSED_RULES = {"withdrawn", "finished"}


def step_counts(thresholds: Thresholds) -> dict:
    """The per-migration step counts the rules read: one join to steps, counted with filters."""
    todo = Q(steps__status=StepStatus.TODO)
    critical = todo & Q(steps__critical=True)
    return {
        "steps_total": Count("steps"),
        "steps_closed": Count("steps", filter=~todo),
        "steps_overdue": Count("steps", filter=todo & Q(steps__due_date__lt=thresholds.today)),
        "critical_overdue": Count("steps", filter=critical & Q(steps__due_date__lt=thresholds.today)),
        "critical_late": Count("steps", filter=critical & Q(steps__due_date__lt=thresholds.critical_late_before)),
        "critical_open_by_go_live": Count("steps", filter=critical & Q(steps__due_date__lte=F("go_live_date"))),
        "end_of_migration_open": Count("steps", filter=todo & Q(steps__phase=Phase.END_OF_MIGRATION)),
    }


def data_check_failed() -> Exists:
    """True when some area's most recent data check failed (go_live.selectors.failed_latest_checks)."""
    return Exists(failed_latest_checks().filter(migration=OuterRef("pk")))


def issue_open(severity: str) -> Exists:
    return Exists(Issue.objects.filter(migration=OuterRef("pk"), status=IssueStatus.OPEN, severity=severity))


def links_not_back() -> Exists:
    """True when some third-party link is not yet back and verified working (nor marked not needed)."""
    return Exists(ThirdPartyLink.objects.filter(migration=OuterRef("pk"), status__in=NOT_YET_VERIFIED))


# Each rule gets a rank: its status first (red 0, amber 1, green 2, not rated 3), then its place in RULES. One CASE
# in SQL then gives the status (rank // RANK_SPAN), the rule that decided it (rank % RANK_SPAN) and a sort order.
RANK_SPAN = 100
DEFAULT_RANK = RAG_ORDER[GREEN] * RANK_SPAN + len(RULES)


def rank_of(index: int, rule: Rule) -> int:
    return RAG_ORDER[rule.status] * RANK_SPAN + index


def rag_rank_expression(thresholds: Thresholds) -> Case:
    return Case(
        *[When(rule.condition(thresholds), then=Value(rank_of(i, rule))) for i, rule in enumerate(RULES)],
        default=Value(DEFAULT_RANK),
        output_field=models.IntegerField(),
    )


def status_of(rank: int) -> str:
    return {order: status for status, order in RAG_ORDER.items()}[rank // RANK_SPAN]


def rule_of(rank: int) -> Rule | None:
    """The rule that decided a rank, or None when no rule applied (green by default)."""
    index = rank % RANK_SPAN
    return RULES[index] if index < len(RULES) else None


def rank_range(status: str) -> tuple[int, int]:
    """Ranks of one status, for filtering and counting: [first, last]."""
    first = RAG_ORDER[status] * RANK_SPAN
    return first, first + RANK_SPAN - 1


def with_rag(queryset, today: datetime.date, *, reasons: bool = False):
    """Annotate what the rules read and `rag_rank` on a Migration queryset (see status_of and rule_of).

    `reasons`: also annotate `rule_<code>`, true for each rule that applies, which `reasons_of` reads. Ask for
    them only on the rows shown (a page of the portfolio, one migration, the CSV): the rank alone sorts and counts.
    """
    thresholds = Thresholds.on(today)
    rows = (
        queryset.annotate(
            data_check_failed=data_check_failed(),
            critical_issue_open=issue_open(IssueSeverity.CRITICAL),
            high_issue_open=issue_open(IssueSeverity.HIGH),
            links_not_back=links_not_back(),
        )
        .annotate(**step_counts(thresholds))
        .annotate(rag_rank=rag_rank_expression(thresholds))
    )
    if reasons:
        rows = rows.annotate(
            **{
                f"rule_{rule.code}": ExpressionWrapper(rule.condition(thresholds), output_field=BooleanField())
                for rule in RULES
            }
        )
    return rows


def reasons_of(row) -> list[Rule]:
    """Every red and amber rule that applies to a row annotated by with_rag(reasons=True), worst first; for a
    closed migration, only the rule that closed it (a withdrawn or finished migration is not judged on the rest)."""
    applies = [rule for rule in RULES if getattr(row, f"rule_{rule.code}")]
    closed = [rule for rule in applies if rule.code in CLOSED_RULES]
    if closed:
        return closed[:1]
    return sorted(applies, key=lambda rule: RAG_ORDER[rule.status])
