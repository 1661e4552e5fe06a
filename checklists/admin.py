from django.contrib import admin

from .models import ChecklistTemplate, Migration, TemplateStep


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    extra = 0
    fields = ["order", "code", "phase", "title", "role", "anchor", "offset_working_days", "critical"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "is_default"]
    inlines = [TemplateStepInline]


@admin.register(Migration)
class MigrationAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the service layer so they are audited."""

    list_display = ["practice", "old_supplier", "new_supplier", "go_live_date", "read_only_ends_on"]
    list_select_related = ["practice", "old_supplier", "new_supplier"]
    search_fields = ["practice__name", "practice__ods_code"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
