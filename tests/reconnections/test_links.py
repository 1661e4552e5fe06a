"""Third-party links: switched off for cutover, back on after go-live, each move audited."""

import datetime
import importlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services as checklist_services
from checklists.scheduling import add_working_days
from golive.core.models import AuditEvent
from reconnections import selectors, services
from reconnections.catalogue import CATALOGUE, catalogue_load
from reconnections.models import CutoverRegistrations, LinkStatus, ThirdPartyLink, ThirdPartyService
from tests.factories import MeshPartnerNoticeFactory, ThirdPartyLinkFactory, ThirdPartyServiceFactory

TODAY = datetime.date(2027, 3, 3)  # two days after the world's go-live on 1 March 2027


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture(autouse=True)
def on_2027_03_03(time_machine):
    """Two days after go-live, so the dates the tests enter are in the past."""
    time_machine.move_to(datetime.datetime(2027, 3, 3, 12, tzinfo=datetime.UTC))


@pytest.fixture
def link(world):
    return ThirdPartyLinkFactory(migration=world.migration, service__name="Riverside DocMan")


def move(user, link, to_status, today=TODAY, **values):
    link.refresh_from_db()
    return services.link_move(
        user=user, link=link, to_status=to_status, expected_version=link.version, today=today, **values
    )


def switched_off(world, link, on=datetime.date(2027, 2, 19)):
    move(world.manager, link, LinkStatus.SUPPLIER_TOLD, told_on=datetime.date(2027, 1, 11))
    return move(world.manager, link, LinkStatus.SWITCHED_OFF, switched_off_on=on)


def reconnected(world, link, on=datetime.date(2027, 3, 1)):
    switched_off(world, link)
    move(
        world.manager,
        link,
        LinkStatus.RECONNECTION_REQUESTED,
        reconnection_requested_on=on,
        reconnection_contact="DocMan support desk",
        reconnection_reference="CASE-1234",
    )
    return move(world.manager, link, LinkStatus.RECONNECTED, reconnected_on=on)


# Catalogue


def test_catalogue_seed_adds_the_common_services_once(db):
    seeding = importlib.import_module("practices.migrations.0003_seed_third_party_service_catalogue")
    # The migration runs against the models as they were then (the catalogue was in practices).
    state = MigrationLoader(connection).project_state(("practices", "0003_seed_third_party_service_catalogue"))
    seeding.seed(state.apps, None)
    assert catalogue_load(ThirdPartyService) == 0
    catalogue = ThirdPartyService.objects.filter(practice=None)
    assert catalogue.count() == len(CATALOGUE)
    assert catalogue.get(name="Electronic Prescription Service (EPS)").notice_working_days == 25


# Services: moves allowed and refused


def test_link_goes_off_and_back_on_and_is_verified_by_the_practice(world, link):
    reconnected(world, link)
    verified = move(world.staff, link, LinkStatus.VERIFIED, verified_on=datetime.date(2027, 3, 2))
    assert verified.status == LinkStatus.VERIFIED
    assert verified.verified_by == world.staff
    assert verified.verified_at is not None
    assert verified.reconnection_reference == "CASE-1234"


def test_every_move_is_audited_with_before_and_after(world, link):
    switched_off(world, link)
    event = AuditEvent.objects.filter(action="third_party_link.switched_off").get()
    assert event.before == {"status": "supplier_told", "switched_off_on": None}
    assert event.after == {"status": "switched_off", "switched_off_on": "2027-02-19"}
    assert event.migration_id == world.migration.pk


def test_cannot_verify_a_link_before_it_is_reconnected(world, link):
    switched_off(world, link)
    with pytest.raises(
        services.LinkMoveRefused, match="cannot be marked “verified working” while it is “switched off”"
    ):
        move(world.manager, link, LinkStatus.VERIFIED, verified_on=TODAY)
    link.refresh_from_db()
    assert link.status == LinkStatus.SWITCHED_OFF


def test_cannot_switch_off_a_link_before_the_supplier_is_told(world, link):
    with pytest.raises(services.LinkMoveRefused):
        move(world.manager, link, LinkStatus.SWITCHED_OFF, switched_off_on=TODAY)


