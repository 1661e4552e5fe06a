"""Reads for reminders: which reminders are due on a local date, what a digest says, and a person's tasks."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from checklists.models import CHASED_BY, OPEN_MIGRATION, Migration, Step, StepStatus, roles_chased_by
from checklists.selectors import migrations_visible_to
from go_live.models import GoLiveSignOff
from practices.models import Membership, Role, User
from practices.selectors import practices_visible_to
from reconnections.models import ThirdPartyLink
from reconnections.selectors import NOT_YET_VERIFIED

from .kinds import (
    DUE_SOON_DAYS,
    RULES,
    WEEKLY_DIGEST_WEEKDAY,
    WINDOW_ENDING_DAYS,
    Kind,
)
from .models import Reminder, ReminderOptOut

# The migration date each dated kind counts its offsets from.
ANCHOR_FIELDS = {
    Kind.READ_ONLY_WINDOW: "read_only_ends_on",
    Kind.FDP_WEEK: "fdp_date",
    Kind.GO_LIVE_WEEK: "go_live_date",
    Kind.SIGN_OFF_OPEN: "go_live_date",
    Kind.LINKS_OPEN: "go_live_date",
}


def links_not_back(migration) -> QuerySet[ThirdPartyLink]:
    return ThirdPartyLink.objects.filter(migration=migration, status__in=NOT_YET_VERIFIED)


def _days(today: datetime.date, offsets) -> list[datetime.date]:
    """The anchor dates that make a reminder due today: an offset of -7 means the anchor is 7 days away."""
    return [today - datetime.timedelta(days=offset) for offset in offsets]


def _not_opted_out(kind: str, user_field: str = "user"):
    if RULES[kind].mandatory:
        return Q()
    return ~Exists(ReminderOptOut.objects.filter(user=OuterRef(user_field), kind=kind))


def _dated_pairs(kind: str, today: datetime.date) -> QuerySet:
    """(migration id, user id) for every recipient of a kind anchored on a migration date."""
    rule = RULES[kind]
    migrations = Migration.objects.open().filter(**{f"{ANCHOR_FIELDS[kind]}__in": _days(today, rule.offsets)})
    if kind == Kind.READ_ONLY_WINDOW:
        migrations = migrations.filter(go_live_date__lte=today)  # the window runs from go-live
    if kind == Kind.GO_LIVE_WEEK:
        migrations = migrations.filter(went_live_on__isnull=True)
    if kind == Kind.SIGN_OFF_OPEN:
        migrations = migrations.filter(went_live_on__isnull=True).exclude(
            Exists(GoLiveSignOff.objects.filter(migration=OuterRef("pk")))
        )
    if kind == Kind.LINKS_OPEN:
        migrations = migrations.filter(Exists(links_not_back(OuterRef("pk"))))
    return (
        Membership.objects.filter(
            _not_opted_out(kind, "user_id"),
            role__in=rule.roles,
            user__is_active=True,
            practice__migrations__in=migrations,
        )
        .values_list("practice__migrations__id", "user_id")
        .distinct()
    )


@dataclass
class StepScope:
    """Which open steps are a person's: `mine` to do (assigned to them, or unassigned for a role they hold), and
    `to_chase` (unassigned steps of roles nobody on GoLive holds, which their role chases: CHASED_BY)."""

    mine: Q
    to_chase: Q
    migration_ids: list[int]

    def steps(self, which: Q) -> QuerySet[Step]:
        return Step.objects.filter(which, migration_id__in=self.migration_ids, status=StepStatus.TODO)


def step_scope_for(user) -> StepScope:
    """The user's open steps across their open migrations, as filters for the step query.

    Commissioners hold their role at every practice of their ICBs or places. Two small queries (the user's roles,
    then the open migrations that could hold their steps) so the step query is a lookup on the (migration, status,
    due date) index, not a test of every open step in the country.
    """
    roles_at: dict[int, set[str]] = {}
    commissioned_icbs, commissioned_places = set(), set()
    memberships = Membership.objects.filter(user=user).values_list(
        "practice_id", "icb_id", "sub_icb_location_id", "role"
    )
    for practice_id, icb_id, place_id, role in memberships:
        if role == Role.COMMISSIONER:
            # A commissioner looks after a whole ICB or one sub-ICB location ("place") in it.
            if place_id:
                commissioned_places.add(place_id)
            else:
                commissioned_icbs.add(icb_id)
        else:
            roles_at.setdefault(practice_id, set()).add(role)
    candidates = (
        Migration.objects.open()
        .filter(
            Q(practice_id__in=roles_at)
            | Q(practice__icb_id__in=commissioned_icbs)
            | Q(practice__sub_icb_location_id__in=commissioned_places)
            | Q(pk__in=Step.objects.filter(assignee=user, status=StepStatus.TODO).values("migration_id")),
            practice__in=practices_visible_to(user),
        )
        .values_list("pk", "practice_id", "practice__icb_id", "practice__sub_icb_location_id")
    )
    migrations_by_roles: dict[frozenset, list[int]] = {}
    for migration_id, practice_id, icb_id, place_id in candidates:
        commissioner = icb_id in commissioned_icbs or place_id in commissioned_places
        roles = roles_at.get(practice_id, set()) | ({Role.COMMISSIONER} if commissioner else set())
        migrations_by_roles.setdefault(frozenset(roles), []).append(migration_id)
    mine, to_chase = Q(assignee=user), Q(pk__in=[])
    for roles, migration_ids in migrations_by_roles.items():
        if roles:
            mine |= Q(migration_id__in=migration_ids, role__in=roles, assignee__isnull=True)
        chased = roles_chased_by(set(roles))
        if chased:
            to_chase |= Q(migration_id__in=migration_ids, role__in=chased, assignee__isnull=True)
    all_ids = [migration_id for ids in migrations_by_roles.values() for migration_id in ids]
    return StepScope(mine=mine, to_chase=to_chase, migration_ids=all_ids)


def _steps_due_by(today: datetime.date) -> Q:
    return Q(status=StepStatus.TODO, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))


def _digest_user_ids(today: datetime.date) -> QuerySet:
    """People with at least one overdue or due-this-week step, by assignment or by role."""
    open_soon = Step.objects.filter(
        _steps_due_by(today), migration__completed_on__isnull=True, migration__withdrawn_at__isnull=True
    )
    by_role = Membership.objects.filter(
        Exists(
            open_soon.filter(migration__practice=OuterRef("practice"), role=OuterRef("role"), assignee__isnull=True)
        ),
        role__in=RULES[Kind.DAILY_DIGEST].roles,
    ).values("user_id")
    # Practice managers chase supplier and delivery-partner steps until those people use GoLive (CHASED_BY).
    chasing = Q(pk__in=[])
    for chaser in set(CHASED_BY.values()) & RULES[Kind.DAILY_DIGEST].roles:
        chased = roles_chased_by({chaser})
        chasing |= Q(
            Exists(open_soon.filter(migration__practice=OuterRef("practice"), role__in=chased, assignee__isnull=True)),
            role=chaser,
        )
    by_chasing = Membership.objects.filter(chasing).values("user_id")
    return (
        User.objects.filter(
            Q(pk__in=open_soon.values("assignee_id")) | Q(pk__in=by_role) | Q(pk__in=by_chasing), is_active=True
        )
        .filter(_not_opted_out(Kind.DAILY_DIGEST, "pk"))
        .values_list("pk", flat=True)
    )


def _critical_overdue(today: datetime.date) -> QuerySet[Step]:
    return Step.objects.filter(critical=True, status=StepStatus.TODO, due_date__lt=today)


def _portfolio_for_icb(today: datetime.date) -> Q:
    """Migrations a commissioner's weekly digest reports on (see commissioner_week)."""
    fortnight = today + datetime.timedelta(days=13)
    window_end = today + datetime.timedelta(days=WINDOW_ENDING_DAYS)
    return OPEN_MIGRATION & (
        Q(go_live_date__range=(today, fortnight))
        | Q(read_only_ends_on__range=(today, window_end), go_live_date__lte=today)
        | Q(
            Exists(
                Step.objects.filter(migration=OuterRef("pk"), critical=True, status=StepStatus.TODO, due_date__lt=today)
            )
        )
    )


