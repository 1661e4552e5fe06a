from django.contrib import admin

from .models import ThirdPartyService


@admin.register(ThirdPartyService)
class ThirdPartyServiceAdmin(admin.ModelAdmin):
    """The national catalogue of linked services; practices' local services show their practice."""

    list_display = ["name", "category", "company", "notice_working_days", "practice"]
    list_filter = ["category", ("practice", admin.EmptyFieldListFilter)]
    search_fields = ["name", "company"]
    list_select_related = ["practice"]
    autocomplete_fields = ["practice"]
