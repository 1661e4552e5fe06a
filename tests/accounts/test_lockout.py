"""Sign-in failures count per account (whatever the case or spacing typed) and per real client address.

Behind the trusted proxy the client address comes from X-Forwarded-For (django-ipware, TRUSTED_PROXY_COUNT);
the load balancer's own address is REMOTE_ADDR.
"""

import pytest
from django.urls import reverse

from accounts.lockout import account_key, axes_username
from golive.settings.base import client_address_settings

PASSWORD = "a-long-test-password"
LOAD_BALANCER = "10.20.0.2"
REAL_USER = "198.51.100.7"
ATTACKER = "203.0.113.66"
OTHER_ATTACKER = "192.0.2.99"
VARIANTS = [
    "MANAGER@HOME.EXAMPLE",
    "Manager@Home.Example",
    " manager@home.example",
    "manager@home.example  ",
    "mAnAgEr@hOmE.eXaMpLe",
    "  Manager@HOME.example ",
    "manager@Home.example",
    "MANAGER@home.example",
]


@pytest.fixture
def behind_one_proxy(settings):
    """Production's shape: one TLS-terminating load balancer that appends the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = client_address_settings(1)


def _sign_in(client, username, password="wrong password", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def _via_proxy(client_address, forged=""):
    """Request headers as the load balancer passes them on: it appends the address it saw."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": LOAD_BALANCER, "HTTP_X_FORWARDED_FOR": chain}


def test_an_address_typed_any_way_counts_against_the_account(world):
    assert {account_key(variant) for variant in VARIANTS} == {world.manager.email}


def test_an_unknown_address_counts_against_its_normalised_text(db):
    assert account_key("  Nobody@Nowhere.Example ") == "nobody@nowhere.example"


def test_the_username_is_read_from_the_form_when_axes_has_no_credentials(world, rf):
    request = rf.post("/sign-in/", {"username": " MANAGER@home.example"})
    assert axes_username(request, None) == world.manager.email


def test_five_failures_over_case_and_space_variants_lock_the_account_from_that_client(client, world):
    for variant in VARIANTS[:5]:
        _sign_in(client, variant, REMOTE_ADDR=REAL_USER)
    locked = _sign_in(client, world.manager.email, PASSWORD, REMOTE_ADDR=REAL_USER)
    assert locked.status_code == 429


def test_four_failures_over_variants_still_let_the_right_password_in(client, world):
    for variant in VARIANTS[:4]:
        _sign_in(client, variant, REMOTE_ADDR=REAL_USER)
    assert _sign_in(client, "Manager@Home.Example", PASSWORD, REMOTE_ADDR=REAL_USER).status_code == 302


def test_behind_the_proxy_five_failures_over_variants_lock_the_account_from_that_client(
    client, world, behind_one_proxy
):
    for variant in VARIANTS[:5]:
        _sign_in(client, variant, **_via_proxy(ATTACKER))
    assert _sign_in(client, world.manager.email, PASSWORD, **_via_proxy(ATTACKER)).status_code == 429


def test_behind_the_proxy_failures_from_other_clients_do_not_lock_the_real_user_out(client, world, behind_one_proxy):
    for variant in VARIANTS:
        _sign_in(client, variant, **_via_proxy(ATTACKER))
        _sign_in(client, variant, **_via_proxy(OTHER_ATTACKER))
    assert _sign_in(client, world.manager.email, PASSWORD, **_via_proxy(REAL_USER)).status_code == 302


def test_behind_the_proxy_a_colleague_on_the_locked_address_can_still_sign_in(client, world, behind_one_proxy):
    """Lockout is username and client together, never a whole practice's shared address alone."""
    for variant in VARIANTS[:5]:
        _sign_in(client, variant, **_via_proxy(REAL_USER))
    assert _sign_in(client, world.staff.email, PASSWORD, **_via_proxy(REAL_USER)).status_code == 302


def test_a_forged_forwarded_address_does_not_buy_fresh_guesses(client, world, behind_one_proxy):
    forged = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", REAL_USER]
    for fake in forged[:5]:
        _sign_in(client, world.manager.email, **_via_proxy(ATTACKER, forged=fake))
    assert _sign_in(client, world.manager.email, PASSWORD, **_via_proxy(ATTACKER, forged=forged[5])).status_code == 429


def test_a_forged_forwarded_address_cannot_lock_out_the_address_it_names(client, world, behind_one_proxy):
    for variant in VARIANTS:
        _sign_in(client, variant, **_via_proxy(ATTACKER, forged=REAL_USER))
    assert _sign_in(client, world.manager.email, PASSWORD, **_via_proxy(REAL_USER)).status_code == 302


def test_a_success_from_one_client_does_not_reset_another_clients_failures(client, world, behind_one_proxy):
    for variant in VARIANTS[:4]:
        _sign_in(client, variant, **_via_proxy(ATTACKER))
    assert _sign_in(client, "Manager@Home.Example", PASSWORD, **_via_proxy(REAL_USER)).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, VARIANTS[4], **_via_proxy(ATTACKER))
    assert _sign_in(client, world.manager.email, PASSWORD, **_via_proxy(ATTACKER)).status_code == 429


def test_without_a_trusted_proxy_forwarding_headers_are_ignored(client, world):
    for n in range(5):
        _sign_in(
            client,
            VARIANTS[n],
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
            HTTP_CLIENT_IP=f"198.51.100.{n}",
        )
    assert _sign_in(client, world.manager.email, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429
