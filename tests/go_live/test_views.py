import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from go_live import services
from go_live.models import (
    CURRENT_GO_LIVE_STATEMENT,
    CheckArea,
    CheckResult,
    DataCheck,
    GoLiveSignOff,
    Issue,
    IssueSeverity,
    IssueStatus,
    ProcessReviewReference,
    SupplierConfirmation,
)
from golive.core.models import AuditEvent
from practices.models import Role
from tests.factories import DataCheckFactory, IssueFactory, MembershipFactory


def url(name, migration, **kwargs):
    return reverse(name if ":" in name else f"go_live:{name}", kwargs={"pk": migration.pk, **kwargs})


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def sign_off_form(**overrides):
    data = {"confirm": "true", "statement_version": CURRENT_GO_LIVE_STATEMENT, "current_sign_off": ""}
    data.update(overrides)
    return data


def sign(world, migration):
    return services.go_live_sign_off(
        user=world.manager, migration=migration, statement_version=CURRENT_GO_LIVE_STATEMENT, expected_current_id=None
    )


# Readiness page


@pytest.mark.parametrize("who", ["manager", "staff", "commissioner"])
def test_everyone_who_can_see_the_migration_can_read_its_readiness(client_for, world, who):
    response = client_for(getattr(world, who)).get(url("go_live", world.migration))
    assert response.status_code == 200
    assert "Data re-checks for go-live" in response.text


def test_readiness_names_what_blocks_the_sign_off(client_for, world):
    response = client_for(world.manager).get(url("go_live", world.migration))
    assert "The go-live data cannot be signed off yet" in response.text
    assert "Critical step still open: GL-01 Complete the pre-go-live checklist" in response.text


def test_readiness_shows_check_results_and_open_issues(client_for, world, ready):
    DataCheckFactory(migration=ready, area=CheckArea.CAPITATION, problems_found=2, checked_by=world.staff)
    IssueFactory(migration=ready, severity=IssueSeverity.CRITICAL, raised_by=world.staff)
    response = client_for(world.manager).get(url("go_live", ready))
    assert "2 of 50" in response.text
    assert "1 open issue: 1 critical" in response.text
    assert "Sign off the go-live data" in response.text


def test_readiness_lists_links_not_yet_reconnected_without_blocking(client_for, world, ready):
    from reconnections.models import LinkStatus
    from tests.factories import ThirdPartyLinkFactory, ThirdPartyServiceFactory

    ThirdPartyLinkFactory(
        migration=ready, service=ThirdPartyServiceFactory(name="Test prescribing link"), status=LinkStatus.SWITCHED_OFF
    )
    ThirdPartyLinkFactory(
        migration=ready, service=ThirdPartyServiceFactory(name="Test scanning link"), status=LinkStatus.VERIFIED
    )
    response = client_for(world.manager).get(url("go_live", ready))
    assert "Test prescribing link (switched off)" in response.text
    assert "Test scanning link" not in response.text
    assert "Sign off the go-live data" in response.text
    sign_off = services.go_live_sign_off(
        user=world.manager, migration=ready, statement_version=CURRENT_GO_LIVE_STATEMENT, expected_current_id=None
    )
    assert sign_off.readiness_snapshot["third_party_links_outstanding"] == ["Test prescribing link (switched off)"]


def test_readiness_page_queries_do_not_grow_with_checks_and_issues(
    client_for, world, ready, django_assert_max_num_queries
):
    client = client_for(world.manager)
    sign(world, ready)
    with django_assert_max_num_queries(12) as few:
        client.get(url("go_live", ready))
    for area in CheckArea.values:
        DataCheckFactory.create_batch(3, migration=ready, area=area, checked_by=world.staff)
    IssueFactory.create_batch(10, migration=ready, raised_by=world.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("go_live", ready))


# Sign-off


@pytest.mark.parametrize("who", ["staff", "commissioner", "admin"])
def test_staff_and_commissioners_cannot_sign_off(client_for, world, ready, who):
    client = client_for(getattr(world, who))
    events = AuditEvent.objects.count()
    assert client.get(url("go_live_sign_off", ready)).status_code == 403
    assert client.post(url("go_live_sign_off", ready), sign_off_form()).status_code == 403
    assert not GoLiveSignOff.objects.exists()
    assert AuditEvent.objects.count() == events


