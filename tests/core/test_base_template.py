"""templates/base.html, the navigation context processor, error pages and the sign-in pages."""

from types import SimpleNamespace

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory
from pytest_django.asserts import assertInHTML

from golive.core.context_processors import navigation
from golive.core.forms import BaseForm


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = "tests.core.urls"


def signed_in_user():
    return SimpleNamespace(is_authenticated=True, email="manager@riverside.example")


def test_signed_out_page_has_the_nhs_skeleton():
    html = render_to_string("404.html", {"service_name": "GoLive"})
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "<title>Page not found – GoLive – NHS</title>" in html
    assert 'href="#maincontent"' in html
    assert '<main class="nhsuk-main-wrapper" id="maincontent">' in html
    assert 'class="nhsuk-header__service-logo" href="/"' in html
    assert "nhsuk-header__account" not in html
    assert "Accessibility statement" in html
    assert '<script type="module" src="/static/js/app.mjs"></script>' in html
    assert "/static/compiled/nhsuk.css" in html


def test_signed_in_header_shows_navigation_email_and_sign_out_form():
    nav = [{"href": "/", "text": "Migrations", "current": True}, {"href": "/tasks/", "text": "My tasks"}]
    html = render_to_string("404.html", {"user": signed_in_user(), "navigation": nav, "csrf_token": "tok<en>"})
    assertInHTML(
        '<a class="nhsuk-header__navigation-link" href="/" aria-current="page">'
        '<strong class="nhsuk-header__navigation-item-current-fallback">Migrations</strong></a>',
        html,
    )
    assert "manager@riverside.example" in html
    assert '<form class="nhsuk-header__account-form" action="/sign-out/" method="post" novalidate>' in html
    assert 'name="csrfmiddlewaretoken" value="tok&lt;en&gt;"' in html
    assert '<button class="nhsuk-header__account-button" type="submit">Sign out</button>' in html


def test_messages_render_as_notification_banners():
    messages = [Message(constants.SUCCESS, "Migration saved"), Message(constants.INFO, "Read-only from Monday")]
    html = render_to_string("404.html", {"messages": messages})
    assert "nhsuk-notification-banner--success" in html
    assert 'id="notification-banner-title-1"' in html
    assert 'id="notification-banner-title-2"' in html
    assert "Read-only from Monday" in html


def test_500_renders_with_an_empty_context():
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html


def test_title_has_error_prefix_when_a_form_has_errors():
    class Form(BaseForm):
        pass

    form = Form(data={})
    form.add_error(None, "Broken")
    html = render_to_string("404.html", {"form": form})
    assert "<title>Error: Page not found" in html


def test_navigation_context_processor():
    request = RequestFactory().get("/")
    request.user = SimpleNamespace(is_authenticated=False)
    assert navigation(request) == {"navigation": []}
    request.user = signed_in_user()
    # Only sections whose URL names exist are listed (reminders/dashboards are not in tests.core.urls).
    assert navigation(request) == {"navigation": [{"href": "/", "text": "Migrations", "current": True}]}
    request = RequestFactory().get("/sign-in/")
    request.user = signed_in_user()
    assert navigation(request)["navigation"][0]["current"] is False


def test_login_page(client):
    response = client.get("/sign-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assertInHTML('<h1 class="nhsuk-heading-l">Sign in to GoLive</h1>', html)
    assert 'href="/password-reset/">Forgotten your password?</a>' in html
    assert 'class="nhsuk-input' in html
    assert "nhsuk-error-summary" not in html


def test_login_errors_show_summary_and_error_title(client):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    html = response.content.decode()
    assert "<title>Error: Sign in – GoLive – NHS</title>" in html
    assertInHTML('<a href="#id_username">Enter your email address</a>', html)
    assertInHTML('<label class="nhsuk-label" for="id_username">Email address</label>', html)
    assertInHTML('<label class="nhsuk-label" for="id_password">Password</label>', html)
    assert 'id="id_username"' in html


def test_password_reset_form_errors(client):
    response = client.post("/password-reset/", {"email": "not-an-email"})
    html = response.content.decode()
    assert "<title>Error: Reset your password" in html
    assertInHTML('<a href="#id_email">Enter an email address like name@nhs.net</a>', html)


def test_password_reset_pages_render(client):
    assert "Check your email" in client.get("/password-reset/sent/").content.decode()
    assert "Your password has been changed" in client.get("/password-reset/done/").content.decode()
    expired = client.get("/password-reset/!!/bad-token/").content.decode()
    assert "This link has expired" in expired
