"""A practice joining GoLive part-way, then withdrawing the migration: without JavaScript-only steps, axe clean."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checklists.models import Migration, MigrationStage, StepCompletion
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def fill_date(page, name, day):
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def test_manager_creates_a_migration_with_past_dates_then_withdraws_it(transactional_db, world, browser_page):
    page = browser_page.page
    today = timezone.localdate()
    go_live = today - datetime.timedelta(days=24)
    went_live = go_live + datetime.timedelta(days=2)
    practice = world.new_practice(world.manager)

    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto("/migrations/new/")
    page.get_by_label("Practice", exact=True).select_option(str(practice.pk))
    page.get_by_label("Old supplier", exact=True).select_option(str(world.emis.pk))
    page.get_by_label("New supplier", exact=True).select_option(str(world.tpp.pk))
    fill_date(page, "idp_date", go_live - datetime.timedelta(days=56))
    fill_date(page, "fdp_date", go_live - datetime.timedelta(days=7))
    fill_date(page, "go_live_date", go_live)
    page.get_by_role("button", name="Create migration").click()
    browser_page.assert_accessible()

    # The second question: what was done before GoLive, and has the practice gone live?
    expect(page.get_by_role("heading", name="Where is the practice now?")).to_be_visible()
    page.get_by_label(re.compile("^Decision, funding and procurement")).check()
    page.get_by_label(re.compile("^Kick-off")).check()
    page.get_by_label("Yes").check()
    fill_date(page, "went_live_on", went_live)
    page.get_by_role("button", name="Create migration").click()
    browser_page.assert_accessible()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("recorded as done before GoLive")

    migration = Migration.objects.get(practice=practice)
    assert migration.went_live_on == went_live
    assert not migration.steps.filter(phase__in=["decision", "kickoff"], status="todo").exists()
    assert migration.steps.filter(phase="kickoff", completion=StepCompletion.BEFORE_GOLIVE).exists()

    browser_page.goto(f"/migrations/{migration.pk}/")
    expect(page.locator("main")).to_contain_text("Live: old system read-only")
    expect(page.locator("main")).to_contain_text("left of the old system's read-only window")
    browser_page.goto(f"/migrations/{migration.pk}/checklist/?phase=kickoff")
    expect(page.locator("main")).to_contain_text("Done before GoLive")

    # Withdraw: a reason is required, then the migration reads as withdrawn and can no longer be changed.
    browser_page.goto(f"/migrations/{migration.pk}/")
    page.get_by_role("link", name="withdraw the migration").click()
    browser_page.assert_accessible()
    page.get_by_role("button", name="Withdraw this migration").click()
    browser_page.assert_accessible()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    summary.get_by_role("link", name="Enter why the migration is being withdrawn").click()
    expect(page.get_by_label("Why is this migration being withdrawn?")).to_be_focused()
    page.get_by_label("Why is this migration being withdrawn?").fill("Created with the wrong new supplier")
    page.get_by_role("button", name="Withdraw this migration").click()
    browser_page.assert_accessible()
    expect(page.locator("main")).to_contain_text("This migration was withdrawn")
    expect(page.locator("main")).to_contain_text("Created with the wrong new supplier")
    migration.refresh_from_db()
    assert migration.stage_on(today) == MigrationStage.WITHDRAWN

    browser_page.goto(f"/migrations/{migration.pk}/checklist/")
    expect(page.get_by_role("button", name=re.compile("Mark done"))).to_have_count(0)
