"""RAG status: the rules in one place, as data, evaluated in SQL so the portfolio can sort, filter and count by it.

Rules are checked in order and the first that matches decides the status; a migration no rule
matches is green. The definitions section of the dashboard shows each rule's text.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from checklists.models import Phase, StepStatus
from checklists.scheduling import add_working_days
from go_live.models import CheckResult, DataCheck

RED = "red"
AMBER = "amber"
GREEN = "green"
RAG_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}
RAG_ORDER = {RED: 0, AMBER: 1, GREEN: 2}

# Working days a critical step may be late before the migration turns red.
CRITICAL_LATE_WORKING_DAYS = 3
# Go-live this close (working days) with critical steps open is red.
GO_LIVE_SOON_WORKING_DAYS = 5
# Read-only window ending this close (calendar days) with end-of-migration steps open: red, then amber.
WINDOW_RED_DAYS = 7
WINDOW_AMBER_DAYS = 14


@dataclass(frozen=True)
class Thresholds:
    """The dates the rules compare against, worked out once per request (working days skip bank holidays)."""

    today: datetime.date
    critical_late_before: datetime.date
    go_live_soon_by: datetime.date
    window_red_by: datetime.date
    window_amber_by: datetime.date

    @classmethod
    def on(cls, today: datetime.date) -> "Thresholds":
        return cls(
            today=today,
            critical_late_before=add_working_days(today, -CRITICAL_LATE_WORKING_DAYS),
            go_live_soon_by=add_working_days(today, GO_LIVE_SOON_WORKING_DAYS),
            window_red_by=today + datetime.timedelta(days=WINDOW_RED_DAYS),
            window_amber_by=today + datetime.timedelta(days=WINDOW_AMBER_DAYS),
        )


@dataclass(frozen=True)
class Rule:
    status: str
    code: str
    text: str
    condition: Callable[[Thresholds], Q]


NOT_LIVE = Q(went_live_on__isnull=True)
LIVE_NOT_FINISHED = Q(went_live_on__isnull=False, completed_on__isnull=True)

RULES: list[Rule] = [
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
    ),
    Rule(
        RED,
        "go_live_at_risk",
        f"Go-live is within {GO_LIVE_SOON_WORKING_DAYS} working days (or has passed without sign-off) "
        "and critical steps due by go-live are still open",
        lambda t: NOT_LIVE & Q(go_live_date__lte=t.go_live_soon_by, critical_open_by_go_live__gt=0),
    ),
    Rule(
        RED,
        "data_check_failed",
        "The latest data check of an area failed (a later check that passes clears it)",
        lambda t: Q(data_check_failed=True),
    ),
    Rule(
        RED,
        "window_ending",
        f"The read-only window ends within {WINDOW_RED_DAYS} days (or has ended) and end-of-migration steps are open",
        lambda t: LIVE_NOT_FINISHED & Q(read_only_ends_on__lte=t.window_red_by, end_of_migration_open__gt=0),
    ),
    Rule(
        AMBER,
        "critical_overdue",
        f"A critical step is overdue by {CRITICAL_LATE_WORKING_DAYS} working days or fewer",
        lambda t: Q(critical_overdue__gt=0),
    ),
    Rule(AMBER, "overdue", "A step that is not critical is overdue", lambda t: Q(steps_overdue__gt=0)),
    Rule(
        AMBER,
        "window_ending_soon",
        f"The read-only window ends within {WINDOW_AMBER_DAYS} days and end-of-migration steps are open",
        lambda t: LIVE_NOT_FINISHED & Q(read_only_ends_on__lte=t.window_amber_by, end_of_migration_open__gt=0),
    ),
]


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
    """True when some area's most recent data check failed: a re-check is a new row, the latest one counts."""
    later = DataCheck.objects.filter(migration=OuterRef("migration"), area=OuterRef("area")).filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
    )
    return Exists(DataCheck.objects.filter(migration=OuterRef("pk"), result=CheckResult.FAILED).filter(~Exists(later)))


# Each rule gets a rank: its status first (red 0, amber 1, green 2), then its place in RULES. One CASE in SQL
# then gives the status (rank // RANK_SPAN), the rule that decided it (rank % RANK_SPAN) and a sort order.
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


def with_rag(queryset, today: datetime.date):
    """Annotate the step counts and `rag_rank` on a Migration queryset (see status_of and rule_of)."""
    thresholds = Thresholds.on(today)
    return (
        queryset.annotate(data_check_failed=data_check_failed())
        .annotate(**step_counts(thresholds))
        .annotate(rag_rank=rag_rank_expression(thresholds))
    )
