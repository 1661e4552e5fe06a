"""What each reminder says: subject, link to act on, and the context for its HTML and plain-text templates."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format

from checklists.presenters import step_who
from go_live.models import GoLiveSignOff

from . import selectors
from .kinds import Kind


@dataclass
class Email:
    subject: str
    action_url: str
    context: dict


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _long(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _checklist(migration, phase: str) -> str:
    return _absolute(reverse("checklists:checklist", args=[migration.pk]) + f"?phase={phase}")


def _due_this_week(steps: list) -> str:
    if not steps:
        return ""
    return f"{len(steps)} step{'s' if len(steps) != 1 else ''} due this week"


def compose(reminder) -> Email | None:
    """The email for a reminder, or None when there is nothing left to say (the reminder is then skipped)."""
    migration, user, today = reminder.migration, reminder.recipient, reminder.for_date
    if migration is not None and not migration.is_open:
        return None
    if reminder.kind == Kind.READ_ONLY_WINDOW:
        days_left = (migration.read_only_ends_on - today).days
        when = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        return Email(
            subject=f"{migration.practice.name}: the old system's read-only window ends {when}",
            action_url=_checklist(migration, "post_go_live"),
            context={"days_left": days_left, "when": when, "ends_on": _long(migration.read_only_ends_on)},
        )
    if reminder.kind == Kind.FDP_WEEK:
        return Email(
            subject=f"{migration.practice.name}: final data production is on {_long(migration.fdp_date)}",
            action_url=_checklist(migration, "cutover_planning"),
            context={"fdp_date": _long(migration.fdp_date)},
        )
    if reminder.kind == Kind.GO_LIVE_WEEK:
        return Email(
            subject=f"{migration.practice.name}: go-live is on {_long(migration.go_live_date)}",
            action_url=_checklist(migration, "go_live"),
            context={"go_live_date": _long(migration.go_live_date)},
        )
    if reminder.kind == Kind.SIGN_OFF_OPEN:
        if migration.went_live_on or GoLiveSignOff.objects.filter(migration=migration).exists():
            return None
        return Email(
            subject=f"{migration.practice.name}: the go-live data is not signed off yet",
            action_url=_absolute(reverse("go_live:go_live", args=[migration.pk])),
            context={"go_live_date": _long(migration.go_live_date)},
        )
    if reminder.kind == Kind.LINKS_OPEN:
        links = list(selectors.links_not_back(migration).select_related("service").order_by("service__name"))
        if not links:
            return None
        return Email(
            subject=f"{migration.practice.name}: {len(links)} third-party link{'s' if len(links) != 1 else ''}"
            " not yet back on and verified",
            action_url=_absolute(reverse("reconnections:links", args=[migration.pk])),
            context={"links": links},
        )
    if reminder.kind == Kind.DAILY_DIGEST:
        digest = selectors.daily_digest(user, today)
        if not digest:
            return None
        for step in digest.to_chase:
            step.who = step_who(step, step.migration)
        counts = [
            f"{len(digest.overdue)} overdue" if digest.overdue else "",
            _due_this_week(digest.due_soon),
            f"{len(digest.to_chase)} to chase" if digest.to_chase else "",
        ]
        return Email(
            subject="Your GoLive steps: " + ", ".join(count for count in counts if count),
            action_url=_absolute(reverse("reminders:my_tasks")),
            context={"digest": digest, "today": today},
        )
    if reminder.kind == Kind.COMMISSIONER_WEEKLY:
        week = selectors.commissioner_week(user, today)
        if not week:
            return None
        return Email(
            subject=f"GoLive: your ICB's migrations for the week of {_long(today)}",
            action_url=_absolute(reverse("home")),
            context={"week": week},
        )
    raise ValueError(f"No email for reminder kind {reminder.kind!r}")


def message_id(reminder) -> str:
    """Deterministic, so a resent reminder can be recognised as the same message by the recipient's system."""
    domain = urlsplit(settings.SITE_URL).hostname or "golive.example"
    return f"<reminder-{reminder.pk}@{domain}>"


def build_message(reminder, email: Email, to: str) -> EmailMultiAlternatives:
    preferences_url = _absolute(reverse("reminders:preferences"))
    context = {
        **email.context,
        "reminder": reminder,
        "migration": reminder.migration,
        "recipient": reminder.recipient,
        "action_url": email.action_url,
        "preferences_url": preferences_url,
        "subject": email.subject,
    }
    template = f"emails/reminders/{reminder.kind}"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers={"Message-ID": message_id(reminder), "List-Unsubscribe": f"<{preferences_url}>"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
