"""Sign-in gates that run on every request, after Django's AuthenticationMiddleware and django-otp's OTPMiddleware.

* SessionLimitsMiddleware: idle and absolute session limits (accounts/sessions.py); an expired session is signed
  out and sent to the sign-in page with the reason and the page it was on.
* SecondFactorMiddleware: a signed-in user who has an authenticator app must enter a code, and one who must
  have one (administrators, commissioners) must set it up, before any other page.
* NoStoreMiddleware: `Cache-Control: no-store` on every response to a signed-in user, pages and downloads alike,
  so a shared practice desktop cannot show them again from its cache after sign-out.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from . import sessions, two_factor

# Session status and "stay signed in" must answer whatever state the session is in; neither counts as a page.
SESSION_VIEWS = {"accounts:session_status", "accounts:session_extend"}
# Pages a signed-in user may reach before their second factor: entering a code, setting an app up, signing out.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:verify",
    "accounts:verify_backup",
    "accounts:set_up",
    "logout",
} | SESSION_VIEWS

TWO_FACTOR_STATE_KEY = "two_factor_state"


class TwoFactorState:
    """What a signed-in session still owes: a code, a set-up, or nothing (two-factor is optional for them)."""

    VERIFY = "verify"
    SET_UP = "set_up"
    OPTIONAL = "optional"


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _sign_in_url(next_path: str, reason: str) -> str:
    return f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: next_path, 'reason': reason})}"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or _view_name(request) in SESSION_VIEWS:
            return None
        reason = sessions.session_expired_reason(request)
        if reason:
            sessions.session_end(request)
            return redirect(_sign_in_url(request.get_full_path() if request.method == "GET" else request.path, reason))
        sessions.session_touch(request)
        return None


def _state_for(user) -> str:
    if two_factor.has_second_factor(user):
        return TwoFactorState.VERIFY
    if two_factor.second_factor_required(user):
        return TwoFactorState.SET_UP
    return TwoFactorState.OPTIONAL


@receiver(user_logged_in, dispatch_uid="accounts.two_factor_state")
def two_factor_state_at_sign_in(sender, request, user, **kwargs) -> None:
    """Work the state out at sign-in (two queries), so pages do not pay for it on every request."""
    request.session[TWO_FACTOR_STATE_KEY] = _state_for(user)


def two_factor_state(request) -> str:
    """The session's TwoFactorState, kept in the session from sign-in (worked out again if it is missing)."""
    state = request.session.get(TWO_FACTOR_STATE_KEY)
    if state is None:
        state = request.session[TWO_FACTOR_STATE_KEY] = _state_for(request.user)
    return state


def two_factor_state_forget(request) -> None:
    """Work the state out afresh on the next request (after set-up or turning two-factor off)."""
    request.session.pop(TWO_FACTOR_STATE_KEY, None)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or _view_name(request) in OPEN_BEFORE_SECOND_FACTOR:
            return None
        state = two_factor_state(request)
        if state == TwoFactorState.OPTIONAL or user.is_verified():
            return None
        target = "accounts:verify" if state == TwoFactorState.VERIFY else "accounts:set_up"
        next_path = request.get_full_path() if request.method == "GET" else request.path
        return redirect(f"{reverse(target)}?{urlencode({REDIRECT_FIELD_NAME: next_path})}")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
