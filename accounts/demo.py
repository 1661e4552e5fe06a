"""The demo authenticator: one fixed, published TOTP secret for the demo administrator and commissioners, so
anyone trying GoLive can sign in as them (README). Only seed_demo uses it, and seed_demo runs only with DEBUG on.
"""

from __future__ import annotations

import base64
import time

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# 32 base32 characters = a 20-byte key, as authenticator apps expect. Published in the README: never real.
DEMO_TOTP_SECRET = "GOLIVEDEMOSECRETKEYFORTRYINGIT23"
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


class DemoOnly(Exception):
    """The demo secret is refused outside DEBUG."""


def demo_app_device_give(user) -> TOTPDevice:
    """Give `user` a confirmed app device with the demo secret, unless they already have an app. DEBUG only."""
    if not settings.DEBUG:
        raise DemoOnly("The demo authenticator is only for DEBUG (demo) installs.")
    existing = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if existing is not None:
        return existing
    return TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=demo_key_hex(), confirmed=True)


def demo_code(at: float | None = None) -> str:
    """The demo secret's 6-digit code now (or at Unix time `at`), as an authenticator app would show it."""
    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"
