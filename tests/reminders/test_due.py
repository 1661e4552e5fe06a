"""Which reminders are due on a local date, across UK clock changes and month ends."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from checklists.models import StepStatus
from go_live.models import CURRENT_GO_LIVE_STATEMENT, GoLiveSignOff
from practices.models import Role
from reconnections.models import ThirdPartyLink, ThirdPartyService
from reminders.kinds import Kind
from reminders.models import Reminder, ReminderOptOut
from reminders.selectors import reminders_due
from reminders.services import reminders_sweep
from tests.factories import MembershipFactory

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


def _kinds_for(user, today, kind=None):
    mine = [r for r in reminders_due(today) if r.recipient_id == user.pk]
    return [(r.kind, r.migration_id) for r in mine if kind in (None, r.kind)]


def sign_off(migration, user):
    GoLiveSignOff.objects.create(
        migration=migration,
        sequence=1,
        signed_by=user,
        signed_by_name=str(user),
        role=Role.PRACTICE_MANAGER,
        signed_at=timezone.now(),
        statement_version=CURRENT_GO_LIVE_STATEMENT,
        readiness_snapshot={},
    )


def _close_all_steps(migration):
    migration.steps.update(status=StepStatus.DONE)


@pytest.mark.parametrize("days_before", [30, 14, 7, 1, 0])
def test_read_only_window_reminder_is_due_on_each_configured_day(world, days_before):
    today = world.migration.read_only_ends_on - datetime.timedelta(days=days_before)
    assert (Kind.READ_ONLY_WINDOW, world.migration.pk) in _kinds_for(world.manager, today)


@pytest.mark.parametrize("days_before", [31, 29, 13, 2, -1])
def test_read_only_window_reminder_is_not_due_on_other_days(world, days_before):
    today = world.migration.read_only_ends_on - datetime.timedelta(days=days_before)
    assert not _kinds_for(world.manager, today, Kind.READ_ONLY_WINDOW)


def test_no_window_reminder_before_go_live_even_for_a_short_window(world):
    """A 20-day window: "30 days before the end" falls before go-live, when there is no window yet."""
    migration = world.make_migration(
        world.new_practice(world.manager), world.manager, go_live=datetime.date(2027, 6, 1)
    )
    type(migration).objects.filter(pk=migration.pk).update(
        read_only_window_days=20, read_only_ends_on=datetime.date(2027, 6, 21)
    )
    assert not _kinds_for(world.manager, datetime.date(2027, 5, 22), Kind.READ_ONLY_WINDOW)
    assert (Kind.READ_ONLY_WINDOW, migration.pk) in _kinds_for(world.manager, datetime.date(2027, 6, 7))


def test_read_only_window_reminder_goes_to_clinical_leads_but_not_staff(world):
    lead = MembershipFactory(practice=world.home, role=Role.CLINICAL_LEAD).user
    today = world.migration.read_only_ends_on
    assert _kinds_for(lead, today, Kind.READ_ONLY_WINDOW)
    assert not _kinds_for(world.staff, today, Kind.READ_ONLY_WINDOW)


def test_read_only_window_reminder_cannot_be_switched_off(world):
    ReminderOptOut.objects.create(user=world.manager, kind=Kind.READ_ONLY_WINDOW)
    assert _kinds_for(world.manager, world.migration.read_only_ends_on, Kind.READ_ONLY_WINDOW)


def test_finished_migrations_get_no_reminders(world):
    world.migration.completed_on = world.migration.go_live_date
    world.migration.save()
    assert not _kinds_for(world.manager, world.migration.read_only_ends_on, Kind.READ_ONLY_WINDOW)


def test_inactive_people_get_no_reminders(world):
    world.manager.is_active = False
    world.manager.save()
    assert not _kinds_for(world.manager, world.migration.read_only_ends_on)


def test_fdp_and_go_live_reminders_are_due_a_week_before(world):
    fdp_week = world.migration.fdp_date - datetime.timedelta(days=7)
    go_live_week = world.migration.go_live_date - datetime.timedelta(days=7)
    assert (Kind.FDP_WEEK, world.migration.pk) in _kinds_for(world.manager, fdp_week)
    assert (Kind.GO_LIVE_WEEK, world.migration.pk) in _kinds_for(world.manager, go_live_week)


def test_switched_off_kind_is_not_due(world):
    ReminderOptOut.objects.create(user=world.manager, kind=Kind.FDP_WEEK)
    assert not _kinds_for(world.manager, world.migration.fdp_date - datetime.timedelta(days=7), Kind.FDP_WEEK)


def test_sign_off_reminder_is_due_after_go_live_until_someone_signs_off(world):
    day_after = world.migration.go_live_date + datetime.timedelta(days=1)
    assert (Kind.SIGN_OFF_OPEN, world.migration.pk) in _kinds_for(world.manager, day_after)
    sign_off(world.migration, world.manager)
    assert not _kinds_for(world.manager, day_after, Kind.SIGN_OFF_OPEN)


def add_link(migration, status):
    service = ThirdPartyService.objects.filter(practice__isnull=True).first()
    return ThirdPartyLink.objects.create(migration=migration, service=service, status=status)


@pytest.mark.parametrize(("status", "due"), [("switched_off", True), ("reconnected", True), ("verified", False)])
def test_links_reminder_is_due_after_go_live_while_a_link_is_not_back_and_verified(world, status, due):
    add_link(world.migration, status)
    day_after = world.migration.go_live_date + datetime.timedelta(days=1)
    assert ((Kind.LINKS_OPEN, world.migration.pk) in _kinds_for(world.manager, day_after)) is due


def test_daily_digest_is_one_per_person_and_only_when_there_is_something_to_say(world):
    today = world.migration.go_live_date
    digests = [r for r in reminders_due(today) if r.kind == Kind.DAILY_DIGEST and r.recipient_id == world.staff.pk]
    assert len(digests) == 1
    assert digests[0].migration_id is None
    _close_all_steps(world.migration)
    assert not _kinds_for(world.staff, today, Kind.DAILY_DIGEST)


def test_daily_digest_covers_steps_assigned_to_someone_outside_the_role(world):
    _close_all_steps(world.migration)
    step = world.migration.steps.filter(role=Role.PRACTICE_MANAGER).first()
    world.migration.steps.filter(pk=step.pk).update(status=StepStatus.TODO, assignee=world.staff)
    assert _kinds_for(world.staff, step.due_date, Kind.DAILY_DIGEST)
    assert not _kinds_for(world.manager, step.due_date, Kind.DAILY_DIGEST)


def test_commissioner_weekly_digest_is_due_on_mondays_only(world):
    monday = datetime.date(2027, 2, 22)  # go-live (1 March 2027) is next week
    assert monday.weekday() == 0
    assert _kinds_for(world.commissioner, monday, Kind.COMMISSIONER_WEEKLY) == [(Kind.COMMISSIONER_WEEKLY, None)]
    assert not _kinds_for(world.commissioner, monday + datetime.timedelta(days=1), Kind.COMMISSIONER_WEEKLY)


def test_commissioner_with_nothing_to_report_gets_no_weekly_digest(world):
    far_monday = datetime.date(2026, 6, 1)
    _close_all_steps(world.migration)
    _close_all_steps(world.neighbour_migration)
    assert not _kinds_for(world.commissioner, far_monday, Kind.COMMISSIONER_WEEKLY)


def _hourly(start_utc: datetime.datetime, hours: int):
    return [start_utc + datetime.timedelta(hours=hour) for hour in range(hours)]


@pytest.mark.parametrize(
    ("local_day", "utc_start"),
    [
        # Clocks go forward at 01:00 UTC: a 23-hour day.
        (datetime.date(2026, 3, 29), datetime.datetime(2026, 3, 28, 22, 30, tzinfo=UTC)),
        # Clocks go back at 01:00 UTC: a 25-hour day.
        (datetime.date(2026, 10, 25), datetime.datetime(2026, 10, 24, 21, 30, tzinfo=UTC)),
        # Month and year ends.
        (datetime.date(2026, 4, 30), datetime.datetime(2026, 4, 29, 21, 30, tzinfo=UTC)),
        (datetime.date(2026, 12, 31), datetime.datetime(2026, 12, 30, 22, 30, tzinfo=UTC)),
    ],
)
def test_hourly_sweeps_across_a_day_make_each_reminder_once_for_the_right_local_date(
    world, queued, local_day, utc_start
):
    """Sweep hourly from the evening before to past midnight after: one reminder per local day, never two."""
    practice = world.new_practice(world.manager)
    migration = world.make_migration(practice, world.manager, go_live=local_day - datetime.timedelta(days=45))
    assert migration.read_only_ends_on == local_day
    for instant in _hourly(utc_start, 28):
        with time_machine.travel(instant, tick=False):
            reminders_sweep()
    made = Reminder.objects.filter(migration=migration, kind=Kind.READ_ONLY_WINDOW, recipient=world.manager)
    assert sorted(reminder.for_date for reminder in made) == [local_day - datetime.timedelta(days=1), local_day]


@pytest.mark.parametrize(
    ("instant", "made"),
    [
        (datetime.datetime(2026, 10, 24, 5, 30, tzinfo=UTC), False),  # 06:30 BST
        (datetime.datetime(2026, 10, 24, 6, 30, tzinfo=UTC), True),  # 07:30 BST
        (datetime.datetime(2026, 10, 26, 6, 30, tzinfo=UTC), False),  # 06:30 GMT
        (datetime.datetime(2026, 10, 26, 7, 30, tzinfo=UTC), True),  # 07:30 GMT
    ],
)
def test_reminders_start_at_seven_in_the_morning_london_time(world, queued, settings, instant, made):
    settings.REMINDER_SEND_FROM_HOUR = 7
    local_day = instant.astimezone(LONDON).date()
    world.make_migration(
        world.new_practice(world.manager), world.manager, go_live=local_day - datetime.timedelta(days=45)
    )
    with time_machine.travel(instant, tick=False):
        reminders_sweep()
    assert Reminder.objects.filter(kind=Kind.READ_ONLY_WINDOW, for_date=local_day).exists() is made


def test_place_commissioner_gets_the_weekly_digest_for_their_place(world):
    monday = datetime.date(2027, 2, 22)  # both migrations go live on 1 March 2027, next week
    assert _kinds_for(world.place_commissioner, monday, Kind.COMMISSIONER_WEEKLY) == [(Kind.COMMISSIONER_WEEKLY, None)]


def test_place_commissioner_gets_no_weekly_digest_for_another_place(world):
    from reminders.selectors import commissioner_week

    monday = datetime.date(2026, 6, 1)
    _close_all_steps(world.neighbour_migration)  # nothing to report in the neighbour's place …
    world.migration.steps.update(status=StepStatus.TODO, critical=True, due_date=datetime.date(2026, 5, 1))
    assert _kinds_for(world.commissioner, monday, Kind.COMMISSIONER_WEEKLY)  # … while home's place has plenty
    assert not _kinds_for(world.place_commissioner, monday, Kind.COMMISSIONER_WEEKLY)
    assert not commissioner_week(world.place_commissioner, monday)
