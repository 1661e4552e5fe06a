import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from checklists.models import Migration, MigrationStage
from practices.models import Membership, Role, User
from practices.selectors import practices_visible_to

DEMO_USERS = [
    "manager@riverside.example",
    "staff@riverside.example",
    "manager@hillview.example",
    "commissioner@north.example",
    "commissioner@south.example",
    "admin@golive.example",
]


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_loads_the_documented_contract_and_is_safe_twice(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    today = timezone.localdate()
    for email in DEMO_USERS:
        assert User.objects.get(email=email).check_password("golive-demo-password")
    assert Migration.objects.count() == 9
    stages = dict(Migration.objects.open().with_stage(today).values_list("practice__name", "stage"))
    assert len(stages) == 7  # one open migration per practice; Castle Street's is finished
    (withdrawn,) = Migration.objects.filter(withdrawn_at__isnull=False)
    assert (withdrawn.practice.name, withdrawn.withdrawn_by.email) == (
        "Harbour View Surgery",
        "commissioner@south.example",
    )
    assert withdrawn.stage_on(today) == MigrationStage.WITHDRAWN
    assert stages["Riverside Surgery"] == MigrationStage.LIVE
    assert stages["Hillview Medical Centre"] == MigrationStage.CUTOVER
    assert Migration.objects.get(practice__name="Castle Street Surgery").stage_on(today) == MigrationStage.FINISHED
    assert stages["Oakwood Health Centre"] == MigrationStage.DATA_CHECKING
    assert MigrationStage.PLANNING in stages.values()
    ending_soon = Migration.objects.filter(went_live_on__isnull=False, completed_on__isnull=True)
    assert any(0 <= (m.read_only_ends_on - today).days <= 7 for m in ending_soon)
    riverside_manager = User.objects.get(email="manager@riverside.example")
    assert Membership.objects.get(user=riverside_manager).role == Role.PRACTICE_MANAGER
    north = User.objects.get(email="commissioner@north.example")
    south = User.objects.get(email="commissioner@south.example")
    assert set(practices_visible_to(north)).isdisjoint(practices_visible_to(south))
    assert practices_visible_to(north).filter(name="Hillview Medical Centre").exists()


def test_seed_demo_puts_riverside_mid_reconnection_and_hillview_switched_off(db, settings):
    from reconnections.models import LinkStatus
    from reconnections.selectors import links_outstanding

    settings.DEBUG = True
    call_command("seed_demo")
    riverside = Migration.objects.get(practice__name="Riverside Surgery")
    counts = links_outstanding(riverside)
    assert (counts["to_reconnect"], counts["verified"]) == (2, 1)
    assert riverside.mesh_change.partner_notices.filter(told_on__isnull=True).exists()
    hillview = Migration.objects.get(practice__name="Hillview Medical Centre")
    assert set(hillview.third_party_links.values_list("status", flat=True)) == {LinkStatus.SWITCHED_OFF}


def test_seed_demo_puts_every_practice_in_a_place_of_its_icb(db, settings):
    from practices.models import Practice, PracticeSubICBLocation

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    for practice in Practice.objects.select_related("sub_icb_location"):
        assert practice.sub_icb_location.icb_id == practice.icb_id
    assert PracticeSubICBLocation.objects.filter(ended_on__isnull=True).count() == Practice.objects.count()
    place_commissioner = User.objects.get(email="commissioner@rivermouth.example")
    visible = {practice.name for practice in practices_visible_to(place_commissioner)}
    assert visible == {"Riverside Surgery", "Hillview Medical Centre"}


def test_seed_demo_gives_practices_seeded_before_places_existed_their_place(db, settings):
    from practices.models import Practice

    settings.DEBUG = True
    call_command("seed_demo")
    Practice.objects.update(sub_icb_location=None)
    call_command("seed_demo")
    assert not Practice.objects.filter(sub_icb_location__isnull=True).exists()


def test_seed_demo_records_progress_truthfully(db, settings):
    """Practices with a manager on GoLive ticked their steps on the day they were due; practices with nobody on
    GoLive did theirs before it, so nobody is named; no stage contradicts its countdown."""
    from checklists.models import StepCompletion, StepStatus
    from checklists.presenters import countdown

    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    riverside = Migration.objects.get(practice__name="Riverside Surgery")
    ticked = riverside.steps.filter(status=StepStatus.DONE)
    assert {step.completed_by.email for step in ticked} == {"manager@riverside.example"}
    assert all(timezone.localtime(step.completed_at).date() == step.due_date for step in ticked)
    castle = Migration.objects.get(practice__name="Castle Street Surgery")
    assert set(castle.steps.values_list("completion", "completed_by")) == {(StepCompletion.BEFORE_GOLIVE, None)}
    for migration in Migration.objects.open():
        text = countdown(migration, today) or ""
        live = migration.went_live_on is not None
        assert ("read-only window" in text and "left" in text) <= live, migration.practice.name
