import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reconnections import services
from reconnections.models import LinkStatus
from tests.browser.conftest import sign_in
from tests.factories import ThirdPartyLinkFactory, ThirdPartyServiceFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def fill_date(page, name, day):
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def submit(browser_page, name="Save"):
    page = browser_page.page
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    browser_page.assert_accessible()


def test_manager_switches_a_link_off_reconnects_it_and_verifies_it(transactional_db, world, browser_page):
    page = browser_page.page
    today = timezone.localdate()
    # A migration that went live two days ago, so every date entered is in the past.
    migration = world.make_migration(
        world.new_practice(world.manager), world.manager, go_live=today - datetime.timedelta(days=2)
    )
    link = ThirdPartyLinkFactory(migration=migration, service__name="Scanning service")
    services.link_move(
        user=world.manager,
        link=link,
        to_status=LinkStatus.SUPPLIER_TOLD,
        expected_version=1,
        today=today,
        told_on=today - datetime.timedelta(days=30),
    )
    switched_off_on = migration.fdp_date - datetime.timedelta(days=1)

    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto(f"/migrations/{migration.pk}/links/")
    row = page.locator(f"#link-{link.pk}")
    expect(row).to_contain_text("Supplier told")

    row.get_by_role("link", name=re.compile("Record switch-off")).click()
    browser_page.assert_accessible()
    fill_date(page, "switched_off_on", switched_off_on)
    submit(browser_page)
    expect(page.locator(f"#link-{link.pk}")).to_contain_text("Switched off")

    page.locator(f"#link-{link.pk}").get_by_role("link", name=re.compile("Record reconnection request")).click()
    browser_page.assert_accessible()
    fill_date(page, "reconnection_requested_on", migration.go_live_date)
    page.get_by_label("Who you asked (optional)").fill("Scanning support desk")
    submit(browser_page)

    page.locator(f"#link-{link.pk}").get_by_role("link", name=re.compile(r"^Record reconnection\s*:")).click()
    browser_page.assert_accessible()
    fill_date(page, "reconnected_on", switched_off_on - datetime.timedelta(days=1))
    submit(browser_page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("same as or after the switch-off date")
    fill_date(page, "reconnected_on", migration.go_live_date)
    submit(browser_page)
    expect(page.locator(f"#link-{link.pk}")).to_contain_text("Reconnected")

    page.locator(f"#link-{link.pk}").get_by_role("link", name=re.compile("Record checked working")).click()
    browser_page.assert_accessible()
    fill_date(page, "verified_on", today)
    submit(browser_page)
    expect(page.locator(f"#link-{link.pk}")).to_contain_text("Verified working")

    link.refresh_from_db()
    assert link.status == LinkStatus.VERIFIED
    assert link.verified_by == world.manager


def test_manager_sets_up_the_tracker_and_records_the_mesh_change(transactional_db, world, browser_page):
    page = browser_page.page
    ThirdPartyServiceFactory(name="Scanning service")
    ThirdPartyServiceFactory(name="Prescriptions", category="prescribing")
    migration = world.migration

    sign_in(browser_page, world.manager.email, PASSWORD)
    browser_page.goto(f"/migrations/{migration.pk}/links/")
    page.get_by_role("link", name="Set up the list of services the practice uses").click()
    browser_page.assert_accessible()
    submit(browser_page, "Add to the tracker")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the services the practice uses")
    page.get_by_label("Scanning service").check()
    submit(browser_page, "Add to the tracker")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("1 service added")

    page.get_by_role("link", name="Scanning service", exact=True).click()
    browser_page.assert_accessible()
    expect(page.get_by_role("heading", name="Scanning service")).to_be_visible()
    page.get_by_role("link", name="Back to the third-party links").click()
    browser_page.assert_accessible()

    page.get_by_role("link", name="Record the MESH mailboxes").click()
    browser_page.assert_accessible()
    page.get_by_label("Old MESH mailbox ID").fill("A12345OT001")
    page.get_by_label("New MESH mailbox ID").fill("A12345NT001")
    submit(browser_page)
    page.get_by_role("link", name="Add a partner service to tell").click()
    browser_page.assert_accessible()
    page.get_by_label("Partner service to tell").fill("PCSE")
    submit(browser_page, "Add partner")
    submit(browser_page, re.compile("Told today"))
    expect(page.locator("#mesh ~ table")).to_contain_text("Told on")