def _commissioner_ids(today: datetime.date) -> QuerySet:
    if today.weekday() != WEEKLY_DIGEST_WEEKDAY:
        return Membership.objects.none().values_list("user_id", flat=True)
    # A membership names an ICB or a place; the other is NULL and matches nothing.
    reportable = Migration.objects.filter(_portfolio_for_icb(today)).filter(
        Q(practice__icb=OuterRef("icb")) | Q(practice__sub_icb_location=OuterRef("sub_icb_location"))
    )
    return (
        Membership.objects.filter(
            Exists(reportable), _not_opted_out(Kind.COMMISSIONER_WEEKLY, "user_id"), role=Role.COMMISSIONER
        )
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def reminders_due_rows(today: datetime.date) -> list[tuple[str, QuerySet]]:
    """Per kind, a query of who is due a reminder on this Europe/London date: rows of `m` (migration id, or
    absent for digests, which cover several migrations) and `u` (recipient id). The sweep inserts them in SQL."""
    due = [
        (kind, _dated_pairs(kind, today).values(m=F("practice__migrations__id"), u=F("user_id")))
        for kind in ANCHOR_FIELDS
    ]
    due.append((Kind.DAILY_DIGEST, _digest_user_ids(today).values(u=F("pk"))))
    due.append((Kind.COMMISSIONER_WEEKLY, _commissioner_ids(today).values(u=F("user_id"))))
    return due


def reminders_due(today: datetime.date) -> list[Reminder]:
    """Unsaved reminders due on this Europe/London date (the same rows the sweep inserts)."""
    return [
        Reminder(migration_id=row.get("m"), recipient_id=row["u"], kind=kind, for_date=today)
        for kind, rows in reminders_due_rows(today)
        for row in rows
    ]


@dataclass
class Digest:
    overdue: list
    due_soon: list
    # Supplier and delivery-partner steps overdue or due this week, for the practice manager to chase.
    to_chase: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.overdue or self.due_soon or self.to_chase)


