"""Playwright on Debian's Chromium against a live server, with axe-core on every page visited."""

import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from accounts.two_factor import second_factor_required

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class AccessiblePage:
    """Wraps a Playwright page: every page it lands on must be checked with axe before the test ends."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.console_errors: list[str] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.visited.append(frame.url))
        # CSP violations and script errors surface as console errors: the pages must have none.
        page.on("console", self._record_console_error)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        # Broken static files (CSS, JS, icons) count too; a page itself may be a deliberate 404.
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type != "document"
                and self.console_errors.append(f"{response.status} {response.url}")
            ),
        )

    def _record_console_error(self, message):
        # Failed loads are reported by the response listener, with their URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.assert_accessible()

    def assert_accessible(self):
        """Run axe-core's WCAG 2.2 AA rules on the current page; any violation fails the test."""
        self.page.wait_for_load_state("load")
        # Evaluated through the DevTools protocol, so the page's strict CSP need not allow it.
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_22_AA,
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe found WCAG 2.2 AA violations on {self.page.url}:\n" + "\n".join(violations)
        self.checked.add(self.page.url)

    def unchecked_pages(self) -> list[str]:
        return [url for url in self.visited if url not in self.checked and url != "about:blank"]


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    accessible = AccessiblePage(page, live_server.url)
    yield accessible
    unchecked = accessible.unchecked_pages()
    context.close()
    assert not unchecked, f"Pages visited without an axe check: {unchecked}"
    assert not accessible.console_errors, f"Console errors (CSP violations, script errors): {accessible.console_errors}"


def current_code(device) -> str:
    """The code the device's authenticator app shows now, or the next step's if this step's was used already
    (django-otp accepts one step of drift, so tests never wait 30 seconds for a fresh code)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():06d}"


def enter_code(browser: AccessiblePage, code: str):
    browser.page.get_by_label("Security code").fill(code)
    with browser.page.expect_navigation():
        browser.page.get_by_role("button", name="Continue").click()
    browser.assert_accessible()


def sign_in_with_password(browser: AccessiblePage, email: str, password: str):
    browser.goto("/sign-in/")
    browser.page.get_by_label("Email address").fill(email)
    browser.page.get_by_label("Password").fill(password)
    with browser.page.expect_navigation():
        browser.page.get_by_role("button", name="Sign in").click()
    browser.assert_accessible()


def sign_in(browser: AccessiblePage, email: str, password: str):
    """Sign in as a user would, entering the code from their authenticator app when asked. Administrators and
    commissioners are given an app first (test_sign_in_journey covers setting one up through the pages)."""
    user = get_user_model().objects.get(email=email)
    if second_factor_required(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    sign_in_with_password(browser, email, password)
    if urlparse(browser.page.url).path == reverse("accounts:verify"):
        enter_code(browser, current_code(TOTPDevice.objects.get(user=user, confirmed=True)))
