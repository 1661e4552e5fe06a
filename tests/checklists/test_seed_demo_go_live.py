from django.core.management import call_command

from checklists.models import Migration
from go_live.models import GoLiveSignOff


def test_seed_demo_gives_live_practices_a_sign_off_and_hillview_checks_in_progress(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    riverside = Migration.objects.get(practice__name="Riverside Surgery")
    sign_off = GoLiveSignOff.objects.get(migration=riverside)
    assert sign_off.supplier_confirmation.told_on == riverside.go_live_date
    assert sign_off.signed_at.date() == riverside.go_live_date
    assert riverside.issues.count() == 2
    hillview = Migration.objects.get(practice__name="Hillview Medical Centre")
    assert hillview.data_checks.filter(result="failed").exists()
    assert not hillview.go_live_sign_offs.exists()
    assert GoLiveSignOff.objects.count() == 3  # Riverside, Northgate, Beacon
