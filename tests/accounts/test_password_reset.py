"""Password reset: one answer and the same work for any address, the email sent by a task, limits per
address and per client, and passwords checked against common and guessable words."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts import tasks
from accounts.password_validation import ContextWordsValidator
from golive.settings.base import client_address_settings
from tests.factories import UserFactory

UNKNOWN = "nobody@nowhere.example"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queued(monkeypatch):
    """The reset emails the requests queued: (email, domain, use_https) per task, not yet run."""
    calls = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *args: calls.append(args))
    return calls


def _without_nonce(response) -> str:
    """The page with its per-request CSP nonce blanked: the only part that may differ."""
    return re.sub(r'nonce="[^"]+"', 'nonce=""', response.content.decode())


def _ask(client, email, **headers):
    return client.post(reverse("password_reset"), {"email": email}, **headers)


def test_known_and_unknown_addresses_get_the_same_answer(client, world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, world.staff.email)
        unknown = _ask(client, UNKNOWN)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert _without_nonce(client.get(known["Location"])) == _without_nonce(client.get(unknown["Location"]))


def test_the_request_queues_the_same_task_for_any_address_and_sends_nothing_itself(
    client, world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world.staff.email)
        _ask(client, UNKNOWN)
    assert [call[0] for call in queued] == [world.staff.email, UNKNOWN]
    assert mail.outbox == []


def test_the_task_emails_a_link_to_an_account(world):
    assert tasks.send_password_reset(world.staff.email.upper(), "golive.example.nhs.uk", True) == 1
    assert re.search(r"https://golive\.example\.nhs\.uk/password-reset/[^/]+/[^/]+/", mail.outbox[0].body)
    assert mail.outbox[0].to == [world.staff.email]


def test_the_task_sends_nothing_for_an_unknown_address(db):
    assert tasks.send_password_reset(UNKNOWN, "golive.example.nhs.uk", True) == 0
    assert mail.outbox == []


def test_an_address_gets_at_most_five_emails_an_hour_whatever_its_case(
    client, world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {_ask(client, variant)["Location"] for variant in ["Staff@Home.example", " staff@home.example"] * 4}
    assert answers == {reverse("password_reset_done")}
    assert len(queued) == 5


def test_a_client_is_refused_after_twenty_requests_an_hour(client, db, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_ask(client, f"person{n}@example.org", REMOTE_ADDR="198.51.100.7").status_code for n in range(21)]
    assert statuses == [302] * 20 + [429]
    assert len(queued) == 20
    assert _ask(client, "someone@example.org", REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_the_proxy_the_client_limit_counts_the_real_client(
    client, db, settings, queued, django_capture_on_commit_callbacks
):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = client_address_settings(1)
    proxy = {"REMOTE_ADDR": "10.20.0.2"}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            _ask(client, f"person{n}@example.org", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{n % 2}", **proxy)
        limited = _ask(client, "a@example.org", HTTP_X_FORWARDED_FOR="203.0.113.0", **proxy)
        other = _ask(client, "b@example.org", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert (limited.status_code, other.status_code) == (302, 302)  # 10 each from .0 and .1: both under 20


def test_the_limited_page_is_an_nhs_page(client, db, settings, queued):
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "1/h"
    _ask(client, "a@example.org")
    page = _ask(client, "b@example.org")
    assert page.status_code == 429
    assert "Too many reset requests" in page.content.decode()


# Passwords.


def _set_password(client, user, password):
    tasks.send_password_reset(user.email, "testserver", False)
    link = re.search(r"https?://[^/]+(/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_golivegolive_is_refused_for_a_user_called_golive(client, db):
    user = UserFactory(email="golive@practice.example", full_name="GoLive")
    response = _set_password(client, user, "golivegolive")
    assert response.status_code == 200
    assert "too easy to guess" in response.content.decode()


def test_a_practice_name_and_ods_code_are_refused(world):
    with pytest.raises(Exception, match="too easy to guess"):
        ContextWordsValidator().validate("Riverside-Surgery-A12345!", world.manager)


def test_a_common_password_is_refused(client, world):
    response = _set_password(client, world.staff, "password1234")
    assert "This password is too common" in response.content.decode()


def test_a_long_passphrase_with_a_context_word_is_accepted(client, world):
    response = _set_password(client, world.manager, "riverside otters juggle marmalade")
    assert response.status_code == 302
