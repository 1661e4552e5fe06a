"""Password reset that gives nothing away: the same answer, in about the same time, whether or not an account
exists (the lookup and the email happen in a Celery task after the response), and rate-limited per address and
per client with django-ratelimit on the shared cache (decision 0013)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django_ratelimit.core import is_ratelimited

from .lockout import normalise_address

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.html"


def _address_key(group, request) -> str:
    return normalise_address(request.POST.get("email", ""))


def client_over_limit(request) -> bool:
    """Count this reset request against the client's address (the real one behind the trusted proxies, as
    sign-in uses); True once it is over PASSWORD_RESET_RATE_PER_CLIENT."""
    return is_ratelimited(
        request, group="password-reset-client", key="ip", rate=settings.PASSWORD_RESET_RATE_PER_CLIENT, increment=True
    )


def address_over_limit(request) -> bool:
    """Count this reset request against the email address typed (case and spaces ignored); True once it is
    over PASSWORD_RESET_RATE_PER_ADDRESS, whether or not an account has that address."""
    return is_ratelimited(
        request,
        group="password-reset-address",
        key=_address_key,
        rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
        increment=True,
    )


def password_reset_request(*, email: str) -> None:
    """Queue the reset email for `email` (as typed) after the current transaction commits. The request does no
    user lookup and no SMTP work, so it takes the same time for any address. Links point at SITE_URL, never
    at the request's Host header."""
    from .tasks import send_password_reset as send_password_reset_task

    site = urlsplit(settings.SITE_URL)
    domain, use_https = site.netloc, site.scheme == "https"
    transaction.on_commit(lambda: send_password_reset_task.delay(email, domain, use_https))


def password_reset_send(*, email: str, domain: str, use_https: bool) -> int:
    """Send a reset link to every active account with a usable password at `email` (Django's own rules and
    token). Returns how many were sent (0 for an unknown address). Called by the Celery task."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(form.cleaned_data["email"]))
    if users:
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=EMAIL_TEMPLATE,
        )
    return len(users)
