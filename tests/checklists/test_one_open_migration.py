"""One open migration per practice, held by the database; a second one points to the first (issue 10, item 5)."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from checklists import services
from checklists.models import Migration
from golive.core.models import AuditEvent
from tests.factories import MigrationFactory


def migration_form(world, practice, **overrides):
    go_live = datetime.date(2027, 6, 28)
    data = {
        "practice": practice.pk,
        "old_supplier": world.emis.pk,
        "new_supplier": world.tpp.pk,
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
    }
    for name, day in {
        "idp_date": go_live - datetime.timedelta(days=56),
        "fdp_date": go_live - datetime.timedelta(days=7),
        "go_live_date": go_live,
    }.items():
        data.update({f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year})
    data.update(overrides)
    return data


def test_the_database_refuses_a_second_open_migration_for_a_practice(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MigrationFactory(practice=world.home)


def test_a_second_migration_is_refused_and_points_to_the_open_one(world):
    before = (Migration.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.OpenMigrationExists) as refused:
        world.make_migration(world.home, world.commissioner, go_live=datetime.date(2027, 9, 6))
    assert refused.value.existing == world.migration
    assert not refused.value.is_repeat
    assert (Migration.objects.count(), AuditEvent.objects.count()) == before


def test_a_second_migration_on_the_create_page_shows_an_error_with_a_link_and_saves_nothing(client_for, world):
    before = Migration.objects.count()
    response = client_for(world.commissioner).post(
        reverse("checklists:migration_create"), migration_form(world, world.home)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Riverside Surgery already has an open migration (EMIS to TPP, go-live 1 March 2027)" in html
    assert f'href="{reverse("checklists:migration", args=[world.migration.pk])}"' in html
    assert Migration.objects.count() == before


def test_a_double_submit_of_the_create_form_shows_the_migration_it_made(client_for, world):
    practice = world.new_practice(world.manager)
    client = client_for(world.manager)
    first = client.post(reverse("checklists:migration_create"), migration_form(world, practice))
    created = Migration.objects.get(practice=practice)
    second = client.post(reverse("checklists:migration_create"), migration_form(world, practice), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("checklists:migration", args=[created.pk])
    assert "This migration was already created" in second.content.decode()
    assert Migration.objects.filter(practice=practice).count() == 1
    assert AuditEvent.objects.filter(action="migration.created", migration_id=created.pk).count() == 1


def test_a_withdrawn_migration_frees_the_practice_for_a_new_one(world):
    services.migration_withdraw(user=world.manager, migration=world.migration, reason="Wrong supplier chosen")
    again = world.make_migration(world.home, world.manager, go_live=datetime.date(2027, 9, 6))
    assert again.is_open
    assert Migration.objects.filter(practice=world.home).count() == 2


def test_a_finished_migration_frees_the_practice_for_a_new_one(world):
    Migration.objects.filter(pk=world.migration.pk).update(
        went_live_on=world.migration.go_live_date, completed_on=world.migration.read_only_ends_on
    )
    assert world.make_migration(world.home, world.manager, go_live=datetime.date(2028, 9, 4)).is_open


def create_at_once(world, practice, users, *, both_past_the_check: bool) -> list:
    """Each user creates a migration for `practice` in its own thread with its own connection, all at once.

    `both_past_the_check`: hold every thread until all have looked for an open migration and found none, so the
    database's constraint, not the service's check, is what refuses the later ones.
    """
    barrier = threading.Barrier(len(users))
    outcomes = []
    check = services._open_migration_of

    def check_then_wait(*args):
        found = check(*args)
        barrier.wait(timeout=10)
        return found

    def create(user):
        try:
            if not both_past_the_check:
                barrier.wait(timeout=10)
            migration = world.make_migration(practice, user, go_live=datetime.date(2027, 9, 6))
            outcomes.append(("created", migration.pk))
        except services.OpenMigrationExists as refused:
            outcomes.append(("told", refused.existing.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in users]
    original = services._open_migration_of
    if both_past_the_check:
        services._open_migration_of = _first_call_per_thread(check_then_wait, check)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        services._open_migration_of = original
    return outcomes


def _first_call_per_thread(first, later):
    """Use `first` for a thread's first call and `later` afterwards (the check after the database refused)."""
    seen = threading.local()

    def call(*args):
        if getattr(seen, "called", False):
            return later(*args)
        seen.called = True
        return first(*args)

    return call


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("both_past_the_check", [False, True], ids=["at-once", "both-past-the-check"])
def test_two_people_creating_at_once_leave_one_migration_and_the_other_is_told(world, both_past_the_check):
    practice = world.new_practice(world.manager)
    outcomes = create_at_once(
        world, practice, [world.manager, world.commissioner], both_past_the_check=both_past_the_check
    )
    (created,) = Migration.objects.filter(practice=practice)
    assert sorted(outcomes) == [("created", created.pk), ("told", created.pk)]
    assert AuditEvent.objects.filter(action="migration.created", migration_id=created.pk).count() == 1
    assert created.steps.count() == world.migration.steps.count()
