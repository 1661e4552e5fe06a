from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Sign-in, two-factor and sessions"

    def ready(self):
        from . import middleware, sessions  # noqa: F401 - connect the user_logged_in receivers


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with VerifiedAdminSite as `admin.site` (a verified second factor required)."""

    default = False
    default_site = "accounts.admin_site.VerifiedAdminSite"
