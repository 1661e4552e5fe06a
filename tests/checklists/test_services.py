import datetime

import pytest
from django.core.exceptions import PermissionDenied

from checklists import services
from checklists.models import ChecklistTemplate, Migration, Phase, Step, StepStatus
from checklists.scheduling import add_working_days
from golive.core.models import AuditEvent


def test_default_template_covers_every_phase(default_template):
    phases = set(default_template.steps.values_list("phase", flat=True))
    assert phases == set(Phase.values)


def test_loading_the_default_template_twice_changes_nothing(default_template):
    again = services.template_load_default()
    assert again.pk == default_template.pk
    assert ChecklistTemplate.objects.count() == 1


def test_creating_a_migration_makes_every_template_step_with_due_dates(world, default_template):
    migration = world.migration
    assert migration.steps.count() == default_template.steps.count()
    sign_off = migration.steps.get(code="GL-02")
    template_step = default_template.steps.get(code="GL-02")
    assert sign_off.due_date == add_working_days(migration.go_live_date, template_step.offset_working_days)
    assert migration.read_only_ends_on == migration.go_live_date + datetime.timedelta(days=45)


def test_creating_a_migration_is_audited(world):
    event = AuditEvent.objects.get(action="migration.created", migration_id=world.migration.pk)
    assert event.actor == world.manager
    assert event.after["go_live_date"] == "2027-03-01"


def test_practice_staff_cannot_create_a_migration(world):
    with pytest.raises(PermissionDenied):
        world.make_migration(world.home, world.staff)
    assert Migration.objects.filter(practice=world.home).count() == 1


def test_commissioner_of_another_icb_cannot_create_a_migration(world):
    with pytest.raises(PermissionDenied):
        world.make_migration(world.home, world.other_commissioner)


def test_preview_lists_moves_and_overdue_without_writing(world):
    migration = world.migration
    before = list(migration.steps.values_list("pk", "due_date"))
    today = migration.go_live_date - datetime.timedelta(days=30)
    moves = services.migration_preview_key_dates(
        migration=migration,
        idp_date=migration.idp_date - datetime.timedelta(days=28),
        fdp_date=migration.fdp_date - datetime.timedelta(days=28),
        go_live_date=migration.go_live_date - datetime.timedelta(days=28),
        read_only_window_days=45,
        today=today,
    )
    assert moves
    assert any(move.becomes_overdue for move in moves)
    assert all(move.new_due < today for move in moves if move.becomes_overdue)
    assert list(migration.steps.values_list("pk", "due_date")) == before


def test_changing_key_dates_moves_open_steps_and_keeps_done_ones(world):
    migration = world.migration
    done = migration.steps.get(code="GL-02")
    services.step_update(user=world.manager, step=done, expected_version=done.version, status=StepStatus.DONE)
    done_due = done.due_date
    moved = services.migration_change_key_dates(
        user=world.manager,
        migration=migration,
        idp_date=migration.idp_date + datetime.timedelta(days=14),
        fdp_date=migration.fdp_date + datetime.timedelta(days=14),
        go_live_date=migration.go_live_date + datetime.timedelta(days=14),
        read_only_window_days=90,
        read_only_window_source="newer_guide",
        reason="Supplier moved the go-live",
        expected_version=migration.version,
    )
    migration.refresh_from_db()
    assert moved == migration.steps.filter(status=StepStatus.TODO).count()
    assert migration.read_only_ends_on == datetime.date(2027, 3, 15) + datetime.timedelta(days=90)
    assert migration.steps.get(code="GL-02").due_date == done_due
    event = AuditEvent.objects.get(action="migration.key_dates_changed")
    assert event.reason == "Supplier moved the go-live"
    assert event.before["go_live_date"] == "2027-03-01"
    assert event.after["go_live_date"] == "2027-03-15"


def test_changing_key_dates_with_a_stale_version_is_refused(world):
    migration = world.migration
    with pytest.raises(services.MigrationConflict):
        services.migration_change_key_dates(
            user=world.manager,
            migration=migration,
            idp_date=migration.idp_date,
            fdp_date=migration.fdp_date,
            go_live_date=migration.go_live_date + datetime.timedelta(days=1),
            read_only_window_days=45,
            read_only_window_source="older_guide",
            reason="x",
            expected_version=migration.version + 1,
        )


def test_ticking_a_step_records_who_and_when_and_audits(world):
    step = world.migration.steps.first()
    updated = services.step_update(user=world.staff, step=step, expected_version=1, status=StepStatus.DONE)
    assert updated.status == StepStatus.DONE
    assert updated.completed_by == world.staff
    assert updated.version == 2
    event = AuditEvent.objects.get(action="step.updated", object_id=str(step.pk))
    assert event.before == {"status": "todo"}
    assert event.after == {"status": "done"}


def test_second_writer_with_a_stale_version_gets_a_conflict_naming_the_first(world):
    step = world.migration.steps.first()
    services.step_update(user=world.manager, step=step, expected_version=1, note="Asked supplier")
    with pytest.raises(services.StepConflict) as conflict:
        services.step_update(user=world.staff, step=step, expected_version=1, status=StepStatus.DONE)
    assert conflict.value.step.updated_by == world.manager
    step.refresh_from_db()
    assert step.status == StepStatus.TODO
    assert step.note == "Asked supplier"


def test_not_applicable_needs_a_reason(world):
    step = world.migration.steps.first()
    with pytest.raises(ValueError, match="reason"):
        services.step_update(user=world.manager, step=step, expected_version=1, status=StepStatus.NOT_APPLICABLE)
    step.refresh_from_db()
    assert step.status == StepStatus.TODO
    assert not AuditEvent.objects.filter(action="step.updated").exists()


def test_commissioner_cannot_tick_steps(world):
    step = world.migration.steps.first()
    with pytest.raises(PermissionDenied):
        services.step_update(user=world.commissioner, step=step, expected_version=1, status=StepStatus.DONE)


def test_steps_can_only_be_assigned_to_people_at_the_practice(world):
    step = world.migration.steps.first()
    with pytest.raises(PermissionDenied):
        services.step_update(user=world.manager, step=step, expected_version=1, assignee=world.other_manager)
    assert Step.objects.get(pk=step.pk).assignee is None


def test_saving_without_changes_writes_no_audit_event(world):
    step = world.migration.steps.first()
    services.step_update(user=world.manager, step=step, expected_version=1, note="")
    assert not AuditEvent.objects.filter(action="step.updated").exists()
