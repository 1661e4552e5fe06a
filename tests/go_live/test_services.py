import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from checklists.models import MigrationStage, StepStatus
from go_live import selectors, services
from go_live.models import (
    CURRENT_GO_LIVE_STATEMENT,
    CheckArea,
    CheckResult,
    CheckRound,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueSeverity,
    IssueStatus,
    ProcessReviewReference,
    SupplierConfirmation,
)
from golive.core.audit import audit_object_types
from golive.core.models import AuditEvent
from tests.factories import DataCheckFactory, IssueFactory


def sign(user, migration, expected=None, reason=""):
    return services.go_live_sign_off(
        user=user,
        migration=migration,
        statement_version=CURRENT_GO_LIVE_STATEMENT,
        expected_current_id=expected,
        supersede_reason=reason,
    )


def record_check(user, migration, **overrides):
    values = {
        "area": CheckArea.QOF,
        "round": CheckRound.GO_LIVE,
        "result": CheckResult.PASSED,
        "records_checked": 120,
        "problems_found": 0,
        "checked_on": datetime.date(2027, 2, 26),
        "supplier_reference": " INC-1 ",
    }
    values.update(overrides)
    return services.data_check_record(user=user, migration=migration, **values)


# Data checks


def test_practice_staff_record_a_data_check_with_an_audit_event(world):
    check = record_check(world.staff, world.migration)
    assert check.supplier_reference == "INC-1"
    event = AuditEvent.objects.get(action="data_check.recorded")
    assert event.object_id == str(check.pk)
    assert event.after["records_checked"] == 120
    assert event.migration_id == world.migration.pk


def test_commissioner_cannot_record_a_data_check(world):
    with pytest.raises(PermissionDenied):
        record_check(world.commissioner, world.migration)
    assert not DataCheck.objects.exists()


def test_more_problems_than_records_is_refused(world):
    with pytest.raises(ValueError, match="more than records"):
        record_check(world.staff, world.migration, records_checked=3, problems_found=4)
    assert not DataCheck.objects.exists()


# Readiness


def test_a_fresh_migration_is_blocked_by_its_critical_cutover_and_go_live_steps(world):
    readiness = selectors.go_live_readiness(world.migration)
    codes = [step.code for step in readiness.blocking_steps]
    assert "GL-01" in codes
    assert "FDP-04" in codes
    assert "GL-02" not in codes  # the sign-off itself
    assert "GL-03" not in codes  # comes after the sign-off
    assert "Critical step still open: GL-01 Complete the pre-go-live checklist" in readiness.blockers


def test_nothing_blocks_once_the_critical_steps_are_done(ready):
    readiness = selectors.go_live_readiness(ready)
    assert readiness.blockers == []
    assert [check for _, check in readiness.checks] == [None] * len(selectors.GO_LIVE_REQUIRED_AREAS)


def test_a_failed_check_blocks_until_a_later_recheck_passes(world, ready):
    DataCheckFactory(
        migration=ready, area=CheckArea.CYTOLOGY, result=CheckResult.FAILED, problems_found=7, checked_by=world.staff
    )
    blockers = selectors.go_live_readiness(ready).blockers
    assert blockers == ["Data check failed: Cytology targets (Go-live round, 7 problems in 50 records)"]
    DataCheckFactory(
        migration=ready,
        area=CheckArea.CYTOLOGY,
        checked_on=ready.fdp_date + datetime.timedelta(days=1),
        checked_by=world.staff,
    )
    assert selectors.go_live_readiness(ready).blockers == []


def test_checks_from_the_idp_round_and_degraded_codes_do_not_block(world, ready):
    DataCheckFactory(migration=ready, round=CheckRound.IDP, result=CheckResult.FAILED, checked_by=world.staff)
    DataCheckFactory(migration=ready, area=CheckArea.DEGRADED_CODES, result=CheckResult.FAILED, checked_by=world.staff)
    assert selectors.go_live_readiness(ready).blockers == []


def test_open_issue_counts_are_by_severity_most_severe_first(world):
    IssueFactory(migration=world.migration, severity=IssueSeverity.LOW, raised_by=world.staff)
    IssueFactory(migration=world.migration, severity=IssueSeverity.CRITICAL, raised_by=world.staff)
    IssueFactory(
        migration=world.migration,
        severity=IssueSeverity.CRITICAL,
        status=IssueStatus.RESOLVED,
        resolution_note="Fixed",
        resolved_at=timezone.now(),
        raised_by=world.staff,
    )
    counts = selectors.open_issue_counts(world.migration)
    assert counts == {"critical": 1, "high": 0, "medium": 0, "low": 1}