def test_switched_off_link_cannot_be_marked_not_needed(world, link):
    switched_off(world, link)
    with pytest.raises(services.LinkMoveRefused):
        move(world.manager, link, LinkStatus.NOT_NEEDED, not_needed_reason="Stopped using it")


def test_reconnection_date_before_switch_off_is_refused(world, link):
    switched_off(world, link, on=datetime.date(2027, 2, 19))
    move(
        world.manager,
        link,
        LinkStatus.RECONNECTION_REQUESTED,
        reconnection_requested_on=TODAY,
        reconnection_contact="",
        reconnection_reference="",
    )
    with pytest.raises(services.LinkMoveRefused, match="same as or after the switch-off date") as refused:
        move(world.manager, link, LinkStatus.RECONNECTED, reconnected_on=datetime.date(2027, 2, 18))
    assert refused.value.field == "reconnected_on"


def test_verified_date_in_the_future_is_refused(world, link):
    reconnected(world, link)
    with pytest.raises(services.LinkMoveRefused, match="today or in the past"):
        move(world.manager, link, LinkStatus.VERIFIED, verified_on=TODAY + datetime.timedelta(days=1))


def test_moving_back_needs_a_reason_and_clears_the_later_stage(world, link):
    switched_off(world, link)
    link.refresh_from_db()
    with pytest.raises(services.LinkMoveRefused):
        services.link_move_back(user=world.manager, link=link, reason=" ", expected_version=link.version)
    back = services.link_move_back(
        user=world.manager, link=link, reason="Switched off by mistake", expected_version=link.version
    )
    assert back.status == LinkStatus.SUPPLIER_TOLD
    assert back.switched_off_on is None
    assert AuditEvent.objects.get(action="third_party_link.moved_back").reason == "Switched off by mistake"


def test_link_in_use_cannot_move_back(world, link):
    with pytest.raises(services.LinkMoveRefused, match="first stage"):
        services.link_move_back(user=world.manager, link=link, reason="Oops", expected_version=link.version)


def test_stale_version_is_a_conflict(world, link):
    with pytest.raises(services.LinkConflict):
        services.link_move(
            user=world.manager,
            link=link,
            to_status=LinkStatus.SUPPLIER_TOLD,
            expected_version=link.version + 1,
            today=TODAY,
            told_on=TODAY,
        )


def test_commissioner_cannot_move_a_link(world, link):
    with pytest.raises(PermissionDenied):
        move(world.commissioner, link, LinkStatus.SUPPLIER_TOLD, told_on=TODAY)


def test_reconfiguration_flag_is_saved_with_a_note(world, link):
    flagged = services.link_set_reconfiguration(
        user=world.manager, link=link, needed=True, note="New API key from the supplier", expected_version=1
    )
    assert flagged.reconfiguration_needed
    assert flagged.reconfiguration_note == "New API key from the supplier"


def test_duplicate_link_for_the_same_service_is_refused(world, link):
    with pytest.raises(services.LinkMoveRefused, match="already tracked"):
        services.links_create(user=world.manager, migration=world.migration, services=[link.service])
    assert ThirdPartyLink.objects.filter(migration=world.migration).count() == 1


def test_another_practices_local_service_cannot_be_tracked(world):
    theirs = ThirdPartyServiceFactory(practice=world.other)
    with pytest.raises(PermissionDenied):
        services.links_create(user=world.manager, migration=world.migration, services=[theirs])


# Selectors: due dates and counts


def test_due_dates_follow_the_guide_timings(world, link):
    migration = world.migration
    due = selectors.link_due_dates(link, migration)
    assert due[LinkStatus.SWITCHED_OFF] == add_working_days(migration.fdp_date, -1)
    assert due[LinkStatus.SUPPLIER_TOLD] == add_working_days(migration.fdp_date, -7)
    assert due[LinkStatus.RECONNECTION_REQUESTED] == migration.go_live_date
    assert due[LinkStatus.VERIFIED] == add_working_days(migration.go_live_date, 1)


