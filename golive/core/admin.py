from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: viewable, never editable."""

    list_display = ["occurred_at", "actor_label", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
