"""Withdrawing a migration: who may, with a reason, audited; then shown as withdrawn and read-only (issue 10)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Migration, MigrationStage, Step, StepStatus
from golive.core.models import AuditEvent
from tests.factories import MigrationFactory

REASON = "Created for the wrong practice"


def withdraw(world, user=None, reason=REASON):
    return services.migration_withdraw(user=user or world.manager, migration=world.migration, reason=reason)


def state(migration) -> tuple:
    """Everything a refused write must leave alone."""
    return (
        AuditEvent.objects.count(),
        list(Migration.objects.filter(pk=migration.pk).values_list("version", "withdrawn_at", "go_live_date")),
        list(Step.objects.filter(migration=migration).order_by("pk").values_list("status", "version", "note")),
    )


@pytest.mark.parametrize("who", ["manager", "commissioner", "admin"])
def test_the_practice_manager_the_icb_commissioner_or_an_administrator_withdraws(world, who):
    migration = withdraw(world, getattr(world, who))
    assert migration.is_withdrawn
    assert (migration.withdrawn_by, migration.withdrawal_reason) == (getattr(world, who), REASON)
    event = AuditEvent.objects.get(action="migration.withdrawn", migration_id=migration.pk)
    assert (event.actor, event.reason) == (getattr(world, who), REASON)


def test_staff_cannot_withdraw_and_nothing_is_written(client_for, world):
    before = state(world.migration)
    response = client_for(world.staff).post(reverse("checklists:withdraw", args=[world.migration.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert state(world.migration) == before
    with pytest.raises(PermissionDenied):
        withdraw(world, world.staff)


def test_withdraw_page_asks_for_a_reason_then_shows_the_migration_as_withdrawn(client_for, world):
    client = client_for(world.manager)
    url = reverse("checklists:withdraw", args=[world.migration.pk])
    page = client.get(url).content.decode()
    assert "Withdrawing cannot be undone" in page
    response = client.post(url, {"reason": REASON}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("checklists:migration", args=[world.migration.pk])
    assert "Migration withdrawn" in html
    assert "This migration was withdrawn" in html
    assert REASON in html
    assert "Change key dates" not in html
    assert response.context["stage_tag"]["text"] == "Withdrawn"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_without_a_reason_shows_an_error_and_saves_nothing(client_for, world, reason):
    before = state(world.migration)
    response = client_for(world.manager).post(
        reverse("checklists:withdraw", args=[world.migration.pk]), {"reason": reason}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter why the migration is being withdrawn" in html
    assert state(world.migration) == before


def test_withdrawing_a_finished_migration_is_refused(client_for, world):
    Migration.objects.filter(pk=world.migration.pk).update(
        went_live_on=world.migration.go_live_date, completed_on=world.migration.read_only_ends_on
    )
    before = state(world.migration)
    response = client_for(world.manager).post(
        reverse("checklists:withdraw", args=[world.migration.pk]), {"reason": REASON}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This migration is finished, so it cannot be withdrawn" in html
    assert state(world.migration) == before


def test_withdrawing_twice_is_refused_and_keeps_the_first_withdrawal(client_for, world):
    withdraw(world)
    before = state(world.migration)
    response = client_for(world.commissioner).post(
        reverse("checklists:withdraw", args=[world.migration.pk]), {"reason": "Another reason"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This migration was withdrawn on" in html
    assert state(world.migration) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"withdrawn_at": timezone.now(), "withdrawal_reason": REASON, "completed_on": datetime.date(2027, 5, 1)},
        {"withdrawn_at": timezone.now(), "withdrawal_reason": ""},
    ],
    ids=["withdrawn-and-finished", "withdrawn-without-a-reason"],
)
def test_the_database_refuses_a_withdrawal_that_is_not_true(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MigrationFactory(**fields)


def test_a_posted_tick_after_withdrawal_is_refused_and_writes_nothing(client_for, world):
    step = world.migration.steps.first()
    withdraw(world)
    before = state(world.migration)
    response = client_for(world.staff).post(
        reverse("checklists:step_tick", args=[world.migration.pk, step.pk]),
        {"status": "done", "version": step.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("checklists:migration", args=[world.migration.pk])
    assert "nothing in it can be changed" in response.content.decode()
    assert state(world.migration) == before


def test_checklist_services_refuse_every_write_after_withdrawal(world):
    step = world.migration.steps.first()
    withdraw(world)
    before = state(world.migration)
    writes = [
        lambda: services.step_update(user=world.manager, step=step, expected_version=step.version, note="Late note"),
        lambda: services.migration_change_key_dates(
            user=world.manager,
            migration=world.migration,
            idp_date=world.migration.idp_date,
            fdp_date=world.migration.fdp_date,
            go_live_date=world.migration.go_live_date + datetime.timedelta(days=7),
            read_only_window_days=45,
            read_only_window_source="older_guide",
            reason="Moved",
            expected_version=world.migration.version,
        ),
        lambda: services.phase_mark_done(
            user=world.manager,
            migration=world.migration,
            phase="decision",
            step_ids=list(world.migration.steps.values_list("pk", flat=True)),
        ),
    ]
    for write in writes:
        with pytest.raises(services.MigrationWithdrawn):
            write()
    assert state(world.migration) == before


def test_a_withdrawn_migration_hides_every_way_to_change_it(client_for, world):
    withdraw(world)
    client = client_for(world.manager)
    checklist = client.get(reverse("checklists:checklist", args=[world.migration.pk])).content.decode()
    step = world.migration.steps.first()
    step_page = client.get(reverse("checklists:step", args=[world.migration.pk, step.pk])).content.decode()
    assert "Mark done" not in checklist
    assert "Mark the whole phase as done" not in checklist
    assert "cannot be changed" in step_page
    assert 'type="submit">Save' not in step_page
    key_dates = client.get(reverse("checklists:key_dates", args=[world.migration.pk]))
    assert key_dates.status_code == 302


def test_home_list_shows_the_withdrawn_tag(client_for, world):
    withdraw(world)
    response = client_for(world.manager).get(reverse("home"))
    tags = {m.pk: m.stage_tag["text"] for m in response.context["page"]}
    assert tags[world.migration.pk] == "Withdrawn"
    assert Migration.objects.with_stage(timezone.localdate()).get(pk=world.migration.pk).stage == (
        MigrationStage.WITHDRAWN
    )


def test_history_says_withdrawn_in_words(client_for, world):
    withdraw(world)
    html = client_for(world.manager).get(reverse("checklists:history", args=[world.migration.pk])).content.decode()
    assert "Migration withdrawn" in html
    assert REASON in html


def test_withdrawing_keeps_the_checklist_as_it_was(world):
    step = world.migration.steps.first()
    services.step_update(user=world.manager, step=step, expected_version=step.version, status=StepStatus.DONE)
    withdraw(world)
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
