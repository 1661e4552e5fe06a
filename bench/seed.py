"""National scale in PostgreSQL: 42 ICBs, 6,300 practices, 1,500 migrations with every default-template step.

`seed(scale=4)` makes a country four times larger: the national seed repeated four times over new ICBs and
practices. The first copy is the national seed row for row (same random streams), so the bench's users see
exactly the same data at both sizes and any growth in a page's time is the cost of the bigger tables.

Rows go in with bulk_create (not the services) for speed. bench/__main__.py reseeds a database only when this
file changed (its fingerprint is kept in the database's comment). Run inside a process whose Django settings
point at the bench database (bench/__main__.py arranges that).
"""

import datetime
import hashlib
import random
from functools import cache
from pathlib import Path

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


def fingerprint(scale: int) -> str:
    """What a seeded database was made from: this file's text and the scale. A change means a fresh database."""
    return f"golive bench seed x{scale} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}"


def seed(scale: int = 1, today: datetime.date | None = None, log=print) -> None:
    """Seed an empty, migrated bench database: `scale` copies of the national seed (see the module docstring)."""
    from checklists.services import template_load_default
    from practices.models import User

    today = today or timezone.localdate()
    with transaction.atomic():
        template = template_load_default()
        commissioner = User.objects.create_user(email=COMMISSIONER_EMAIL, password=None, full_name="Bench Commissioner")
        User.objects.create_superuser(email=ADMIN_EMAIL, password=None, full_name="Bench Admin")
    steps = sum(_seed_country(copy, template, commissioner, today, log) for copy in range(scale))
    log(f"Seeded {steps} steps.")
    seed_go_live_records(today, log)


def _seed_country(copy: int, template, commissioner, today: datetime.date, log) -> int:
    """One national seed's ICBs, practices (each with a practice manager) and migrations; returns the step count."""
    from checklists.models import Migration, Step, StepStatus, WindowSource
    from practices.models import ICB, Membership, Practice, Role, Supplier, User

    rng = random.Random(42 + copy)
    with transaction.atomic():
        template_steps = list(template.steps.all())
        suppliers = [Supplier.objects.get_or_create(name=name)[0] for name in SUPPLIERS]
        first_icb, first_practice = copy * ICBS, copy * ICBS * PRACTICES_PER_ICB
        icbs = ICB.objects.bulk_create(
            ICB(code=f"QB{n:02d}", name=f"NHS Bench {n:02d} Integrated Care Board")
            for n in range(first_icb, first_icb + ICBS)
        )
        practices = Practice.objects.bulk_create(
            Practice(ods_code=f"B{n:05d}", name=f"Bench Surgery {n:05d}", icb=icbs[(n - first_practice) % ICBS])
            for n in range(first_practice, first_practice + ICBS * PRACTICES_PER_ICB)
        )
        if copy == 0:
            Membership.objects.create(user=commissioner, role=Role.COMMISSIONER, icb=icbs[0])

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
        # Every practice with a migration has a practice manager: the reminder sweep has people to remind.
        managers = User.objects.bulk_create(
            User(email=f"manager-{m.practice.ods_code.lower()}@bench.example", full_name=f"Manager {n:05d}")
            for n, m in enumerate(migrations)
        )
        Membership.objects.bulk_create(
            Membership(user=user, practice=m.practice, role=Role.PRACTICE_MANAGER)
            for user, m in zip(managers, migrations, strict=True)
        )
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
    return steps


def seed_go_live_records(today: datetime.date, log=print) -> None:
    """Third-party links, data checks and issues for every migration, in migration order (so the national
    seed's first 1,500 migrations get the same records at every scale)."""
    from checklists.models import Migration
    from go_live.models import CheckArea, CheckRound, DataCheck, Issue
    from practices.models import User
    from reconnections.models import LinkStatus, ThirdPartyLink, ThirdPartyService

    rng = random.Random(7)
    services = list(ThirdPartyService.objects.filter(practice=None)[:10])
    admin = User.objects.get(email=ADMIN_EMAIL)
    links, checks, issues = [], [], []
    for migration in Migration.objects.only("pk", "go_live_date", "went_live_on", "fdp_date").order_by("pk"):
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
