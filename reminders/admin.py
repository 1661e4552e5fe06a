from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The outbox, for operators: filter on "failed" to see sends that need a person to look."""

    list_display = ["pk", "kind", "for_date", "status", "attempts", "sent_to", "recipient", "migration", "last_error"]
    list_filter = ["status", "kind", "for_date"]
    list_select_related = ["recipient", "migration__practice"]
    search_fields = ["sent_to", "recipient__email", "migration__practice__ods_code"]
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
