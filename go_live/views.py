"""Go-live day: readiness, sign-off, supplier confirmation, data checks, issue log, process review."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import require_recent_second_factor
from checklists.selectors import migration_get_for_user
from golive.core.panels import panels_for
from practices.selectors import can_work_checklist, practice_members

from . import presenters, selectors, services
from .forms import (
    DataCheckForm,
    GoLiveSignOffForm,
    IssueEditForm,
    IssueFilterForm,
    IssueForm,
    ProcessReviewForm,
    SupplierConfirmationForm,
)
from .models import CURRENT_GO_LIVE_STATEMENT, GO_LIVE_STATEMENTS, IssueStatus

# Reconnections adds its part of the readiness page under this name (golive/core/panels.py).
READINESS_PAGE = "go_live_readiness"


def _require_practice_member(user, migration, message: str) -> None:
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied(message)


def go_live(request, pk):
    """The go-live readiness page: what a practice manager reads before signing off."""
    migration = migration_get_for_user(request.user, pk)
    readiness = selectors.go_live_readiness(migration)
    check_rows = [
        {"area": area, "check": check, "tag": presenters.check_result_tag(check)} for area, check in readiness.checks
    ]
    sign_off = readiness.sign_off
    return render(
        request,
        "go_live/go_live.html",
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
            "panels": panels_for(READINESS_PAGE, request, migration),
        },
    )


def _signed_message(sign_off) -> str:
    return f"{sign_off.signed_by_name} signed off the go-live data on {presenters.timestamp(sign_off.signed_at)}."


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(minutes=15)  # a sign-off (or its correction) asks for a fresh code (issue 13)
def go_live_sign_off(request, pk):
    migration = migration_get_for_user(request.user, pk)
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
                return redirect("go_live:go_live", pk=migration.pk)
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
            return redirect("go_live:go_live", pk=migration.pk)
    return render(
        request,
        "go_live/go_live_sign_off.html",
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
    migration = migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can record this.")
    sign_off = selectors.current_go_live_sign_off(migration)
    if sign_off is None or hasattr(sign_off, "supplier_confirmation"):
        messages.error(request, "There is no sign-off waiting to be confirmed to the supplier.")
        return redirect("go_live:go_live", pk=migration.pk)
    signed_on = timezone.localtime(sign_off.signed_at).date()
    form = SupplierConfirmationForm(
        request.POST or None, signed_on=signed_on, initial={"told_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        services.supplier_confirmation_record(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, "Supplier confirmation recorded")
        return redirect("go_live:go_live", pk=migration.pk)
    return render(
        request, "go_live/supplier_confirmation.html", {"migration": migration, "form": form, "sign_off": sign_off}
    )


def data_checks(request, pk):
    migration = migration_get_for_user(request.user, pk)
    page = Paginator(selectors.data_checks_for_migration(migration), 50).get_page(request.GET.get("page"))
    for check in page:
        check.result_tag = presenters.check_result_tag(check)
    return render(
        request,
        "go_live/data_checks.html",
        {"migration": migration, "page": page, "can_work": can_work_checklist(request.user, migration.practice)},
    )


@require_http_methods(["GET", "POST"])
def data_check_create(request, pk):
    migration = migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can record data checks.")
    form = DataCheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        check = services.data_check_record(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, f"Data check recorded: {check}")
        return redirect("go_live:data_checks", pk=migration.pk)
    return render(request, "go_live/data_check_form.html", {"migration": migration, "form": form})


def issues(request, pk):
    migration = migration_get_for_user(request.user, pk)
    filter_form = IssueFilterForm(request.GET or None)
    filters = selectors.IssueFilters(**filter_form.cleaned_data) if filter_form.is_valid() else None
    page = Paginator(selectors.issues_for_migration(migration, filters), 50).get_page(request.GET.get("page"))
    for issue in page:
        issue.severity_tag = presenters.severity_tag(issue.severity)
        issue.status_tag = presenters.issue_status_tag(issue.status)
    return render(
        request,
        "go_live/issues.html",
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
    migration = migration_get_for_user(request.user, pk)
    _require_practice_member(request.user, migration, "Only people at the practice can raise issues.")
    form = IssueForm(request.POST or None, assignable=practice_members(migration.practice))
    if request.method == "POST" and form.is_valid():
        issue = services.issue_raise(user=request.user, migration=migration, **form.cleaned_data)
        messages.success(request, f"Issue raised: {issue.title}")
        return redirect("go_live:issues", pk=migration.pk)
    return render(request, "go_live/issue_form.html", {"migration": migration, "form": form, "issue": None})


@require_http_methods(["GET", "POST"])
def issue_edit(request, pk, issue_pk):
    migration = migration_get_for_user(request.user, pk)
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
            return redirect("go_live:issues", pk=migration.pk)
    return render(
        request, "go_live/issue_form.html", {"migration": migration, "form": form, "issue": issue}, status=status
    )


@require_http_methods(["GET", "POST"])
def process_review(request, pk):
    """The supplier's process-review report: what GoLive knows for each item, and the supplier's references."""
    migration = migration_get_for_user(request.user, pk)
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
        return redirect("go_live:process_review", pk=migration.pk)
    rows = presenters.process_review_rows(
        migration=migration,
        facts=selectors.process_review_facts(migration),
        references=references,
        today=timezone.localdate(),
    )
    return render(
        request,
        "go_live/process_review.html",
        {"migration": migration, "rows": rows, "form": form, "can_work": can_work},
    )
