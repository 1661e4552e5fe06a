from django.contrib import admin

from .models import GoLiveSignOff


@admin.register(GoLiveSignOff)
class GoLiveSignOffAdmin(admin.ModelAdmin):
    """Read-only: sign-offs are immutable; a correction is a new sign-off made in the app."""

    list_display = ["migration", "sequence", "signed_by_name", "role", "signed_at", "statement_version"]
    list_select_related = ["migration__practice", "migration__old_supplier", "migration__new_supplier"]
    search_fields = ["migration__practice__name", "migration__practice__ods_code", "signed_by_name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
