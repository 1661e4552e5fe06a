"""Writes for go-live day: data re-checks, sign-off, supplier confirmation, issue log, process review."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from checklists.models import Migration, StepStatus
from checklists.services import migration_lock_for_write, step_update
from golive.core.audit import audit_record, changed_fields
from practices.models import Role
from practices.selectors import (
    can_work_checklist,
    practice_members,
    roles_for,
)

from .models import (
    GO_LIVE_STATEMENTS,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueStatus,
    ProcessReviewReference,
    SupplierConfirmation,
)
from .selectors import SIGN_OFF_STEP_CODE, current_go_live_sign_off, go_live_readiness


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
        migration_lock_for_write(migration.pk)
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
        locked = migration_lock_for_write(migration.pk)
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
        migration_lock_for_write(migration.pk)
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
        migration_lock_for_write(migration.pk)
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
        migration_lock_for_write(issue.migration_id)
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
        migration_lock_for_write(migration.pk)
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
