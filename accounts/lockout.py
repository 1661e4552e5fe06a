"""What django-axes counts sign-in failures against: the account, whatever way its address was typed.

Sign-in finds the user case-insensitively (`UserManager.get_by_natural_key`), so axes must key its counter
on the same thing, or every case or spacing variant of an address would get five more guesses of its own
(issue 13: 32 wrong guesses over 8 variants, 0 lockouts). The client half of the key (the real client
address behind the trusted proxies) comes from django-ipware, configured in settings (TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest

_CACHE_ATTRIBUTE = "_axes_account_keys"


def normalise_address(typed: str) -> str:
    """An email address as typed -> stripped and case-folded ("  Manager@X.example " -> "manager@x.example")."""
    return typed.strip().casefold()


def account_key(typed: str | None) -> str | None:
    """The failure-counter key for an address as typed: the account's stored email if the text names an
    account (exactly as sign-in would find it), otherwise the normalised text. None stays None.

    Costs one query per distinct text; `axes_username` caches it on the request.
    """
    if typed is None:
        return None
    User = get_user_model()
    try:
        return User._default_manager.get_by_natural_key(typed.strip()).get_username()
    except (User.DoesNotExist, User.MultipleObjectsReturned):
        return normalise_address(typed)


def axes_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account key for the username in `credentials` (when axes has them,
    e.g. in the authentication backend) or in the POSTed form (e.g. in the lockout middleware)."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    elif request is not None:
        typed = getattr(request, "data", request.POST).get(field)
    else:
        typed = None
    if typed is None:
        return None
    cache = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    if typed not in cache:
        cache[typed] = account_key(typed)
    return cache[typed]
