"""Session limits (idle and absolute), the warning's status and extend endpoints, and the headers every
signed-in response carries."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse

from accounts.middleware import SESSION_VIEWS
from accounts.views import signed_out_message

PASSWORD = "a-long-test-password"
START = datetime.datetime(2027, 2, 1, 8, 0, tzinfo=datetime.UTC)
MIGRATION_PAGE = "checklists:migration"


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as travel:
        yield travel


def _signed_in(client, user):
    assert client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def _minutes(n):
    return datetime.timedelta(minutes=n)


def test_a_page_within_the_idle_timeout_is_served(client, world, traveller):
    _signed_in(client, world.manager)
    traveller.shift(_minutes(29))
    assert client.get(reverse("home")).status_code == 200


def test_after_30_idle_minutes_the_user_is_signed_out_and_told_why(client, world, traveller):
    _signed_in(client, world.manager)
    page = reverse(MIGRATION_PAGE, args=[world.migration.pk])
    traveller.shift(_minutes(31))
    response = client.get(page)
    target = urlparse(response["Location"])
    assert target.path == reverse("login")
    assert parse_qs(target.query) == {"next": [page], "reason": ["idle"]}
    sign_in_page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used GoLive for 30 minutes" in sign_in_page
    assert client.get(reverse("home")).status_code == 302  # the session really ended


def test_signing_in_again_returns_to_the_page_the_user_was_on(client, world, traveller):
    _signed_in(client, world.manager)
    page = reverse(MIGRATION_PAGE, args=[world.migration.pk])
    traveller.shift(_minutes(31))
    client.get(page)
    response = client.post(
        f"{reverse('login')}?next={page}", {"username": world.manager.email, "password": PASSWORD, "next": page}
    )
    assert response["Location"] == page


def test_activity_keeps_the_session_alive_past_the_idle_timeout(client, world, traveller):
    _signed_in(client, world.manager)
    for _ in range(6):  # two hours, a page every 20 minutes
        traveller.shift(_minutes(20))
        assert client.get(reverse("home")).status_code == 200


def test_after_12_hours_the_session_ends_whatever_the_activity(client, world, traveller):
    _signed_in(client, world.manager)
    for _ in range(12 * 3):  # a page every 20 minutes for 12 hours
        traveller.shift(_minutes(20))
        response = client.get(reverse("home"))
    assert parse_qs(urlparse(response["Location"]).query)["reason"] == ["absolute"]
    assert "signed in for 12 hours" in signed_out_message("absolute")


def test_the_idle_timeout_comes_from_settings(client, world, traveller, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    _signed_in(client, world.manager)
    traveller.shift(_minutes(6))
    assert parse_qs(urlparse(client.get(reverse("home"))["Location"]).query)["reason"] == ["idle"]


def test_asking_how_long_is_left_does_not_count_as_activity(client, world, traveller):
    _signed_in(client, world.manager)
    traveller.shift(_minutes(20))
    assert client.get(reverse("accounts:session_status")).json() == {
        "signed_in": True,
        "seconds_left": 600,
        "reason": "idle",
    }
    traveller.shift(_minutes(11))
    assert client.get(reverse("home")).status_code == 302


def test_stay_signed_in_restarts_the_idle_clock(client, world, traveller):
    _signed_in(client, world.manager)
    traveller.shift(_minutes(29))
    extended = client.post(reverse("accounts:session_extend"), HTTP_ACCEPT="application/json")
    assert extended.json()["seconds_left"] == 30 * 60
    traveller.shift(_minutes(29))
    assert client.get(reverse("home")).status_code == 200


def test_stay_signed_in_without_javascript_returns_to_the_page(client, world, traveller):
    _signed_in(client, world.manager)
    response = client.post(reverse("accounts:session_extend"), {"next": "/my-tasks/"})
    assert response["Location"] == "/my-tasks/"


def test_stay_signed_in_cannot_pass_the_absolute_limit(client, world, traveller):
    _signed_in(client, world.manager)
    for _ in range(12 * 3):
        traveller.shift(_minutes(20))
        last = client.post(reverse("accounts:session_extend"), HTTP_ACCEPT="application/json").json()
    assert last == {"signed_in": False, "seconds_left": 0}


def test_stay_signed_in_after_the_idle_timeout_is_too_late(client, world, traveller):
    _signed_in(client, world.manager)
    traveller.shift(_minutes(31))
    response = client.post(reverse("accounts:session_extend"))
    assert parse_qs(urlparse(response["Location"]).query)["reason"] == ["idle"]
    assert client.get(reverse("home")).status_code == 302


def test_status_answers_signed_out_visitors_without_redirecting(client, db):
    assert client.get(reverse("accounts:session_status")).json() == {"signed_in": False, "seconds_left": 0}


def test_the_session_views_are_exempt_from_the_gates():
    assert {"accounts:session_status", "accounts:session_extend"} == SESSION_VIEWS


def test_the_session_cookie_ends_when_the_browser_closes(client, world):
    response = client.post(reverse("login"), {"username": world.manager.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_signed_in_pages_are_not_stored(client_for, world):
    response = client_for(world.manager).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_csv_downloads_are_not_stored(client_for, world):
    response = client_for(world.commissioner).get(reverse("dashboards:portfolio_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_every_page_sends_a_permissions_policy(client, client_for, world):
    anonymous = client.get(reverse("login"))
    assert "camera=()" in anonymous["Permissions-Policy"]
    assert "geolocation=()" in client_for(world.manager).get(reverse("home"))["Permissions-Policy"]


def test_signed_in_pages_carry_the_timeout_warning_with_the_time_left(client, world, traveller):
    _signed_in(client, world.manager)
    traveller.shift(_minutes(10))
    content = client.get(reverse("home")).content.decode()
    assert 'data-module="app-session-timeout"' in content
    assert 'data-seconds-left="1800"' in content  # the page view itself counts as activity


def test_the_sign_in_page_has_no_timeout_warning(client, db):
    assert "app-session-timeout" not in client.get(reverse("login")).content.decode()