def test_manager_signs_off_through_the_page(client_for, world, ready):
    response = client_for(world.manager).post(url("go_live_sign_off", ready), sign_off_form())
    assert response.status_code == 302
    assert response.url == url("go_live", ready)
    sign_off = GoLiveSignOff.objects.get()
    assert sign_off.signed_by == world.manager
    ready.refresh_from_db()
    assert ready.went_live_on == timezone.localdate()


def test_the_sign_off_page_shows_the_statement_and_its_version(client_for, world, ready):
    response = client_for(world.manager).get(url("go_live_sign_off", ready))
    assert "I have checked the go-live data" in response.text
    assert f"Statement version {CURRENT_GO_LIVE_STATEMENT}" in response.text


def test_signing_without_confirming_the_statement_shows_an_error(client_for, world, ready):
    response = client_for(world.manager).post(url("go_live_sign_off", ready), sign_off_form(confirm=""))
    assert response.status_code == 200
    assert "Confirm the statement to sign off the go-live data" in response.text
    assert response.text.count("<title>Error: ") == 1
    assert not GoLiveSignOff.objects.exists()


def test_a_blocked_sign_off_says_what_blocks_it_and_saves_nothing(client_for, world):
    client = client_for(world.manager)
    page = client.get(url("go_live_sign_off", world.migration))
    assert "Critical step still open: GL-01" in page.text
    assert 'type="submit">Sign off' not in page.text
    response = client.post(url("go_live_sign_off", world.migration), sign_off_form())
    assert response.status_code == 409
    assert "Critical step still open: GL-01 Complete the pre-go-live checklist" in response.text
    assert not GoLiveSignOff.objects.exists()


def test_a_failed_check_blocks_the_sign_off(client_for, world, ready):
    DataCheckFactory(migration=ready, area=CheckArea.QOF, result=CheckResult.FAILED, checked_by=world.staff)
    response = client_for(world.manager).post(url("go_live_sign_off", ready), sign_off_form())
    assert response.status_code == 409
    assert "Data check failed: QOF and indicator points" in response.text
    assert not GoLiveSignOff.objects.exists()


def test_a_repeated_sign_off_by_the_same_manager_goes_to_their_sign_off(client_for, world, ready):
    client = client_for(world.manager)
    assert client.post(url("go_live_sign_off", ready), sign_off_form()).status_code == 302
    response = client.post(url("go_live_sign_off", ready), sign_off_form(), follow=True)
    assert response.redirect_chain == [(url("go_live", ready), 302)]
    assert "You already signed off the go-live data on" in response.text
    assert GoLiveSignOff.objects.count() == 1


def test_a_stale_sign_off_form_tells_who_signed_and_saves_nothing(client_for, world, ready):
    second_manager = MembershipFactory(practice=world.home, role=Role.PRACTICE_MANAGER).user
    first = sign(world, ready)
    response = client_for(second_manager).post(url("go_live_sign_off", ready), sign_off_form())
    assert response.status_code == 409
    assert f"{escape(first.signed_by_name)} signed off the go-live data on" in response.text
    assert response.text.count("<title>Error: ") == 1
    assert GoLiveSignOff.objects.count() == 1
    # The fresh form now corrects the current sign-off, so signing again is a deliberate choice.
    assert response.context["form"].initial["current_sign_off"] == first.pk


def test_an_unknown_statement_version_is_refused(client_for, world, ready):
    response = client_for(world.manager).post(url("go_live_sign_off", ready), sign_off_form(statement_version="1999"))
    assert "The statement has changed" in response.text
    assert not GoLiveSignOff.objects.exists()


def test_correcting_a_sign_off_needs_a_reason_and_keeps_the_old_one(client_for, world, ready):
    first = sign(world, ready)
    client = client_for(world.manager)
    response = client.post(url("go_live_sign_off", ready), sign_off_form(current_sign_off=first.pk))
    assert "Enter why you are correcting the sign-off" in response.text
    assert GoLiveSignOff.objects.count() == 1
    response = client.post(
        url("go_live_sign_off", ready), sign_off_form(current_sign_off=first.pk, supersede_reason="Wrong statement")
    )
    assert response.status_code == 302
    assert list(GoLiveSignOff.objects.order_by("sequence").values_list("sequence", "supersedes")) == [
        (1, None),
        (2, first.pk),
    ]
    history = client.get(url("go_live", ready)).text
    assert "Wrong statement" in history
    assert "(superseded)" in history


# Supplier confirmation


