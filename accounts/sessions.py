"""Session limits: signed out after a spell of inactivity (idle) and after a fixed time whatever the activity
(absolute), with the reason shown on the sign-in page (decision 0012; OWASP ASVS 7.3.1, 7.3.2).

Times are kept in the session as whole seconds since the epoch (sessions are JSON). Activity is written at most
once every ACTIVITY_WRITE_SECONDS, so a burst of page views costs one session write, not one each; the idle
deadline is therefore up to that much earlier than 'idle timeout after the very last request'.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SIGNED_IN_AT_KEY = "signed_in_at"
LAST_ACTIVITY_KEY = "last_activity_at"
ACTIVITY_WRITE_SECONDS = 30


class SignOutReason:
    IDLE = "idle"
    ABSOLUTE = "absolute"
    CHOICES = {IDLE, ABSOLUTE}


def idle_seconds() -> int:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def absolute_seconds() -> int:
    return settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600


@receiver(user_logged_in, dispatch_uid="accounts.sessions.start")
def session_start(sender, request, user, **kwargs) -> None:
    """At sign-in: start both clocks."""
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


@dataclass(frozen=True)
class SessionClock:
    """Seconds until the session ends: `idle_left` if nothing more is done, `absolute_left` in any case.
    `seconds_left` is the smaller, and `reason` says which limit it is."""

    idle_left: int
    absolute_left: int

    @property
    def seconds_left(self) -> int:
        return max(0, min(self.idle_left, self.absolute_left))

    @property
    def reason(self) -> str:
        return SignOutReason.ABSOLUTE if self.absolute_left <= self.idle_left else SignOutReason.IDLE


def session_clock(request: HttpRequest, now: int | None = None) -> SessionClock:
    """The signed-in session's clock. Sessions from before these limits count as starting now."""
    now = int(time.time()) if now is None else now
    signed_in_at = request.session.setdefault(SIGNED_IN_AT_KEY, now)
    last_activity = request.session.setdefault(LAST_ACTIVITY_KEY, now)
    return SessionClock(
        idle_left=last_activity + idle_seconds() - now,
        absolute_left=signed_in_at + absolute_seconds() - now,
    )


def session_expired_reason(request: HttpRequest) -> str | None:
    """'idle' or 'absolute' if the signed-in session has run out, else None. Reads only the session."""
    clock = session_clock(request)
    if clock.absolute_left <= 0:
        return SignOutReason.ABSOLUTE
    if clock.idle_left <= 0:
        return SignOutReason.IDLE
    return None


def session_touch(request: HttpRequest, *, force: bool = False) -> None:
    """Count this request as activity (written at most every ACTIVITY_WRITE_SECONDS unless `force`)."""
    now = int(time.time())
    if force or now - request.session.get(LAST_ACTIVITY_KEY, 0) >= ACTIVITY_WRITE_SECONDS:
        request.session[LAST_ACTIVITY_KEY] = now


def session_end(request: HttpRequest) -> None:
    """Sign the user out (the session row goes, the cookie is cleared)."""
    logout(request)
