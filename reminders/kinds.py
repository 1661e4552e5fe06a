"""Every reminder kind, who receives it and on which days: the one place to change reminder timing."""

from dataclasses import dataclass

from django.db import models

from practices.models import Role


class Kind(models.TextChoices):
    READ_ONLY_WINDOW = "read_only_window", "The old system's read-only window is ending"
    FDP_WEEK = "fdp_week", "Final data production is next week"
    GO_LIVE_WEEK = "go_live_week", "Go-live is next week"
    DAILY_DIGEST = "daily_digest", "Your overdue steps and steps due this week (daily)"
    SIGN_OFF_OPEN = "sign_off_open", "Go-live data not yet signed off"
    LINKS_OPEN = "links_open", "Third-party links not yet reconnected or verified"
    COMMISSIONER_WEEKLY = "commissioner_weekly", "Your ICB's migrations this week (weekly, commissioners)"


@dataclass(frozen=True)
class KindRule:
    roles: frozenset[str]
    # Days relative to the kind's anchor date on which the reminder is due (negative: before it).
    offsets: tuple[int, ...] = ()
    # People cannot switch these off: once the window ends, whatever was not exported is gone.
    mandatory: bool = False


MANAGERS = frozenset({Role.PRACTICE_MANAGER})
MANAGERS_AND_LEADS = frozenset({Role.PRACTICE_MANAGER, Role.CLINICAL_LEAD})
PRACTICE_PEOPLE = frozenset({Role.PRACTICE_MANAGER, Role.PRACTICE_STAFF, Role.CLINICAL_LEAD})

RULES: dict[str, KindRule] = {
    # Days before Migration.read_only_ends_on, and the day it ends.
    Kind.READ_ONLY_WINDOW: KindRule(MANAGERS_AND_LEADS, offsets=(-30, -14, -7, -1, 0), mandatory=True),
    # A week before Migration.fdp_date: confirm the date with the new supplier, tell third parties to switch off.
    Kind.FDP_WEEK: KindRule(MANAGERS, offsets=(-7,)),
    # A week before Migration.go_live_date: confirm go-live with the new supplier.
    Kind.GO_LIVE_WEEK: KindRule(MANAGERS, offsets=(-7,)),
    # Every day, one email per person, only when they have overdue or due-this-week steps.
    Kind.DAILY_DIGEST: KindRule(PRACTICE_PEOPLE),
    # Days after Migration.go_live_date while nobody has recorded the go-live sign-off (GoLiveSignOff).
    Kind.SIGN_OFF_OPEN: KindRule(MANAGERS_AND_LEADS, offsets=(1, 2, 3, 5, 7, 14, 21, 28)),
    # Days after Migration.go_live_date while any third-party link is not back on and verified.
    Kind.LINKS_OPEN: KindRule(MANAGERS, offsets=(1, 3, 7, 14, 21, 28)),
    # One email per commissioner on WEEKLY_DIGEST_WEEKDAY, when their ICB has something to report.
    Kind.COMMISSIONER_WEEKLY: KindRule(frozenset({Role.COMMISSIONER})),
}

OPTIONAL_KINDS = [kind for kind, rule in RULES.items() if not rule.mandatory]

WEEKLY_DIGEST_WEEKDAY = 0  # Monday
DUE_SOON_DAYS = 7  # "due this week" in the daily digest
WINDOW_ENDING_DAYS = 14  # the weekly digest lists read-only windows ending within this many days
