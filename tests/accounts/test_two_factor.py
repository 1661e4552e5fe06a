"""Two-factor sign-in: who must set it up, codes after the password, reuse and throttling, backup codes,
step-up before sign-offs, and the admin."""

import datetime
import re

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.middleware import OPEN_BEFORE_SECOND_FACTOR
from golive.core.models import AuditEvent
from tests.conftest import sign_in_verified

PASSWORD = "a-long-test-password"
START = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)


def code_for(device, at=None):
    """The 6-digit code the user's authenticator app shows at `at` (default: now, as time-machine has it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


def _sign_in(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def _app(user):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as travel:
        yield travel


def test_a_commissioner_must_set_up_two_factor_before_any_page(client, world):
    _sign_in(client, world.commissioner)
    response = client.get(reverse("dashboards:portfolio"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:set_up") + "?next=")


def test_an_administrator_must_set_up_two_factor_before_any_page(client, world):
    _sign_in(client, world.admin)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:set_up"))


def test_a_practice_manager_without_an_app_is_not_asked_for_a_code(client, world):
    _sign_in(client, world.manager)
    assert client.get(reverse("home")).status_code == 200


def test_the_account_page_offers_two_factor_to_everyone(client, world):
    _sign_in(client, world.staff)
    content = client.get(reverse("accounts:account")).content.decode()
    assert "Set up two-factor sign-in" in content


def test_the_set_up_page_draws_the_qr_code_itself_and_shows_the_key_as_text(client, world):
    _sign_in(client, world.commissioner)
    content = client.get(reverse("accounts:set_up")).content.decode()
    device = TOTPDevice.objects.get(user=world.commissioner, confirmed=False)
    secret = re.sub(r"<[^>]+>|\s", "", re.search(r'id="secret-key">(.*?)</p>', content, re.S).group(1))
    assert secret == two_factor.set_up_details(device).config_url.split("secret=")[1].split("&")[0]
    assert 'src="data:image/svg+xml' in content
    assert "https://" not in re.search(r'<img class="app-qr-code"[^>]*>', content).group(0)


def test_reloading_the_set_up_page_keeps_the_same_secret(client, world):
    _sign_in(client, world.commissioner)
    client.get(reverse("accounts:set_up"))
    client.get(reverse("accounts:set_up"))
    assert TOTPDevice.objects.filter(user=world.commissioner).count() == 1


def test_setting_up_with_the_apps_code_turns_it_on_and_shows_backup_codes_once(client, world, traveller):
    _sign_in(client, world.commissioner)
    client.get(reverse("accounts:set_up"))
    device = TOTPDevice.objects.get(user=world.commissioner)
    response = client.post(reverse("accounts:set_up"), {"code": code_for(device), "next": "/dashboards/"})
    assert response["Location"].startswith(reverse("accounts:backup_codes"))
    shown = client.get(response["Location"]).content.decode()
    codes = set(StaticToken.objects.filter(device__user=world.commissioner).values_list("token", flat=True))
    assert len(codes) == two_factor.BACKUP_CODE_COUNT
    assert all(code in shown for code in codes)
    assert not any(code in client.get(reverse("accounts:backup_codes")).content.decode() for code in codes)
    assert client.get(reverse("dashboards:portfolio")).status_code == 200


def test_setting_up_writes_an_audit_event(client, world, traveller):
    _sign_in(client, world.staff)
    client.get(reverse("accounts:set_up"))
    device = TOTPDevice.objects.get(user=world.staff)
    client.post(reverse("accounts:set_up"), {"code": code_for(device)})
    assert AuditEvent.objects.filter(action="two_factor.app_set_up", actor=world.staff).count() == 1


def test_a_wrong_first_code_leaves_two_factor_off(client, world, traveller):
    _sign_in(client, world.commissioner)
    client.get(reverse("accounts:set_up"))
    response = client.post(reverse("accounts:set_up"), {"code": "000000"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not two_factor.has_second_factor(world.commissioner)


def test_after_the_password_a_user_with_an_app_must_enter_a_code(client, world, traveller):
    device = _app(world.manager)
    _sign_in(client, world.manager)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("accounts:verify") + "?next=%2F"
    entered = client.post(reverse("accounts:verify"), {"code": code_for(device), "next": "/"})
    assert entered["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("typed", ["12345", "abcdef", "1234567", "12345x"])
def test_a_code_that_is_not_six_numbers_gets_a_clear_error(client, world, typed):
    _app(world.manager)
    _sign_in(client, world.manager)
    response = client.post(reverse("accounts:verify"), {"code": typed})
    assert "Enter the security code as 6 numbers, like 123456" in response.content.decode()


def test_a_code_typed_with_a_space_is_accepted(client, world, traveller):
    device = _app(world.manager)
    _sign_in(client, world.manager)
    code = code_for(device)
    assert client.post(reverse("accounts:verify"), {"code": f"{code[:3]} {code[3:]}"}).status_code == 302


def test_a_code_cannot_be_used_twice(client, world, traveller):
    device = _app(world.manager)
    _sign_in(client, world.manager)
    code = code_for(device)
    client.post(reverse("accounts:verify"), {"code": code})
    traveller.shift(5)  # the same 30-second step: an attacker replaying what they saw typed
    again = client.post(reverse("accounts:verify"), {"code": code})
    assert again.status_code == 200
    assert "Each code works once" in again.content.decode()


def test_wrong_codes_are_throttled_even_when_the_next_one_is_right(client, world, traveller):
    device = _app(world.manager)
    _sign_in(client, world.manager)
    client.post(reverse("accounts:verify"), {"code": "000000"})
    client.post(reverse("accounts:verify"), {"code": "000001"})
    throttled = client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert "too many wrong codes" in throttled.content.decode()
    traveller.shift(3)
    assert client.post(reverse("accounts:verify"), {"code": code_for(device)}).status_code == 302


def test_a_backup_code_works_once(client, world, traveller):
    _app(world.manager)
    code = two_factor.backup_codes_replace(world.manager)[0]
    _sign_in(client, world.manager)
    assert client.post(reverse("accounts:verify_backup"), {"code": code.upper()}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, world.manager)
    traveller.shift(60)  # past any throttle
    reused = client.post(reverse("accounts:verify_backup"), {"code": code})
    assert reused.status_code == 200
    assert two_factor.backup_codes_left(world.manager) == two_factor.BACKUP_CODE_COUNT - 1


def test_replacing_an_app_needs_a_code_from_the_old_one(client, world):
    _app(world.manager)
    _sign_in(client, world.manager)
    response = client.get(reverse("accounts:set_up"))
    assert response["Location"].startswith(reverse("accounts:verify"))


# Step-up before sign-offs.


def _sign_off_url(world):
    return reverse("go_live:go_live_sign_off", args=[world.migration.pk])


def test_a_sign_off_asks_again_for_a_code_older_than_15_minutes(client, world, traveller):
    sign_in_verified(client, world.manager)
    traveller.shift(datetime.timedelta(minutes=16))
    response = client.get(_sign_off_url(world))
    assert response["Location"] == f"{reverse('accounts:verify')}?next={_sign_off_url(world).replace('/', '%2F')}"


def test_a_sign_off_within_15_minutes_of_a_code_is_not_asked_again(client, world, traveller):
    sign_in_verified(client, world.manager)
    traveller.shift(datetime.timedelta(minutes=14))
    assert client.get(_sign_off_url(world)).status_code == 200


def test_a_stale_sign_off_post_saves_nothing_and_asks_for_a_code(client, world, traveller):
    from go_live.models import GoLiveSignOff

    sign_in_verified(client, world.manager)
    traveller.shift(datetime.timedelta(minutes=20))
    response = client.post(_sign_off_url(world), {"statement_version": 1, "confirm": "on"})
    assert response.status_code == 302
    assert not GoLiveSignOff.objects.exists()


def test_after_the_fresh_code_the_user_returns_to_the_sign_off(client, world, traveller):
    sign_in_verified(client, world.manager)
    device = TOTPDevice.objects.get(user=world.manager)
    traveller.shift(datetime.timedelta(minutes=20))
    response = client.post(reverse("accounts:verify"), {"code": code_for(device), "next": _sign_off_url(world)})
    assert response["Location"] == _sign_off_url(world)
    assert client.get(_sign_off_url(world)).status_code == 200


def test_a_manager_without_an_app_is_not_asked_before_a_sign_off(client_for, world):
    assert client_for(world.manager).get(_sign_off_url(world)).status_code == 200


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.callback


def test_every_sign_off_view_asks_for_a_recent_second_factor():
    """A new sign-off view fails here until it carries require_recent_second_factor (or its mixin)."""
    sign_offs = [(name, view) for name, view in _walk(get_resolver().url_patterns) if "sign_off" in name]
    assert sign_offs
    unguarded = [
        name
        for name, view in sign_offs
        if not getattr(view, "requires_recent_second_factor", None)
        and not getattr(getattr(view, "view_class", None), "second_factor_minutes", None)
    ]
    assert not unguarded


# Turning it off; the admin.


def test_a_commissioner_cannot_turn_two_factor_off(client_for, world):
    assert client_for(world.commissioner).post(reverse("accounts:turn_off")).status_code == 403


def test_a_practice_user_can_turn_two_factor_off_after_a_fresh_code(client, world):
    sign_in_verified(client, world.staff)
    assert client.post(reverse("accounts:turn_off"))["Location"] == reverse("accounts:account")
    assert not two_factor.has_second_factor(world.staff)
    assert AuditEvent.objects.filter(action="two_factor.turned_off").count() == 1


def test_the_admin_needs_a_verified_second_factor(world):
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    world.admin.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    world.admin.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_an_administrator_with_an_app_reaches_the_admin_only_after_a_code(client, world, traveller):
    device = _app(world.admin)
    _sign_in(client, world.admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:verify"))
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_the_pages_open_before_the_second_factor_are_only_those_that_get_it(client, world):
    assert {"accounts:verify", "accounts:verify_backup", "accounts:set_up", "logout"} <= OPEN_BEFORE_SECOND_FACTOR
    _sign_in(client, world.commissioner)
    for name in ("accounts:account", "accounts:backup_codes", "accounts:turn_off", "reminders:my_tasks"):
        assert client.get(reverse(name))["Location"].startswith(reverse("accounts:set_up")), name


def test_moving_to_a_new_phone_replaces_the_old_app_and_backup_codes(client, world, traveller):
    sign_in_verified(client, world.commissioner)
    old_codes = two_factor.backup_codes_replace(world.commissioner)
    page = client.get(reverse("accounts:set_up")).content.decode()
    assert "This moves two-factor sign-in to a new phone" in page
    new_device = TOTPDevice.objects.get(user=world.commissioner, confirmed=False)
    client.post(reverse("accounts:set_up"), {"code": code_for(new_device)})
    assert list(TOTPDevice.objects.filter(user=world.commissioner).values_list("pk", "confirmed")) == [
        (new_device.pk, True)
    ]
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