# Sign-off


def test_manager_signs_off_and_the_migration_goes_live(world, ready):
    DataCheckFactory(migration=ready, area=CheckArea.QOF, checked_by=world.staff)
    sign_off = sign(world.manager, ready)
    assert sign_off.sequence == 1
    assert sign_off.signed_by == world.manager
    assert sign_off.role == "practice_manager"
    assert sign_off.statement_version == CURRENT_GO_LIVE_STATEMENT
    assert sign_off.readiness_snapshot["checks"]["qof"]["result"] == "passed"
    assert sign_off.readiness_snapshot["checks"]["cytology"] is None
    ready.refresh_from_db()
    assert ready.went_live_on == timezone.localdate()
    assert ready.stage_on(timezone.localdate()) == MigrationStage.LIVE


def test_sign_off_marks_gl02_done_and_is_audited(world, ready):
    sign(world.manager, ready)
    step = ready.steps.get(code="GL-02")
    assert step.status == StepStatus.DONE
    assert step.completed_by == world.manager
    actions = set(AuditEvent.objects.filter(migration_id=ready.pk).values_list("action", flat=True))
    assert {"go_live.signed_off", "migration.went_live", "step.updated"} <= actions


@pytest.mark.parametrize("who", ["staff", "commissioner", "admin", "neighbour_manager"])
def test_only_a_practice_manager_of_the_practice_can_sign(world, ready, who):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        sign(getattr(world, who), ready)
    assert not GoLiveSignOff.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_blocked_sign_off_names_its_blockers_and_writes_nothing(world):
    with pytest.raises(services.SignOffBlocked) as blocked:
        sign(world.manager, world.migration)
    assert "Critical step still open: GL-01 Complete the pre-go-live checklist" in blocked.value.blockers
    assert not GoLiveSignOff.objects.exists()
    world.migration.refresh_from_db()
    assert world.migration.went_live_on is None


def test_signing_again_from_a_stale_page_is_a_conflict_naming_the_signer(world, ready):
    first = sign(world.manager, ready)
    with pytest.raises(services.SignOffConflict) as conflict:
        sign(world.manager, ready, expected=None)
    assert conflict.value.current == first
    assert GoLiveSignOff.objects.count() == 1


def test_a_correction_supersedes_the_old_sign_off_and_keeps_both(world, ready):
    first = sign(world.manager, ready)
    second = sign(world.manager, ready, expected=first.pk, reason="Cytology re-run after the supplier's fix")
    assert second.sequence == 2
    assert second.supersedes == first
    first.refresh_from_db()
    assert first.superseded_by == second
    assert selectors.current_go_live_sign_off(ready) == second
    assert list(selectors.go_live_sign_off_history(ready)) == [second, first]
    event = AuditEvent.objects.get(action="go_live.sign_off_superseded")
    assert event.reason == "Cytology re-run after the supplier's fix"