def supplier_form(day, **overrides):
    data = {**date_fields("told_on", day), "contact": "TPP migration manager", "reference": "TPP-123"}
    data.update(overrides)
    return data


def test_supplier_confirmation_is_recorded_and_shown_on_the_migration_page(client_for, world, ready):
    sign(world, ready)
    client = client_for(world.staff)
    response = client.post(url("supplier_confirmation", ready), supplier_form(timezone.localdate()))
    assert response.status_code == 302
    assert SupplierConfirmation.objects.get().reference == "TPP-123"
    page = client.get(url("checklists:migration", ready)).text
    assert "The new supplier was told on" in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"days": 1}, "The date the supplier was told must be today or in the past"),
        ({"contact": ""}, "Enter who at the supplier was told"),
        ({"reference": "R" * 101}, "Supplier&#x27;s reference must be 100 characters or fewer"),
    ],
)
def test_bad_supplier_confirmation_shows_an_error_and_saves_nothing(client_for, world, ready, overrides, error):
    sign(world, ready)
    day = timezone.localdate() + datetime.timedelta(days=overrides.pop("days", 0))
    response = client_for(world.manager).post(url("supplier_confirmation", ready), supplier_form(day, **overrides))
    assert response.status_code == 200
    assert error in response.text
    assert not SupplierConfirmation.objects.exists()


def test_supplier_confirmation_before_sign_off_redirects_back(client_for, world):
    response = client_for(world.manager).get(url("supplier_confirmation", world.migration))
    assert response.status_code == 302
    assert response.url == url("go_live", world.migration)


def test_commissioner_cannot_record_the_supplier_confirmation(client_for, world, ready):
    sign(world, ready)
    response = client_for(world.commissioner).post(
        url("supplier_confirmation", ready), supplier_form(timezone.localdate())
    )
    assert response.status_code == 403
    assert not SupplierConfirmation.objects.exists()


# Data checks


def check_form(**overrides):
    data = {
        "area": "qof",
        "round": "go_live",
        "result": "passed_with_issues",
        "records_checked": "120",
        "problems_found": "3",
        **date_fields("checked_on", timezone.localdate()),
        "supplier_reference": "INC-42",
        "note": "3 indicator points differ",
    }
    data.update(overrides)
    return data


def test_staff_record_a_data_check_and_see_it_listed(client_for, world):
    client = client_for(world.staff)
    response = client.post(url("data_check_create", world.migration), check_form())
    assert response.status_code == 302
    check = DataCheck.objects.get()
    assert (check.records_checked, check.problems_found, check.checked_by) == (120, 3, world.staff)
    listing = client.get(url("data_checks", world.migration)).text
    assert "INC-42" in listing
    assert "Passed with issues" in listing


def test_the_data_check_form_says_no_patient_details(client_for, world):
    response = client_for(world.staff).get(url("data_check_create", world.migration))
    assert "Do not enter patient names, NHS numbers" in response.text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"records_checked": "-1"}, "Records checked must be 0 or more"),
        ({"problems_found": "-5"}, "Problems found must be 0 or more"),
        ({"records_checked": "2", "problems_found": "3"}, "Problems found must be the same as or fewer than records"),
        ({"records_checked": "lots"}, "Enter how many records were checked as a whole number"),
        # Beyond PostgreSQL's integer: a form error, not a DataError (500) on save.
        ({"records_checked": "99999999999", "problems_found": "0"}, "Records checked must be 10,000,000 or fewer"),
        ({"records_checked": "99999999999", "problems_found": "99999999999"}, "Problems found must be 10,000,000"),
        (date_fields("checked_on", datetime.date.today() + datetime.timedelta(days=2)), "must be today or in the past"),
        ({"supplier_reference": "X" * 101}, "Supplier&#x27;s reference must be 100 characters or fewer"),
        ({"area": ""}, "Select what was checked"),
    ],
)
def test_bad_data_check_input_shows_an_nhs_error_and_saves_nothing(client_for, world, overrides, error):
    response = client_for(world.staff).post(url("data_check_create", world.migration), check_form(**overrides))
    assert response.status_code == 200
    assert error in response.text
    assert "There is a problem" in response.text
    assert not DataCheck.objects.exists()


def test_commissioner_cannot_record_a_data_check(client_for, world):
    client = client_for(world.commissioner)
    assert client.get(url("data_check_create", world.migration)).status_code == 403
    assert client.post(url("data_check_create", world.migration), check_form()).status_code == 403
    assert client.get(url("data_checks", world.migration)).status_code == 200
    assert not DataCheck.objects.exists()


