"""The NHS geography: sub-ICB locations, a practice's history when it moves, and place commissioners' scope."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from golive.core.models import AuditEvent
from practices.models import Membership, OrganisationStatus, Practice, PracticeSubICBLocation, Role
from practices.selectors import can_manage_migration, practices_user_can_manage, practices_visible_to, roles_for
from practices.services import practice_move, sub_icb_location_set_icb
from reminders.selectors import my_tasks
from tests.factories import ICBFactory, PracticeFactory, SubICBLocationFactory

DAY = datetime.date(2026, 4, 1)


def test_place_commissioner_sees_only_the_practices_of_their_place(world):
    assert list(practices_visible_to(world.place_commissioner)) == [world.neighbour]


def test_place_commissioner_holds_the_commissioner_role_only_in_their_place(world):
    assert roles_for(world.place_commissioner, world.neighbour) == {Role.COMMISSIONER}
    assert roles_for(world.place_commissioner, world.home) == set()
    assert can_manage_migration(world.place_commissioner, world.neighbour)
    assert not can_manage_migration(world.place_commissioner, world.home)


def test_place_commissioner_manages_only_their_places_practices(world):
    assert list(practices_user_can_manage(world.place_commissioner)) == [world.neighbour]


def test_icb_commissioner_still_sees_every_place_in_their_icb(world):
    assert set(practices_visible_to(world.commissioner)) == {world.home, world.neighbour}


def test_place_commissioner_gets_404_for_a_migration_outside_their_place(client_for, world):
    client = client_for(world.place_commissioner)
    assert client.get(reverse("checklists:migration", args=[world.migration.pk])).status_code == 404
    assert client.get(reverse("checklists:migration", args=[world.neighbour_migration.pk])).status_code == 200


def test_place_commissioners_tasks_are_the_commissioner_steps_of_their_place_only(world):
    practices = {step.migration.practice for step in my_tasks(world.place_commissioner, DAY).to_do}
    assert practices == {world.neighbour}
    assert all(step.role == Role.COMMISSIONER for step in my_tasks(world.place_commissioner, DAY).to_do)


def test_a_commissioner_membership_names_an_icb_or_a_place_never_both(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.admin, role=Role.COMMISSIONER, icb=world.north, sub_icb_location=world.home_place
        )


def test_a_practice_membership_names_no_place(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.admin, role=Role.PRACTICE_MANAGER, practice=world.home, sub_icb_location=world.home_place
        )


def test_moving_a_practice_keeps_where_it_was_and_its_icb_follows(world):
    PracticeSubICBLocation.objects.create(practice=world.home, sub_icb_location=world.home_place, started_on=None)
    practice_move(actor=world.admin, practice=world.home, sub_icb_location=world.south_place, on=DAY)
    world.home.refresh_from_db()
    assert (world.home.sub_icb_location, world.home.icb) == (world.south_place, world.south)
    history = list(world.home.sub_icb_history.values_list("sub_icb_location__code", "started_on", "ended_on"))
    assert history == [("01A", None, DAY), ("02A", DAY, None)]


def test_a_move_is_audited_with_where_from_and_to(world):
    practice_move(actor=world.admin, practice=world.home, sub_icb_location=world.neighbour_place, on=DAY)
    event = AuditEvent.objects.get(action="practice.moved")
    assert (event.actor, event.practice_id) == (world.admin, world.home.pk)
    assert event.before == {"sub_icb_location": "01A", "icb": "QN1"}
    assert event.after == {"sub_icb_location": "01B", "icb": "QN1", "from": "2026-04-01"}


def test_moving_a_practice_changes_who_commissions_it(world):
    practice_move(actor=world.admin, practice=world.home, sub_icb_location=world.neighbour_place, on=DAY)
    assert set(practices_visible_to(world.place_commissioner)) == {world.home, world.neighbour}


def test_moving_to_the_place_it_is_already_in_changes_nothing(world):
    practice_move(actor=world.admin, practice=world.home, sub_icb_location=world.home_place, on=DAY)
    assert not PracticeSubICBLocation.objects.exists()
    assert not AuditEvent.objects.filter(action="practice.moved").exists()


def test_the_database_allows_one_current_sub_icb_location_per_practice(world):
    PracticeSubICBLocation.objects.create(practice=world.home, sub_icb_location=world.home_place)
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeSubICBLocation.objects.create(practice=world.home, sub_icb_location=world.neighbour_place)


def test_the_database_refuses_a_period_that_ends_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeSubICBLocation.objects.create(
            practice=world.home, sub_icb_location=world.home_place, started_on=DAY, ended_on=DAY.replace(day=1, month=1)
        )


def test_putting_a_place_in_another_icb_takes_its_practices_with_it(world):
    new_icb = ICBFactory(code="QX9")
    moved = sub_icb_location_set_icb(actor=world.admin, sub_icb_location=world.home_place, icb=new_icb)
    assert moved == 1
    assert Practice.objects.get(pk=world.home.pk).icb == new_icb
    assert Practice.objects.get(pk=world.neighbour.pk).icb == world.north
    assert AuditEvent.objects.get(action="sub_icb_location.icb_changed").after == {"icb": "QX9", "practices": 1}


def test_closed_and_dormant_practices_are_not_accepting_new_migrations(world):
    PracticeFactory(icb=world.north, status=OrganisationStatus.CLOSED)
    PracticeFactory(icb=world.north, status=OrganisationStatus.DORMANT)
    assert set(Practice.objects.accepting_new_migrations()) == {world.home, world.neighbour, world.other}


def test_admin_moving_a_practice_records_history_and_its_icb_follows(client_for, world):
    place = SubICBLocationFactory(icb=world.south, code="03C", name="Elsewhere")
    client = client_for(world.admin)
    url = reverse("admin:practices_practice_change", args=[world.home.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "sub_icb_location": place.pk,
            "icb": world.north.pk,
            "sub_icb_history-TOTAL_FORMS": 0,
            "sub_icb_history-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.home.refresh_from_db()
    assert (world.home.sub_icb_location, world.home.icb) == (place, world.south)
    assert world.home.sub_icb_history.get().sub_icb_location == place
    assert AuditEvent.objects.filter(action="practice.moved", actor=world.admin).exists()


def test_admin_moving_a_place_to_another_icb_takes_its_practices(client_for, world):
    client = client_for(world.admin)
    url = reverse("admin:practices_subicblocation_change", args=[world.home_place.pk])
    response = client.post(
        url, {"code": "01A", "name": "Renamed place", "ods_name": "", "status": "active", "icb": world.south.pk}
    )
    assert response.status_code == 302
    assert Practice.objects.get(pk=world.home.pk).icb == world.south
