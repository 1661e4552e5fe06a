from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from . import services
from .forms import ODS_UPLOAD_MAX_BYTES, ODS_UPLOAD_MAX_MB, ODS_UPLOAD_TOO_BIG, OdsImportForm
from .models import ICB, Membership, Practice, PracticeSubICBLocation, Region, SubICBLocation, Supplier, User
from .ods import OdsFileRefused
from .ods_import import describe, ods_import


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["practice", "icb", "sub_icb_location"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Details", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "status"]
    readonly_fields = ["ods_name"]  # ODS's own text: the import compares against it
    search_fields = ["code", "name"]


@admin.register(ICB)
class ICBAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "status"]
    readonly_fields = ["ods_name"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(SubICBLocation)
class SubICBLocationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "icb", "status"]
    readonly_fields = ["ods_name"]
    list_filter = ["icb"]
    search_fields = ["code", "name"]
    list_select_related = ["icb"]

    def save_model(self, request, obj, form, change):
        """A change of ICB goes through the service, so the location's practices follow it (and it is audited)."""
        if change and "icb" in form.changed_data:
            new_icb = obj.icb
            obj.icb_id = form.initial["icb"]
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                services.sub_icb_location_set_icb(
                    actor=request.user, sub_icb_location=obj, icb=new_icb, reason="Changed in the admin site"
                )
            obj.icb = new_icb
            return
        super().save_model(request, obj, form, change)


class SubICBHistoryInline(admin.TabularInline):
    """Where the practice has been: history is recorded, not edited (a move adds a row)."""

    model = PracticeSubICBLocation
    extra = 0
    fields = ["sub_icb_location", "started_on", "ended_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PracticeAdminForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = "__all__"  # noqa: DJ007 (the admin lists its own fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["icb"].required = False
        self.fields["icb"].help_text = "Leave empty when a sub-ICB location is chosen: the ICB follows it"

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("sub_icb_location")
        if place:
            cleaned["icb"] = place.icb
            self.instance.icb = place.icb
        elif not cleaned.get("icb"):
            self.add_error("icb", "Choose the ICB, or a sub-ICB location")
        return cleaned


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    form = PracticeAdminForm
    list_display = ["ods_code", "name", "sub_icb_location", "icb", "status", "current_supplier"]
    # ODS's own name: the import renames a practice only when this changes, so it is not edited here.
    readonly_fields = ["ods_name"]
    list_filter = ["status", "icb"]
    search_fields = ["ods_code", "name", "ods_name"]
    list_select_related = ["icb", "sub_icb_location", "current_supplier"]
    autocomplete_fields = ["icb", "sub_icb_location"]
    inlines = [SubICBHistoryInline]
    change_list_template = "admin/practices/practice/change_list.html"

    def get_urls(self):
        upload = path("import-ods/", self.admin_site.admin_view(self.import_ods_view), name="practices_import_ods")
        return [upload, *super().get_urls()]

    def import_ods_view(self, request):
        """Upload an epraccur file (and optionally a supplier CSV) and import it as the command does."""
        if not request.user.has_perms(["practices.add_practice", "practices.change_practice"]):
            raise PermissionDenied("Importing practices needs permission to add and change practices.")
        summary, refused, too_big = None, [], False
        # Refuse an oversized upload before reading it: two files at the limit, and room for the form around them.
        if int(request.META.get("CONTENT_LENGTH") or 0) > 2 * ODS_UPLOAD_MAX_BYTES + 64 * 1024:
            form, too_big = OdsImportForm(), True
        else:
            form = OdsImportForm(request.POST, request.FILES) if request.method == "POST" else OdsImportForm()
        if request.method == "POST" and not too_big and form.is_valid():
            summary, refused = self._import(request, form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import GP practices from ODS",
            "form": form,
            "too_big": ODS_UPLOAD_TOO_BIG if too_big else "",
            "max_mb": ODS_UPLOAD_MAX_MB,
            "refused": refused,
            "summary": summary.report() if summary else None,
        }
        return TemplateResponse(request, "admin/practices/practice/import_ods.html", context)

    def _import(self, request, form):
        epraccur_file, supplier_file = form.cleaned_data["epraccur"], form.cleaned_data["suppliers"]
        epraccur = epraccur_file.read()
        suppliers = supplier_file.read() if supplier_file else None
        source = "admin upload of " + describe(epraccur_file.name, epraccur)
        if supplier_file:
            source += " and " + describe(supplier_file.name, suppliers)
        try:
            summary = ods_import(
                epraccur=epraccur, suppliers=suppliers, actor=request.user, source=source, today=timezone.localdate()
            )
        except OdsFileRefused as refusal:
            return None, refusal.errors
        return summary, []

    def save_model(self, request, obj, form, change):
        """A new sub-ICB location is a move from today (history kept); other fields save as usual."""
        moved_to = obj.sub_icb_location if "sub_icb_location" in form.changed_data else None
        if moved_to is None:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            if change:
                obj.sub_icb_location_id = form.initial["sub_icb_location"]
                obj.icb_id = Practice.objects.values_list("icb_id", flat=True).get(pk=obj.pk)
            else:
                obj.sub_icb_location = None
            super().save_model(request, obj, form, change)
            services.practice_move(
                actor=request.user,
                practice=obj,
                sub_icb_location=moved_to,
                on=timezone.localdate(),
                reason="Changed in the admin site",
            )
        obj.sub_icb_location, obj.icb = moved_to, moved_to.icb


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "system_name"]
    search_fields = ["name", "system_name"]