def test_a_correction_needs_a_reason(world, ready):
    first = sign(world.manager, ready)
    with pytest.raises(ValueError, match="needs a reason"):
        sign(world.manager, ready, expected=first.pk, reason="  ")
    assert GoLiveSignOff.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the immutability trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_sign_off(world, ready):
    sign_off = sign(world.manager, ready)
    for change in (
        lambda: GoLiveSignOff.objects.filter(pk=sign_off.pk).update(statement_version="edited"),
        lambda: GoLiveSignOff.objects.filter(pk=sign_off.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            change()


# Supplier confirmation


def test_the_supplier_confirmation_is_recorded_against_the_current_sign_off(world, ready):
    sign_off = sign(world.manager, ready)
    confirmation = services.supplier_confirmation_record(
        user=world.staff, migration=ready, told_on=timezone.localdate(), contact=" TPP migration team ", reference="M-1"
    )
    assert confirmation.sign_off == sign_off
    assert confirmation.contact == "TPP migration team"
    assert AuditEvent.objects.filter(action="go_live.supplier_told").count() == 1


def test_the_supplier_cannot_be_told_before_sign_off_or_twice(world, ready):
    kwargs = {"user": world.manager, "migration": ready, "told_on": timezone.localdate(), "contact": "TPP"}
    with pytest.raises(ValueError, match="signed off before"):
        services.supplier_confirmation_record(**kwargs)
    sign(world.manager, ready)
    services.supplier_confirmation_record(**kwargs)
    with pytest.raises(ValueError, match="already been told"):
        services.supplier_confirmation_record(**kwargs)
    assert SupplierConfirmation.objects.count() == 1


def test_commissioner_cannot_record_the_supplier_confirmation(world, ready):
    sign(world.manager, ready)
    with pytest.raises(PermissionDenied):
        services.supplier_confirmation_record(
            user=world.commissioner, migration=ready, told_on=timezone.localdate(), contact="TPP"
        )


# Issues


def raise_issue(world, **overrides):
    values = {"title": "Allergies degraded", "severity": IssueSeverity.HIGH, "owner": world.staff}
    values.update(overrides)
    return services.issue_raise(user=world.staff, migration=world.migration, **values)


def edit(world, issue, **overrides):
    values = {
        "title": issue.title,
        "severity": issue.severity,
        "status": issue.status,
        "owner": issue.owner,
        "expected_version": issue.version,
    }
    values.update(overrides)
    return services.issue_update(user=world.staff, issue=issue, **values)


def test_raising_an_issue_is_audited(world):
    issue = raise_issue(world)
    assert issue.status == IssueStatus.OPEN
    assert AuditEvent.objects.get(action="issue.raised").after["owner"] == world.staff.email


def test_an_issue_cannot_be_owned_by_someone_outside_the_practice(world):
    with pytest.raises(PermissionDenied):
        raise_issue(world, owner=world.neighbour_manager)


def test_resolving_an_issue_records_who_and_when_and_reopening_clears_it(world):
    issue = raise_issue(world)
    issue = edit(world, issue, status=IssueStatus.RESOLVED, resolution_note="Recoded by the supplier")
    assert issue.resolved_by == world.staff
    assert issue.resolved_at is not None
    issue = edit(world, issue, status=IssueStatus.OPEN, resolution_note="")
    assert issue.resolved_at is None
    actions = list(
        AuditEvent.objects.filter(object_type__in=audit_object_types(Issue)).values_list("action", flat=True)
    )
    assert actions == ["issue.reopened", "issue.resolved", "issue.raised"]


def test_resolving_needs_a_note(world):
    issue = raise_issue(world)
    with pytest.raises(ValueError, match="resolution note"):
        edit(world, issue, status=IssueStatus.RESOLVED)


def test_a_stale_issue_edit_is_a_conflict(world):
    issue = raise_issue(world)
    edit(world, issue, title="Allergies degraded to free text")
    with pytest.raises(services.IssueConflict):
        edit(world, issue, title="Something else", expected_version=1)


# Process review


def test_process_review_references_are_set_changed_and_removed(world):
    migration = world.migration
    save = services.process_review_references_save
    assert save(user=world.staff, migration=migration, references={"mapping_tables": "MT-1", "issue_log": ""}) == 1
    assert save(user=world.staff, migration=migration, references={"mapping_tables": "MT-2"}) == 1
    assert ProcessReviewReference.objects.get().reference == "MT-2"
    assert save(user=world.staff, migration=migration, references={"mapping_tables": " "}) == 1
    assert not ProcessReviewReference.objects.exists()
    assert AuditEvent.objects.filter(action="process_review.references_changed").count() == 3


def test_process_review_facts_count_checks_and_issues(world, ready):
    DataCheckFactory(migration=ready, area=CheckArea.LOCAL_CODES, checked_by=world.staff)
    DataCheckFactory(migration=ready, result=CheckResult.FAILED, checked_by=world.staff)
    IssueFactory(migration=ready, severity=IssueSeverity.CRITICAL, raised_by=world.staff)
    facts = selectors.process_review_facts(ready)
    assert facts["check_counts"] == {"total": 2, "passed": 1, "passed_with_issues": 0, "failed": 1}
    assert facts["local_codes"].area == CheckArea.LOCAL_CODES
    assert facts["issues_total"] == 1
    assert facts["open_issues"]["critical"] == 1
