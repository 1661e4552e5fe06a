"""Thin views: scope, fetch, call a service, render."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from practices.selectors import (
    can_manage_migration,
    can_update_step,
    can_work_checklist,
    practice_members,
    practices_user_can_manage,
    roles_for,
    step_updatable,
)

from . import presenters, selectors, services
from .forms import (
    LINK_MOVE_FORMS,
    MOVE_SLUG_FOR,
    ChecklistFilterForm,
    CutoverRegistrationsForm,
    DataCheckForm,
    GoLiveSignOffForm,
    IssueEditForm,
    IssueFilterForm,
    IssueForm,
    KeyDatesForm,
    LinkMoveBackForm,
    LinkReconfigurationForm,
    LinkSetupForm,
    LocalServiceForm,
    MeshChangeForm,
    MeshPartnerForm,
    MeshPartnerToldForm,
    MigrationCreateForm,
    ProcessReviewForm,
    StepForm,
    StepTickForm,
    SupplierConfirmationForm,
)
from .models import CURRENT_GO_LIVE_STATEMENT, GO_LIVE_STATEMENTS, IssueStatus, Phase, StepStatus


def _today() -> datetime.date:
    return timezone.localdate()


def home(request):
    today = _today()
    migrations = selectors.migration_list_for_user(request.user, today)
    page = Paginator(migrations, 50).get_page(request.GET.get("page"))
    for migration in page:
        migration.stage_tag = presenters.stage_tag(migration.stage)
    return render(
        request,
        "checklists/home.html",
        {
            "page": page,
            "can_create": practices_user_can_manage(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def migration_create(request):
    practices = practices_user_can_manage(request.user).select_related("icb")
    if not practices.exists():
        raise PermissionDenied("Only practice managers and commissioners can create migrations.")
    form = MigrationCreateForm(request.POST or None, practices=practices)
    if request.method == "POST" and form.is_valid():
        migration = services.migration_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Migration created with {migration.steps.count()} checklist steps")
        if can_work_checklist(request.user, migration.practice):
            # Offer the practice the reconnection tracker set-up straight away, while the list is fresh.
            return redirect("checklists:links_setup", pk=migration.pk)
        return redirect("checklists:migration", pk=migration.pk)
    return render(request, "checklists/migration_create.html", {"form": form})


def migration_detail(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    today = _today()
    links_panel = selectors.links_panel(migration)
    links_panel["progress"] = presenters.links_progress_phrase(links_panel["links"])
    return render(
        request,
        "checklists/migration_detail.html",
        {
            "migration": migration,
            "stage_tag": presenters.stage_tag(migration.stage_on(today)),
            "key_dates_summary": {"rows": presenters.key_dates_rows(migration)},
            "countdown": presenters.read_only_countdown(migration, today),
            "progress": selectors.migration_progress(migration, today),
            "can_manage": can_manage_migration(request.user, migration.practice),
            "go_live_panel": selectors.go_live_panel(migration),
            "links_panel": links_panel,
        },
    )


def checklist(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    today = _today()
    filter_form = ChecklistFilterForm(request.GET or None, phases=Phase.choices)
    this_phase = selectors.current_phase(migration, today)
    filters = selectors.ChecklistFilters()
    if filter_form.is_valid():
        show = filter_form.cleaned_data["show"]
        filters = selectors.ChecklistFilters(
            mine=show == "mine",
            overdue=show == "overdue",
            phase=this_phase if show == "this_phase" else filter_form.cleaned_data["phase"],
        )
    groups = selectors.checklist_for_user(user=request.user, migration=migration, filters=filters, today=today)
    roles = roles_for(request.user, migration.practice)
    next_query = urlencode({"next": request.get_full_path()})
    for group in groups:
        for step in group.steps:
            step.status_tag = presenters.step_status_tag(step, today)
            step.overdue = step.is_overdue(today)
            # Carry the filtered view, so saving the step returns to the same list.
            step.edit_url = reverse("checklists:step", args=[migration.pk, step.pk]) + "?" + next_query
            step.tick_url = reverse("checklists:step_tick", args=[migration.pk, step.pk])
            step.can_update = step_updatable(roles, step.role)
    return render(
        request,
        "checklists/checklist.html",
        {
            "migration": migration,
            "groups": groups,
            "filter_form": filter_form,
            "filters": filters,
            "this_phase": Phase(this_phase).label,
            "next_url": request.get_full_path(),
            "shown": sum(len(group.steps) for group in groups),
        },
    )


def _conflict_message(step) -> str:
    who = step.updated_by or "someone else"
    when = date_format(timezone.localtime(step.updated_at), "j F Y \\a\\t H:i")
    return f"{who} changed “{step.title}” on {when} while you were looking at it. Check its status and try again."


@require_POST
def step_tick(request, pk, step_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    step = selectors.step_get_for_user(request.user, migration, step_pk)
    form = StepTickForm(request.POST)
    back = request.POST.get("next", "")
    checklist_url = reverse("checklists:checklist", args=[migration.pk])
    back = back if back.startswith(checklist_url) else checklist_url
    if not form.is_valid():
        messages.error(request, "That change could not be saved. Try again.")
        return redirect(back)
    try:
        step = services.step_update(
            user=request.user,
            step=step,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except services.StepConflict as conflict:
        messages.error(request, _conflict_message(conflict.step))
        return redirect(back)
    verb = "done" if step.status == StepStatus.DONE else "to do"
    messages.success(request, f"“{step.title}” marked as {verb}")
    return redirect(f"{back}#step-{step.pk}")


def _step_back_link(request, migration, step) -> tuple[str, str]:
    """Where the step page was opened from (a filtered checklist, go-live readiness or My tasks), and the link text.

    Only those local pages are accepted from `next`; anything else falls back to the checklist.
    """
    came_from = request.GET.get("next", "")
    checklist_url = reverse("checklists:checklist", args=[migration.pk])
    for url, text in (
        (reverse("checklists:go_live", args=[migration.pk]), "Back to go-live readiness"),
        (reverse("reminders:my_tasks"), "Back to my tasks"),
    ):
        if came_from.startswith(url):
            return came_from, text
    back = came_from if came_from.startswith(checklist_url) else checklist_url
    return f"{back}#step-{step.pk}", "Back to the checklist"


@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    step = selectors.step_get_for_user(request.user, migration, step_pk)
    can_work = can_update_step(request.user, migration.practice, step.role)
    if request.method == "POST" and not can_work:
        raise PermissionDenied("Only people at the practice, or the commissioner for their own steps, can change this.")
    initial = {
        "status": step.status,
        "not_applicable_reason": step.not_applicable_reason,
        "assignee": step.assignee,
        "note": step.note,
        "version": step.version,
    }
    form = StepForm(request.POST or None, initial=initial, assignable=practice_members(migration.practice))
    back_url, back_text = _step_back_link(request, migration, step)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_update(
                user=request.user,
                step=step,
                expected_version=data["version"],
                status=data["status"],
                not_applicable_reason=data["not_applicable_reason"],
                note=data["note"],
                assignee=data["assignee"],
            )
        except services.StepConflict as error:
            step = error.step
            conflict = _conflict_message(step)
            # Keep what the user typed, now against the current version: saving again is a deliberate choice.
            data = request.POST.copy()
            data["version"] = step.version
            form = StepForm(data, initial=initial, assignable=practice_members(migration.practice))
        else:
            messages.success(request, f"“{step.title}” saved")
            return redirect(back_url)
    today = _today()
    return render(
        request,
        "checklists/step_edit.html",
        {
            "migration": migration,
            "step": step,
            "form": form,
            "can_work": can_work,
            "conflict": conflict,
            "status_tag": presenters.step_status_tag(step, today),
            "back_url": back_url,
            "back_text": back_text,
        },
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
def key_dates(request, pk):
    """Change key dates in two steps: preview which due dates move, then confirm."""
    migration = selectors.migration_get_for_user(request.user, pk)
    if not can_manage_migration(request.user, migration.practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can change key dates.")
    form = KeyDatesForm(request.POST or None, initial=KeyDatesForm.initial_for(migration))
    moves = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["version"] != migration.version:
            # A fresh form shows the current dates; the message survives the redirect (an error added to the
            # stale form would be thrown away with it).
            messages.error(request, "Someone else changed these dates while you were editing. Check the dates below.")
            return redirect("checklists:key_dates", pk=migration.pk)
        if "confirm" in request.POST:
            try:
                moved = services.migration_change_key_dates(
                    user=request.user,
                    migration=migration,
                    expected_version=data["version"],
                    **_dates(data),
                    read_only_window_source=data["read_only_window_source"],
                    reason=data["reason"],
                )
            except services.MigrationConflict:
                messages.error(request, "Someone else changed these dates at the same time. Check them and try again.")
                return redirect("checklists:key_dates", pk=migration.pk)
            messages.success(request, f"Key dates changed. {moved} due date{pluralize(moved)} moved.")
            return redirect("checklists:migration", pk=migration.pk)
        else:
            moves = services.migration_preview_key_dates(migration=migration, today=_today(), **_dates(data))
    return render(
        request,
        "checklists/key_dates.html",
        {
            "migration": migration,
            "form": form,
            "moves": moves,
            "overdue_count": sum(1 for move in moves or [] if move.becomes_overdue),
            # The previewed answers, carried to the confirm button unchanged.
            "carried": [
                (name, value)
                for name, values in request.POST.lists()
                if name not in {"csrfmiddlewaretoken", "preview"}
                for value in values
            ],
        },
    )


def _dates(data: dict) -> dict:
    keys = ("idp_date", "fdp_date", "go_live_date", "read_only_window_days")
    return {key: data[key] for key in keys}


def history(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    page = Paginator(selectors.migration_history(migration), 50).get_page(request.GET.get("page"))
    for event in page:
        event.action_label = presenters.audit_action(event.action)
        event.changes = presenters.audit_changes(event)
    return render(request, "checklists/history.html", {"migration": migration, "page": page})


# Go-live day


def _require_practice_member(user, migration, message: str) -> None:
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied(message)


def go_live(request, pk):
    """The go-live readiness page: what a practice manager reads before signing off."""
    migration = selectors.migration_get_for_user(request.user, pk)
    readiness = selectors.go_live_readiness(migration)
    check_rows = [
        {"area": area, "check": check, "tag": presenters.check_result_tag(check)} for area, check in readiness.checks
    ]
    sign_off = readiness.sign_off
    return render(
        request,
        "checklists/go_live.html",
        {
            "migration": migration,
            "readiness": readiness,
            "check_rows": check_rows,
            "open_issues_phrase": presenters.open_issues_phrase(readiness.open_issues),
            "blockers_callout": presenters.blockers_callout(readiness.blockers),
            "sign_off_summary": {"rows": presenters.sign_off_rows(sign_off)} if sign_off else None,
            "history": selectors.go_live_sign_off_history(migration) if sign_off and sign_off.sequence > 1 else [],
            "can_sign": services.can_sign_off_go_live(request.user, migration.practice),
            "can_work": can_work_checklist(request.user, migration.practice),
        },
    )


def _signed_message(sign_off) -> str:
    return f"{sign_off.signed_by_name} signed off the go-live data on {presenters.timestamp(sign_off.signed_at)}."


@require_http_methods(["GET", "POST"])
def go_live_sign_off(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    if not services.can_sign_off_go_live(request.user, migration.practice):
        raise PermissionDenied("Only a practice manager of this practice can sign off the go-live data.")
    readiness = selectors.go_live_readiness(migration)
    current = readiness.sign_off
    initial = {"statement_version": CURRENT_GO_LIVE_STATEMENT, "current_sign_off": current.pk if current else None}
    # The form asks for a reason if the user was correcting the sign-off they saw, so a stale first
    # sign-off reaches the service and is told who signed, rather than being asked for a reason.
    correcting = bool(request.POST.get("current_sign_off")) if request.method == "POST" else current is not None
    form = GoLiveSignOffForm(request.POST or None, initial=initial, correcting=correcting)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign_off = services.go_live_sign_off(
                user=request.user,
                migration=migration,
                statement_version=data["statement_version"],
                expected_current_id=data["current_sign_off"],
                supersede_reason=data.get("supersede_reason", ""),
            )
        except services.SignOffConflict as error:
            current = error.current
            if current and current.signed_by_id == request.user.pk and not correcting:
                # A double click or a second tab: this user's sign-off is already there.
                messages.info(
                    request, f"You already signed off the go-live data on {presenters.timestamp(current.signed_at)}"
                )
                return redirect("checklists:go_live", pk=migration.pk)
            # Someone else signed first: show their sign-off and start again from it; nothing was saved.
            conflict = _signed_message(current) if current else "The sign-off you were correcting has changed."
            initial["current_sign_off"] = current.pk if current else None
            form = GoLiveSignOffForm(initial=initial, correcting=current is not None)
            status = 409
        except services.SignOffBlocked:
            readiness = selectors.go_live_readiness(migration)
            status = 409
        else:
            messages.success(request, "Go-live data signed off" if sign_off.sequence == 1 else "Sign-off corrected")
            return redirect("checklists:go_live", pk=migration.pk)
    return render(
        request,
        "checklists/go_live_sign_off.html",
        {
            "migration": migration,
            "readiness": readiness,
            "form": form,
            "statement": GO_LIVE_STATEMENTS[CURRENT_GO_LIVE_STATEMENT],
            "statement_version": CURRENT_GO_LIVE_STATEMENT,
            "blockers_callout": presenters.blockers_callout(readiness.blockers),
            "current": current,
            "current_summary": {"rows": presenters.sign_off_rows(current)} if current else None,
            "conflict": conflict,
            "page_has_errors": status == 409,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def supplier_confirmation(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can record this.")
    sign_off = selectors.current_go_live_sign_off(migration)
    if sign_off is None or hasattr(sign_off, "supplier_confirmation"):
        messages.error(request, "There is no sign-off waiting to be confirmed to the supplier.")
        return redirect("checklists:go_live", pk=migration.pk)
    signed_on = timezone.localtime(sign_off.signed_at).date()
    form = SupplierConfirmationForm(request.POST or None, signed_on=signed_on, initial={"told_on": _today()})
    if request.method == "POST" and form.is_valid():
        services.supplier_confirmation_record(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, "Supplier confirmation recorded")
        return redirect("checklists:go_live", pk=migration.pk)
    return render(
        request, "checklists/supplier_confirmation.html", {"migration": migration, "form": form, "sign_off": sign_off}
    )


def data_checks(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    page = Paginator(selectors.data_checks_for_migration(migration), 50).get_page(request.GET.get("page"))
    for check in page:
        check.result_tag = presenters.check_result_tag(check)
    return render(
        request,
        "checklists/data_checks.html",
        {"migration": migration, "page": page, "can_work": can_work_checklist(request.user, migration.practice)},
    )


@require_http_methods(["GET", "POST"])
def data_check_create(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can record data checks.")
    form = DataCheckForm(request.POST or None, initial={"checked_on": _today()})
    if request.method == "POST" and form.is_valid():
        check = services.data_check_record(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, f"Data check recorded: {check}")
        return redirect("checklists:data_checks", pk=migration.pk)
    return render(request, "checklists/data_check_form.html", {"migration": migration, "form": form})


def issues(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    filter_form = IssueFilterForm(request.GET or None)
    filters = selectors.IssueFilters(**filter_form.cleaned_data) if filter_form.is_valid() else None
    page = Paginator(selectors.issues_for_migration(migration, filters), 50).get_page(request.GET.get("page"))
    for issue in page:
        issue.severity_tag = presenters.severity_tag(issue.severity)
        issue.status_tag = presenters.issue_status_tag(issue.status)
    return render(
        request,
        "checklists/issues.html",
        {
            "migration": migration,
            "page": page,
            "filter_form": filter_form,
            "query": urlencode({key: value for key, value in (filter_form.cleaned_data or {}).items() if value})
            if filters
            else "",
            "can_work": can_work_checklist(request.user, migration.practice),
        },
    )


@require_http_methods(["GET", "POST"])
def issue_create(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can raise issues.")
    form = IssueForm(request.POST or None, assignable=practice_members(migration.practice))
    if request.method == "POST" and form.is_valid():
        issue = services.issue_raise(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, f"Issue raised: {issue.title}")
        return redirect("checklists:issues", pk=migration.pk)
    return render(request, "checklists/issue_form.html", {"migration": migration, "form": form, "issue": None})


@require_http_methods(["GET", "POST"])
def issue_edit(request, pk, issue_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    issue = selectors.issue_get_for_user(request.user, migration, issue_pk)
    _require_practice_member(request.user, migration, "Only people at the practice can change issues.")
    fields = ("title", "description", "severity", "owner", "target_date", "supplier_reference", "status")
    initial = {name: getattr(issue, name) for name in fields}
    initial |= {"resolution_note": issue.resolution_note, "version": issue.version}
    assignable = practice_members(migration.practice)
    form = IssueEditForm(request.POST or None, initial=initial, assignable=assignable)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            issue = services.issue_update(user=request.user, issue=issue, expected_version=data.pop("version"), **data)
        except services.IssueConflict as conflict:
            # Keep what the user typed, now against the current version: saving again is a deliberate choice.
            data = request.POST.copy()
            data["version"] = conflict.issue.version
            form = IssueEditForm(data, initial=initial, assignable=assignable)
            form.is_valid()
            form.add_error(
                None,
                f"{conflict.issue.title} was changed by someone else while you were editing it. "
                "Your changes have not been saved: check them and save again.",
            )
            status = 409
        else:
            verb = "resolved" if issue.status == IssueStatus.RESOLVED else "saved"
            messages.success(request, f"Issue {verb}: {issue.title}")
            return redirect("checklists:issues", pk=migration.pk)
    return render(
        request, "checklists/issue_form.html", {"migration": migration, "form": form, "issue": issue}, status=status
    )


@require_http_methods(["GET", "POST"])
def process_review(request, pk):
    """The supplier's process-review report: what GoLive knows for each item, and the supplier's references."""
    migration = selectors.migration_get_for_user(request.user, pk)
    can_work = can_work_checklist(request.user, migration.practice)
    if request.method == "POST" and not can_work:
        raise PermissionDenied("Only people at the practice can record the supplier's references.")
    references = selectors.process_review_references(migration)
    form = ProcessReviewForm(request.POST or None, initial={item: ref.reference for item, ref in references.items()})
    if request.method == "POST" and form.is_valid():
        changed = services.process_review_references_save(
            user=request.user, migration=migration, references=form.cleaned_data
        )
        messages.success(request, f"Supplier's references saved ({changed} changed)")
        return redirect("checklists:process_review", pk=migration.pk)
    rows = presenters.process_review_rows(
        migration=migration,
        facts=selectors.process_review_facts(migration),
        references=references,
        today=_today(),
    )
    return render(
        request,
        "checklists/process_review.html",
        {"migration": migration, "rows": rows, "form": form, "can_work": can_work},
    )


# Third-party links: the tracker, its setup, and one short form per move.


def _require_link_worker(request, migration):
    if not can_work_checklist(request.user, migration.practice):
        raise PermissionDenied("Only people at the practice can change its third-party links.")


def _link_conflict_message(link) -> str:
    who = link.updated_by or "someone else"
    return f"{who} changed {link.service} while you were looking at it. Check its status and try again."


def links(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    today = _today()
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
        "checklists/links.html",
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
    migration = selectors.migration_get_for_user(request.user, pk)
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
            return redirect("checklists:links", pk=migration.pk)
    return render(
        request,
        "checklists/links_setup.html",
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
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    form = LocalServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.local_service_add(user=request.user, migration=migration, **form.cleaned_data)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service} added to the reconnection tracker")
            return redirect("checklists:links", pk=migration.pk)
    return render(
        request,
        "checklists/links_form_page.html",
        {"migration": migration, "form": form, "heading": "Add a local service", "button": "Add service"},
    )


def link_detail(request, pk, link_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    link = selectors.link_get_for_user(request.user, migration, link_pk)
    row = selectors.link_row(link, migration, _today())
    return render(
        request,
        "checklists/link_detail.html",
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
    migration = selectors.migration_get_for_user(request.user, pk)
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
                today=_today(),
                **values,
            )
        except services.LinkConflict as conflict:
            messages.error(request, _link_conflict_message(conflict.link))
            return redirect("checklists:link", pk=migration.pk, link_pk=link.pk)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service}: {link.get_status_display().lower()}")
            return redirect(reverse("checklists:links", args=[migration.pk]) + f"#link-{link.pk}")
    return render(
        request,
        "checklists/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": heading, "button": "Save"},
    )


@require_http_methods(["GET", "POST"])
def link_move_back(request, pk, link_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
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
            return redirect("checklists:link", pk=migration.pk, link_pk=link.pk)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{link.service} moved back to {link.get_status_display().lower()}")
            return redirect("checklists:link", pk=migration.pk, link_pk=link.pk)
    return render(
        request,
        "checklists/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": "Move back a stage", "button": "Move back"},
    )


@require_http_methods(["GET", "POST"])
def link_reconfiguration(request, pk, link_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
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
        return redirect("checklists:link", pk=migration.pk, link_pk=link.pk)
    return render(
        request,
        "checklists/link_form.html",
        {"migration": migration, "link": link, "form": form, "heading": "Reconfiguration", "button": "Save"},
    )


@require_http_methods(["GET", "POST"])
def mesh_change(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    change = selectors.mesh_change_for(migration)
    initial = {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox} if change else {}
    form = MeshChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.mesh_change_save(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, "MESH mailboxes saved")
        return redirect(reverse("checklists:links", args=[migration.pk]) + "#mesh")
    return render(
        request,
        "checklists/links_form_page.html",
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
    migration = selectors.migration_get_for_user(request.user, pk)
    _require_link_worker(request, migration)
    form = MeshPartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.mesh_partner_add(user=request.user, migration=migration, **form.cleaned_data)
        except services.LinkMoveRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{notice.partner_name} added to the partners to tell")
            return redirect(reverse("checklists:links", args=[migration.pk]) + "#mesh")
    return render(
        request,
        "checklists/links_form_page.html",
        {"migration": migration, "form": form, "heading": "Add a partner service to tell", "button": "Add partner"},
    )


@require_POST
def mesh_partner_told(request, pk, notice_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    notice = selectors.mesh_partner_get_for_user(request.user, migration, notice_pk)
    form = MeshPartnerToldForm(request.POST)
    if form.is_valid():
        told = form.cleaned_data["told"]
        today = _today()
        services.mesh_partner_mark_told(
            user=request.user, notice=notice, migration=migration, told_on=today if told else None, today=today
        )
        messages.success(request, f"{notice.partner_name} marked as {'told' if told else 'not told'}")
    else:
        messages.error(request, "That change could not be saved. Try again.")
    return redirect(reverse("checklists:links", args=[migration.pk]) + "#mesh")


@require_http_methods(["GET", "POST"])
def cutover_registrations(request, pk):
    """Patients who joined while registrations were paused: how many wait, how many are done. Counts only."""
    migration = selectors.migration_get_for_user(request.user, pk)
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
            return redirect(reverse("checklists:links", args=[migration.pk]) + "#registrations")
    return render(
        request,
        "checklists/links_form_page.html",
        {
            "migration": migration,
            "form": form,
            "heading": "Registrations from cutover",
            "intro": "Patients who asked to join while registrations were paused. Counts only: no patient details.",
            "button": "Save counts",
        },
    )
