"""Every write to migrations and checklists: one transaction, a permission check and an audit event each."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from golive.core.audit import audit_record, changed_fields
from practices.models import Role, ThirdPartyService
from practices.selectors import (
    can_manage_migration,
    can_update_step,
    can_work_checklist,
    practice_members,
    roles_for,
)

from .models import (
    GO_LIVE_STATEMENTS,
    ChecklistTemplate,
    CutoverRegistrations,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueStatus,
    LinkStatus,
    MeshChange,
    MeshPartnerNotice,
    Migration,
    ProcessReviewReference,
    Step,
    StepStatus,
    SupplierConfirmation,
    TemplateStep,
    ThirdPartyLink,
)
from .scheduling import add_working_days
from .selectors import SIGN_OFF_STEP_CODE, current_go_live_sign_off, go_live_readiness

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
    """Create a migration and its checklist, every step's due date worked out from the key dates."""
    if not can_manage_migration(user, practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can create a migration.")
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


# Go-live day: data re-checks, sign-off, supplier confirmation, issue log, process review.


def data_check_record(
    *,
    user,
    migration: Migration,
    area: str,
    round: str,
    result: str,
    records_checked: int,
    problems_found: int,
    checked_on: datetime.date,
    supplier_reference: str = "",
    note: str = "",
) -> DataCheck:
    """Record one re-check of one area. A later check of the same area is a new row, not an edit."""
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can record data checks.")
    if problems_found > records_checked:
        raise ValueError("Problems found cannot be more than records checked.")
    with transaction.atomic():
        check = DataCheck.objects.create(
            migration=migration,
            area=area,
            round=round,
            result=result,
            records_checked=records_checked,
            problems_found=problems_found,
            checked_on=checked_on,
            supplier_reference=supplier_reference.strip(),
            note=note.strip(),
            checked_by=user,
        )
        audit_record(
            actor=user,
            action="data_check.recorded",
            obj=check,
            after={
                "area": area,
                "round": round,
                "result": result,
                "records_checked": records_checked,
                "problems_found": problems_found,
                "checked_on": checked_on.isoformat(),
                "supplier_reference": check.supplier_reference,
            },
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return check


class SignOffConflict(Exception):
    """Someone signed off (or corrected the sign-off) after this user loaded the page."""

    def __init__(self, current: GoLiveSignOff | None):
        self.current = current
        super().__init__(f"The current go-live sign-off is now {current}")


class SignOffBlocked(Exception):
    """The go-live data cannot be signed off yet; `blockers` says why, in the page's words."""

    def __init__(self, blockers: list[str]):
        self.blockers = blockers
        super().__init__("; ".join(blockers))


def can_sign_off_go_live(user, practice) -> bool:
    """Only a practice manager of the practice signs off its go-live data (not staff, not commissioners)."""
    return Role.PRACTICE_MANAGER in roles_for(user, practice)


def go_live_sign_off(
    *,
    user,
    migration: Migration,
    statement_version: str,
    expected_current_id: int | None,
    supersede_reason: str = "",
) -> GoLiveSignOff:
    """Sign off the go-live data, or correct the current sign-off with a new one that supersedes it.

    `expected_current_id` is the sign-off the user saw (None for none): if another one is current now,
    nothing is written and SignOffConflict says who signed and when. The migration row is locked first,
    so simultaneous sign-offs queue up and the second sees the first.
    """
    if not can_sign_off_go_live(user, migration.practice):
        raise PermissionDenied("Only a practice manager of this practice can sign off the go-live data.")
    if statement_version not in GO_LIVE_STATEMENTS:
        raise ValueError(f"Unknown statement version {statement_version!r}")
    with transaction.atomic():
        locked = Migration.objects.select_for_update().get(pk=migration.pk)
        readiness = go_live_readiness(locked)
        current = readiness.sign_off
        if (current.pk if current else None) != expected_current_id:
            raise SignOffConflict(current)
        if current and not supersede_reason.strip():
            raise ValueError("A correction to the go-live sign-off needs a reason.")
        if readiness.blockers:
            raise SignOffBlocked(readiness.blockers)
        today = timezone.localdate()
        sign_off = GoLiveSignOff.objects.create(
            migration=locked,
            sequence=current.sequence + 1 if current else 1,
            signed_by=user,
            signed_by_name=user.get_full_name(),
            role=Role.PRACTICE_MANAGER,
            signed_at=timezone.now(),
            statement_version=statement_version,
            readiness_snapshot=readiness.snapshot(),
            supersedes=current,
            supersede_reason=supersede_reason.strip() if current else "",
        )
        audit_record(
            actor=user,
            action="go_live.signed_off" if current is None else "go_live.sign_off_superseded",
            obj=sign_off,
            before={"sign_off": current.sequence} if current else None,
            after={
                "sign_off": sign_off.sequence,
                "role": sign_off.role,
                "statement_version": statement_version,
            },
            reason=sign_off.supersede_reason,
            practice_id=locked.practice_id,
            migration_id=locked.pk,
        )
        if locked.went_live_on is None:
            # The day the go-live data is signed off is the day the practice goes live (MigrationStage.LIVE).
            locked.went_live_on = today
            locked.save(update_fields=["went_live_on"])
            audit_record(
                actor=user,
                action="migration.went_live",
                obj=locked,
                after={"went_live_on": today.isoformat()},
                practice_id=locked.practice_id,
                migration_id=locked.pk,
            )
        step = locked.steps.filter(code=SIGN_OFF_STEP_CODE, status=StepStatus.TODO).first()
        if step:
            step_update(user=user, step=step, expected_version=step.version, status=StepStatus.DONE)
    migration.refresh_from_db()
    return sign_off


def supplier_confirmation_record(
    *, user, migration: Migration, told_on: datetime.date, contact: str, reference: str = ""
) -> SupplierConfirmation:
    """Record that the new supplier was told the go-live data is signed off (the current sign-off)."""
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can record the supplier's confirmation.")
    with transaction.atomic():
        Migration.objects.select_for_update().get(pk=migration.pk)
        sign_off = current_go_live_sign_off(migration)
        if sign_off is None:
            raise ValueError("The go-live data must be signed off before the supplier is told.")
        if hasattr(sign_off, "supplier_confirmation"):
            raise ValueError("The supplier has already been told about this sign-off.")
        confirmation = SupplierConfirmation.objects.create(
            sign_off=sign_off,
            migration=migration,
            told_on=told_on,
            contact=contact.strip(),
            reference=reference.strip(),
            recorded_by=user,
        )
        audit_record(
            actor=user,
            action="go_live.supplier_told",
            obj=confirmation,
            after={
                "sign_off": sign_off.sequence,
                "told_on": told_on.isoformat(),
                "contact": confirmation.contact,
                "reference": confirmation.reference,
            },
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return confirmation


class IssueConflict(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(f"Issue {issue.pk} changed since it was loaded")


def _issue_snapshot(issue: Issue) -> dict:
    return {
        "title": issue.title,
        "description": issue.description,
        "severity": issue.severity,
        "owner": issue.owner.email if issue.owner else None,
        "target_date": issue.target_date.isoformat() if issue.target_date else None,
        "supplier_reference": issue.supplier_reference,
        "status": issue.status,
        "resolution_note": issue.resolution_note,
    }


def _check_issue_owner(practice, owner) -> None:
    if owner is not None and not practice_members(practice).filter(pk=owner.pk).exists():
        raise PermissionDenied("Issues can only be owned by people at the practice.")


def issue_raise(
    *,
    user,
    migration: Migration,
    title: str,
    severity: str,
    description: str = "",
    owner=None,
    target_date: datetime.date | None = None,
    supplier_reference: str = "",
) -> Issue:
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can raise issues.")
    _check_issue_owner(migration.practice, owner)
    with transaction.atomic():
        issue = Issue.objects.create(
            migration=migration,
            title=title.strip(),
            description=description.strip(),
            severity=severity,
            owner=owner,
            target_date=target_date,
            supplier_reference=supplier_reference.strip(),
            raised_by=user,
        )
        audit_record(
            actor=user,
            action="issue.raised",
            obj=issue,
            after=_issue_snapshot(issue),
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return issue


def issue_update(
    *,
    user,
    issue: Issue,
    expected_version: int,
    title: str,
    severity: str,
    status: str,
    description: str = "",
    owner=None,
    target_date: datetime.date | None = None,
    supplier_reference: str = "",
    resolution_note: str = "",
) -> Issue:
    """Edit, resolve or reopen an issue, refusing if it changed since `expected_version`."""
    practice = issue.migration.practice
    if not can_work_checklist(user, practice):
        raise PermissionDenied("Only people at the practice can change issues.")
    _check_issue_owner(practice, owner)
    if status == IssueStatus.RESOLVED and not resolution_note.strip():
        raise ValueError("A resolved issue needs a resolution note.")
    with transaction.atomic():
        current = Issue.objects.select_for_update(of=("self",)).select_related("owner").get(pk=issue.pk)
        if current.version != expected_version:
            raise IssueConflict(current)
        before = _issue_snapshot(current)
        current.title = title.strip()
        current.description = description.strip()
        current.severity = severity
        current.owner = owner
        current.target_date = target_date
        current.supplier_reference = supplier_reference.strip()
        current.resolution_note = resolution_note.strip()
        if status == IssueStatus.RESOLVED and current.status != IssueStatus.RESOLVED:
            current.resolved_at, current.resolved_by = timezone.now(), user
        elif status == IssueStatus.OPEN:
            current.resolved_at, current.resolved_by = None, None
        current.status = status
        old, new = changed_fields(before, _issue_snapshot(current))
        if not new:
            return current
        current.version += 1
        current.save()
        action = {IssueStatus.RESOLVED: "issue.resolved", IssueStatus.OPEN: "issue.reopened"}
        audit_record(
            actor=user,
            action=action[status] if "status" in new else "issue.updated",
            obj=current,
            before=old,
            after=new,
            practice_id=practice.pk,
            migration_id=current.migration_id,
        )
    return current


def process_review_references_save(*, user, migration: Migration, references: dict[str, str]) -> int:
    """Set the supplier's reference for each process-review item; a blank removes it. Returns how many changed."""
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can record the supplier's references.")
    with transaction.atomic():
        existing = {
            ref.item: ref for ref in ProcessReviewReference.objects.select_for_update().filter(migration=migration)
        }
        before = {item: ref.reference for item, ref in existing.items()}
        after = {}
        for item, value in references.items():
            value = value.strip()
            ref = existing.get(item)
            if value and ref is None:
                ProcessReviewReference.objects.create(migration=migration, item=item, reference=value, updated_by=user)
            elif value and ref.reference != value:
                ref.reference, ref.updated_by = value, user
                ref.save()
            elif not value and ref is not None:
                ref.delete()
            after[item] = value or None
        old, new = changed_fields({item: before.get(item) for item in after}, after)
        if new:
            audit_record(
                actor=user,
                action="process_review.references_changed",
                obj=migration,
                before=old,
                after=new,
                practice_id=migration.practice_id,
                migration_id=migration.pk,
            )
    return len(new)


# Third-party links: switched off for cutover, back on after go-live (DOMAIN.md §5, §3.2).


class LinkConflict(Exception):
    """Someone else changed the link after this user loaded it."""

    def __init__(self, link: ThirdPartyLink):
        self.link = link
        super().__init__(f"Link {link.pk} was changed by {link.updated_by} at {link.updated_at}")


class LinkMoveRefused(Exception):
    """A move the transition table or the dates do not allow; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


# The forward moves: which status each comes from, and the fields it records.
LINK_MOVES = {
    LinkStatus.SUPPLIER_TOLD: ({LinkStatus.IN_USE}, ("told_on",)),
    LinkStatus.SWITCHED_OFF: ({LinkStatus.SUPPLIER_TOLD}, ("switched_off_on",)),
    LinkStatus.RECONNECTION_REQUESTED: (
        {LinkStatus.SWITCHED_OFF},
        ("reconnection_requested_on", "reconnection_contact", "reconnection_reference"),
    ),
    LinkStatus.RECONNECTED: ({LinkStatus.RECONNECTION_REQUESTED}, ("reconnected_on",)),
    LinkStatus.VERIFIED: ({LinkStatus.RECONNECTED}, ("verified_on",)),
    LinkStatus.NOT_NEEDED: ({LinkStatus.IN_USE, LinkStatus.SUPPLIER_TOLD}, ("not_needed_reason",)),
}

# Moving back one stage (with a reason) clears what the later stage recorded.
LINK_BACK = {
    LinkStatus.SUPPLIER_TOLD: (LinkStatus.IN_USE, ("told_on",)),
    LinkStatus.SWITCHED_OFF: (LinkStatus.SUPPLIER_TOLD, ("switched_off_on",)),
    LinkStatus.RECONNECTION_REQUESTED: (
        LinkStatus.SWITCHED_OFF,
        ("reconnection_requested_on", "reconnection_contact", "reconnection_reference"),
    ),
    LinkStatus.RECONNECTED: (LinkStatus.RECONNECTION_REQUESTED, ("reconnected_on",)),
    LinkStatus.VERIFIED: (LinkStatus.RECONNECTED, ("verified_on", "verified_by", "verified_at")),
    LinkStatus.NOT_NEEDED: (LinkStatus.IN_USE, ("not_needed_reason",)),
}


def link_moves_from(status: str) -> list[str]:
    """The forward moves a link at `status` may make, in the order they are offered."""
    return [to_status for to_status, (allowed_from, _fields) in LINK_MOVES.items() if status in allowed_from]


def _link_snapshot(link: ThirdPartyLink) -> dict:
    def day(value):
        return value.isoformat() if value else None

    return {
        "status": link.status,
        "told_on": day(link.told_on),
        "switched_off_on": day(link.switched_off_on),
        "reconnection_requested_on": day(link.reconnection_requested_on),
        "reconnection_contact": link.reconnection_contact,
        "reconnection_reference": link.reconnection_reference,
        "reconnected_on": day(link.reconnected_on),
        "verified_on": day(link.verified_on),
        "verified_by": link.verified_by.email if link.verified_by else None,
        "not_needed_reason": link.not_needed_reason,
        "reconfiguration_needed": link.reconfiguration_needed,
        "reconfiguration_note": link.reconfiguration_note,
    }


def _check_link_dates(link: ThirdPartyLink, to_status: str, values: dict, today: datetime.date) -> None:
    """Refuse dates in the future, and dates earlier than the stage they follow."""
    for name, value in values.items():
        if isinstance(value, datetime.date) and value > today:
            raise LinkMoveRefused("The date must be today or in the past", name)
    if to_status == LinkStatus.RECONNECTED and link.switched_off_on and values["reconnected_on"] < link.switched_off_on:
        raise LinkMoveRefused(
            "The reconnection date must be the same as or after the switch-off date"
            f" ({date_format(link.switched_off_on, 'j F Y')})",
            "reconnected_on",
        )
    if to_status == LinkStatus.VERIFIED and link.reconnected_on and values["verified_on"] < link.reconnected_on:
        raise LinkMoveRefused(
            "The date checked must be the same as or after the reconnection date"
            f" ({date_format(link.reconnected_on, 'j F Y')})",
            "verified_on",
        )
    if to_status == LinkStatus.NOT_NEEDED and not values["not_needed_reason"].strip():
        raise LinkMoveRefused("Enter why this link is not needed", "not_needed_reason")


def _locked_link(link: ThirdPartyLink, expected_version: int) -> ThirdPartyLink:
    current = (
        ThirdPartyLink.objects.select_for_update(of=("self",))
        .select_related("service", "verified_by", "updated_by")
        .get(pk=link.pk)
    )
    if current.version != expected_version:
        raise LinkConflict(current)
    return current


def _save_link(*, user, link: ThirdPartyLink, before: dict, action: str, reason: str = "") -> None:
    link.version += 1
    link.updated_by = user
    link.save()
    old, new = changed_fields(before, _link_snapshot(link))
    audit_record(
        actor=user,
        action=action,
        obj=link,
        before=old,
        after=new,
        reason=reason,
        practice_id=link.migration.practice_id,
        migration_id=link.migration_id,
    )


def _require_link_worker(user, migration: Migration) -> None:
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can change its third-party links.")


def link_move(
    *, user, link: ThirdPartyLink, to_status: str, expected_version: int, today: datetime.date, **values
) -> ThirdPartyLink:
    """Move a link one stage forward (or to "not needed"), recording that stage's dates and details."""
    _require_link_worker(user, link.migration)
    if to_status not in LINK_MOVES:
        raise LinkMoveRefused("Select a valid next step")
    allowed_from, fields = LINK_MOVES[to_status]
    if set(values) != set(fields):
        raise ValueError(f"Moving to {to_status} records exactly {fields}")
    with transaction.atomic():
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        if current.status not in allowed_from:
            raise LinkMoveRefused(
                f"{current.service} cannot be marked “{LinkStatus(to_status).label.lower()}”"
                f" while it is “{current.get_status_display().lower()}”"
            )
        _check_link_dates(current, to_status, values, today)
        before = _link_snapshot(current)
        for name, value in values.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if to_status == LinkStatus.VERIFIED:
            current.verified_by = user
            current.verified_at = timezone.now()
        current.status = to_status
        _save_link(user=user, link=current, before=before, action=f"third_party_link.{to_status}")
    return current


def link_move_back(*, user, link: ThirdPartyLink, reason: str, expected_version: int) -> ThirdPartyLink:
    """Move a link back one stage, clearing what that stage recorded. Needs a reason for the history."""
    _require_link_worker(user, link.migration)
    if not reason.strip():
        raise LinkMoveRefused("Enter why you are moving this link back", "reason")
    with transaction.atomic():
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        if current.status not in LINK_BACK:
            raise LinkMoveRefused(f"{current.service} is at its first stage and cannot move back")
        to_status, cleared = LINK_BACK[current.status]
        before = _link_snapshot(current)
        for name in cleared:
            field = ThirdPartyLink._meta.get_field(name)
            setattr(current, name, "" if field.get_internal_type() in {"CharField", "TextField"} else None)
        current.status = to_status
        _save_link(user=user, link=current, before=before, action="third_party_link.moved_back", reason=reason.strip())
    return current


def link_set_reconfiguration(
    *, user, link: ThirdPartyLink, needed: bool, note: str, expected_version: int
) -> ThirdPartyLink:
    """Flag that the service needs reconfiguring for the new system, with what needs doing."""
    _require_link_worker(user, link.migration)
    with transaction.atomic():
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        before = _link_snapshot(current)
        current.reconfiguration_needed = needed
        current.reconfiguration_note = note.strip() if needed else ""
        _save_link(user=user, link=current, before=before, action="third_party_link.reconfiguration")
    return current


def links_create(*, user, migration: Migration, services) -> list[ThirdPartyLink]:
    """Start tracking the services the practice uses; ones already tracked are refused."""
    _require_link_worker(user, migration)
    services = list(services)
    foreign = [s for s in services if s.practice_id not in (None, migration.practice_id)]
    if foreign:
        raise PermissionDenied("A practice can only track catalogue services and its own local services.")
    with transaction.atomic():
        already = set(migration.third_party_links.filter(service__in=services).values_list("service__name", flat=True))
        if already:
            raise LinkMoveRefused(f"{', '.join(sorted(already))} already tracked for this migration", "services")
        links = ThirdPartyLink.objects.bulk_create(
            ThirdPartyLink(migration=migration, service=service, updated_by=user) for service in services
        )
        audit_record(
            actor=user,
            action="third_party_links.created",
            obj=migration,
            after={"services": sorted(service.name for service in services)},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return links


def local_service_add(
    *,
    user,
    migration: Migration,
    name: str,
    category: str,
    company: str = "",
    support_contact: str = "",
    notes: str = "",
    notice_working_days: int = 5,
) -> ThirdPartyLink:
    """Add a practice's own local service to its catalogue and start tracking it for this migration."""
    _require_link_worker(user, migration)
    practice = migration.practice
    name = name.strip()
    clash = ThirdPartyService.objects.filter(Q(practice=None) | Q(practice=practice), name__iexact=name)
    with transaction.atomic():
        if clash.exists():
            raise LinkMoveRefused(f"{name} is already in the list of services: select it instead", "name")
        service = ThirdPartyService.objects.create(
            name=name,
            category=category,
            company=company.strip(),
            support_contact=support_contact.strip(),
            notes=notes.strip(),
            notice_working_days=notice_working_days,
            practice=practice,
        )
        audit_record(
            actor=user,
            action="third_party_service.created",
            obj=service,
            after={"name": service.name, "category": category, "company": service.company},
            practice_id=practice.pk,
            migration_id=migration.pk,
        )
        link = ThirdPartyLink.objects.create(migration=migration, service=service, updated_by=user)
    return link


# MESH mailbox change and the partner services told of it.


def mesh_change_save(*, user, migration: Migration, old_mailbox: str, new_mailbox: str) -> MeshChange:
    _require_link_worker(user, migration)
    with transaction.atomic():
        change, created = MeshChange.objects.select_for_update().get_or_create(migration=migration)
        before = {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox}
        change.old_mailbox, change.new_mailbox = old_mailbox.strip(), new_mailbox.strip()
        old, new = changed_fields(before, {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox})
        if not new and not created:
            return change
        if not created:
            change.version += 1
        change.updated_by = user
        change.save()
        audit_record(
            actor=user,
            action="mesh_change.saved",
            obj=change,
            before=old,
            after=new,
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return change


def mesh_partner_add(*, user, migration: Migration, partner_name: str) -> MeshPartnerNotice:
    """Add a partner service that must be told the new mailbox."""
    _require_link_worker(user, migration)
    partner_name = partner_name.strip()
    with transaction.atomic():
        change, _ = MeshChange.objects.get_or_create(migration=migration, defaults={"updated_by": user})
        if change.partner_notices.filter(partner_name__iexact=partner_name).exists():
            raise LinkMoveRefused(f"{partner_name} is already in the list", "partner_name")
        notice = MeshPartnerNotice.objects.create(mesh_change=change, partner_name=partner_name)
        audit_record(
            actor=user,
            action="mesh_partner.added",
            obj=notice,
            after={"partner_name": partner_name},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return notice


def mesh_partner_mark_told(
    *, user, notice: MeshPartnerNotice, migration: Migration, told_on: datetime.date | None, today: datetime.date
) -> MeshPartnerNotice:
    """Tick a partner as told of the new mailbox on a date, or untick it (told_on None)."""
    _require_link_worker(user, migration)
    if told_on and told_on > today:
        raise LinkMoveRefused("The date must be today or in the past", "told_on")
    with transaction.atomic():
        current = MeshPartnerNotice.objects.select_for_update().get(pk=notice.pk)
        before = {"told_on": current.told_on.isoformat() if current.told_on else None}
        current.told_on = told_on
        current.told_by = user if told_on else None
        current.save()
        audit_record(
            actor=user,
            action="mesh_partner.told" if told_on else "mesh_partner.untold",
            obj=current,
            before=before,
            after={"told_on": told_on.isoformat() if told_on else None},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return current


def cutover_registrations_update(
    *, user, migration: Migration, waiting: int, registered: int, expected_version: int | None = None
) -> CutoverRegistrations:
    """Record how many patients who joined in cutover are still to register, and how many are done. Counts only."""
    _require_link_worker(user, migration)
    if waiting < 0 or registered < 0:
        raise LinkMoveRefused("Counts must be 0 or more")
    with transaction.atomic():
        counts, created = CutoverRegistrations.objects.select_for_update().get_or_create(migration=migration)
        if expected_version is not None and not created and counts.version != expected_version:
            raise LinkMoveRefused("Someone else changed these counts while you were editing. Check them and try again.")
        before = {"waiting": counts.waiting, "registered": counts.registered}
        counts.waiting, counts.registered = waiting, registered
        if not created:
            counts.version += 1
        counts.updated_by = user
        counts.save()
        old, new = changed_fields(before, {"waiting": waiting, "registered": registered})
        audit_record(
            actor=user,
            action="cutover_registrations.updated",
            obj=counts,
            before=old,
            after=new,
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return counts
