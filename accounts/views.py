"""Sign-in, two-factor and session pages. Thin: parse, call accounts.two_factor / accounts.sessions, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practices.forms import EmailAuthenticationForm, NHSPasswordResetForm

from . import password_reset, sessions, two_factor
from .decorators import require_recent_second_factor
from .forms import AppCodeForm, BackupCodeForm
from .middleware import two_factor_state_forget

BACKUP_CODES_TO_SHOW_KEY = "backup_codes_to_show"

SIGNED_OUT_MESSAGES = {
    sessions.SignOutReason.IDLE: "You were signed out because you had not used GoLive for {idle}. "
    "Sign in again to carry on where you were.",
    sessions.SignOutReason.ABSOLUTE: "You were signed out because you had been signed in for {absolute}, "
    "the longest a session lasts. Sign in again to carry on where you were.",
}


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def signed_out_message(reason: str | None) -> str | None:
    """The sign-in page's explanation for `?reason=idle|absolute`, or None."""
    template = SIGNED_OUT_MESSAGES.get(reason or "")
    if template is None:
        return None
    return template.format(
        idle=_duration(sessions.idle_seconds() // 60), absolute=_duration(sessions.absolute_seconds() // 60)
    )


class SignInView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signed_out_message"] = signed_out_message(self.request.GET.get("reason"))
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, except that the email is queued for a Celery task (same answer and time for any
    address) and requests are rate-limited per client (429 page) and per address (silently not sent)."""

    form_class = NHSPasswordResetForm

    def post(self, request, *args, **kwargs):
        if password_reset.client_over_limit(request):
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Over the per-address limit the page answers exactly as usual; only the email is not sent again.
        if not password_reset.address_over_limit(self.request):
            password_reset.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request, default: str = "home") -> str:
    """The `next` page from the form or query string if it is on this site, else `default` (a URL name)."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _refused_message(refused: two_factor.CodeRefused, what: str) -> str:
    if refused.wait_until is not None:
        seconds = max(1, int((refused.wait_until - timezone.now()).total_seconds()) + 1)
        unit = "second" if seconds == 1 else "seconds"
        return f"There have been too many wrong codes. Wait {seconds} {unit} and try again"
    return what


APP_CODE_REFUSED = (
    "Enter the code shown in your authenticator app now. Each code works once, so if you have just used it, "
    "wait for the next one"
)
BACKUP_CODE_REFUSED = "Enter a backup code you have not used before"


@require_http_methods(["GET", "POST"])
def verify(request, backup: bool = False):
    """Enter a code from the authenticator app (or a backup code) after the password, or again before a
    sign-off (`require_recent_second_factor`)."""
    if not two_factor.has_second_factor(request.user):
        return redirect(_next_url(request))
    form = (BackupCodeForm if backup else AppCodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.code_verify(request, form.cleaned_data["code"], backup=backup)
        except two_factor.CodeRefused as refused:
            form.add_error("code", _refused_message(refused, BACKUP_CODE_REFUSED if backup else APP_CODE_REFUSED))
        else:
            return redirect(_next_url(request))
    next_url = _next_url(request)
    return render(
        request,
        "accounts/verify_backup.html" if backup else "accounts/verify.html",
        {
            "form": form,
            "next": next_url,
            "back_href": f"{reverse('accounts:verify')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}",
            "backup_codes_left": two_factor.backup_codes_left(request.user) if backup else None,
        },
    )


@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then enter the first code."""
    user = request.user
    if two_factor.has_second_factor(user) and not user.is_verified():
        # Replacing an app needs a code from the old one first, or a stolen password would be enough.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({REDIRECT_FIELD_NAME: reverse('accounts:set_up')})}")
    device = two_factor.pending_app_device(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.app_device_confirm(request, form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error(
                "code",
                _refused_message(refused, "Enter the code your authenticator app shows for GoLive now"),
            )
        else:
            two_factor_state_forget(request)
            request.session[BACKUP_CODES_TO_SHOW_KEY] = codes
            messages.success(request, "Two-factor sign-in is on")
            query = urlencode({REDIRECT_FIELD_NAME: _next_url(request)})
            return redirect(f"{reverse('accounts:backup_codes')}?{query}")
    return render(
        request,
        "accounts/set_up.html",
        {
            "form": form,
            "details": two_factor.set_up_details(device),
            "required": two_factor.second_factor_required(user),
            "replacing": two_factor.has_second_factor(user),
            "next": _next_url(request),
        },
    )


@require_GET
def backup_codes(request):
    """Show new backup codes once (after set-up or replacement); otherwise how many are left."""
    codes = request.session.pop(BACKUP_CODES_TO_SHOW_KEY, None)
    if codes is None and not two_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    return render(
        request,
        "accounts/backup_codes.html",
        {
            "codes": codes,
            "codes_left": two_factor.backup_codes_left(request.user),
            "next": _next_url(request, default="accounts:account"),
        },
    )


@require_POST
@require_recent_second_factor(message="Enter a code from your authenticator app before you make new backup codes.")
def backup_codes_replace(request):
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    request.session[BACKUP_CODES_TO_SHOW_KEY] = two_factor.backup_codes_replace(request.user)
    messages.success(request, "New backup codes made. The old ones no longer work")
    return redirect("accounts:backup_codes")


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(message="Enter a code from your authenticator app before you turn two-factor off.")
def turn_off(request):
    if two_factor.second_factor_required(request.user):
        raise PermissionDenied("Administrators and commissioners must keep two-factor sign-in on.")
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        two_factor.second_factor_turn_off(request)
        two_factor_state_forget(request)
        messages.success(request, "Two-factor sign-in is off")
        return redirect("accounts:account")
    return render(request, "accounts/turn_off.html")


def _account_summary(user, has_second_factor: bool) -> dict:
    """Summary-list parameters for the account page."""
    return {
        "rows": [
            {"key": {"text": "Name"}, "value": {"text": user.full_name or "Not given"}},
            {"key": {"text": "Email address"}, "value": {"text": user.email}},
            {"key": {"text": "Two-factor sign-in"}, "value": {"text": "On" if has_second_factor else "Off"}},
        ]
    }


@require_GET
def account(request):
    user = request.user
    has_second_factor = two_factor.has_second_factor(user)
    return render(
        request,
        "accounts/account.html",
        {
            "summary": _account_summary(user, has_second_factor),
            "has_second_factor": has_second_factor,
            "required": two_factor.second_factor_required(user),
            "backup_codes_left": two_factor.backup_codes_left(user),
        },
    )


def _clock_json(request) -> dict:
    clock = sessions.session_clock(request)
    return {"signed_in": True, "seconds_left": clock.seconds_left, "reason": clock.reason}


@login_not_required
@require_GET
def session_status(request):
    """How long the session has left, for the timeout warning. Does not count as activity."""
    if not request.user.is_authenticated or sessions.session_expired_reason(request):
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse(_clock_json(request))


@login_not_required
@require_POST
def session_extend(request):
    """'Stay signed in': counts as activity. Answers JSON to the warning's script, or returns to the page."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    reason = sessions.session_expired_reason(request) if request.user.is_authenticated else "idle"
    if reason:
        if request.user.is_authenticated:
            sessions.session_end(request)
        if wants_json:
            return JsonResponse({"signed_in": False, "seconds_left": 0})
        return redirect(f"{reverse('login')}?{urlencode({'reason': reason})}")
    sessions.session_touch(request, force=True)
    if wants_json:
        return JsonResponse(_clock_json(request))
    return redirect(_next_url(request))
