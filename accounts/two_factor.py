"""Two-factor sign-in on django-otp: a TOTP authenticator app, with single-use backup codes (decision 0011).

Who must use it: administrators (staff or superusers) and commissioners (anyone with a commissioner
membership). Everyone else may turn it on from their account page. A session counts as verified once a code
has been accepted in it; sign-offs ask again when the last code is older than a few minutes
(`accounts.decorators.require_recent_second_factor`).

Codes are checked by django-otp: a TOTP code is refused once its time step has been used (`last_t`), a backup
code is deleted when used, and wrong codes are throttled with a doubling delay.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from golive.core.audit import audit_record
from practices.models import Role

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# When the session last had a code accepted: an ISO 8601 UTC timestamp (sessions are JSON).
VERIFIED_AT_SESSION_KEY = "second_factor_verified_at"


def second_factor_required(user) -> bool:
    """True for administrators (staff or superuser) and commissioners: they may not use GoLive without it."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if not hasattr(user, "_memberships"):  # the same per-request cache as practices.selectors.roles_for
        user._memberships = list(user.memberships.all())
    return any(membership.role == Role.COMMISSIONER for membership in user._memberships)


def app_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    """True if the user has set up an authenticator app (so every sign-in asks for a code)."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user) -> TOTPDevice:
    """The not-yet-confirmed device whose secret the set-up page shows; made on first call, then reused so
    reloading the page does not change the QR code under the user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class SetUpDetails:
    """What the set-up page shows: the QR code as an SVG data URI, the secret as text, the otpauth URI."""

    qr_code_data_uri: str
    secret_groups: list[str]
    config_url: str


def set_up_details(device: TOTPDevice) -> SetUpDetails:
    """The QR code (SVG, drawn here: no JavaScript and no outside service) and the secret in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return SetUpDetails(
        qr_code_data_uri=qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        config_url=device.config_url,
    )


class CodeRefused(Exception):
    """A code was not accepted. `wait_until` is set when wrong codes are throttled (an aware datetime)."""

    def __init__(self, wait_until: datetime.datetime | None = None):
        super().__init__("code refused")
        self.wait_until = wait_until


def _clean_code(code: str) -> str:
    """Codes as people type them: "123 456", "abcd-efgh" -> "123456", "abcdefgh"."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def _verify(user, device, code: str):
    allowed, details = device.verify_is_allowed()
    if not allowed:
        if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            raise CodeRefused(wait_until=details.get("locked_until"))
        raise CodeRefused()
    # django_otp.verify_token locks the device row, so two requests with one code cannot both pass.
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        raise CodeRefused()
    return verified


def mark_verified(request: HttpRequest, device) -> None:
    """Record in the session that a code from `device` was accepted now (django-otp's flag and our time).

    The session key changes, as at sign-in: a key fixed before the code cannot ride on the raised trust."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()


def verified_at(request: HttpRequest) -> datetime.datetime | None:
    """When this session last had a code accepted, or None."""
    value = request.session.get(VERIFIED_AT_SESSION_KEY)
    if not value or not request.user.is_verified():
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def code_verify(request: HttpRequest, code: str, *, backup: bool = False) -> None:
    """Check a code from the signed-in user's app (or, with `backup`, one of their backup codes) and mark the
    session verified. Raises CodeRefused (with `wait_until` when throttled)."""
    user = request.user
    code = _clean_code(code)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first() if backup else app_device(user)
    if device is None:
        raise CodeRefused()
    mark_verified(request, _verify(user, device, code))


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def app_device_confirm(request: HttpRequest, code: str) -> list[str]:
    """Finish setting up the authenticator app: check the first code against the pending device, confirm it,
    replace any other app device, make fresh backup codes and mark the session verified.

    Returns the backup codes (shown once). Raises CodeRefused. One transaction with its audit event.
    """
    user = request.user
    device = pending_app_device(user)
    code = _clean_code(code)
    verified = _verify(user, device, code)  # outside the transaction: a wrong code's throttle must stick
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=verified.pk).delete()
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        audit_record(actor=user, action="two_factor.app_set_up", obj=user, after={"backup_codes": len(codes)})
    mark_verified(request, verified)
    return codes


def backup_codes_replace(user) -> list[str]:
    """Replace the user's backup codes with new ones (the old ones stop working). Returns the new codes."""
    with transaction.atomic():
        codes = _new_backup_codes(user)
        audit_record(actor=user, action="two_factor.backup_codes_replaced", obj=user, after={"count": len(codes)})
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class SecondFactorRequired(Exception):
    """Raised when someone who must use two-factor sign-in tries to turn it off."""


def second_factor_turn_off(request: HttpRequest) -> None:
    """Remove the user's app and backup codes. Refused (SecondFactorRequired) for administrators and
    commissioners. One transaction with its audit event."""
    user = request.user
    if second_factor_required(user):
        raise SecondFactorRequired()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action="two_factor.turned_off", obj=user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session.pop(VERIFIED_AT_SESSION_KEY, None)
