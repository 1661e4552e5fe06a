"""Every write to migrations and their checklist (template, creation, key dates, steps): one transaction,
a permission check and an audit event each."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from golive.core.audit import audit_record, changed_fields
from practices.selectors import (
    can_manage_migration,
    can_update_step,
    practice_members,
)

from .models import (
    ChecklistTemplate,
    Migration,
    Step,
    StepStatus,
    TemplateStep,
)
from .scheduling import add_working_days

DEFAULT_TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "default_template.json"


class StepConflict(Exception):
    """Someone else changed the step after this user loaded it."""

    def __init__(self, step: Step):
        self.step = step
        super().__init__(f"Step {step.pk} was changed by {step.updated_by} at {step.updated_at}")


def template_load_default(*, path: Path = DEFAULT_TEMPLATE_FILE) -> ChecklistTemplate:
    """Load the shipped default template; loading the same name and version again changes nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        template, created = ChecklistTemplate.objects.get_or_create(
            name=data["name"], version=data["version"], defaults={"description": data.get("description", "")}
        )
        if created:
            TemplateStep.objects.bulk_create(
                TemplateStep(
                    template=template,
                    order=(index + 1) * 10,
                    code=row["code"],
                    phase=row["phase"],
                    title=row["title"],
                    guidance=row["guidance"],
                    role=row["role"],
                    anchor=row["anchor"],
                    offset_working_days=row["offset_working_days"],
                    critical=row["critical"],
                    sources=", ".join(row.get("sources", [])),
                )
                for index, row in enumerate(data["steps"])
            )
        if not ChecklistTemplate.objects.filter(is_default=True).exclude(pk=template.pk).exists():
            ChecklistTemplate.objects.filter(pk=template.pk).update(is_default=True)
            template.is_default = True
    return template


def _read_only_end(go_live_date: datetime.date, window_days: int) -> datetime.date:
    return go_live_date + datetime.timedelta(days=window_days)


def _due_date(step, anchors: dict) -> datetime.date:
    return add_working_days(anchors[step.anchor], step.offset_working_days)


def _migration_snapshot(migration: Migration) -> dict:
    return {
        "old_supplier": str(migration.old_supplier),
        "new_supplier": str(migration.new_supplier),
        "idp_date": migration.idp_date.isoformat(),
        "fdp_date": migration.fdp_date.isoformat(),
        "go_live_date": migration.go_live_date.isoformat(),
        "read_only_window_days": migration.read_only_window_days,
        "read_only_window_source": migration.read_only_window_source,
        "read_only_ends_on": migration.read_only_ends_on.isoformat(),
    }


