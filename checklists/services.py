"""Every write to migrations and their checklist (template, creation, key dates, steps): one transaction,
a permission check and an audit event each."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from golive.core.audit import audit_record, changed_fields
from golive.core.closed import RecordClosed
from practices.models import Role
from practices.selectors import (
    can_manage_migration,
    can_update_step,
    practice_members,
    roles_for,
)

from .models import (
    RECORD_STEP_CODES,
    ChecklistTemplate,
    Migration,
    Phase,
    Step,
    StepCompletion,
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


class MigrationWithdrawn(RecordClosed):
    """A write to a withdrawn migration: refused, nothing written (golive/core/closed.py answers the page)."""

    def __init__(self, migration: Migration):
        self.migration = migration
        who = f" by {migration.withdrawn_by}" if migration.withdrawn_by_id else ""
        when = date_format(timezone.localtime(migration.withdrawn_at), "j F Y")
        super().__init__(
            f"This migration was withdrawn on {when}{who}, so nothing in it can be changed.",
            reverse("checklists:migration", args=[migration.pk]),
        )


def migration_lock_for_write(migration_id: int) -> Migration:
    """Lock a migration's row for the rest of the transaction and refuse the write if the migration is withdrawn.

    Every write to a migration or its records (steps, key dates, sign-offs, data checks, issues, links, …) calls
    this first inside its transaction. Withdrawing takes the same lock, so a write racing a withdrawal either
    commits before it or is refused after it. Taking it first also keeps the lock order (migration, then its
    rows) the same everywhere, so concurrent writes queue rather than deadlock.
    Raises MigrationWithdrawn. One query.
    """
    locked = Migration.objects.select_for_update(of=("self",)).select_related("withdrawn_by").get(pk=migration_id)
    if locked.is_withdrawn:
        raise MigrationWithdrawn(locked)
    return locked


class OpenMigrationExists(Exception):
    """The practice already has an open migration: a practice has one at a time (a database constraint).

    `existing` is that migration; `is_repeat` is true when it is the very migration this request asked for
    (the same person, suppliers and dates: a double submit), so the page can show it as created.
    """

    def __init__(self, existing: Migration, *, is_repeat: bool = False):
        self.existing = existing
        self.is_repeat = is_repeat
        super().__init__(f"{existing.practice} already has an open migration ({existing.pk})")


def _one_open_migration_refused(error: IntegrityError) -> bool:
    """Whether the database refused a second open migration (PostgreSQL names the constraint, SQLite the column)."""
    text = str(error)
    return "one_open_migration" in text or "checklists_migration.practice_id" in text


def _open_migration_of(practice, request: dict, user) -> OpenMigrationExists | None:
    existing = (
        Migration.objects.open().filter(practice=practice).select_related("practice", "old_supplier", "new_supplier")
    ).first()
    if existing is None:
        return None
    asked = {key: getattr(existing, key) for key in request}
    return OpenMigrationExists(existing, is_repeat=asked == request and existing.created_by_id == user.pk)


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
    phases_done_before_golive: list[str] | tuple = (),
    went_live_on: datetime.date | None = None,
) -> Migration:
    """Create a migration and its checklist, every step's due date worked out from the key dates.

    A practice joining part-way says which phases it finished before it used GoLive
    (`phases_done_before_golive`, Phase values): their steps are recorded as done before GoLive, naming nobody
    as the doer. `went_live_on` is the day a practice that has already gone live did so: it is recorded as the
    actual go-live and the read-only window counts from it.

    Raises PermissionDenied (not the practice manager, the ICB's commissioner or an administrator),
    ValidationError (a practice that is not open: ODS lists it as closed, dormant or proposed, so it stays for
    history but starts no migration), ValueError (an unknown phase; a go-live in the future or before FDP) and
    OpenMigrationExists (the practice already has an open migration, checked first and enforced by the database
    when two are created at once).
    """
    if not can_manage_migration(user, practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can create a migration.")
    if not practice.is_open:
        raise ValidationError(
            f"{practice.name} is {practice.get_status_display().lower()}: it cannot start a migration"
        )
    unknown = set(phases_done_before_golive) - set(Phase.values)
    if unknown:
        raise ValueError(f"Unknown phases: {sorted(unknown)}")
    if went_live_on and not fdp_date <= went_live_on <= timezone.localdate():
        raise ValueError("The practice's go-live must be on or after FDP and not in the future.")
    request = {
        "old_supplier": old_supplier,
        "new_supplier": new_supplier,
        "idp_date": idp_date,
        "fdp_date": fdp_date,
        "go_live_date": go_live_date,
        "read_only_window_days": read_only_window_days,
        "went_live_on": went_live_on,
    }
    refused = _open_migration_of(practice, request, user)
    if refused:
        raise refused
    template = template or ChecklistTemplate.objects.filter(is_default=True).first() or template_load_default()
    try:
        with transaction.atomic():
            migration = _migration_insert(
                user=user,
                practice=practice,
                template=template,
                read_only_window_source=read_only_window_source,
                **request,
            )
            if phases_done_before_golive:
                _phases_done_before_golive(user, migration, phases_done_before_golive)
    except IntegrityError as error:
        # Someone created one between the check above and this insert: the database kept the first.
        refused = _open_migration_of(practice, request, user) if _one_open_migration_refused(error) else None
        if refused is None:
            raise
        raise refused from error
    return migration


def _migration_insert(
    *, user, practice, template, went_live_on, go_live_date, read_only_window_days, **fields
) -> Migration:
    migration = Migration.objects.create(
        practice=practice,
        template=template,
        go_live_date=go_live_date,
        planned_go_live_date=go_live_date,
        read_only_window_days=read_only_window_days,
        went_live_on=went_live_on,
        # The window runs from the day the practice actually went live, when it has.
        read_only_ends_on=_read_only_end(went_live_on or go_live_date, read_only_window_days),
        created_by=user,
        **fields,
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
    after = _migration_snapshot(migration) | {"steps": template.steps.count()}
    if went_live_on:
        after["went_live_on"] = went_live_on.isoformat()
    audit_record(
        actor=user,
        action="migration.created",
        obj=migration,
        after=after,
        practice_id=practice.pk,
        migration_id=migration.pk,
    )
    return migration


def _phases_done_before_golive(user, migration: Migration, phases) -> int:
    """Record every step of `phases` as done before GoLive: done, with nobody named as the doer."""
    phases = sorted(set(phases), key=Phase.values.index)
    closed = migration.steps.filter(phase__in=phases).update(
        status=StepStatus.DONE,
        completion=StepCompletion.BEFORE_GOLIVE,
        completed_at=None,
        completed_by=None,
        updated_by=user,
    )
    audit_record(
        actor=user,
        action="migration.phases_done_before_golive",
        obj=migration,
        after={"phases": ", ".join(Phase(phase).label for phase in phases), "steps_closed": closed},
        practice_id=migration.practice_id,
        migration_id=migration.pk,
    )
    return closed


def migration_phases_past(*, template: ChecklistTemplate | None = None, anchors: dict, today: datetime.date) -> list:
    """The phases with a step that would be due before `today` for these key dates: what to ask a practice
    joining part-way. `anchors` maps Anchor values to dates (as Migration.anchor_dates). Reads the template's
    steps once; writes nothing. Returns [(phase value, steps in the phase, steps already past due)], in order.
    """
    template = template or ChecklistTemplate.objects.filter(is_default=True).first() or template_load_default()
    counts: dict[str, list[int]] = {}
    for step in template.steps.all():
        total_past = counts.setdefault(step.phase, [0, 0])
        total_past[0] += 1
        total_past[1] += _due_date(step, anchors) < today
    return [(phase, *counts[phase]) for phase in Phase.values if phase in counts and counts[phase][1]]


class WithdrawalRefused(Exception):
    """The migration cannot be withdrawn (it is finished, or already withdrawn). The message says why."""


def migration_withdraw(*, user, migration: Migration, reason: str) -> Migration:
    """Withdraw a migration created by mistake or abandoned. It stays on record, read-only for everyone; it
    leaves the dashboards' in-progress counts and charts, its reminders stop, and the practice may start another.

    Who: the practice manager, the ICB's commissioners, administrators. Raises PermissionDenied, ValueError (an
    empty reason) and WithdrawalRefused (finished, or already withdrawn: checked on the locked row).
    """
    if not can_manage_migration(user, migration.practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can withdraw a migration.")
    reason = reason.strip()
    if not reason:
        raise ValueError("A withdrawal needs a reason.")
    with transaction.atomic():
        locked = Migration.objects.select_for_update(of=("self",)).select_related("withdrawn_by").get(pk=migration.pk)
        if locked.is_withdrawn:
            raise WithdrawalRefused(MigrationWithdrawn(locked).message.replace(", so nothing in it can be changed", ""))
        if locked.completed_on:
            raise WithdrawalRefused("This migration is finished, so it cannot be withdrawn.")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = user
        locked.withdrawal_reason = reason
        locked.version += 1
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "version"])
        audit_record(
            actor=user,
            action="migration.withdrawn",
            obj=locked,
            after={"withdrawn_on": timezone.localdate(locked.withdrawn_at).isoformat()},
            reason=reason,
            practice_id=locked.practice_id,
            migration_id=locked.pk,
        )
    migration.refresh_from_db()
    return migration


def can_mark_phase_done(user, practice) -> bool:
    """Closing a whole phase at once is the practice manager's call (not staff, leads or commissioners)."""
    return Role.PRACTICE_MANAGER in roles_for(user, practice)