def test_eps_needs_five_weeks_notice(world):
    eps = ThirdPartyLinkFactory(migration=world.migration, service__notice_working_days=25)
    due = selectors.link_due_dates(eps, world.migration)
    assert due[LinkStatus.SUPPLIER_TOLD] == add_working_days(world.migration.fdp_date, -27)


def test_due_dates_move_when_fdp_and_go_live_move(world, link):
    migration = world.migration
    checklist_services.migration_change_key_dates(
        user=world.manager,
        migration=migration,
        idp_date=migration.idp_date,
        fdp_date=migration.fdp_date + datetime.timedelta(days=14),
        go_live_date=migration.go_live_date + datetime.timedelta(days=14),
        read_only_window_days=45,
        read_only_window_source="older_guide",
        reason="Supplier moved the slot",
        expected_version=migration.version,
    )
    due = selectors.link_due_dates(link, migration)
    assert due[LinkStatus.SWITCHED_OFF] == add_working_days(datetime.date(2027, 3, 8), -1)
    assert due[LinkStatus.RECONNECTION_REQUESTED] == datetime.date(2027, 3, 15)


def test_tracker_marks_links_past_their_next_due_date_as_overdue(world, link):
    late = ThirdPartyLinkFactory(migration=world.migration, service__category="pathology")
    switched_off(world, late)
    groups = selectors.link_tracker(world.migration, TODAY)
    rows = {row.link.pk: row for group in groups for row in group.rows}
    assert rows[late.pk].next_status == LinkStatus.RECONNECTION_REQUESTED
    assert rows[late.pk].overdue
    assert [group.label for group in groups] == ["Document management and scanning", "Pathology"]


def test_links_outstanding_counts_what_is_still_to_reconnect_and_verify(world, link):
    reconnected(world, ThirdPartyLinkFactory(migration=world.migration))
    ThirdPartyLinkFactory(migration=world.migration, status=LinkStatus.NOT_NEEDED, not_needed_reason="Unused")
    ThirdPartyLinkFactory(migration=world.neighbour_migration)
    counts = selectors.links_outstanding(world.migration)
    assert counts["total"] == 3
    assert counts["to_reconnect"] == 1
    assert counts["to_verify"] == 1
    assert counts["not_needed"] == 1


# MESH and cutover registrations


def test_mesh_partner_is_ticked_with_a_date_and_audited(world):
    services.mesh_change_save(
        user=world.manager, migration=world.migration, old_mailbox="A12345OT001", new_mailbox="A12345NT001"
    )
    notice = services.mesh_partner_add(user=world.manager, migration=world.migration, partner_name="PCSE")
    services.mesh_partner_mark_told(
        user=world.manager, notice=notice, migration=world.migration, told_on=TODAY, today=TODAY
    )
    notice.refresh_from_db()
    assert notice.told_on == TODAY
    assert notice.told_by == world.manager
    assert AuditEvent.objects.filter(action="mesh_partner.told", migration_id=world.migration.pk).exists()


def test_the_same_mesh_partner_cannot_be_added_twice(world):
    services.mesh_partner_add(user=world.manager, migration=world.migration, partner_name="PCSE")
    with pytest.raises(services.LinkMoveRefused):
        services.mesh_partner_add(user=world.manager, migration=world.migration, partner_name="pcse")


def test_cutover_registrations_record_counts_only(world):
    services.cutover_registrations_update(user=world.staff, migration=world.migration, waiting=12, registered=0)
    counts = services.cutover_registrations_update(
        user=world.staff, migration=world.migration, waiting=4, registered=8, expected_version=1
    )
    assert (counts.waiting, counts.registered, counts.version) == (4, 8, 2)
    assert AuditEvent.objects.filter(action="cutover_registrations.updated").count() == 2


# Views