def daily_digest(user, today: datetime.date) -> Digest:
    scope = step_scope_for(user)
    steps = list(
        scope.steps(scope.mine)
        .filter(_steps_due_by(today))
        .select_related("migration__practice")
        .order_by("due_date", "pk")
    )
    return Digest(
        overdue=[step for step in steps if step.due_date < today],
        due_soon=[step for step in steps if step.due_date >= today],
        to_chase=list(
            scope.steps(scope.to_chase)
            .filter(_steps_due_by(today))
            .select_related("migration__practice", "migration__old_supplier", "migration__new_supplier")
            .order_by("due_date", "pk")
        ),
    )


@dataclass
class CommissionerWeek:
    go_lives: list
    windows_ending: list
    at_risk: list

    def __bool__(self):
        return bool(self.go_lives or self.windows_ending or self.at_risk)


def commissioner_week(user, today: datetime.date) -> CommissionerWeek:
    """Go-lives this week and next, read-only windows ending soon, and migrations with overdue critical steps."""
    migrations = list(
        migrations_visible_to(user)
        .filter(_portfolio_for_icb(today))
        .select_related("practice")
        .annotate(
            critical_overdue=Count(
                "steps", filter=Q(steps__critical=True, steps__status=StepStatus.TODO, steps__due_date__lt=today)
            )
        )
        .order_by("go_live_date", "pk")
    )
    fortnight = today + datetime.timedelta(days=13)
    window_end = today + datetime.timedelta(days=WINDOW_ENDING_DAYS)
    return CommissionerWeek(
        go_lives=[m for m in migrations if today <= m.go_live_date <= fortnight],
        windows_ending=[m for m in migrations if m.go_live_date <= today <= m.read_only_ends_on <= window_end],
        at_risk=[m for m in migrations if m.critical_overdue],
    )


@dataclass
class MyTasks:
    to_do: QuerySet[Step]
    to_chase: QuerySet[Step]


def my_tasks(user, today: datetime.date) -> MyTasks:
    """Every open step for the user across their practices, and the steps they chase, earliest due (so overdue)
    first. The scope costs two queries; each list one more (plus its count when paginated)."""
    scope = step_scope_for(user)
    return MyTasks(
        to_do=scope.steps(scope.mine).select_related("migration__practice", "assignee").order_by("due_date", "pk"),
        to_chase=scope.steps(scope.to_chase)
        .select_related("migration__practice", "migration__old_supplier", "migration__new_supplier")
        .order_by("due_date", "pk"),
    )


def reminder_kinds_for(user) -> list[str]:
    """The reminder kinds a person can receive, in RULES order: those whose roles include one the person holds."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return [kind for kind, rule in RULES.items() if rule.roles & roles]


def reminders_for_migration(migration: Migration) -> QuerySet[Reminder]:
    return Reminder.objects.filter(migration=migration).select_related("recipient").order_by("-for_date", "-pk")