def test_data_check_list_queries_do_not_grow(client_for, world, django_assert_max_num_queries):
    client = client_for(world.staff)
    DataCheckFactory(migration=world.migration, checked_by=world.staff)
    with django_assert_max_num_queries(10) as few:
        client.get(url("data_checks", world.migration))
    DataCheckFactory.create_batch(20, migration=world.migration, checked_by=world.manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("data_checks", world.migration))


# Issue log


def issue_form(world, **overrides):
    data = {
        "title": "Allergies degraded to free text",
        "description": "About 40 records",
        "severity": "high",
        "owner": world.staff.pk,
        "supplier_reference": "TPP-9",
    }
    data.update(overrides)
    return data


def test_raise_an_issue_and_see_the_open_count_on_the_migration_page(client_for, world):
    client = client_for(world.staff)
    response = client.post(url("issue_create", world.migration), issue_form(world))
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert (issue.owner, issue.raised_by, issue.status) == (world.staff, world.staff, IssueStatus.OPEN)
    assert "1 open issue." in client.get(url("checklists:migration", world.migration)).text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"title": ""}, "Enter a title"),
        ({"severity": ""}, "Select the severity"),
        ({"supplier_reference": "X" * 101}, "Supplier&#x27;s reference must be 100 characters or fewer"),
    ],
)
def test_bad_issue_input_shows_an_error_and_saves_nothing(client_for, world, overrides, error):
    response = client_for(world.staff).post(url("issue_create", world.migration), issue_form(world, **overrides))
    assert error in response.text
    assert not Issue.objects.exists()


def test_an_owner_from_another_practice_is_not_offered(client_for, world):
    data = issue_form(world, owner=world.neighbour_manager.pk)
    response = client_for(world.staff).post(url("issue_create", world.migration), data)
    assert "Select a person at the practice" in response.text
    assert not Issue.objects.exists()


def test_closing_an_issue_needs_a_resolution_note(client_for, world):
    issue = IssueFactory(migration=world.migration, raised_by=world.staff)
    client = client_for(world.manager)
    data = issue_form(world, status="resolved", resolution_note="", version=issue.version, owner="")
    response = client.post(url("issue", world.migration, issue_pk=issue.pk), data)
    assert "Enter how the issue was resolved" in response.text
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    data["resolution_note"] = "Supplier recoded them"
    assert client.post(url("issue", world.migration, issue_pk=issue.pk), data).status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.resolved_by) == (IssueStatus.RESOLVED, world.manager)