def test_tracker_page_shows_links_by_category_with_status_tags(client, world, link):
    client.force_login(world.staff)
    response = client.get(reverse("reconnections:links", args=[world.migration.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Document management and scanning" in content
    assert "nhsuk-tag--grey" in content
    assert 'Record supplier told<span class="nhsuk-u-visually-hidden">: Riverside DocMan</span>' in content


def test_tracker_page_query_count_does_not_grow_with_links(client, world, django_assert_max_num_queries):
    client.force_login(world.manager)
    url = reverse("reconnections:links", args=[world.migration.pk])
    ThirdPartyLinkFactory(migration=world.migration)
    notice = MeshPartnerNoticeFactory(mesh_change__migration=world.migration)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for category in ("pathology", "prescribing", "screening", "urgent_care", "other"):
        ThirdPartyLinkFactory.create_batch(3, migration=world.migration, service__category=category)
    MeshPartnerNoticeFactory.create_batch(5, mesh_change=notice.mesh_change)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('id="link-') == 16
    assert len(few) <= 10


def test_migration_page_shows_links_still_to_reconnect_and_registrations(client_for, world, link):
    CutoverRegistrations.objects.create(migration=world.migration, waiting=7, registered=3)
    client = client_for(world.commissioner)
    content = client.get(reverse("checklists:migration", args=[world.migration.pk])).content.decode()
    # Before cutover the link is still in use: it is waiting to be switched off, not to be reconnected.
    assert "1 of 1 still to switch off for cutover." in content
    assert "7 waiting, 3 done" in content


def test_links_progress_after_switch_off_counts_links_still_to_reconnect():
    from reconnections.presenters import links_progress_phrase

    counts = {"total": 10, "to_reconnect": 2, "to_switch_off": 0, "to_verify": 7, "verified": 1, "not_needed": 0}
    assert links_progress_phrase(counts) == (
        "2 of 10 still to reconnect, 7 reconnected but not yet checked working, 1 checked working."
    )
    counts = {"total": 10, "to_reconnect": 10, "to_switch_off": 9, "to_verify": 0, "verified": 0, "not_needed": 0}
    assert links_progress_phrase(counts) == (
        "9 of 10 still to switch off for cutover, 1 switched off and still to reconnect."
    )


def test_setup_page_adds_the_ticked_services(client, world):
    docman = ThirdPartyServiceFactory(name="Test DocMan")
    eps = ThirdPartyServiceFactory(name="Test EPS", category="prescribing")
    ThirdPartyServiceFactory(name="Unticked")
    client.force_login(world.manager)
    url = reverse("reconnections:links_setup", args=[world.migration.pk])
    response = client.post(url, {"services_document_management": [docman.pk], "services_prescribing": [eps.pk]})
    assert response.status_code == 302
    tracked = set(world.migration.third_party_links.values_list("service__name", flat=True))
    assert tracked == {"Test DocMan", "Test EPS"}


def test_setup_confirms_a_single_service_in_the_singular(client, world):
    docman = ThirdPartyServiceFactory(name="Test DocMan")
    client.force_login(world.manager)
    url = reverse("reconnections:links_setup", args=[world.migration.pk])
    response = client.post(url, {"services_document_management": [docman.pk]}, follow=True)
    assert "1 service added to the reconnection tracker" in response.content.decode()


def test_setup_with_nothing_ticked_shows_an_error(client, world):
    ThirdPartyServiceFactory(name="Test DocMan")
    client.force_login(world.manager)
    response = client.post(reverse("reconnections:links_setup", args=[world.migration.pk]), {})
    assert "Select the services the practice uses" in response.content.decode()
    assert not world.migration.third_party_links.exists()


def test_setup_with_an_unknown_service_shows_an_error_and_saves_nothing(client, world):
    ThirdPartyServiceFactory(name="Test DocMan")
    client.force_login(world.manager)
    response = client.post(
        reverse("reconnections:links_setup", args=[world.migration.pk]), {"services_document_management": [999999]}
    )
    assert "Select services from the list" in response.content.decode()
    assert not world.migration.third_party_links.exists()


def test_creating_a_migration_offers_the_tracker_setup(client, world):
    practice = world.new_practice(world.manager)  # one open migration per practice: the home one has its own
    client.force_login(world.manager)
    data = {
        "practice": practice.pk,
        "old_supplier": world.emis.pk,
        "new_supplier": world.tpp.pk,
        **date_fields("idp_date", datetime.date(2027, 5, 3)),
        **date_fields("fdp_date", datetime.date(2027, 6, 21)),
        **date_fields("go_live_date", datetime.date(2027, 6, 28)),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
    }
    response = client.post(reverse("checklists:migration_create"), data)
    assert response.url.endswith("/links/set-up/")


def test_switch_off_form_saves_and_redirects_to_the_tracker(client, world, link):
    services.link_move(
        user=world.manager,
        link=link,
        to_status=LinkStatus.SUPPLIER_TOLD,
        expected_version=1,
        today=TODAY,
        told_on=TODAY,
    )
    client.force_login(world.staff)
    url = reverse("reconnections:link_move", args=[world.migration.pk, link.pk, "switch-off"])
    response = client.post(url, {"version": 2, **date_fields("switched_off_on", datetime.date(2027, 2, 19))})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.SWITCHED_OFF


@pytest.mark.parametrize(
    ("move_slug", "data", "message"),
    [
        ("reconnect", date_fields("reconnected_on", datetime.date(2027, 2, 1)), "same as or after the switch-off date"),
        ("verify", date_fields("verified_on", datetime.date(2099, 1, 1)), "cannot be marked"),
        (
            "request-reconnection",
            {**date_fields("reconnection_requested_on", datetime.date(2027, 3, 1)), "reconnection_contact": "x" * 201},
            "The contact must be 200 characters or fewer",
        ),
        (
            "reconnect",
            {"reconnected_on_day": "31", "reconnected_on_month": "2", "reconnected_on_year": "2027"},
            "as a real date",
        ),
    ],
)
def test_bad_link_input_shows_an_error_and_saves_nothing(client, world, link, move_slug, data, message):
    switched_off(world, link)
    if move_slug == "reconnect":
        move(
            world.manager,
            link,
            LinkStatus.RECONNECTION_REQUESTED,
            reconnection_requested_on=datetime.date(2027, 3, 1),
            reconnection_contact="",
            reconnection_reference="",
        )
    link.refresh_from_db()
    version, audits = link.version, AuditEvent.objects.count()
    client.force_login(world.manager)
    url = reverse("reconnections:link_move", args=[world.migration.pk, link.pk, move_slug])
    response = client.post(url, {"version": version, **data})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert message in content
    link.refresh_from_db()
    assert link.version == version
    assert AuditEvent.objects.count() == audits


def test_verified_date_in_the_future_shows_an_error(client, world, link):
    reconnected(world, link)
    link.refresh_from_db()
    client.force_login(world.manager)
    url = reverse("reconnections:link_move", args=[world.migration.pk, link.pk, "verify"])
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client.post(url, {"version": link.version, **date_fields("verified_on", tomorrow)})
    assert "The date must be today or in the past" in response.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.RECONNECTED


def test_unknown_move_is_404(client, world, link):
    client.force_login(world.manager)
    url = reverse("reconnections:link_move", args=[world.migration.pk, link.pk, "explode"])
    assert client.get(url).status_code == 404


def test_commissioner_can_read_the_tracker_but_not_change_it(client_for, world, link):
    client = client_for(world.commissioner)
    assert client.get(reverse("reconnections:links", args=[world.migration.pk])).status_code == 200
    assert client.get(reverse("reconnections:link", args=[world.migration.pk, link.pk])).status_code == 200
    url = reverse("reconnections:link_move", args=[world.migration.pk, link.pk, "tell"])
    assert client.post(url, {"version": 1, **date_fields("told_on", TODAY)}).status_code == 403
    link.refresh_from_db()
    assert link.status == LinkStatus.IN_USE


def test_local_service_with_a_catalogue_name_is_refused(client, world):
    ThirdPartyServiceFactory(name="Catalogue Scanner")
    client.force_login(world.manager)
    response = client.post(
        reverse("reconnections:local_service_add", args=[world.migration.pk]),
        {"name": "catalogue scanner", "category": "document_management", "notice_working_days": 5},
    )
    assert "already in the list of services" in response.content.decode()
    assert not ThirdPartyService.objects.filter(practice=world.home).exists()


def test_local_service_is_added_to_the_practice_and_tracked(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("reconnections:local_service_add", args=[world.migration.pk]),
        {"name": "Local INR clinic app", "category": "anticoagulation", "notice_working_days": 5},
    )
    assert response.status_code == 302
    service = ThirdPartyService.objects.get(practice=world.home)
    assert world.migration.third_party_links.get().service == service


def test_link_pages_render_for_every_stage(client, world, link):
    client.force_login(world.manager)
    reconnected(world, link)
    for name, args in [
        ("reconnections:link", [link.pk]),
        ("reconnections:link_move", [link.pk, "verify"]),
        ("reconnections:link_move_back", [link.pk]),
        ("reconnections:link_reconfiguration", [link.pk]),
    ]:
        assert client.get(reverse(name, args=[world.migration.pk, *args])).status_code == 200
    for name in (
        "reconnections:links_setup",
        "reconnections:mesh_change",
        "reconnections:mesh_partner_add",
        "reconnections:cutover_registrations",
        "reconnections:local_service_add",
    ):
        assert client.get(reverse(name, args=[world.migration.pk])).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"waiting": -1, "registered": 0}, "The number waiting must be 0 or more"),
        ({"waiting": "lots", "registered": 0}, "Enter how many patients are waiting as a whole number"),
        ({"waiting": 3}, "Enter how many patients have been registered, or 0"),
    ],
)
def test_bad_registration_counts_show_an_error_and_save_nothing(client, world, data, message):
    client.force_login(world.staff)
    response = client.post(reverse("reconnections:cutover_registrations", args=[world.migration.pk]), data)
    assert message in response.content.decode()
    assert not CutoverRegistrations.objects.exists()