def migration_create(
    *,
    user,
    practice,
    old_supplier,
    new_supplier,
    idp_date: datetime.date,
    fdp_date: datetime.date,
    go_live_date: datetime.date,
    read_only_window_days: int,
    read_only_window_source: str,
    template: ChecklistTemplate | None = None,
) -> Migration:
    """Create a migration and its checklist, every step's due date worked out from the key dates.

    Raises PermissionDenied unless the user manages the practice, and ValidationError for a practice that is
    not open (ODS lists it as closed, dormant or proposed: it stays for history but starts no migration).
    """
    if not can_manage_migration(user, practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can create a migration.")
    if not practice.is_open:
        raise ValidationError(
            f"{practice.name} is {practice.get_status_display().lower()}: it cannot start a migration"
        )
    template = template or ChecklistTemplate.objects.filter(is_default=True).first() or template_load_default()
    with transaction.atomic():
        migration = Migration.objects.create(
            practice=practice,
            old_supplier=old_supplier,
            new_supplier=new_supplier,
            template=template,
            idp_date=idp_date,
            fdp_date=fdp_date,
            go_live_date=go_live_date,
            planned_go_live_date=go_live_date,
            read_only_window_days=read_only_window_days,
            read_only_window_source=read_only_window_source,
            read_only_ends_on=_read_only_end(go_live_date, read_only_window_days),
            created_by=user,
        )
        anchors = migration.anchor_dates()
        Step.objects.bulk_create(
            Step(
                migration=migration,
                template_step=template_step,
                code=template_step.code,
                phase=template_step.phase,
                order=template_step.order,
                title=template_step.title,
                guidance=template_step.guidance,
                role=template_step.role,
                anchor=template_step.anchor,
                offset_working_days=template_step.offset_working_days,
                critical=template_step.critical,
                due_date=_due_date(template_step, anchors),
            )
            for template_step in template.steps.all()
        )
        audit_record(
            actor=user,
            action="migration.created",
            obj=migration,
            after=_migration_snapshot(migration) | {"steps": template.steps.count()},
            practice_id=practice.pk,
            migration_id=migration.pk,
        )
    return migration


@dataclass(frozen=True)
class DueDateMove:
    step: Step
    old_due: datetime.date
    new_due: datetime.date
    becomes_overdue: bool


def migration_preview_key_dates(
    *,
    migration: Migration,
    idp_date: datetime.date,
    fdp_date: datetime.date,
    go_live_date: datetime.date,
    read_only_window_days: int,
    today: datetime.date,
) -> list[DueDateMove]:
    """Which open steps' due dates would move, and which of them would then be overdue. Writes nothing."""
    anchors = {
        "idp": idp_date,
        "fdp": fdp_date,
        "go_live": go_live_date,
        "read_only_end": _read_only_end(go_live_date, read_only_window_days),
    }
    moves = []
    for step in migration.steps.filter(status=StepStatus.TODO).order_by("order"):
        new_due = _due_date(step, anchors)
        if new_due != step.due_date:
            moves.append(
                DueDateMove(
                    step=step,
                    old_due=step.due_date,
                    new_due=new_due,
                    becomes_overdue=new_due < today <= step.due_date,
                )
            )
    return moves


def migration_change_key_dates(
    *,
    user,
    migration: Migration,
    idp_date: datetime.date,
    fdp_date: datetime.date,
    go_live_date: datetime.date,
    read_only_window_days: int,
    read_only_window_source: str,
    reason: str,
    expected_version: int,
) -> int:
    """Move the key dates and every open step's due date with them. Returns how many steps moved.

    Done steps keep their due dates: they record when the work was expected, not when it is.
    """
    if not can_manage_migration(user, migration.practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can change key dates.")
    with transaction.atomic():
        locked = Migration.objects.select_for_update().get(pk=migration.pk)
        if locked.version != expected_version:
            raise MigrationConflict(locked)
        before = _migration_snapshot(locked)
        locked.idp_date = idp_date
        locked.fdp_date = fdp_date
        locked.go_live_date = go_live_date
        locked.read_only_window_days = read_only_window_days
        locked.read_only_window_source = read_only_window_source
        locked.read_only_ends_on = _read_only_end(go_live_date, read_only_window_days)
        locked.version += 1
        locked.save()
        anchors = locked.anchor_dates()
        moved = []
        for step in locked.steps.filter(status=StepStatus.TODO):
            new_due = _due_date(step, anchors)
            if new_due != step.due_date:
                step.due_date = new_due
                moved.append(step)
        Step.objects.bulk_update(moved, ["due_date"], batch_size=500)
        old, new = changed_fields(before, _migration_snapshot(locked))
        audit_record(
            actor=user,
            action="migration.key_dates_changed",
            obj=locked,
            before=old,
            after=new | {"steps_moved": len(moved)},
            reason=reason,
            practice_id=locked.practice_id,
            migration_id=locked.pk,
        )
    migration.refresh_from_db()
    return len(moved)


class MigrationConflict(Exception):
    def __init__(self, migration: Migration):
        self.migration = migration
        super().__init__(f"Migration {migration.pk} changed since it was loaded")


def _step_snapshot(step: Step) -> dict:
    return {
        "status": step.status,
        "not_applicable_reason": step.not_applicable_reason,
        "assignee": step.assignee.email if step.assignee else None,
        "note": step.note,
    }


def step_update(
    *,
    user,
    step: Step,
    expected_version: int,
    status: str | None = None,
    not_applicable_reason: str | None = None,
    note: str | None = None,
    assignee=...,
) -> Step:
    """Change a step's status, reason, note or assignee, refusing if it changed since `expected_version`.

    Arguments left out keep their current values. Raises StepConflict on a stale version.
    """
    practice = step.migration.practice
    if not can_update_step(user, practice, step.role):
        raise PermissionDenied("Only people at the practice, or the commissioner for their own steps, can change this.")
    assigning = assignee is not ... and assignee is not None
    if assigning and not practice_members(practice).filter(pk=assignee.pk).exists():
        raise PermissionDenied("Steps can only be assigned to people at the practice.")
    with transaction.atomic():
        current = Step.objects.select_for_update(of=("self",)).select_related("assignee", "updated_by").get(pk=step.pk)
        if current.version != expected_version:
            raise StepConflict(current)
        before = _step_snapshot(current)
        if status is not None:
            current.status = status
            if status == StepStatus.DONE:
                current.completed_at = timezone.now()
                current.completed_by = user
            else:
                current.completed_at = None
                current.completed_by = None
            if status != StepStatus.NOT_APPLICABLE:
                current.not_applicable_reason = ""
        if not_applicable_reason is not None and current.status == StepStatus.NOT_APPLICABLE:
            current.not_applicable_reason = not_applicable_reason.strip()
        if current.status == StepStatus.NOT_APPLICABLE and not current.not_applicable_reason:
            raise ValueError("A step marked not applicable needs a reason.")
        if note is not None:
            current.note = note.strip()
        if assignee is not ...:
            current.assignee = assignee
        old, new = changed_fields(before, _step_snapshot(current))
        if not new:
            return current
        current.version += 1
        current.updated_by = user
        current.save()
        audit_record(
            actor=user,
            action="step.updated",
            obj=current,
            before=old,
            after=new,
            practice_id=practice.pk,
            migration_id=current.migration_id,
        )
    return current
