"""Thin Celery tasks for sign-in mail."""

from celery import shared_task

from . import password_reset


@shared_task(name="accounts.send_password_reset", acks_late=True, reject_on_worker_lost=True)
def send_password_reset(email: str, domain: str, use_https: bool) -> int:
    """Send the password reset email (or nothing, for an address with no account)."""
    return password_reset.password_reset_send(email=email, domain=domain, use_https=use_https)
