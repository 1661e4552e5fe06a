from django.conf import settings
from django.urls import reverse

from . import sessions


def session_timeout(request):
    """`session_timeout` for the timeout warning in templates/base.html: seconds left, when to warn, and the
    status and extend URLs. None when nobody is signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"session_timeout": None}
    clock = sessions.session_clock(request)
    return {
        "session_timeout": {
            "seconds_left": clock.seconds_left,
            "warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
            "can_extend": clock.reason == sessions.SignOutReason.IDLE,
            "status_url": reverse("accounts:session_status"),
            "extend_url": reverse("accounts:session_extend"),
        }
    }
