"""National scale in PostgreSQL: 42 ICBs, 6,300 practices, 1,500 migrations with every default-template step.

Rows go in with bulk_create (not the services) for speed; running it again on a seeded database does nothing.
Run inside a process whose Django settings point at the bench database (bench/__main__.py arranges that).
"""

import datetime
import random
from functools import cache

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

ICBS = 42
PRACTICES_PER_ICB = 150
MIGRATIONS = 1500
COMMISSIONER_EMAIL = "commissioner@bench.example"
MANAGER_EMAIL = "manager@bench.example"
ADMIN_EMAIL = "admin@bench.example"
SUPPLIERS = ["EMIS", "TPP", "Cegedim", "Microtest", "Medicus"]


@cache
def _due(anchor: datetime.date, offset: int) -> datetime.date:
    from checklists.scheduling import add_working_days

    return add_working_days(anchor, offset)


def seed(today: datetime.date | None = None, log=print) -> None:
    from checklists.models import Migration, Step, StepStatus, WindowSource
    from checklists.services import template_load_default
    from practices.models import ICB, Membership, Practice, Role, Supplier, User

    call_command("migrate", verbosity=0, interactive=False)
    if Migration.objects.count() >= MIGRATIONS:
        log(f"Bench data already seeded ({Migration.objects.count()} migrations).")
        seed_go_live_records(today or timezone.localdate(), log)
        return
    today = today or timezone.localdate()
    rng = random.Random(42)
    with transaction.atomic():
        template = template_load_default()
        template_steps = list(template.steps.all())
        suppliers = [Supplier.objects.get_or_create(name=name)[0] for name in SUPPLIERS]
        icbs = ICB.objects.bulk_create(
            ICB(code=f"QB{n:02d}", name=f"NHS Bench {n:02d} Integrated Care Board") for n in range(ICBS)
        )
        practices = Practice.objects.bulk_create(
            Practice(ods_code=f"B{n:05d}", name=f"Bench Surgery {n:05d}", icb=icbs[n % ICBS])
            for n in range(ICBS * PRACTICES_PER_ICB)
        )
        commissioner = User.objects.create_user(email=COMMISSIONER_EMAIL, password=None, full_name="Bench Commissioner")
        Membership.objects.create(user=commissioner, role=Role.COMMISSIONER, icb=icbs[0])
        User.objects.create_superuser(email=ADMIN_EMAIL, password=None, full_name="Bench Admin")

        migrations = []
        for index in range(MIGRATIONS):
            old, new = rng.sample(suppliers, 2)
            go_live = today + datetime.timedelta(days=rng.randint(-150, 150))
            window = rng.choice([45, 45, 90])
            live = go_live <= today and rng.random() < 0.9
            ends = go_live + datetime.timedelta(days=window)
            migrations.append(
                Migration(
                    practice=practices[index * 4],  # every ICB gets about 36
                    old_supplier=old,
                    new_supplier=new,
                    template=template,
                    idp_date=go_live - datetime.timedelta(days=56),
                    fdp_date=go_live - datetime.timedelta(days=rng.choice([3, 5, 7, 9, 14])),
                    go_live_date=go_live,
                    planned_go_live_date=go_live - datetime.timedelta(days=rng.choice([0, 0, 0, 7, 14, 35])),
                    read_only_window_days=window,
                    read_only_window_source=WindowSource.OLDER_GUIDE if window == 45 else WindowSource.NEWER_GUIDE,
                    read_only_ends_on=ends,
                    went_live_on=go_live if live else None,
                    completed_on=ends if live and ends < today else None,
                )
            )
        migrations = Migration.objects.bulk_create(migrations, batch_size=1000)
        log(f"{len(icbs)} ICBs, {len(practices)} practices, {len(migrations)} migrations; adding steps…")

        now = timezone.now()
        batch = []
        steps = 0
        for migration in migrations:
            anchors = migration.anchor_dates()
            lateness = rng.choice([0, 0, 2, 5, 10])  # some practices keep up, some fall behind
            for template_step in template_steps:
                due = _due(anchors[template_step.anchor], template_step.offset_working_days)
                done = migration.completed_on or due < today - datetime.timedelta(days=lateness)
                batch.append(
                    Step(
                        migration=migration,
                        template_step=template_step,
                        code=template_step.code,
                        phase=template_step.phase,
                        order=template_step.order,
                        title=template_step.title,
                        role=template_step.role,
                        anchor=template_step.anchor,
                        offset_working_days=template_step.offset_working_days,
                        critical=template_step.critical,
                        due_date=due,
                        status=StepStatus.DONE if done else StepStatus.TODO,
                        completed_at=now if done else None,
                    )
                )
            if len(batch) >= 20000:
                Step.objects.bulk_create(batch, batch_size=5000)
                steps += len(batch)
                batch = []
        Step.objects.bulk_create(batch, batch_size=5000)
        steps += len(batch)
    log(f"Seeded {steps} steps.")
    seed_go_live_records(today, log)


