"""`require_recent_second_factor`: ask for a code again before a sensitive action, such as a sign-off."""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import two_factor

STEP_UP_MESSAGE = "Enter a code from your authenticator app to confirm it is you before you sign off."


def second_factor_is_recent(request, minutes: int) -> bool:
    """True if the user has no second factor, or this session had a code accepted in the last `minutes`."""
    if not two_factor.has_second_factor(request.user):
        return True
    verified_at = two_factor.verified_at(request)
    return verified_at is not None and timezone.now() - verified_at <= datetime.timedelta(minutes=minutes)


def require_recent_second_factor(view=None, *, minutes: int = 15, message: str = STEP_UP_MESSAGE):
    """Decorate a view (GET and POST) so that a user with an authenticator app must have entered a code in the
    last `minutes` (default 15, issue 13) before it runs; otherwise they are sent to enter one and then back to
    the page (a POST's form is shown again, empty: nothing was saved).

    Users without a second factor pass: those who must have one never reach a page without it
    (SecondFactorMiddleware). Usable bare (`@require_recent_second_factor`) or with arguments.
    """

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if second_factor_is_recent(request, minutes):
                return view_func(request, *args, **kwargs)
            messages.info(request, message)
            return redirect(f"{reverse('accounts:verify')}?{urlencode({REDIRECT_FIELD_NAME: request.path})}")

        wrapper.requires_recent_second_factor = minutes
        return wrapper

    return decorate(view) if view is not None else decorate


class RecentSecondFactorRequiredMixin:
    """The class-based-view form of `require_recent_second_factor`: set `second_factor_minutes` to change 15."""

    second_factor_minutes = 15

    def dispatch(self, request, *args, **kwargs):
        guarded = require_recent_second_factor(minutes=self.second_factor_minutes)(super().dispatch)
        return guarded(request, *args, **kwargs)
