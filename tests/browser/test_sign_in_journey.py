"""Two-factor sign-in and the session timeout in Chromium, with axe on every page.

Server time is moved with time-machine (the live server runs in this process); the page's timers with
Playwright's clock. Nothing waits for real minutes.
"""

import base64
import datetime
import re
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import current_code, enter_code, sign_in_with_password

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def _code_from_key_shown(secret: str) -> str:
    """What an authenticator app shows after the user typed the key from the set-up page."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_commissioner_sets_up_an_app_then_signs_in_with_a_code_that_cannot_be_reused(
    transactional_db, world, browser_page
):
    page = browser_page.page
    sign_in_with_password(browser_page, world.commissioner.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for adding GoLive to your authenticator app")).to_be_visible()
    secret = page.locator("#secret-key").inner_text().replace(" ", "")

    # A wrong first code: an NHS error summary, nothing turned on.
    page.get_by_label("Security code").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    browser_page.assert_accessible()
    expect(page).to_have_title(re.compile("^Error: "))
    page.locator(".nhsuk-error-summary a").first.click()
    expect(page.get_by_label("Security code")).to_be_focused()

    time_machine_step = 31  # the throttle after one wrong code is 1 second; move past it without waiting
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=time_machine_step)):
        page.get_by_label("Security code").fill(_code_from_key_shown(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Turn on two-factor sign-in").click()
        browser_page.assert_accessible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
        expect(page.locator(".app-backup-codes li")).to_have_count(10)
        with page.expect_navigation():
            page.get_by_role("link", name="I have saved my backup codes").click()
        browser_page.assert_accessible()

        # Sign out, and in again: the password is followed by a code.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        browser_page.assert_accessible()
        sign_in_with_password(browser_page, world.commissioner.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        device = TOTPDevice.objects.get(user=world.commissioner, confirmed=True)
        code = current_code(device)
        enter_code(browser_page, code)
        expect(page.get_by_role("link", name="Dashboards")).to_be_visible()

        # Your account, from the header: two-factor is on and cannot be turned off by a commissioner.
        with page.expect_navigation():
            page.get_by_role("link", name=world.commissioner.email).click()
        browser_page.assert_accessible()
        expect(page.locator(".nhsuk-summary-list")).to_contain_text("On")
        expect(page.get_by_role("link", name="Turn off two-factor sign-in")).to_have_count(0)
        with page.expect_navigation():
            page.get_by_role("link", name="Backup codes (10 left)").click()
        browser_page.assert_accessible()
        expect(page.get_by_role("button", name="Make new backup codes")).to_be_visible()

        # The same code, replayed in another browser session: refused.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        browser_page.assert_accessible()
        sign_in_with_password(browser_page, world.commissioner.email, PASSWORD)
        enter_code(browser_page, code)
        expect(page).to_have_title(re.compile("^Error: "))
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Each code works once")

        # No phone: a backup code gets in, once.
        with page.expect_navigation():
            page.get_by_role("link", name="Use a backup code instead").click()
        browser_page.assert_accessible()
        backup = world.commissioner.staticdevice_set.get().token_set.first().token
        page.get_by_label("Backup code").fill(backup)
        traveller_pause = datetime.timedelta(seconds=5)  # past the throttle the replayed code started
        with time_machine.travel(datetime.datetime.now(datetime.UTC) + traveller_pause):
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
            browser_page.assert_accessible()
        expect(page.get_by_role("link", name="Dashboards")).to_be_visible()


def test_manager_is_asked_for_a_fresh_code_before_signing_off(transactional_db, world, browser_page):
    page = browser_page.page
    device = TOTPDevice.objects.create(user=world.manager, name="Phone", confirmed=True)
    sign_off = reverse("go_live:go_live_sign_off", args=[world.migration.pk])
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=True) as traveller:
        sign_in_with_password(browser_page, world.manager.email, PASSWORD)
        enter_code(browser_page, current_code(device))
        browser_page.goto(sign_off)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign off the go-live data")

        traveller.shift(datetime.timedelta(minutes=16))
        browser_page.goto(sign_off)
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text("before you sign off")
        enter_code(browser_page, current_code(device))
        expect(page).to_have_url(re.compile(re.escape(sign_off) + "$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sign off the go-live data")


def test_the_idle_warning_offers_stay_signed_in_by_keyboard_then_the_session_expires(
    transactional_db, world, browser_page
):
    page = browser_page.page
    migration_page = reverse("checklists:migration", args=[world.migration.pk])
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=True) as traveller:
        sign_in_with_password(browser_page, world.manager.email, PASSWORD)
        page.clock.install()
        browser_page.goto(migration_page)
        dialog = page.locator("dialog.app-session-timeout")
        expect(dialog).to_be_hidden()

        # 28 minutes without a request: the warning opens, focus on "Stay signed in".
        traveller.shift(datetime.timedelta(minutes=28, seconds=5))
        page.clock.run_for(28 * 60 * 1000 + 5000)
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("You are about to be signed out")
        stay = dialog.get_by_role("button", name="Stay signed in")
        expect(stay).to_be_focused()
        browser_page.assert_accessible()
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        assert page.url.endswith(migration_page)  # no page load: anything typed is kept

        # Another 28 minutes: the warning again; this time nobody answers and the session ends.
        traveller.shift(datetime.timedelta(minutes=28, seconds=5))
        page.clock.run_for(28 * 60 * 1000 + 5000)
        expect(dialog).to_be_visible()
        traveller.shift(datetime.timedelta(minutes=2, seconds=5))
        with page.expect_navigation():
            page.clock.run_for(2 * 60 * 1000 + 5000)
        page.wait_for_url(re.compile(r"/sign-in/\?"))
        browser_page.assert_accessible()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            "You were signed out because you had not used GoLive for 30 minutes"
        )
        page.get_by_label("Email address").fill(world.manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_label("Password").press("Enter")
        browser_page.assert_accessible()
        expect(page).to_have_url(re.compile(re.escape(migration_page) + "$"))
