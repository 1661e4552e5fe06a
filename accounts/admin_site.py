"""The Django admin, open only to a session that has entered a second factor (issue 13)."""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor


class VerifiedAdminSite(AdminSite):
    """AdminSite that also asks `request.user.is_verified()` (django-otp) and signs in through GoLive's own
    pages (password, then code) rather than the admin's password-only form."""

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        next_path = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_path)
        if not user.is_verified():
            target = "accounts:verify" if two_factor.has_second_factor(user) else "accounts:set_up"
            return redirect(f"{reverse(target)}?{urlencode({REDIRECT_FIELD_NAME: next_path})}")
        raise PermissionDenied("Only administrators can use the admin site.")
