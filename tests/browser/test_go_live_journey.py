import re

import pytest
from playwright.sync_api import expect

from checklists.models import StepStatus
from go_live.models import GoLiveSignOff
from go_live.selectors import sign_off_blocking_steps
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_manager_records_a_check_signs_off_and_tells_the_supplier(transactional_db, world, browser_page):
    page = browser_page.page
    migration = world.migration
    blocking = list(sign_off_blocking_steps(migration).exclude(code="GL-01"))
    sign_off_blocking_steps(migration).filter(pk__in=[step.pk for step in blocking]).update(status=StepStatus.DONE)

    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto(f"/migrations/{migration.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Go-live readiness and sign-off").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("GL-01 Complete the pre-go-live checklist")

    # Record a data re-check, first with an impossible count.
    with page.expect_navigation():
        page.get_by_role("link", name="record a data check").click()
    browser_page.assert_accessible()
    page.get_by_label("QOF and indicator points").check()
    page.get_by_label("Go-live", exact=True).check()
    page.get_by_label("Passed", exact=True).check()
    page.get_by_label("Records checked").fill("10")
    page.get_by_label("Problems found").fill("11")
    with page.expect_navigation():
        page.get_by_role("button", name="Save data check").click()
    browser_page.assert_accessible()
    expect(page).to_have_title(re.compile("^Error: "))
    page.locator(".nhsuk-error-summary").get_by_role("link", name=re.compile("Problems found must be")).click()
    expect(page.get_by_label("Problems found")).to_be_focused()
    page.get_by_label("Problems found").fill("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Save data check").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Data check recorded")

    # The last blocker: tick GL-01, then sign off.
    migration.steps.filter(code="GL-01").update(status=StepStatus.DONE)
    browser_page.goto(f"/migrations/{migration.pk}/go-live/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign off the go-live data").click()
    browser_page.assert_accessible()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign off the go-live data").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Confirm the statement")
    page.get_by_label("I confirm the statement above").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign off the go-live data").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Go-live data signed off")
    assert GoLiveSignOff.objects.filter(migration=migration, signed_by=world.manager).count() == 1

    with page.expect_navigation():
        page.get_by_role("link", name="Record that the new supplier was told").click()
    browser_page.assert_accessible()
    page.get_by_label("Who at the supplier was told?").fill("TPP migration project manager")
    page.get_by_label("Supplier's reference").fill("TPP-4471")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    browser_page.assert_accessible()
    expect(page.locator("main")).to_contain_text("TPP-4471")

    browser_page.goto(f"/migrations/{migration.pk}/")
    expect(page.locator("main")).to_contain_text("left of the old system's read-only window")
    expect(page.locator("main")).to_contain_text("The new supplier was told on")


def test_issue_log_and_process_review_pages_are_accessible(transactional_db, world, browser_page):
    page = browser_page.page
    migration = world.migration
    sign_in(browser_page, world.staff.email, PASSWORD)
    browser_page.goto(f"/migrations/{migration.pk}/issues/new/")
    page.get_by_label("Title").fill("Immunisations degraded")
    page.get_by_label("Critical").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Raise issue").click()
    browser_page.assert_accessible()
    expect(page.locator("main")).to_contain_text("Immunisations degraded")
    with page.expect_navigation():
        page.get_by_role("link", name="Immunisations degraded").click()
    browser_page.assert_accessible()
    page.get_by_label("Resolved").check()
    page.get_by_label("Resolution note").fill("Recoded by the supplier")
    with page.expect_navigation():
        page.get_by_role("button", name="Save issue").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Issue resolved")
    browser_page.goto(f"/migrations/{migration.pk}/issues/?status=resolved&severity=critical")
    browser_page.goto(f"/migrations/{migration.pk}/data-checks/")
    browser_page.goto(f"/migrations/{migration.pk}/process-review/")
    expect(page.locator("main")).to_contain_text("1 issue raised, 1 resolved")
