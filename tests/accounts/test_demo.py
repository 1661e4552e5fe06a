"""The demo authenticator: the seeded administrator and commissioners can be tried with the published secret."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_TOTP_SECRET, DemoOnly, demo_app_device_give, demo_code


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_seeded_administrator_and_commissioners_have_the_demo_app(seeded):
    with_app = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__email", flat=True))
    assert with_app == {
        "admin@golive.example",
        "commissioner@north.example",
        "commissioner@south.example",
        "commissioner@rivermouth.example",
    }


def test_the_demo_code_is_accepted_by_the_seeded_device(seeded):
    device = TOTPDevice.objects.get(user__email="commissioner@north.example")
    assert device.verify_token(demo_code())


def test_demo_code_prints_the_code_only_in_debug(seeded, settings):
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().strip().isdigit()
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_code")


def test_the_demo_secret_is_never_given_outside_debug(world, settings):
    settings.DEBUG = False
    with pytest.raises(DemoOnly):
        demo_app_device_give(world.commissioner)


def test_the_published_secret_is_a_20_byte_key():
    assert len(DEMO_TOTP_SECRET) == 32