def seed_go_live_records(today: datetime.date, log=print) -> None:
    """Third-party links, data checks and issues for every migration (skipped when already there)."""
    from checklists.models import Migration
    from go_live.models import CheckArea, CheckRound, DataCheck, Issue
    from practices.models import User
    from reconnections.models import LinkStatus, ThirdPartyLink, ThirdPartyService

    if ThirdPartyLink.objects.exists():
        return
    rng = random.Random(7)
    services = list(ThirdPartyService.objects.filter(practice=None)[:10])
    admin = User.objects.get(email=ADMIN_EMAIL)
    links, checks, issues = [], [], []
    for migration in Migration.objects.only("pk", "go_live_date", "went_live_on", "fdp_date"):
        live = migration.went_live_on is not None
        for service in services:
            status = (
                rng.choice([LinkStatus.RECONNECTED, LinkStatus.VERIFIED, LinkStatus.VERIFIED])
                if live
                else (LinkStatus.IN_USE)
            )
            links.append(ThirdPartyLink(migration=migration, service=service, status=status))
        if migration.fdp_date <= today:
            for area in CheckArea.values:
                result = "failed" if rng.random() < 0.03 else "passed"
                checks.append(
                    DataCheck(
                        migration=migration,
                        area=area,
                        round=CheckRound.FDP,
                        result=result,
                        records_checked=50,
                        problems_found=3 if result == "failed" else 0,
                        checked_on=migration.fdp_date,
                        checked_by=admin,
                    )
                )
        for n in range(rng.choice([0, 0, 1, 2, 4])):
            issues.append(Issue(migration=migration, title=f"Bench issue {n}", severity="medium", raised_by=admin))
    with transaction.atomic():
        ThirdPartyLink.objects.bulk_create(links, batch_size=5000)
        DataCheck.objects.bulk_create(checks, batch_size=5000)
        Issue.objects.bulk_create(issues, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"Seeded {len(links)} third-party links, {len(checks)} data checks and {len(issues)} issues.")


def practice_manager_migration() -> int:
    """A practice manager for the first seeded migration's practice (made once); returns that migration's id."""
    from checklists.models import Migration
    from practices.models import Membership, Role, User

    migration = Migration.objects.order_by("pk").first()
    manager, _ = User.objects.get_or_create(email=MANAGER_EMAIL, defaults={"full_name": "Bench Manager"})
    Membership.objects.get_or_create(
        user=manager, practice=migration.practice, defaults={"role": Role.PRACTICE_MANAGER}
    )
    return migration.pk


def session_cookie_value(email: str) -> str:
    """A signed-in session for a bench user, made directly (the bench measures pages, not sign-in). Administrators
    and commissioners get an authenticator app and a session that has entered a code, as they must."""
    import time

    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import TWO_FACTOR_STATE_KEY, TwoFactorState
    from accounts.sessions import LAST_ACTIVITY_KEY, SIGNED_IN_AT_KEY
    from accounts.two_factor import VERIFIED_AT_SESSION_KEY, second_factor_required
    from practices.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT_KEY] = session[LAST_ACTIVITY_KEY] = int(time.time())
    session[TWO_FACTOR_STATE_KEY] = TwoFactorState.OPTIONAL
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Bench"})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()
        session[TWO_FACTOR_STATE_KEY] = TwoFactorState.VERIFY
    session.set_expiry(60 * 60 * 4)
    session.save()
    return session.session_key
