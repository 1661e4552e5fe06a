"""Thin views: a person's tasks across their practices, and which reminders they receive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from checklists import presenters

from . import selectors, services
from .forms import PreferencesForm
from .kinds import OPTIONAL_KINDS, RULES, Kind

# The "To chase" list is shown whole on the first page, up to this many steps (a practice manager of one practice
# chases at most the 44 supplier and delivery-partner steps of its open migration).
CHASE_LIST_LIMIT = 100


def my_tasks(request):
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.user, today)
    page = Paginator(tasks.to_do, 50).get_page(request.GET.get("page"))
    for step in page:
        step.status_tag = presenters.step_status_tag(step, today)
    to_chase = list(tasks.to_chase[: CHASE_LIST_LIMIT + 1]) if page.number == 1 else []
    for step in to_chase:
        step.status_tag = presenters.step_status_tag(step, today)
        step.who = presenters.step_who(step, step.migration)
    return render(
        request,
        "reminders/my_tasks.html",
        {
            "page": page,
            "to_chase": to_chase[:CHASE_LIST_LIMIT],
            "more_to_chase": len(to_chase) > CHASE_LIST_LIMIT,
        },
    )


@require_http_methods(["GET", "POST"])
def preferences(request):
    # Offer only the kinds this person can receive: a receptionist is not asked about commissioners' digests.
    receivable = selectors.reminder_kinds_for(request.user)
    offered = [kind for kind in OPTIONAL_KINDS if kind in receivable]
    switched_off = set(request.user.reminder_opt_outs.values_list("kind", flat=True))
    initial = {"kinds": [kind for kind in offered if kind not in switched_off]}
    # Unticking every box posts no "kinds" at all: bind on POST even when the data is empty.
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial, kinds=offered)
    if request.method == "POST" and offered and form.is_valid():
        services.reminder_preferences_update(
            user=request.user, actor=request.user, kinds_wanted=form.cleaned_data["kinds"], kinds_offered=offered
        )
        messages.success(request, "Your reminder choices are saved")
        return redirect("reminders:preferences")
    mandatory = [Kind(kind).label for kind in receivable if RULES[kind].mandatory]
    return render(request, "reminders/preferences.html", {"form": form, "mandatory": mandatory, "offered": offered})