def phase_steps_to_close(migration: Migration, phase: str):
    """The phase's open steps a practice manager may close together: all but those completed by a sign-off
    record (RECORD_STEP_CODES), which only their record closes."""
    return migration.steps.filter(phase=phase, status=StepStatus.TODO).exclude(code__in=RECORD_STEP_CODES)


def phase_mark_done(*, user, migration: Migration, phase: str, step_ids: list[int]) -> int:
    """Mark the open steps of a phase done together, as previewed: `step_ids` are the steps the practice manager
    saw. Steps someone closed since are left as they are; steps reopened since were not seen, so stay open.
    Each step records who marked it and that it was closed with its phase. Returns how many were closed.

    Raises PermissionDenied (not a practice manager of the practice), ValueError (an unknown phase) and
    MigrationWithdrawn.
    """
    if not can_mark_phase_done(user, migration.practice):
        raise PermissionDenied("Only the practice manager can mark a whole phase as done.")
    if phase not in Phase.values:
        raise ValueError(f"Unknown phase {phase!r}")
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        steps = phase_steps_to_close(migration, phase).filter(pk__in=step_ids)
        closed = list(steps.values_list("code", flat=True).order_by("order"))
        now = timezone.now()
        count = steps.update(
            status=StepStatus.DONE,
            completion=StepCompletion.WITH_PHASE,
            completed_at=now,
            completed_by=user,
            updated_by=user,
            updated_at=now,
            # A page still showing the old version gets the usual "changed while you were looking" answer.
            version=F("version") + 1,
        )
        if count:
            audit_record(
                actor=user,
                action="migration.phase_marked_done",
                obj=migration,
                after={"phase": Phase(phase).label, "steps_closed": count, "steps": ", ".join(closed)},
                practice_id=migration.practice_id,
                migration_id=migration.pk,
            )
    return count


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
        locked = migration_lock_for_write(migration.pk)
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
        migration_lock_for_write(step.migration_id)
        current = Step.objects.select_for_update(of=("self",)).select_related("assignee", "updated_by").get(pk=step.pk)
        if current.version != expected_version:
            raise StepConflict(current)
        before = _step_snapshot(current)
        if status is not None and status != current.status:
            # A tick or untick is the person's own act, whatever closed the step before. Saving a note on a done
            # step keeps who did it (and that nobody is named, for a step done before GoLive).
            current.status = status
            current.completion = ""
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
