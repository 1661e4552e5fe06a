"""The admin site's ODS upload page, and what the import means for creating migrations."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists.forms import MigrationCreateForm
from checklists.services import migration_create
from golive.core.models import AuditEvent
from practices.forms import ODS_UPLOAD_MAX_BYTES
from practices.models import OrganisationStatus, Practice
from tests.factories import PracticeFactory, SupplierFactory, UserFactory
from tests.practices.test_ods_import import SAMPLE, SUPPLIERS, malformed_copy

UPLOAD = reverse("admin:practices_import_ods")
CREATE = reverse("checklists:migration_create")


def upload(client, epraccur: bytes, suppliers: bytes | None = None, name="epraccur.csv"):
    data = {"epraccur": SimpleUploadedFile(name, epraccur, content_type="text/csv")}
    if suppliers is not None:
        data["suppliers"] = SimpleUploadedFile("suppliers.csv", suppliers, content_type="text/csv")
    return client.post(UPLOAD, data)


def test_administrator_uploads_the_sample_and_sees_the_summary(client_for, world):
    response = upload(client_for(world.admin), SAMPLE.read_bytes(), SUPPLIERS.read_bytes())
    assert response.status_code == 200
    summary = response.context["summary"]
    assert "  created: 130" in summary
    assert any(line.startswith("Current suppliers: 101 rows") for line in summary)
    assert "The import finished." in response.content.decode()


def test_an_upload_is_audited_as_the_uploading_administrator(client_for, world):
    upload(client_for(world.admin), SAMPLE.read_bytes())
    event = AuditEvent.objects.filter(action="practice.created_from_ods").first()
    assert (event.actor, event.actor_label) == (world.admin, world.admin.email)
    assert event.reason.startswith("ODS import: admin upload of epraccur.csv (sha256 ")


def test_a_malformed_upload_lists_every_bad_line_and_saves_nothing(client_for, world):
    before = Practice.objects.count()
    response = upload(client_for(world.admin), malformed_copy())
    assert response.context["refused"] == [
        "Line 3: has 26 columns; the epraccur format has 27",
        "Line 10: ODS code 'A81-01' is not 3 to 10 letters and numbers",
        "Line 20: open date '20181331' is not a date written as YYYYMMDD",
        "Line 221: ODS code A81001 is also on line 1",
    ]
    assert "nothing was saved: 4 problems" in response.content.decode()
    assert Practice.objects.count() == before


def test_a_50_mb_upload_is_refused_naming_the_limit(client_for, world):
    big = b"x" * (50 * 1024 * 1024)
    response = upload(client_for(world.admin), big)
    assert response.status_code == 200
    assert "Each file must be 10 MB or smaller" in response.content.decode()
    assert response.context["summary"] is None
    assert not AuditEvent.objects.filter(action="practice.created_from_ods").exists()


def test_a_file_just_over_the_limit_is_refused_on_its_own_field(client_for, world):
    response = upload(client_for(world.admin), b"x" * (ODS_UPLOAD_MAX_BYTES + 1))
    assert response.context["form"].errors["epraccur"] == ["Each file must be 10 MB or smaller"]


def test_the_upload_page_needs_a_file(client_for, world):
    response = client_for(world.admin).post(UPLOAD, {})
    assert response.context["form"].errors["epraccur"] == ["Choose the epraccur file"]


@pytest.mark.parametrize("who", ["manager", "commissioner"])
def test_people_who_are_not_staff_are_sent_to_the_admin_sign_in(client_for, world, who):
    response = upload(client_for(getattr(world, who)), SAMPLE.read_bytes())
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    assert not Practice.objects.filter(ods_code="A81001").exists()


def test_staff_without_permission_to_add_and_change_practices_are_refused(client_for, world):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_practice"))
    response = upload(client_for(staff), SAMPLE.read_bytes())
    assert response.status_code == 403
    assert not Practice.objects.filter(ods_code="A81001").exists()


def test_staff_with_permission_to_add_and_change_practices_may_import(client_for, world):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_practice", "change_practice"]))
    assert upload(client_for(staff), SAMPLE.read_bytes()).context["summary"]


def test_the_practice_list_offers_the_import(client_for, world):
    response = client_for(world.admin).get(reverse("admin:practices_practice_changelist"))
    assert UPLOAD in response.content.decode()


# --- Creating migrations --------------------------------------------------------------------------------------


def test_closed_practices_are_not_offered_for_a_new_migration(client_for, world):
    PracticeFactory(icb=world.north, name="Closed Surgery", status=OrganisationStatus.CLOSED)
    PracticeFactory(icb=world.north, name="Dormant Surgery", status=OrganisationStatus.DORMANT)
    offered = {
        practice.name
        for practice in client_for(world.commissioner).get(CREATE).context["form"].fields["practice"].queryset
    }
    assert offered == {"Riverside Surgery", "Hillview Medical Centre"}


def test_a_closed_practice_posted_anyway_is_refused(client_for, world):
    closed = PracticeFactory(icb=world.north, status=OrganisationStatus.CLOSED)
    response = client_for(world.commissioner).post(CREATE, {"practice": closed.pk})
    assert "Select a practice from the list" in response.content.decode()
    assert not closed.migrations.exists()


def test_the_service_refuses_a_migration_for_a_closed_practice(world):
    from django.core.exceptions import ValidationError

    closed = PracticeFactory(icb=world.north, status=OrganisationStatus.CLOSED, name="Gone Surgery")
    with pytest.raises(ValidationError, match="Gone Surgery is closed"):
        migration_create(
            user=world.commissioner,
            practice=closed,
            old_supplier=world.emis,
            new_supplier=world.tpp,
            idp_date=datetime.date(2027, 1, 4),
            fdp_date=datetime.date(2027, 2, 1),
            go_live_date=datetime.date(2027, 2, 8),
            read_only_window_days=45,
            read_only_window_source="older_guide",
        )


def test_the_practices_current_system_is_the_old_supplier_to_start_with(client_for, world):
    vision = SupplierFactory(name="Cegedim")
    Practice.objects.filter(pk=world.neighbour.pk).update(current_supplier=vision)
    form = client_for(world.commissioner).get(CREATE, {"practice": world.neighbour.pk}).context["form"]
    assert (form["practice"].value(), form["old_supplier"].value()) == (world.neighbour.pk, vision.pk)


def test_a_practice_manager_with_one_practice_starts_from_it(client_for, world):
    Practice.objects.filter(pk=world.home.pk).update(current_supplier=world.tpp)
    form = client_for(world.manager).get(CREATE).context["form"]
    assert (form["practice"].value(), form["old_supplier"].value()) == (world.home.pk, world.tpp.pk)


@pytest.mark.parametrize("value", ["other", "junk", "99999999"])
def test_a_practice_outside_the_users_scope_is_not_prefilled(client_for, world, value):
    practice = world.other.pk if value == "other" else value
    response = client_for(world.commissioner).get(CREATE, {"practice": practice})
    assert response.status_code == 200
    assert MigrationCreateForm.initial_for(None) == {}
    assert response.context["form"]["practice"].value() is None
