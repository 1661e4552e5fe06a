import datetime

import pytest
from playwright.sync_api import expect

from reminders.kinds import Kind
from reminders.models import Reminder, ReminderStatus
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_manager_finds_their_tasks_and_switches_off_the_daily_digest(transactional_db, world, browser_page):
    page = browser_page.page
    sign_in(browser_page, world.manager.email, PASSWORD)

    with page.expect_navigation():
        page.get_by_role("link", name="My tasks").first.click()
    browser_page.assert_accessible()
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Riverside Surgery")
    expect(page.get_by_role("heading", name="To chase")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Choose which reminders you get by email").click()
    browser_page.assert_accessible()
    daily = page.get_by_label(Kind.DAILY_DIGEST.label)
    expect(daily).to_be_checked()
    daily.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder choices").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Your reminder choices are saved")
    expect(page.get_by_label(Kind.DAILY_DIGEST.label)).not_to_be_checked()
    assert list(world.manager.reminder_opt_outs.values_list("kind", flat=True)) == [Kind.DAILY_DIGEST]


def test_migration_page_lists_reminders_sent(transactional_db, world, browser_page):
    Reminder.objects.create(
        migration=world.migration,
        recipient=world.manager,
        kind=Kind.GO_LIVE_WEEK,
        for_date=datetime.date(2027, 2, 22),
        status=ReminderStatus.SENT,
    )
    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto(f"/migrations/{world.migration.pk}/")
    expect(browser_page.page.get_by_role("table").last).to_contain_text("22 February 2027")
