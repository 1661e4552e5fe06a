"""Reminders stop for a withdrawn migration; supplier and delivery-partner steps are the practice manager's to chase
until those people use GoLive (issue 10, items 5 and 8)."""

import datetime

import pytest
from django.urls import reverse

from checklists.models import StepRole, StepStatus
from checklists.services import migration_withdraw
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderStatus
from reminders.selectors import commissioner_week, daily_digest, reminders_due
from reminders.services import reminder_send

CHASED = [StepRole.OLD_SUPPLIER, StepRole.NEW_SUPPLIER, StepRole.DELIVERY_PARTNER]


def withdraw(world):
    migration_withdraw(user=world.manager, migration=world.migration, reason="Created for the wrong practice")


def test_the_sweep_makes_no_reminders_for_a_withdrawn_migration(world):
    ends = world.migration.read_only_ends_on
    days = [ends - datetime.timedelta(days=7), world.migration.fdp_date - datetime.timedelta(days=7)]
    assert any(r.migration_id == world.migration.pk for day in days for r in reminders_due(day))
    withdraw(world)
    assert not [r for day in days for r in reminders_due(day) if r.migration_id == world.migration.pk]


def test_a_withdrawn_migrations_steps_leave_the_daily_digest(world):
    today = world.migration.go_live_date
    assert [r for r in reminders_due(today) if r.kind == Kind.DAILY_DIGEST and r.recipient_id == world.staff.pk]
    withdraw(world)
    assert not [r for r in reminders_due(today) if r.kind == Kind.DAILY_DIGEST and r.recipient_id == world.staff.pk]
    assert not daily_digest(world.manager, today)


def test_a_reminder_queued_before_the_withdrawal_is_not_sent(world, mailoutbox):
    reminder = Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.GO_LIVE_WEEK,
        for_date=world.migration.go_live_date - datetime.timedelta(days=7),
    )
    withdraw(world)
    assert reminder_send(reminder_id=reminder.pk) == ReminderStatus.SKIPPED
    reminder.refresh_from_db()
    assert reminder.last_error == "The migration was withdrawn"
    assert not mailoutbox


def test_the_commissioners_weekly_digest_leaves_out_a_withdrawn_migration(world):
    monday = datetime.date(2027, 2, 22)  # go-live (1 March 2027) is next week
    assert world.migration in commissioner_week(world.commissioner, monday).go_lives
    withdraw(world)
    week = commissioner_week(world.commissioner, monday)
    assert world.migration not in week.go_lives + week.windows_ending + week.at_risk
    assert world.neighbour_migration in week.go_lives


# --- To chase ----------------------------------------------------------------------------


def test_my_tasks_lists_supplier_and_partner_steps_to_chase_with_the_supplier_named(client_for, world):
    response = client_for(world.manager).get(reverse("reminders:my_tasks"))
    to_chase = response.context["to_chase"]
    assert {step.role for step in to_chase} == set(CHASED)
    who = {step.role: step.who for step in to_chase}
    assert who == {
        StepRole.OLD_SUPPLIER: "EMIS (old supplier)",
        StepRole.NEW_SUPPLIER: "TPP (new supplier)",
        StepRole.DELIVERY_PARTNER: "IT delivery partner",
    }
    expected = world.migration.steps.filter(role__in=CHASED, status=StepStatus.TODO).count()
    assert len(to_chase) == expected
    html = response.content.decode()
    assert "To chase" in html
    assert "EMIS (old supplier)" in html
    # They are chased, not done by the manager: the manager's own list leaves them out.
    assert not {step.role for step in response.context["page"]} & set(CHASED)


@pytest.mark.parametrize("who", ["staff", "commissioner"])
def test_only_the_practice_manager_chases(client_for, world, who):
    response = client_for(getattr(world, who)).get(reverse("reminders:my_tasks"))
    assert response.context["to_chase"] == []
    assert "To chase" not in response.content.decode()


def test_a_chased_step_assigned_to_someone_is_theirs_not_chased(client_for, world):
    step = world.migration.steps.filter(role=StepRole.DELIVERY_PARTNER).first()
    world.migration.steps.filter(pk=step.pk).update(assignee=world.staff)
    manager_page = client_for(world.manager).get(reverse("reminders:my_tasks"))
    assert step.pk not in {s.pk for s in manager_page.context["to_chase"]}
    staff_page = client_for(world.staff).get(reverse("reminders:my_tasks"))
    assert step.pk in {s.pk for s in staff_page.context["page"].paginator.object_list}


def test_the_daily_digest_goes_to_the_manager_for_steps_to_chase_alone(world, mailoutbox):
    today = world.migration.go_live_date
    world.migration.steps.update(status=StepStatus.DONE)
    chased = world.migration.steps.filter(role=StepRole.OLD_SUPPLIER).first()
    world.migration.steps.filter(pk=chased.pk).update(
        status=StepStatus.TODO, due_date=today - datetime.timedelta(days=2)
    )
    assert (Kind.DAILY_DIGEST, None) in [
        (r.kind, r.migration_id) for r in reminders_due(today) if r.recipient_id == world.manager.pk
    ]
    digest = Reminder.objects.create(recipient=world.manager, kind=Kind.DAILY_DIGEST, for_date=today)
    assert reminder_send(reminder_id=digest.pk) == ReminderStatus.SENT
    (email,) = mailoutbox
    assert email.subject == "Your GoLive steps: 1 to chase"
    assert "To chase" in email.body
    assert f"{chased.title} – EMIS (old supplier), Riverside Surgery" in email.body
    assert "(overdue)" in email.body


def test_the_digest_leaves_chased_steps_due_later_for_later(world):
    today = world.migration.go_live_date
    world.migration.steps.update(status=StepStatus.DONE)
    world.migration.steps.filter(role=StepRole.NEW_SUPPLIER).update(
        status=StepStatus.TODO, due_date=today + datetime.timedelta(days=30)
    )
    assert not daily_digest(world.manager, today)
    assert world.manager.pk not in {r.recipient_id for r in reminders_due(today) if r.kind == Kind.DAILY_DIGEST}


def test_a_practice_with_a_withdrawn_and_a_new_migration_is_reminded_of_the_new_one_only(world):
    withdraw(world)
    new = world.make_migration(world.home, world.manager, go_live=datetime.date(2027, 9, 6))
    old_week, new_week = (m.fdp_date - datetime.timedelta(days=7) for m in (world.migration, new))
    assert not [r for r in reminders_due(old_week) if r.kind == Kind.FDP_WEEK and r.recipient_id == world.manager.pk]
    dated = [r for r in reminders_due(new_week) if r.recipient_id == world.manager.pk and r.migration_id]
    assert [(r.kind, r.migration_id) for r in dated] == [(Kind.FDP_WEEK, new.pk)]
