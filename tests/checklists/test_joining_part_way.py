"""Practices joining part-way: phases done before GoLive, an actual go-live already past, a whole phase marked done,
and a stage and countdown that always agree (issue 10, item 6)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import presenters, services
from checklists.models import Migration, MigrationStage, StepCompletion, StepStatus
from golive.core.models import AuditEvent
from tests.factories import MigrationFactory

PHASES_BEFORE = ["decision", "kickoff", "technical_survey", "pre_migration", "idp", "data_checking", "training"]


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def past_dates_form(world, practice, go_live):
    return {
        "practice": practice.pk,
        "old_supplier": world.emis.pk,
        "new_supplier": world.tpp.pk,
        **date_fields("idp_date", go_live - datetime.timedelta(days=56)),
        **date_fields("fdp_date", go_live - datetime.timedelta(days=7)),
        **date_fields("go_live_date", go_live),
        "read_only_window_days": 45,
        "read_only_window_source": "older_guide",
    }


@pytest.fixture
def joining(world, client_for):
    """A practice whose planned go-live was 24 days ago, its manager signed in on the create page."""
    today = timezone.localdate()
    practice = world.new_practice(world.manager)
    go_live = today - datetime.timedelta(days=24)
    return practice, go_live, client_for(world.manager), past_dates_form(world, practice, go_live)


def test_past_dates_ask_which_phases_were_done_before_golive_and_whether_it_went_live(world, joining):
    practice, _go_live, client, form = joining
    response = client.post(reverse("checklists:migration_create"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Where is the practice now?" in html
    assert "Which phases had the practice finished before it started using GoLive?" in html
    assert "Has the practice gone live on the new system?" in html
    # The first page's answers ride along unchanged, and nothing is saved yet.
    assert f'name="practice" value="{practice.pk}"' in html
    assert not Migration.objects.filter(practice=practice).exists()


def test_phases_done_before_golive_leave_no_overdue_steps_and_name_nobody(world, joining):
    practice, go_live, client, form = joining
    went_live = go_live + datetime.timedelta(days=1)
    response = client.post(
        reverse("checklists:migration_create"),
        {
            **form,
            "phases_done": PHASES_BEFORE,
            "gone_live": "yes",
            **date_fields("went_live_on", went_live),
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    migration = Migration.objects.get(practice=practice)
    today = timezone.localdate()
    before = migration.steps.filter(phase__in=PHASES_BEFORE)
    assert before.exists()
    assert not before.filter(status=StepStatus.TODO).exists()
    assert not before.filter(due_date__lt=today, status=StepStatus.TODO).exists()
    assert set(before.values_list("completion", "completed_by", "completed_at").distinct()) == {
        (StepCompletion.BEFORE_GOLIVE, None, None)
    }
    # Phases not ticked stay open.
    assert migration.steps.filter(phase="post_go_live", status=StepStatus.TODO).exists()
    event = AuditEvent.objects.get(action="migration.phases_done_before_golive", migration_id=migration.pk)
    assert event.actor == world.manager
    assert event.after["steps_closed"] == before.count()


def test_an_actual_go_live_already_past_is_recorded_and_starts_the_window(world, joining):
    practice, go_live, client, form = joining
    went_live = go_live + datetime.timedelta(days=3)
    client.post(
        reverse("checklists:migration_create"),
        {**form, "gone_live": "yes", **date_fields("went_live_on", went_live), "confirm": "1"},
    )
    migration = Migration.objects.get(practice=practice)
    assert migration.went_live_on == went_live
    assert migration.read_only_ends_on == went_live + datetime.timedelta(days=45)
    assert migration.stage_on(timezone.localdate()) == MigrationStage.LIVE
    created = AuditEvent.objects.get(action="migration.created", migration_id=migration.pk)
    assert created.after["went_live_on"] == went_live.isoformat()


def test_not_yet_live_leaves_go_live_overdue_with_no_window_counting(world, joining):
    practice, _go_live, client, form = joining
    client.post(reverse("checklists:migration_create"), {**form, "gone_live": "no", "confirm": "1"})
    migration = Migration.objects.get(practice=practice)
    today = timezone.localdate()
    assert migration.went_live_on is None
    assert migration.stage_on(today) == MigrationStage.GO_LIVE_OVERDUE
    assert "left of the old system's read-only window" not in presenters.countdown(migration, today)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"gone_live": "yes"}, "Enter the date the practice went live"),
        ({}, "Select whether the practice has gone live"),
        ({"gone_live": "yes", "went_live_on_day": "40"}, "Date the practice went live must include a month"),
    ],
)
def test_bad_answers_on_the_second_page_show_an_error_and_save_nothing(world, joining, answers, message):
    practice, _go_live, client, form = joining
    response = client.post(reverse("checklists:migration_create"), {**form, **answers, "confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert not Migration.objects.filter(practice=practice).exists()


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (datetime.timedelta(days=30), "The date the practice went live must be today or in the past"),
        (datetime.timedelta(days=-40), "The date the practice went live must be on or after FDP"),
    ],
)
def test_a_go_live_in_the_future_or_before_fdp_is_refused(world, joining, offset, message):
    practice, go_live, client, form = joining
    response = client.post(
        reverse("checklists:migration_create"),
        {**form, "gone_live": "yes", **date_fields("went_live_on", go_live + offset), "confirm": "1"},
    )
    assert message in response.content.decode()
    assert not Migration.objects.filter(practice=practice).exists()


def test_change_the_dates_returns_to_the_first_page_with_the_answers_kept(world, joining):
    practice, go_live, client, form = joining
    response = client.post(reverse("checklists:migration_create"), {**form, "change": "1"})
    assert response.status_code == 200
    assert response.context["form"]["go_live_date"].value() == [
        str(go_live.day),
        str(go_live.month),
        str(go_live.year),
    ]
    assert "Create a migration" in response.content.decode()
    assert not Migration.objects.filter(practice=practice).exists()


def test_future_dates_create_straight_away(world, client_for):
    practice = world.new_practice(world.manager)
    go_live = timezone.localdate() + datetime.timedelta(days=120)
    response = client_for(world.manager).post(
        reverse("checklists:migration_create"), past_dates_form(world, practice, go_live)
    )
    assert response.status_code == 302
    assert Migration.objects.filter(practice=practice).exists()


def test_done_before_golive_shows_as_such_on_the_checklist_and_the_step_page(world, client_for):
    migration = world.migration
    step = migration.steps.get(code="GL-02")
    migration.steps.filter(pk=step.pk).update(status=StepStatus.DONE, completion=StepCompletion.BEFORE_GOLIVE)
    client = client_for(world.manager)
    checklist = client.get(reverse("checklists:checklist", args=[migration.pk]))
    shown = next(s for group in checklist.context["groups"] for s in group.steps if s.pk == step.pk)
    assert shown.status_tag["text"] == "Done before GoLive"
    page = client.get(reverse("checklists:step", args=[migration.pk, step.pk])).content.decode()
    assert "Done before the practice started using GoLive. Nobody is named as doing it." in page


# --- A whole phase marked done ------------------------------------------------------------


def phase_url(migration, phase="data_checking"):
    return reverse("checklists:phase_done", args=[migration.pk, phase])


def test_the_manager_previews_the_steps_a_phase_will_close_then_confirms(world, client_for):
    migration = world.migration
    client = client_for(world.manager)
    preview = client.get(phase_url(migration))
    open_steps = migration.steps.filter(phase="data_checking", status=StepStatus.TODO).exclude(code="DC-12")
    assert [s.pk for s in preview.context["steps"]] == list(open_steps.order_by("order").values_list("pk", flat=True))
    assert "DC-12" in preview.content.decode()  # left open: only its sign-off record completes it
    response = client.post(phase_url(migration), {"step": [s.pk for s in preview.context["steps"]]})
    assert response.status_code == 302
    closed = migration.steps.filter(phase="data_checking").exclude(code="DC-12")
    assert set(closed.values_list("status", "completion", "completed_by").distinct()) == {
        (StepStatus.DONE, StepCompletion.WITH_PHASE, world.manager.pk)
    }
    assert migration.steps.get(code="DC-12").status == StepStatus.TODO
    event = AuditEvent.objects.get(action="migration.phase_marked_done", migration_id=migration.pk)
    assert event.after["steps_closed"] == closed.count()


def test_a_phase_closes_only_the_steps_the_manager_saw(world, client_for):
    migration = world.migration
    client = client_for(world.manager)
    seen = [s.pk for s in client.get(phase_url(migration)).context["steps"]]
    ticked_meanwhile = migration.steps.get(pk=seen[0])
    services.step_update(
        user=world.staff, step=ticked_meanwhile, expected_version=ticked_meanwhile.version, status=StepStatus.DONE
    )
    client.post(phase_url(migration), {"step": seen[1:2]})
    ticked_meanwhile.refresh_from_db()
    assert (ticked_meanwhile.completion, ticked_meanwhile.completed_by) == ("", world.staff)
    assert migration.steps.get(pk=seen[1]).completion == StepCompletion.WITH_PHASE
    assert migration.steps.filter(pk__in=seen[2:], status=StepStatus.TODO).count() == len(seen[2:])


@pytest.mark.parametrize("who", ["staff", "commissioner"])
def test_only_the_practice_manager_marks_a_phase_done(world, client_for, who):
    migration = world.migration
    client = client_for(getattr(world, who))
    before = list(migration.steps.order_by("pk").values_list("status", "version"))
    events = AuditEvent.objects.count()
    assert client.get(phase_url(migration)).status_code == 403
    steps = list(migration.steps.filter(phase="data_checking").values_list("pk", flat=True))
    assert client.post(phase_url(migration), {"step": steps}).status_code == 403
    assert list(migration.steps.order_by("pk").values_list("status", "version")) == before
    assert AuditEvent.objects.count() == events


def test_an_unknown_phase_is_not_found(world, client_for):
    assert client_for(world.manager).get(phase_url(world.migration, "nonsense")).status_code == 404


def test_a_step_marked_with_its_phase_says_who_marked_it(world, client_for):
    migration = world.migration
    step = migration.steps.filter(phase="kickoff").first()
    services.phase_mark_done(user=world.manager, migration=migration, phase="kickoff", step_ids=[step.pk])
    page = client_for(world.staff).get(reverse("checklists:step", args=[migration.pk, step.pk])).content.decode()
    assert f"Marked done with its whole phase by {world.manager}" in page


# --- Stage and countdown: one table, every state reads true --------------------------------

G = datetime.date(2027, 3, 1)
ENDS = G + datetime.timedelta(days=45)
LIVE = {"went_live_on": G, "read_only_ends_on": ENDS}

# (state, migration fields, today, stage, countdown text, or None for no countdown)
STATES = [
    (
        "before IDP",
        {},
        G - datetime.timedelta(days=66),
        MigrationStage.PLANNING,
        "Initial data production (IDP) in 10 days",
    ),
    ("IDP day", {}, G - datetime.timedelta(days=56), MigrationStage.DATA_CHECKING, "when cutover starts, in 49 days"),
    ("FDP day", {}, G - datetime.timedelta(days=7), MigrationStage.CUTOVER, "Go-live in 7 days (1 March 2027)"),
    ("go-live day, not signed off", {}, G, MigrationStage.CUTOVER, "Go-live is today (1 March 2027)"),
    (
        "24 days after the planned go-live, not signed off",
        {},
        G + datetime.timedelta(days=24),
        MigrationStage.GO_LIVE_OVERDUE,
        "Go-live was due on 1 March 2027, 24 days ago, and the go-live data is not signed off",
    ),
    ("live on go-live day", LIVE, G, MigrationStage.LIVE, "45 days left of the old system's read-only window"),
    (
        "live three days late: the window counts from then",
        {"went_live_on": G + datetime.timedelta(days=3), "read_only_ends_on": ENDS + datetime.timedelta(days=3)},
        G + datetime.timedelta(days=24),
        MigrationStage.LIVE,
        "24 days left of the old system's read-only window (ends 18 April 2027)",
    ),
    ("window's last day", LIVE, ENDS, MigrationStage.LIVE, "The old system's read-only window ends today"),
    (
        "window ended",
        LIVE,
        ENDS + datetime.timedelta(days=1),
        MigrationStage.WINDOW_ENDED,
        "The old system's read-only window ended on 15 April 2027",
    ),
    (
        "finished",
        {**LIVE, "completed_on": ENDS},
        ENDS,
        MigrationStage.FINISHED,
        "The migration finished on 15 April 2027",
    ),
    (
        "withdrawn in cutover",
        {"withdrawn_at": timezone.now(), "withdrawal_reason": "x"},
        G,
        MigrationStage.WITHDRAWN,
        None,
    ),
]


@pytest.mark.parametrize(
    ("fields", "today", "stage", "countdown"), [pytest.param(*row[1:], id=row[0]) for row in STATES]
)
def test_stage_and_countdown_agree(db, fields, today, stage, countdown):
    migration = MigrationFactory(go_live_date=G, **fields)
    in_sql = Migration.objects.with_stage(today).get(pk=migration.pk).stage
    text = presenters.countdown(migration, today)
    assert (migration.stage_on(today), in_sql) == (stage, stage)
    assert text == countdown if countdown is None else countdown in text
    if stage != MigrationStage.LIVE:  # only a practice that has gone live counts its read-only window down
        assert "left of the old system's read-only window" not in (text or "")
