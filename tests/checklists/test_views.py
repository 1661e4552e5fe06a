import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from checklists.models import Migration, StepStatus
from golive.core.models import AuditEvent


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def migration_form(world, **overrides):
    data = {
        "practice": world.home.pk,
        "old_supplier": world.emis.pk,
        "new_supplier": world.tpp.pk,
        **date_fields("idp_date", datetime.date(2027, 5, 3)),
        **date_fields("fdp_date", datetime.date(2027, 6, 21)),
        **date_fields("go_live_date", datetime.date(2027, 6, 28)),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
    }
    data.update(overrides)
    return data


def test_sign_in_page_is_public_and_everything_else_needs_sign_in(client, world):
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("checklists:checklist", args=[world.migration.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_manager_can_sign_in_with_email_and_password(client, world):
    response = client.post(reverse("login"), {"username": "MANAGER@home.example", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_home_lists_only_visible_migrations(client_for, world):
    response = client_for(world.commissioner).get(reverse("home"))
    assert response.status_code == 200
    names = {migration.practice.name for migration in response.context["page"]}
    assert names == {"Riverside Surgery", "Hillview Medical Centre"}


def test_checklist_groups_steps_by_phase_with_progress(client_for, world):
    response = client_for(world.manager).get(reverse("checklists:checklist", args=[world.migration.pk]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [group.phase for group in groups][0] == "decision"
    assert sum(group.total for group in groups) == world.migration.steps.count()
    assert b"Mark done" in response.content


def test_checklist_filters_overdue_and_phase(client_for, world, settings):
    migration = world.migration
    step = migration.steps.filter(phase="go_live").first()
    step.due_date = datetime.date(2020, 1, 1)
    step.save()
    client = client_for(world.manager)
    response = client.get(reverse("checklists:checklist", args=[migration.pk]), {"show": "overdue"})
    shown = [s for group in response.context["groups"] for s in group.steps]
    assert all(s.due_date < datetime.date.today() for s in shown)
    assert step in shown
    response = client.get(reverse("checklists:checklist", args=[migration.pk]), {"phase": "go_live"})
    shown = [s for group in response.context["groups"] for s in group.steps]
    assert {s.phase for s in shown} == {"go_live"}


def test_mine_shows_steps_assigned_to_me_or_my_role(client_for, world):
    migration = world.migration
    response = client_for(world.staff).get(reverse("checklists:checklist", args=[migration.pk]), {"show": "mine"})
    shown = [s for group in response.context["groups"] for s in group.steps]
    assert shown
    assert all(s.role == "practice_staff" or s.assignee_id == world.staff.pk for s in shown)


def test_checklist_query_count_does_not_grow_with_migrations(client_for, world, django_assert_max_num_queries):
    client = client_for(world.manager)
    url = reverse("checklists:checklist", args=[world.migration.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    for _ in range(3):
        world.make_migration(world.new_practice(world.manager), world.manager, go_live=datetime.date(2027, 9, 1))
    with django_assert_max_num_queries(12):
        client.get(url)


def test_home_query_count_is_constant(client_for, world, django_assert_num_queries, django_assert_max_num_queries):
    client = client_for(world.commissioner)
    client.get(reverse("home"))
    # 7: one more than before two-factor sign-in, as django-otp loads the device that verified the session.
    with django_assert_max_num_queries(7) as first:
        client.get(reverse("home"))
    for _ in range(4):
        world.make_migration(world.new_practice(), world.commissioner, go_live=datetime.date(2027, 9, 1))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("home"))


def test_tick_without_javascript_posts_and_redirects(client_for, world):
    step = world.migration.steps.first()
    response = client_for(world.staff).post(
        reverse("checklists:step_tick", args=[world.migration.pk, step.pk]), {"status": "done", "version": 1}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


def test_stale_tick_shows_a_conflict_naming_who_changed_it(client_for, world):
    step = world.migration.steps.first()
    client_for(world.manager).post(
        reverse("checklists:step_tick", args=[world.migration.pk, step.pk]), {"status": "done", "version": 1}
    )
    client = client_for(world.staff)
    response = client.post(
        reverse("checklists:step_tick", args=[world.migration.pk, step.pk]),
        {"status": "done", "version": 1},
        follow=True,
    )
    assert escape(world.manager.full_name) in response.content.decode()
    assert "while you were looking at it" in response.content.decode()
    step.refresh_from_db()
    assert step.version == 2


def test_stale_edit_keeps_the_users_text_and_saves_nothing(client_for, world):
    step = world.migration.steps.first()
    url = reverse("checklists:step", args=[world.migration.pk, step.pk])
    client_for(world.manager).post(url, {"status": "todo", "note": "First note", "version": 1})
    response = client_for(world.staff).post(url, {"status": "todo", "note": "Second note", "version": 1})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Second note" in content
    assert escape(world.manager.full_name) in content
    step.refresh_from_db()
    assert step.note == "First note"


def test_not_applicable_without_reason_shows_an_error(client_for, world):
    step = world.migration.steps.first()
    url = reverse("checklists:step", args=[world.migration.pk, step.pk])
    response = client_for(world.manager).post(url, {"status": "not_applicable", "version": 1})
    assert response.status_code == 200
    assert "Enter why this step does not apply" in response.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.TODO


def test_saving_a_step_returns_to_the_filtered_checklist_it_was_opened_from(client_for, world):
    migration = world.migration
    client = client_for(world.manager)
    checklist_url = reverse("checklists:checklist", args=[migration.pk])
    page = client.get(checklist_url, {"show": "mine"})
    step = next(step for group in page.context["groups"] for step in group.steps)
    assert step.edit_url.endswith("?" + urlencode({"next": checklist_url + "?show=mine"}))
    edit = client.get(step.edit_url)
    assert f'href="{checklist_url}?show=mine#step-{step.pk}"' in edit.content.decode()
    response = client.post(step.edit_url, {"status": "done", "version": step.version})
    assert response.status_code == 302
    assert response.url == f"{checklist_url}?show=mine#step-{step.pk}"


@pytest.mark.parametrize(
    ("came_from", "back_text"),
    [("reminders:my_tasks", "Back to my tasks"), ("go_live:go_live", "Back to go-live readiness")],
)
def test_saving_a_step_returns_to_my_tasks_or_go_live_readiness(client_for, world, came_from, back_text):
    migration = world.migration
    step = migration.steps.first()
    back = reverse(came_from) if came_from == "reminders:my_tasks" else reverse(came_from, args=[migration.pk])
    url = reverse("checklists:step", args=[migration.pk, step.pk]) + "?" + urlencode({"next": back})
    client = client_for(world.manager)
    assert back_text in client.get(url).content.decode()
    response = client.post(url, {"status": "done", "version": step.version})
    assert response.url == back


def test_a_step_ignores_a_next_that_points_off_site(client_for, world):
    migration = world.migration
    step = migration.steps.first()
    url = reverse("checklists:step", args=[migration.pk, step.pk]) + "?next=https://evil.example/"
    response = client_for(world.manager).post(url, {"status": "done", "version": step.version})
    assert response.url == reverse("checklists:checklist", args=[migration.pk]) + f"#step-{step.pk}"


def test_commissioner_can_read_a_step_but_not_change_it(client_for, world):
    step = world.migration.steps.first()
    url = reverse("checklists:step", args=[world.migration.pk, step.pk])
    client = client_for(world.commissioner)
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "done", "version": 1}).status_code == 403
    step.refresh_from_db()
    assert step.status == StepStatus.TODO


def test_manager_creates_a_migration_with_its_checklist(client_for, world):
    practice = world.new_practice(world.manager)
    response = client_for(world.manager).post(
        reverse("checklists:migration_create"), migration_form(world, practice=practice.pk)
    )
    assert response.status_code == 302
    migration = Migration.objects.filter(practice=practice).latest("pk")
    assert migration.go_live_date == datetime.date(2027, 6, 28)
    assert migration.steps.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"read_only_window_days": 0}, "The read-only window must be at least 1 day"),
        ({"read_only_window_days": 1000}, "The read-only window must be 365 days or fewer"),
        (date_fields("fdp_date", datetime.date(2027, 4, 1)), "The FDP date must be the same as or after the IDP date"),
        (
            date_fields("go_live_date", datetime.date(2027, 6, 1)),
            "The go-live date must be the same as or after the FDP date",
        ),
        ({"old_supplier": 999999}, "Select a supplier from the list"),
        ({"new_supplier": ""}, "Select the new supplier"),
        ({"go_live_date_month": "13"}, "as a real date"),
        # Far-off years: an error, not an OverflowError working out the window's end or the due dates.
        (
            {
                **date_fields("fdp_date", datetime.date(9999, 12, 1)),
                **date_fields("go_live_date", datetime.date(9999, 12, 31)),
            },
            "Go-live date must be between 2000 and 2099",
        ),
        (
            {"idp_date_day": "1", "idp_date_month": "1", "idp_date_year": "0001"},
            "Initial data production (IDP) date must be between 2000 and 2099",
        ),
    ],
)
def test_bad_migration_input_shows_an_error_and_saves_nothing(client_for, world, overrides, message):
    before = Migration.objects.count()
    response = client_for(world.manager).post(
        reverse("checklists:migration_create"), migration_form(world, **overrides)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "There is a problem" in content
    assert Migration.objects.count() == before


def test_manager_cannot_create_a_migration_for_another_practice(client_for, world):
    before = Migration.objects.count()
    response = client_for(world.manager).post(
        reverse("checklists:migration_create"), migration_form(world, practice=world.other.pk)
    )
    assert response.status_code == 200
    assert "Select a practice from the list" in response.content.decode()
    assert Migration.objects.count() == before


def test_key_dates_preview_then_confirm_moves_due_dates(client_for, world):
    migration = world.migration
    client = client_for(world.manager)
    url = reverse("checklists:key_dates", args=[migration.pk])
    data = {
        **date_fields("idp_date", migration.idp_date + datetime.timedelta(days=7)),
        **date_fields("fdp_date", migration.fdp_date + datetime.timedelta(days=7)),
        **date_fields("go_live_date", migration.go_live_date + datetime.timedelta(days=7)),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
        "reason": "Supplier asked for a week later",
        "version": migration.version,
    }
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200
    assert preview.context["moves"]
    migration.refresh_from_db()
    assert migration.go_live_date == datetime.date(2027, 3, 1)
    confirmed = client.post(url, {**data, "confirm": "1"})
    assert confirmed.status_code == 302
    migration.refresh_from_db()
    assert migration.go_live_date == datetime.date(2027, 3, 8)
    assert AuditEvent.objects.filter(action="migration.key_dates_changed", migration_id=migration.pk).exists()


def test_key_dates_in_year_9999_show_an_error_not_a_500(client_for, world):
    migration = world.migration
    data = {
        **date_fields("idp_date", datetime.date(9999, 12, 1)),
        **date_fields("fdp_date", datetime.date(9999, 12, 10)),
        **date_fields("go_live_date", datetime.date(9999, 12, 31)),
        "read_only_window_days": 365,
        "read_only_window_source": "older_guide",
        "reason": "Typo",
        "version": migration.version,
        "preview": "1",
    }
    response = client_for(world.manager).post(reverse("checklists:key_dates", args=[migration.pk]), data)
    assert response.status_code == 200
    assert "Go-live date must be between 2000 and 2099" in response.text


def test_key_dates_stale_version_tells_the_user_and_shows_current_dates(client_for, world):
    migration = world.migration
    client = client_for(world.manager)
    url = reverse("checklists:key_dates", args=[migration.pk])
    data = {
        **date_fields("idp_date", migration.idp_date + datetime.timedelta(days=7)),
        **date_fields("fdp_date", migration.fdp_date + datetime.timedelta(days=7)),
        **date_fields("go_live_date", migration.go_live_date + datetime.timedelta(days=7)),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
        "reason": "Supplier asked for a week later",
        "version": migration.version - 1,
    }
    response = client.post(url, {**data, "preview": "1"}, follow=True)
    assert "Someone else changed these dates while you were editing" in response.content.decode()
    assert response.context["moves"] is None
    migration.refresh_from_db()
    assert migration.go_live_date == datetime.date(2027, 3, 1)


def test_key_dates_confirmation_counts_one_moved_step_in_the_singular(client_for, world, monkeypatch):
    from checklists import services

    monkeypatch.setattr(services, "migration_change_key_dates", lambda **kwargs: 1)
    migration = world.migration
    data = {
        **date_fields("idp_date", migration.idp_date),
        **date_fields("fdp_date", migration.fdp_date),
        **date_fields("go_live_date", migration.go_live_date),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
        "reason": "Correcting the window",
        "version": migration.version,
        "confirm": "1",
    }
    response = client_for(world.manager).post(reverse("checklists:key_dates", args=[migration.pk]), data, follow=True)
    assert "Key dates changed. 1 due date moved." in response.content.decode()


def test_staff_cannot_change_key_dates(client_for, world):
    assert client_for(world.staff).get(reverse("checklists:key_dates", args=[world.migration.pk])).status_code == 403


def test_history_lists_audit_events(client_for, world):
    step = world.migration.steps.first()
    client = client_for(world.manager)
    client.post(reverse("checklists:step_tick", args=[world.migration.pk, step.pk]), {"status": "done", "version": 1})
    response = client.get(reverse("checklists:history", args=[world.migration.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    # In words, not the audit codes.
    assert "Checklist step changed" in content
    assert "Status: To do → Done" in content
    assert "step.updated" not in content


def test_history_shows_dates_and_choices_in_words():
    from types import SimpleNamespace

    from checklists.presenters import audit_action, audit_changes

    event = SimpleNamespace(
        action="migration.key_dates_changed",
        before={"go_live_date": "2027-03-01", "read_only_window_source": "older_guide"},
        after={"go_live_date": "2027-03-08", "read_only_window_source": "newer_guide", "steps_moved": 3},
    )
    assert audit_action(event.action) == "Key dates changed"
    assert audit_changes(event) == [
        {"field": "Go-live", "before": "1 March 2027", "after": "8 March 2027"},
        {
            "field": "Read-only window agreed by",
            "before": "Migration guide standard (45 days)",
            "after": "Newer migration guide (90 days)",
        },
        {"field": "Due dates moved", "before": None, "after": 3},
    ]
    assert audit_action("third_party_link.reconnected") == "Third-party link: reconnected"


def test_this_phase_shows_the_phase_of_the_earliest_open_step_that_is_due(client_for, world):
    migration = world.migration
    today = datetime.date.today()
    open_steps = list(migration.steps.filter(status="todo"))
    due = [step for step in open_steps if step.due_date <= today] or open_steps
    earliest = min(due, key=lambda step: (step.due_date, step.order))
    response = client_for(world.manager).get(
        reverse("checklists:checklist", args=[migration.pk]), {"show": "this_phase"}
    )
    shown = [s for group in response.context["groups"] for s in group.steps]
    assert {s.phase for s in shown} == {earliest.phase}


def test_this_phase_stays_with_an_overdue_step_though_later_phases_are_due(world):
    from checklists.selectors import current_phase

    migration = world.migration
    ten_days_after_go_live = migration.go_live_date + datetime.timedelta(days=10)
    migration.steps.filter(due_date__lte=ten_days_after_go_live).exclude(code="DC-12").update(status="done")
    assert current_phase(migration, ten_days_after_go_live) == "data_checking"


def test_this_phase_with_nothing_due_open_is_the_phase_of_the_next_open_step(world):
    from checklists.selectors import current_phase

    migration = world.migration
    ten_days_after_go_live = migration.go_live_date + datetime.timedelta(days=10)
    migration.steps.filter(due_date__lte=ten_days_after_go_live).update(status="done")
    next_open = migration.steps.filter(status="todo").order_by("due_date", "order").first()
    assert current_phase(migration, ten_days_after_go_live) == next_open.phase


def test_this_phase_with_every_step_closed_is_the_last_phase(world):
    from checklists.selectors import current_phase

    world.migration.steps.update(status="done")
    assert current_phase(world.migration, world.migration.go_live_date) == "end_of_migration"


def test_this_phase_before_anything_is_due_is_the_first_phase(world):
    from checklists.selectors import current_phase

    assert current_phase(world.migration, world.migration.idp_date - datetime.timedelta(days=400)) == "decision"


def test_commissioner_ticks_their_own_steps_but_not_the_practices(client_for, world):
    own = world.migration.steps.filter(role="commissioner").first()
    practice_step = world.migration.steps.filter(role="practice_manager").first()
    client = client_for(world.commissioner)
    page = client.get(reverse("checklists:checklist", args=[world.migration.pk]), {"show": "mine"}).content.decode()
    assert f'action="{reverse("checklists:step_tick", args=[world.migration.pk, own.pk])}"' in page
    ticked = client.post(
        reverse("checklists:step_tick", args=[world.migration.pk, own.pk]), {"status": "done", "version": own.version}
    )
    assert ticked.status_code == 302
    own.refresh_from_db()
    assert own.status == StepStatus.DONE
    refused = client.post(
        reverse("checklists:step_tick", args=[world.migration.pk, practice_step.pk]), {"status": "done", "version": 1}
    )
    assert refused.status_code == 403
    practice_step.refresh_from_db()
    assert practice_step.status == StepStatus.TODO


@pytest.mark.parametrize(
    ("page", "parent", "parent_text"),
    [
        ("go_live:go_live_sign_off", "go_live:go_live", "Go-live readiness"),
        ("go_live:data_check_create", "go_live:data_checks", "Data checks"),
        ("go_live:issue_create", "go_live:issues", "Issue log"),
    ],
)
def test_sub_pages_have_their_parent_page_in_the_breadcrumb(client_for, world, page, parent, parent_text):
    migration = world.migration
    response = client_for(world.manager).get(reverse(page, args=[migration.pk]))
    assert response.status_code == 200
    crumb = f'<a class="nhsuk-breadcrumb__link" href="{reverse(parent, args=[migration.pk])}">{parent_text}</a>'
    assert crumb in response.content.decode()


def test_migration_page_links_its_overdue_count_to_the_overdue_steps(client_for, world):
    migration = world.migration
    migration.steps.update(due_date=datetime.date(2099, 1, 1))
    migration.steps.filter(pk=migration.steps.first().pk).update(due_date=datetime.date(2020, 1, 1))
    content = client_for(world.manager).get(reverse("checklists:migration", args=[migration.pk])).content.decode()
    overdue_url = reverse("checklists:checklist", args=[migration.pk]) + "?show=overdue"
    assert f'<a href="{overdue_url}">1 overdue</a>' in content