def test_registration_counts_are_saved_from_the_form(client, world):
    client.force_login(world.staff)
    url = reverse("reconnections:cutover_registrations", args=[world.migration.pk])
    assert client.post(url, {"waiting": 5, "registered": 2}).status_code == 302
    assert CutoverRegistrations.objects.get(migration=world.migration).waiting == 5


def test_over_long_mesh_mailbox_shows_an_error_and_saves_nothing(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("reconnections:mesh_change", args=[world.migration.pk]), {"old_mailbox": "X" * 101, "new_mailbox": ""}
    )
    assert "The mailbox ID must be 100 characters or fewer" in response.content.decode()
    assert not AuditEvent.objects.filter(action="mesh_change.saved").exists()


def test_reconfiguration_form_flags_the_link(client, world, link):
    client.force_login(world.manager)
    url = reverse("reconnections:link_reconfiguration", args=[world.migration.pk, link.pk])
    response = client.post(url, {"version": 1, "reconfiguration_needed": "true", "reconfiguration_note": "New key"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.reconfiguration_needed
    tracker = client.get(reverse("reconnections:links", args=[world.migration.pk])).content.decode()
    assert "Reconfiguration needed" in tracker


def test_move_back_form_needs_a_reason(client, world, link):
    switched_off(world, link)
    link.refresh_from_db()
    client.force_login(world.manager)
    url = reverse("reconnections:link_move_back", args=[world.migration.pk, link.pk])
    response = client.post(url, {"version": link.version, "reason": ""})
    assert "Enter why you are moving this link back" in response.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.SWITCHED_OFF


def test_migration_page_query_count_does_not_grow_with_links(client, world, django_assert_max_num_queries):
    client.force_login(world.manager)
    url = reverse("checklists:migration", args=[world.migration.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ThirdPartyLinkFactory.create_batch(10, migration=world.migration)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_link_in_use_offers_telling_the_supplier_or_not_needed():
    assert services.link_moves_from(LinkStatus.IN_USE) == [LinkStatus.SUPPLIER_TOLD, LinkStatus.NOT_NEEDED]
    assert services.link_moves_from(LinkStatus.VERIFIED) == []
