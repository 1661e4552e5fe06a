"""Third-party reconnection tracker: links and their moves, MESH change, cutover registrations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from checklists.selectors import migration_get_for_user
from practices.selectors import can_work_checklist

from . import presenters, selectors, services
from .forms import (
    LINK_MOVE_FORMS,
    MOVE_SLUG_FOR,
    CutoverRegistrationsForm,
    LinkMoveBackForm,
    LinkReconfigurationForm,
    LinkSetupForm,
    LocalServiceForm,
    MeshChangeForm,
    MeshPartnerForm,
    MeshPartnerToldForm,
)


def _require_link_worker(request, migration):
    if not can_work_checklist(request.user, migration.practice):
        raise PermissionDenied("Only people at the practice can change its third-party links.")


def _link_conflict_message(link) -> str:
    who = link.updated_by or "someone else"
    return f"{who} changed {link.service} while you were looking at it. Check its status and try again."


def links(request, pk):
    migration = migration_get_for_user(request.user, pk)
    today = timezone.localdate()
    groups = selectors.link_tracker(migration, today)
    for group in groups:
        for row in group.rows:
            row.status_tag = presenters.link_status_tag(row.link)
            row.due_text = presenters.link_due_text(row)
            row.move_slug = MOVE_SLUG_FOR.get(row.next_status)
            row.move_label = LINK_MOVE_FORMS[row.move_slug][3] if row.move_slug else ""
    mesh_change = selectors.mesh_change_for(migration)
    outstanding = selectors.links_outstanding(migration)
    return render(
        request,
        "reconnections/links.html",
        {
            "migration": migration,
            "groups": groups,
            "outstanding": outstanding,
            "progress": presenters.links_progress_phrase(outstanding),
            "overdue": sum(row.overdue for group in groups for row in group.rows),
            "mesh_change": mesh_change,
            "mesh_partners": list(mesh_change.partner_notices.all()) if mesh_change else [],
            "registrations": selectors.cutover_registrations_for(migration),
            "can_work": can_work_checklist(request.user, migration.practice),
        },
    )


@require_http_methods(["GET", "POST"])
def links_setup(request, pk):
    """Tick the services the practice uses, from the catalogue and its own local services."""
    migration = migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    available = list(selectors.services_available_for(migration))
    # Bound on every POST: an empty one (nothing ticked) must show its error, not a fresh form.
    form = LinkSetupForm(request.POST if request.method == "POST" else None, services=available)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.links_create(
                user=request.user, migration=migration, services=form.cleaned_data["services"]
            )
        except services.LinkMoveRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, f"{len(created)} service{pluralize(len(created))} added to the reconnection tracker"
            )
            return redirect("reconnections:links", pk=migration.pk)
    return render(
        request,
        "reconnections/links_setup.html",
        {
            "migration": migration,
            "form": form,
            "available": available,
            "heading": "Which services does the practice use?",
            "intro": "Tick every system linked to the clinical system. Each is switched off for cutover"
            " and must be switched back on after go-live.",
        },
    )


@require_http_methods(["GET", "POST"])
def local_service_add(request, pk):
    migration = migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    form = LocalServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.local_service_add(user=request.user, migration=migration, **form.cleaned_data)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service} added to the reconnection tracker")
            return redirect("reconnections:links", pk=migration.pk)
    return render(
        request,
        "reconnections/links_form_page.html",
        {"migration": migration, "form": form, "heading": "Add a local service", "button": "Add service"},
    )


def link_detail(request, pk, link_pk):
    migration = migration_get_for_user(request.user, pk)
    link = selectors.link_get_for_user(request.user, migration, link_pk)
    row = selectors.link_row(link, migration, timezone.localdate())
    return render(
        request,
        "reconnections/link_detail.html",
        {
            "migration": migration,
            "link": link,
            "status_tag": presenters.link_status_tag(link),
            "summary": {"rows": presenters.link_summary_rows(link, selectors.link_due_dates(link, migration))},
            "due_text": presenters.link_due_text(row),
            "overdue": row.overdue,
            "moves": [
                (MOVE_SLUG_FOR[status], LINK_MOVE_FORMS[MOVE_SLUG_FOR[status]][3])
                for status in services.link_moves_from(link.status)
            ],
            "can_move_back": link.status in services.LINK_BACK,
            "can_work": can_work_checklist(request.user, migration.practice),
        },
    )


@require_http_methods(["GET", "POST"])
def link_move(request, pk, link_pk, move):
    migration = migration_get_for_user(request.user, pk)
    link = selectors.link_get_for_user(request.user, migration, link_pk)
    if move not in LINK_MOVE_FORMS:
        raise Http404("No such move")
    _require_link_worker(request, migration)
    to_status, form_class, heading, _button = LINK_MOVE_FORMS[move]
    form = form_class(request.POST or None, initial={"version": link.version})
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            link = services.link_move(
                user=request.user,
                link=link,
                to_status=to_status,
                expected_version=form.cleaned_data["version"],
                today=timezone.localdate(),
                **values,
            )
        except services.LinkConflict as conflict:
            messages.error(request, _link_conflict_message(conflict.link))
            return redirect("reconnections:link", pk=migration.pk, link_pk=link.pk)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service}: {link.get_status_display().lower()}")
            return redirect(reverse("reconnections:links", args=[migration.pk]) + f"#link-{link.pk}")
    return render(
        request,
        "reconnections/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": heading, "button": "Save"},
    )


@require_http_methods(["GET", "POST"])
def link_move_back(request, pk, link_pk):
    migration = migration_get_for_user(request.user, pk)
    link = selectors.link_get_for_user(request.user, migration, link_pk)
    _require_link_worker(request, migration)
    form = LinkMoveBackForm(request.POST or None, initial={"version": link.version})
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_move_back(
                user=request.user,
                link=link,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.LinkConflict as conflict:
            messages.error(request, _link_conflict_message(conflict.link))
            return redirect("reconnections:link", pk=migration.pk, link_pk=link.pk)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service} moved back to {link.get_status_display().lower()}")
            return redirect("reconnections:link", pk=migration.pk, link_pk=link.pk)
    return render(
        request,
        "reconnections/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": "Move back a stage", "button": "Move back"},
    )


@require_http_methods(["GET", "POST"])
def link_reconfiguration(request, pk, link_pk):
    migration = migration_get_for_user(request.user, pk)
    link = selectors.link_get_for_user(request.user, migration, link_pk)
    _require_link_worker(request, migration)
    initial = {
        "version": link.version,
        "reconfiguration_needed": link.reconfiguration_needed,
        "reconfiguration_note": link.reconfiguration_note,
    }
    form = LinkReconfigurationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_set_reconfiguration(
                user=request.user,
                link=link,
                needed=form.cleaned_data["reconfiguration_needed"],
                note=form.cleaned_data["reconfiguration_note"],
                expected_version=form.cleaned_data["version"],
            )
        except services.LinkConflict as conflict:
            messages.error(request, _link_conflict_message(conflict.link))
        else:
            messages.success(request, f"Reconfiguration for {link.service} saved")
        return redirect("reconnections:link", pk=migration.pk, link_pk=link.pk)
    return render(
        request,
        "reconnections/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": "Reconfiguration", "button": "Save"},
    )


@require_http_methods(["GET", "POST"])
def mesh_change(request, pk):
    migration = migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    change = selectors.mesh_change_for(migration)
    initial = {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox} if change else {}
    form = MeshChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.mesh_change_save(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, "MESH mailboxes saved")
        return redirect(reverse("reconnections:links", args=[migration.pk]) + "#mesh")
    return render(
        request,
        "reconnections/links_form_page.html",
        {
            "migration": migration,
            "form": form,
            "heading": "MESH mailboxes",
            "intro": "The MESH mailbox usually changes with the supplier. Give PCSE the new one before cutover.",
            "button": "Save",
        },
    )


@require_http_methods(["GET", "POST"])
def mesh_partner_add(request, pk):
    migration = migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    form = MeshPartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.mesh_partner_add(user=request.user, migration=migration, **form.cleaned_data)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{notice.partner_name} added to the partners to tell")
            return redirect(reverse("reconnections:links", args=[migration.pk]) + "#mesh")
    return render(
        request,
        "reconnections/links_form_page.html",
        {"migration": migration, "form": form, "heading": "Add a partner service to tell", "button": "Add partner"},
    )


@require_POST
def mesh_partner_told(request, pk, notice_pk):
    migration = migration_get_for_user(request.user, pk)
    notice = selectors.mesh_partner_get_for_user(request.user, migration, notice_pk)
    form = MeshPartnerToldForm(request.POST)
    if form.is_valid():
        told = form.cleaned_data["told"]
        today = timezone.localdate()
        services.mesh_partner_mark_told(
            user=request.user, notice=notice, migration=migration, told_on=today if told else None, today=today
        )
        messages.success(request, f"{notice.partner_name} marked as {'told' if told else 'not told'}")
    else:
        messages.error(request, "That change could not be saved. Try again.")
    return redirect(reverse("reconnections:links", args=[migration.pk]) + "#mesh")


@require_http_methods(["GET", "POST"])
def cutover_registrations(request, pk):
    """Patients who joined while registrations were paused: how many wait, how many are done. Counts only."""
    migration = migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    current = selectors.cutover_registrations_for(migration)
    initial = {"waiting": 0, "registered": 0}
    if current:
        initial = {"waiting": current.waiting, "registered": current.registered, "version": current.version}
    form = CutoverRegistrationsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cutover_registrations_update(
                user=request.user,
                migration=migration,
                waiting=form.cleaned_data["waiting"],
                registered=form.cleaned_data["registered"],
                expected_version=form.cleaned_data["version"],
            )
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, "Cutover registrations saved")
            return redirect(reverse("reconnections:links", args=[migration.pk]) + "#registrations")
    return render(
        request,
        "reconnections/links_form_page.html",
        {
            "migration": migration,
            "form": form,
            "heading": "Registrations from cutover",
            "intro": "Patients who asked to join while registrations were paused. Counts only: no patient details.",
            "button": "Save counts",
        },
    )
