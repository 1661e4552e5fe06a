import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_commissioner_filters_the_portfolio_and_drills_down_to_a_practice(transactional_db, world, browser_page):
    page = browser_page.page
    sign_in(browser_page, world.commissioner.email, PASSWORD)

    page.get_by_role("link", name="Dashboards").click()
    browser_page.assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Migrations in")
    expect(page.get_by_role("table").first).to_contain_text("Hillview Medical Centre")
    expect(page.locator("body")).not_to_contain_text("Castle Street Surgery")

    page.get_by_label("Practice name or ODS code").fill("riverside")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    browser_page.assert_accessible()
    expect(page).to_have_url(re.compile(r"q=riverside"))
    portfolio = page.locator("table.app-portfolio")
    expect(portfolio).to_contain_text("Riverside Surgery")
    expect(portfolio).not_to_contain_text("Hillview Medical Centre")

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Practice")).click()
    browser_page.assert_accessible()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Practice")
    expect(page).to_have_url(re.compile(r"q=riverside"))

    with page.expect_navigation():
        portfolio.get_by_role("link", name="Riverside Surgery").click()
    browser_page.assert_accessible()
    expect(page.get_by_role("heading", name="Riverside Surgery")).to_be_visible()
    expect(page.get_by_role("heading", name="Checklist by phase")).to_be_visible()


def test_bad_filter_shows_an_error_summary_and_the_page_still_works(transactional_db, world, browser_page):
    page = browser_page.page
    sign_in(browser_page, world.commissioner.email, PASSWORD)
    browser_page.goto("/dashboards/?go_live_from=2027-06&go_live_to=2027-01&sort=bogus&page=99")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The last go-live month")
    browser_page.goto("/dashboards/print/")
    expect(page.locator("table.app-portfolio")).to_contain_text("Riverside Surgery")
