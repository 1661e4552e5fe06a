"""Migrations and their checklist: list, create, withdraw, migration page, steps, phases, key dates, history."""

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

from golive.core.panels import links_for, panels_for
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
    ChecklistFilterForm,
    JoiningPartWayForm,
    KeyDatesForm,
    MigrationCreateForm,
    StepForm,
    StepTickForm,
    WithdrawForm,
)
from .models import Anchor, Phase, StepStatus

# Names other apps register their parts under (golive/core/panels.py).
MIGRATION_PAGE = "migration"
MIGRATION_CREATED = "migration_created"
STEP_RETURNS_TO = "step_returns_to"


def home(request):
    today = timezone.localdate()
    migrations = selectors.migration_list_for_user(request.user, today)
    page = Paginator(migrations, 50).get_page(request.GET.get("page"))
    for migration in page:
        migration.stage_tag = presenters.stage_tag(migration.stage)
    return render(
        request,
        "checklists/home.html",
        {
            "page": page,
            "can_create": practices_user_can_manage(request.user).accepting_new_migrations().exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def migration_create(request):
    """Create a migration. When its dates are already past, a second page asks what the practice did before
    GoLive and whether it has gone live (no JavaScript: the first page's answers are carried in the form)."""
    # Closed, dormant and proposed practices stay for history but start no migration.
    practices = practices_user_can_manage(request.user).accepting_new_migrations().select_related("icb")
    if not practices.exists():
        raise PermissionDenied("Only practice managers and commissioners can create migrations.")
    form = MigrationCreateForm(
        request.POST or None,
        practices=practices,
        initial=MigrationCreateForm.initial_for(_practice_to_prefill(request, practices)),
    )
    if request.method != "POST" or "change" in request.POST or not form.is_valid():
        return render(request, "checklists/migration_create.html", {"form": form})
    data = form.cleaned_data
    joining = _joining_form(request, data)
    already_open = selectors.open_migration_for(data["practice"])
    if joining is not None and already_open is None and not ("confirm" in request.POST and joining.is_valid()):
        return render(
            request,
            "checklists/migration_create_joining.html",
            {
                "form": joining,
                "practice": data["practice"],
                "carried": _carried(request, joining),
                "confirm_attributes": {"name": "confirm", "value": "1"},
                "change_attributes": {"name": "change", "value": "1"},
            },
        )
    try:
        migration = services.migration_create(user=request.user, **data, **_joining_answers(joining))
    except services.OpenMigrationExists as refused:
        if refused.is_repeat:
            messages.info(request, "This migration was already created")
            return redirect("checklists:migration", pk=refused.existing.pk)
        form.add_error("practice", presenters.open_migration_error(refused.existing))
        return render(
            request,
            "checklists/migration_create.html",
            {"form": form, "existing": presenters.open_migration_inset(refused.existing)},
        )
    messages.success(request, presenters.created_message(migration))
    next_pages = links_for(MIGRATION_CREATED)
    if next_pages and can_work_checklist(request.user, migration.practice):
        # Offer the practice the next set-up page (reconnections: the tracker) while the list is fresh.
        return redirect(next_pages[0].url(migration.pk))
    return redirect("checklists:migration", pk=migration.pk)


def _joining_form(request, data: dict) -> JoiningPartWayForm | None:
    """The second question when some of the migration's dates are past; None when nothing is."""
    today = timezone.localdate()
    anchors = {
        Anchor.IDP: data["idp_date"],
        Anchor.FDP: data["fdp_date"],
        Anchor.GO_LIVE: data["go_live_date"],
        Anchor.READ_ONLY_END: data["go_live_date"] + datetime.timedelta(days=data["read_only_window_days"]),
    }
    phases = services.migration_phases_past(anchors=anchors, today=today)
    go_live_passed = data["go_live_date"] < today
    if not phases and not go_live_passed:
        return None
    return JoiningPartWayForm(
        request.POST if "confirm" in request.POST else None,
        phases=phases,
        go_live_passed=go_live_passed,
        fdp_date=data["fdp_date"],
        today=today,
    )


def _joining_answers(joining: JoiningPartWayForm | None) -> dict:
    if joining is None or not joining.is_bound or not joining.is_valid():
        return {}
    return {
        "phases_done_before_golive": joining.cleaned_data.get("phases_done", []),
        "went_live_on": joining.cleaned_data.get("went_live_on"),
    }


def _carried(request, joining: JoiningPartWayForm) -> list[tuple[str, str]]:
    """The first page's answers, carried unchanged through the second page's form."""
    own = {name for field in joining.fields for name in (field, f"{field}_day", f"{field}_month", f"{field}_year")}
    skip = own | {"csrfmiddlewaretoken", "confirm", "change"}
    return [(name, value) for name, values in request.POST.lists() if name not in skip for value in values]


def _practice_to_prefill(request, practices):
    """The practice the form starts with: `?practice=<id>` when it is one of the user's, or their only one."""
    chosen = request.GET.get("practice", "")
    if chosen.isdigit():
        return practices.select_related(None).filter(pk=int(chosen)).first()
    only = list(practices.select_related(None)[:2])
    return only[0] if len(only) == 1 else None


def migration_detail(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "checklists/migration_detail.html",
        {
            "migration": migration,
            "stage_tag": presenters.stage_tag(migration.stage_on(today)),
            "key_dates_summary": {"rows": presenters.key_dates_rows(migration)},
            "countdown": presenters.countdown(migration, today),
            "withdrawal": presenters.withdrawal_rows(migration),
            "progress": selectors.migration_progress(migration, today),
            "can_manage": migration.is_open and can_manage_migration(request.user, migration.practice),
            # Go-live records, reconnections and reminders add their parts (golive/core/panels.py).
            "panels": panels_for(MIGRATION_PAGE, request, migration),
        },
    )


def checklist(request, pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    today = timezone.localdate()
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
            step.can_update = not migration.is_withdrawn and step_updatable(roles, step.role)
            step.who = presenters.step_who(step, migration)
    can_close_phases = not migration.is_withdrawn and services.can_mark_phase_done(request.user, migration.practice)
    for group in groups:
        group.close_url = (
            reverse("checklists:phase_done", args=[migration.pk, group.phase])
            if can_close_phases and group.closed < group.total
            else ""
        )
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
    for link in links_for(STEP_RETURNS_TO):
        if came_from.startswith(link.url(migration.pk)):
            return came_from, link.text
    back = came_from if came_from.startswith(checklist_url) else checklist_url
    return f"{back}#step-{step.pk}", "Back to the checklist"


@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    migration = selectors.migration_get_for_user(request.user, pk)
    step = selectors.step_get_for_user(request.user, migration, step_pk)
    can_work = not migration.is_withdrawn and can_update_step(request.user, migration.practice, step.role)
    if request.method == "POST" and not can_work:
        if migration.is_withdrawn:
            raise services.MigrationWithdrawn(migration)
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
    today = timezone.localdate()
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
            "who": presenters.step_who(step, migration),
            "completion_text": presenters.step_completion_text(step),
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
    if migration.is_withdrawn:
        raise services.MigrationWithdrawn(migration)
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
            moves = services.migration_preview_key_dates(
                migration=migration, today=timezone.localdate(), **_dates(data)
            )
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


@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """Withdraw a migration: a reason, a warning that it cannot be undone, then the migration page."""
    migration = selectors.migration_get_for_user(request.user, pk)
    if not can_manage_migration(request.user, migration.practice):
        raise PermissionDenied("Only the practice manager or the ICB's commissioners can withdraw a migration.")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.migration_withdraw(user=request.user, migration=migration, reason=form.cleaned_data["reason"])
        except services.WithdrawalRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Migration withdrawn. Nothing in it can be changed now.")
            return redirect("checklists:migration", pk=migration.pk)
    return render(
        request,
        "checklists/withdraw.html",
        {"migration": migration, "form": form, "refusal": presenters.withdrawal_refusal(migration)},
    )


@require_http_methods(["GET", "POST"])
def phase_done(request, pk, phase):
    """Mark a whole phase done: a preview of the steps it will close, then a confirm. Practice managers only."""
    migration = selectors.migration_get_for_user(request.user, pk)
    if phase not in Phase.values:
        raise Http404("No such phase")
    if not services.can_mark_phase_done(request.user, migration.practice):
        raise PermissionDenied("Only the practice manager can mark a whole phase as done.")
    if migration.is_withdrawn:
        raise services.MigrationWithdrawn(migration)
    if request.method == "POST":
        seen = [int(value) for value in request.POST.getlist("step") if value.isdigit()]
        closed = services.phase_mark_done(user=request.user, migration=migration, phase=phase, step_ids=seen)
        messages.success(request, f"{Phase(phase).label}: {closed} step{pluralize(closed)} marked as done")
        return redirect(reverse("checklists:checklist", args=[migration.pk]) + f"#phase-{phase}")
    steps = list(services.phase_steps_to_close(migration, phase).order_by("order"))
    kept_open = presenters.record_steps_inset(selectors.phase_record_steps(migration, phase))
    return render(
        request,
        "checklists/phase_done.html",
        {"migration": migration, "phase": Phase(phase), "steps": steps, "kept_open": kept_open},
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