def test_a_stale_issue_edit_keeps_the_users_changes_and_saves_nothing(client_for, world):
    issue = IssueFactory(migration=world.migration, raised_by=world.staff, title="Original")
    data = issue_form(world, title="Mine", status="open", version=issue.version)
    services.issue_update(
        user=world.staff, issue=issue, expected_version=1, title="Theirs", severity="low", status="open"
    )
    response = client_for(world.manager).post(url("issue", world.migration, issue_pk=issue.pk), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    issue.refresh_from_db()
    assert issue.title == "Theirs"


def test_issues_filter_by_status_and_severity(client_for, world):
    IssueFactory(migration=world.migration, raised_by=world.staff, title="Open high", severity="high")
    IssueFactory(migration=world.migration, raised_by=world.staff, title="Open low", severity="low")
    IssueFactory(
        migration=world.migration,
        raised_by=world.staff,
        title="Closed high",
        severity="high",
        status="resolved",
        resolution_note="Done",
        resolved_at=timezone.now(),
    )
    client = client_for(world.commissioner)
    shown = client.get(url("issues", world.migration), {"status": "open", "severity": "high"}).context["page"]
    assert [issue.title for issue in shown] == ["Open high"]
    shown = client.get(url("issues", world.migration)).context["page"]
    assert [issue.title for issue in shown] == ["Open high", "Open low", "Closed high"]


def test_commissioner_can_read_but_not_raise_or_change_issues(client_for, world):
    issue = IssueFactory(migration=world.migration, raised_by=world.staff)
    client = client_for(world.commissioner)
    assert client.get(url("issues", world.migration)).status_code == 200
    assert client.post(url("issue_create", world.migration), issue_form(world)).status_code == 403
    assert client.get(url("issue", world.migration, issue_pk=issue.pk)).status_code == 403
    assert Issue.objects.count() == 1


def test_issue_list_queries_do_not_grow(client_for, world, django_assert_max_num_queries):
    client = client_for(world.staff)
    IssueFactory(migration=world.migration, raised_by=world.staff, owner=world.staff)
    with django_assert_max_num_queries(10) as few:
        client.get(url("issues", world.migration))
    IssueFactory.create_batch(20, migration=world.migration, raised_by=world.manager, owner=world.manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("issues", world.migration))


# Process review and the migration page


def test_process_review_lists_what_the_supplier_reports_on(client_for, world, ready):
    sign(world, ready)
    DataCheckFactory(migration=ready, area=CheckArea.LOCAL_CODES, checked_by=world.staff)
    response = client_for(world.commissioner).get(url("process_review", ready))
    for item in ("Mapping tables", "Documented data extract (DDE)", "Hazard log and clinical safety case"):
        assert item in response.text
    assert "Local code remapping: Passed" in response.text
    assert "FDP 22 February 2027 to go-live" in response.text
    assert "Save references" not in response.text  # commissioners read only


def test_process_review_references_are_saved_and_validated(client_for, world):
    client = client_for(world.manager)
    response = client.post(url("process_review", world.migration), {"mapping_tables": "X" * 101})
    assert "must be 100 characters or fewer" in response.text
    assert not ProcessReviewReference.objects.exists()
    response = client.post(url("process_review", world.migration), {"mapping_tables": "MAP-7"})
    assert response.status_code == 302
    assert "MAP-7" in client.get(url("process_review", world.migration)).text


def test_commissioner_cannot_save_process_review_references(client_for, world):
    response = client_for(world.commissioner).post(url("process_review", world.migration), {"mapping_tables": "M"})
    assert response.status_code == 403
    assert not ProcessReviewReference.objects.exists()


def test_process_review_queries_do_not_grow(client_for, world, ready, django_assert_max_num_queries):
    client = client_for(world.manager)
    with django_assert_max_num_queries(14) as few:
        client.get(url("process_review", ready))
    DataCheckFactory.create_batch(10, migration=ready, checked_by=world.staff)
    IssueFactory.create_batch(10, migration=ready, raised_by=world.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("process_review", ready))


def test_migration_page_shows_the_sign_off_and_the_countdown(client_for, world, ready):
    client = client_for(world.staff)
    page = client.get(url("checklists:migration", ready)).text
    assert "The go-live data has not been signed off." in page
    sign(world, ready)
    page = client.get(url("checklists:migration", ready)).text
    # Escaped as the page escapes it: factory names can contain an apostrophe (O'Neill).
    assert f"Go-live data signed off by {escape(world.manager.get_full_name())}" in page
    assert "The new supplier has not been recorded as told." in page
    assert "left of the old system" in page


def test_migration_page_queries_stay_constant_with_issues(client_for, world, django_assert_max_num_queries):
    client = client_for(world.manager)
    with django_assert_max_num_queries(12) as few:
        client.get(url("checklists:migration", world.migration))
    IssueFactory.create_batch(10, migration=world.migration, raised_by=world.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("checklists:migration", world.migration))


def test_sign_offs_are_listed_read_only_in_the_admin(client_for, world, ready):
    sign_off = sign(world, ready)
    client = client_for(world.admin)
    assert client.get(reverse("admin:go_live_golivesignoff_changelist")).status_code == 200
    change = client.get(reverse("admin:go_live_golivesignoff_change", args=[sign_off.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content


def test_the_sign_off_appears_in_the_migration_history(client_for, world, ready):
    sign(world, ready)
    page = client_for(world.commissioner).get(url("checklists:history", ready)).text
    assert "Go-live data signed off" in page
    assert "Went live" in page


def test_process_review_does_not_put_future_extracts_in_the_past():
    from types import SimpleNamespace

    from go_live.presenters import _data_extract_text

    migration = SimpleNamespace(idp_date=datetime.date(2026, 11, 6), fdp_date=datetime.date(2026, 12, 25))
    assert _data_extract_text(migration, datetime.date(2026, 11, 27)) == (
        "Initial extract loaded 6 November 2026; final extract planned for 25 December 2026. "
        "The supplier holds the document."
    )
    assert "final extract taken 25 December 2026" in _data_extract_text(migration, datetime.date(2026, 12, 25))
    assert "Initial extract planned for 6 November 2026" in _data_extract_text(migration, datetime.date(2026, 11, 1))
