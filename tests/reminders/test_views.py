"""My tasks, reminder preferences, and the reminders shown on a migration's page."""

import datetime

import pytest
from django.urls import reverse

from checklists.models import StepStatus
from practices.models import Role
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderOptOut, ReminderStatus
from tests.factories import MembershipFactory


def test_my_tasks_lists_my_roles_open_steps_overdue_first(client_for, world):
    response = client_for(world.staff).get(reverse("reminders:my_tasks"))
    steps = list(response.context["page"])
    assert steps
    assert {step.role for step in steps if step.assignee_id is None} == {Role.PRACTICE_STAFF}
    assert [step.due_date for step in steps] == sorted(step.due_date for step in steps)


def test_my_tasks_includes_steps_assigned_to_me_and_leaves_out_other_practices(client_for, world):
    step = world.migration.steps.filter(role=Role.PRACTICE_MANAGER).first()
    world.migration.steps.filter(pk=step.pk).update(assignee=world.staff)
    response = client_for(world.staff).get(reverse("reminders:my_tasks"))
    shown = {s.pk for s in response.context["page"].paginator.object_list}
    assert step.pk in shown
    assert not shown & set(world.neighbour_migration.steps.values_list("pk", flat=True))
    assert "Riverside Surgery" in response.content.decode()


def test_my_tasks_leaves_out_closed_steps(client_for, world):
    world.migration.steps.update(status=StepStatus.DONE)
    response = client_for(world.staff).get(reverse("reminders:my_tasks"))
    assert "You have no open steps." in response.content.decode()


def test_my_tasks_query_count_does_not_grow_with_migrations(client_for, world, django_assert_max_num_queries):
    client = client_for(world.manager)
    # Session, user, memberships, migrations, the page's count and steps, and the steps to chase.
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("reminders:my_tasks"))
    for days in (100, 200, 300):
        world.make_migration(
            world.new_practice(world.manager),
            world.manager,
            go_live=datetime.date(2027, 3, 1) + datetime.timedelta(days=days),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reminders:my_tasks"))


def test_preferences_page_shows_optional_kinds_ticked_by_default(client_for, world):
    response = client_for(world.manager).get(reverse("reminders:preferences"))
    assert response.context["form"].initial["kinds"] == [
        Kind.FDP_WEEK,
        Kind.GO_LIVE_WEEK,
        Kind.DAILY_DIGEST,
        Kind.SIGN_OFF_OPEN,
        Kind.LINKS_OPEN,
    ]
    assert "cannot be switched off" in response.content.decode()


def test_preferences_offer_only_the_reminders_the_persons_role_receives(client_for, world):
    staff_page = client_for(world.staff).get(reverse("reminders:preferences"))
    assert [value for value, _ in staff_page.context["form"].fields["kinds"].choices] == [Kind.DAILY_DIGEST]
    # Practice staff never get the read-only window reminders, so the page must not say they cannot escape them.
    assert "cannot be switched off" not in staff_page.content.decode()
    commissioner_page = client_for(world.commissioner).get(reverse("reminders:preferences"))
    assert [value for value, _ in commissioner_page.context["form"].fields["kinds"].choices] == [
        Kind.COMMISSIONER_WEEKLY
    ]


def test_preferences_page_takes_five_queries(client_for, world, django_assert_max_num_queries):
    client = client_for(world.manager)
    with django_assert_max_num_queries(5):
        client.get(reverse("reminders:preferences"))


def test_switching_a_reminder_off_is_saved(client_for, world):
    client = client_for(world.manager)
    response = client.post(reverse("reminders:preferences"), {"kinds": [Kind.FDP_WEEK, Kind.GO_LIVE_WEEK]})
    assert response.status_code == 302
    assert set(world.manager.reminder_opt_outs.values_list("kind", flat=True)) == {
        Kind.DAILY_DIGEST,
        Kind.SIGN_OFF_OPEN,
        Kind.LINKS_OPEN,
    }


def test_read_only_window_reminders_cannot_be_switched_off(client_for, world):
    response = client_for(world.manager).post(reverse("reminders:preferences"), {"kinds": [Kind.READ_ONLY_WINDOW]})
    assert response.status_code == 200
    assert "Select reminders from the list" in response.content.decode()
    assert not ReminderOptOut.objects.exists()


def test_unticking_everything_switches_off_only_the_reminders_offered(client_for, world):
    ReminderOptOut.objects.create(user=world.staff, kind=Kind.FDP_WEEK)
    client_for(world.staff).post(reverse("reminders:preferences"), {})
    # The digest was the only choice offered; the earlier choice about a manager's reminder is left alone.
    assert set(world.staff.reminder_opt_outs.values_list("kind", flat=True)) == {Kind.DAILY_DIGEST, Kind.FDP_WEEK}


def test_migration_page_shows_its_reminders(client_for, world):
    Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.READ_ONLY_WINDOW,
        for_date=datetime.date(2027, 4, 8),
        status=ReminderStatus.FAILED,
        last_error="550 No such user",
    )
    page = client_for(world.staff).get(reverse("checklists:migration", args=[world.migration.pk])).content.decode()
    assert "8 April 2027" in page
    assert "550 No such user" in page


def test_migration_page_reminder_queries_do_not_grow(client_for, world, django_assert_max_num_queries):
    client = client_for(world.manager)
    url = reverse("checklists:migration", args=[world.migration.pk])
    with django_assert_max_num_queries(11) as few:  # reminders add one query; the header one
        client.get(url)
    others = [MembershipFactory(practice=world.home, role=Role.CLINICAL_LEAD).user for _ in range(3)]
    for day, user in enumerate(others):
        Reminder.objects.create(
            migration=world.migration, recipient=user, kind=Kind.FDP_WEEK, for_date=datetime.date(2027, 2, day + 1)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_admins_see_failed_sends(client_for, world):
    Reminder.objects.create(
        recipient=world.staff, kind=Kind.DAILY_DIGEST, for_date=datetime.date(2027, 3, 1), status=ReminderStatus.FAILED
    )
    response = client_for(world.admin).get(reverse("admin:reminders_reminder_changelist") + "?status__exact=failed")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("url_name", ["reminders:my_tasks", "reminders:preferences"])
def test_anonymous_users_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_commissioners_see_commissioner_steps_of_their_icbs_practices(client_for, world):
    step = world.migration.steps.first()
    world.migration.steps.filter(pk=step.pk).update(role=Role.COMMISSIONER)
    other = world.other_migration.steps.first()
    world.other_migration.steps.filter(pk=other.pk).update(role=Role.COMMISSIONER)
    response = client_for(world.commissioner).get(reverse("reminders:my_tasks"))
    shown = list(response.context["page"].paginator.object_list)
    assert step.pk in {s.pk for s in shown}
    assert {(s.role, s.migration.practice.icb_id) for s in shown} == {(Role.COMMISSIONER, world.north.pk)}
