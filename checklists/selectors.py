"""Reads for migrations and checklists, always scoped to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from golive.core.models import AuditEvent
from practices.selectors import practices_visible_to, roles_for

from .models import PHASE_ORDER, RECORD_STEP_CODES, Migration, Phase, Step, StepStatus


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


def _this_phase_order(today: datetime.date) -> list:
    """Open steps due by today first, then later ones; within each, the earliest due (then checklist order)."""
    return [Case(When(due_date__lte=today, then=Value(0)), default=Value(1)), "due_date", "order"]


def current_phase(migration: Migration, today: datetime.date) -> str:
    """'This phase': the phase of the earliest open step due by today, else of the next open step; with nothing
    open, the phase of the last step. One query (two when nothing is open)."""
    phase = (
        migration.steps.filter(status=StepStatus.TODO)
        .order_by(*_this_phase_order(today))
        .values_list("phase", flat=True)
        .first()
    )
    if phase is None:
        phase = migration.steps.order_by("-due_date", "-order").values_list("phase", flat=True).first()
    return phase or Phase.DECISION


def this_phase_subquery(today: datetime.date) -> Subquery:
    """current_phase for each row of a Migration queryset, in SQL: None when no step is open."""
    return Subquery(
        Step.objects.filter(migration=OuterRef("pk"), status=StepStatus.TODO)
        .order_by(*_this_phase_order(today))
        .values("phase")[:1]
    )


def open_migration_for(practice) -> Migration | None:
    """The practice's open migration (at most one: a database constraint), or None."""
    return Migration.objects.open().filter(practice=practice).first()


def phase_record_steps(migration: Migration, phase: str) -> QuerySet[Step]:
    """Open steps of the phase that only their sign-off record closes (RECORD_STEP_CODES)."""
    return migration.steps.filter(phase=phase, status=StepStatus.TODO, code__in=RECORD_STEP_CODES).order_by("order")


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
