import re

import pytest
from playwright.sync_api import expect

from checklists.models import StepStatus
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_practice_manager_signs_in_ticks_a_step_and_sees_it_done_after_reload(transactional_db, world, browser_page):
    page = browser_page.page
    step = world.migration.steps.get(code="GL-02")

    sign_in(browser_page, world.manager.email, PASSWORD)
    expect(page.get_by_role("heading", name="Migrations")).to_be_visible()

    page.get_by_role("link", name="Riverside Surgery").click()
    browser_page.assert_accessible()
    page.get_by_role("link", name="Open the checklist").click()
    browser_page.assert_accessible()

    row = page.locator(f"#step-{step.pk}")
    row.get_by_role("button", name=re.compile("Mark done")).click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("marked as done")

    page.reload()
    browser_page.assert_accessible()
    expect(page.locator(f"#step-{step.pk}")).to_contain_text("Done")
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


def test_checklist_can_be_worked_by_keyboard_alone(transactional_db, world, browser_page):
    page = browser_page.page
    sign_in(browser_page, world.staff.email, PASSWORD)
    browser_page.goto(f"/migrations/{world.migration.pk}/checklist/?show=overdue")
    browser_page.goto(f"/migrations/{world.migration.pk}/checklist/?phase=go_live")
    first = world.migration.steps.filter(phase="go_live").order_by("order").first()
    button = page.locator(f"#step-{first.pk}").get_by_role("button", name=re.compile("Mark done"))
    button.focus()
    expect(button).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browser_page.assert_accessible()
    first.refresh_from_db()
    assert first.status == StepStatus.DONE


def test_migration_form_errors_show_an_error_summary_that_links_to_the_field(transactional_db, world, browser_page):
    page = browser_page.page
    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto("/migrations/new/")
    page.get_by_role("button", name="Create migration").click()
    browser_page.assert_accessible()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Select the old supplier")
    summary.get_by_role("link", name="Select the old supplier").click()
    expect(page.locator("#id_old_supplier")).to_be_focused()


def test_every_skeleton_page_passes_axe(transactional_db, world, browser_page):
    migration = world.migration
    step = migration.steps.get(code="GL-02")
    browser_page.goto("/password-reset/")
    sign_in(browser_page, world.manager.email, PASSWORD)
    for path in [
        "/",
        f"/migrations/{migration.pk}/",
        f"/migrations/{migration.pk}/checklist/",
        f"/migrations/{migration.pk}/steps/{step.pk}/",
        f"/migrations/{migration.pk}/key-dates/",
        f"/migrations/{migration.pk}/history/",
        "/migrations/new/",
        "/no-such-page/",
    ]:
        browser_page.goto(path)


def test_key_date_change_is_previewed_then_confirmed(transactional_db, world, browser_page):
    page = browser_page.page
    migration = world.migration
    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto(f"/migrations/{migration.pk}/key-dates/")
    page.locator("#id_go_live_date_day").fill("8")
    page.locator("#id_fdp_date_day").fill("1")
    page.get_by_label("Why are the dates changing?").fill("Supplier moved go-live by a week")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the changes").click()
    browser_page.assert_accessible()
    expect(page.get_by_role("heading", name="Check the changes")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and move the dates").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Key dates changed")
    migration.refresh_from_db()
    assert migration.go_live_date.day == 8
