"""Demo data: a stable contract the README documents and acceptance tests use. Safe to run twice."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_app_device_give
from checklists.models import Migration, Step, StepCompletion, StepStatus, WindowSource
from checklists.scheduling import add_working_days
from checklists.services import migration_create, migration_withdraw, template_load_default
from go_live import selectors as go_live_selectors
from go_live import services as go_live_services
from go_live.models import (
    CURRENT_GO_LIVE_STATEMENT,
    CheckArea,
    CheckResult,
    CheckRound,
    GoLiveSignOff,
    IssueSeverity,
    IssueStatus,
)
from golive.core.audit import audit_record
from practices.models import ICB, Membership, Practice, Role, SubICBLocation, Supplier, User
from practices.services import practice_move
from reconnections.catalogue import catalogue_load
from reconnections.models import (
    CutoverRegistrations,
    LinkStatus,
    MeshChange,
    MeshPartnerNotice,
    ThirdPartyLink,
    ThirdPartyService,
)

DEMO_PASSWORD = "golive-demo-password"
YEAR = datetime.timedelta(days=365)

SUPPLIERS = [
    ("EMIS", "EMIS Web"),
    ("TPP", "SystmOne"),
    ("Cegedim", "Vision"),
    ("Microtest", "Evolution"),
    ("Medicus", "Medicus"),
]

ICBS = [("QND", "NHS North Demo Integrated Care Board"), ("QSD", "NHS South Demo Integrated Care Board")]

# Two places (sub-ICB locations) in each ICB: (code, name, ICB code).
SUB_ICB_LOCATIONS = [
    ("D1R", "NHS North Demo ICB - Rivermouth", "QND"),
    ("D1N", "NHS North Demo ICB - Northgate Vale", "QND"),
    ("D2O", "NHS South Demo ICB - Oakwood", "QSD"),
    ("D2H", "NHS South Demo ICB - Harbourside", "QSD"),
]

# (ODS code, name, sub-ICB location, old supplier, new supplier, stage, window days)
PRACTICES = [
    ("A10001", "Riverside Surgery", "D1R", "EMIS", "TPP", "live", 45),
    ("A10002", "Hillview Medical Centre", "D1R", "Cegedim", "EMIS", "cutover", 45),
    ("A10003", "Meadow Lane Surgery", "D1N", "Cegedim", "TPP", "planning", 45),
    ("A10004", "Northgate Health Centre", "D1N", "Microtest", "EMIS", "window_ending", 45),
    ("B20001", "Oakwood Health Centre", "D2O", "TPP", "EMIS", "idp_done", 90),
    ("B20002", "Beacon Practice", "D2O", "EMIS", "Medicus", "window_ending", 45),
    ("B20003", "Castle Street Surgery", "D2H", "Cegedim", "EMIS", "finished", 45),
    ("B20004", "Harbour View Surgery", "D2H", "EMIS", "TPP", "planning", 90),
]

# Migrations created by mistake and withdrawn: (ODS code, old supplier, new supplier, withdrawn by, reason).
WITHDRAWN = [
    (
        "B20004",
        "EMIS",
        "Medicus",
        "commissioner@south.example",
        "Created with the wrong new supplier: Harbour View is moving to TPP",
    ),
]

USERS = [
    ("admin@golive.example", "GoLive Admin", None, None),
    ("manager@riverside.example", "Rita Patel", Role.PRACTICE_MANAGER, "A10001"),
    ("staff@riverside.example", "Sam Jones", Role.PRACTICE_STAFF, "A10001"),
    ("lead@riverside.example", "Dr Lena Okafor", Role.CLINICAL_LEAD, "A10001"),
    ("manager@hillview.example", "Harry Green", Role.PRACTICE_MANAGER, "A10002"),
    ("manager@oakwood.example", "Olivia Brown", Role.PRACTICE_MANAGER, "B20001"),
    ("manager@northgate.example", "Nadia Khan", Role.PRACTICE_MANAGER, "A10004"),
    ("manager@beacon.example", "Ben Carter", Role.PRACTICE_MANAGER, "B20002"),
    ("commissioner@north.example", "Nina North", Role.COMMISSIONER, "QND"),
    ("commissioner@south.example", "Simon South", Role.COMMISSIONER, "QSD"),
    ("commissioner@rivermouth.example", "Rowan Rivers", Role.COMMISSIONER, "D1R"),
]


def key_dates_for(stage: str, today: datetime.date, window_days: int) -> dict:
    """Go-live, FDP and IDP dates that put a migration at the named stage today."""
    go_live = {
        "planning": today + datetime.timedelta(days=70),
        "idp_done": today + datetime.timedelta(days=35),
        "cutover": today + datetime.timedelta(days=3),
        "live": today - datetime.timedelta(days=10),
        "window_ending": today - datetime.timedelta(days=window_days - 5),
        "finished": today - datetime.timedelta(days=window_days + 30),
    }[stage]
    return {
        "go_live_date": go_live,
        "fdp_date": go_live - datetime.timedelta(days=7),
        "idp_date": go_live - datetime.timedelta(days=56),
    }


class Command(BaseCommand):
    help = "Load the demo ICBs, practices, people and migrations (refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo loads known passwords, so it only runs with DEBUG on.")
        today = timezone.localdate()
        with transaction.atomic():
            template_load_default()
            catalogue_load(ThirdPartyService)
            suppliers = {
                name: Supplier.objects.get_or_create(name=name, defaults={"system_name": system})[0]
                for name, system in SUPPLIERS
            }
            icbs = {code: ICB.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in ICBS}
            places = {
                code: SubICBLocation.objects.get_or_create(code=code, defaults={"name": name, "icb": icbs[icb]})[0]
                for code, name, icb in SUB_ICB_LOCATIONS
            }
            practices = {}
            for ods, name, place, old, *_ in PRACTICES:
                practice, _ = Practice.objects.get_or_create(
                    ods_code=ods,
                    defaults={"name": name, "icb": places[place].icb, "current_supplier": suppliers[old]},
                )
                if practice.sub_icb_location_id is None:
                    # Practices seeded before places existed get theirs on the next run.
                    practice = practice_move(
                        actor=None, practice=practice, sub_icb_location=places[place], on=today - YEAR
                    )
                practices[ods] = practice
            for email, full_name, role, where in USERS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email=email,
                        password=DEMO_PASSWORD,
                        full_name=full_name,
                        is_staff=role is None,
                        is_superuser=role is None,
                    )
                if role == Role.COMMISSIONER and where in places:
                    Membership.objects.get_or_create(user=user, sub_icb_location=places[where], defaults={"role": role})
                elif role == Role.COMMISSIONER:
                    Membership.objects.get_or_create(user=user, icb=icbs[where], defaults={"role": role})
                elif role:
                    Membership.objects.get_or_create(user=user, practice=practices[where], defaults={"role": role})
                if role in (None, Role.COMMISSIONER):
                    # They must use two-factor sign-in: a known demo secret lets anyone try them (README).
                    demo_app_device_give(user)
            admin = User.objects.get(email="admin@golive.example")
            created = 0
            for ods, old, new, by, reason in WITHDRAWN:
                if Migration.objects.filter(practice=practices[ods]).exists():
                    continue
                mistake = migration_create(
                    user=admin,
                    practice=practices[ods],
                    old_supplier=suppliers[old],
                    new_supplier=suppliers[new],
                    read_only_window_days=45,
                    read_only_window_source=WindowSource.OLDER_GUIDE,
                    **key_dates_for("planning", today, 45),
                )
                migration_withdraw(user=User.objects.get(email=by), migration=mistake, reason=reason)
                created += 1
            for ods, _name, _place, old, new, stage, window in PRACTICES:
                practice = practices[ods]
                if Migration.objects.filter(practice=practice, withdrawn_at__isnull=True).exists():
                    continue
                migration = migration_create(
                    user=admin,
                    practice=practice,
                    old_supplier=suppliers[old],
                    new_supplier=suppliers[new],
                    read_only_window_days=window,
                    read_only_window_source=WindowSource.NEWER_GUIDE if window == 90 else WindowSource.OLDER_GUIDE,
                    **key_dates_for(stage, today, window),
                )
                self._progress(migration, stage, today)
                self._go_live_day(migration, stage)
                self._links(migration, stage)
                created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} migrations created)."))

    def _progress(self, migration, stage, today):
        """Mark work done as a practice at that stage would have, leaving a few recent steps overdue.

        Where the practice manager uses GoLive, they ticked each step on its due date. A practice with nobody on
        GoLive did its work before GoLive, so its steps are recorded as done before GoLive, naming nobody.
        """
        cutoff = today if stage == "finished" else add_working_days(today, -3)
        done = migration.steps.filter(due_date__lt=cutoff) if stage != "finished" else migration.steps.all()
        manager = User.objects.filter(
            memberships__practice=migration.practice, memberships__role=Role.PRACTICE_MANAGER
        ).first()
        if manager is None:
            done.update(status=StepStatus.DONE, completion=StepCompletion.BEFORE_GOLIVE)
        else:
            steps = list(done)
            for step in steps:
                step.status = StepStatus.DONE
                step.completed_by = step.updated_by = manager
                step.completed_at = min(
                    timezone.make_aware(datetime.datetime.combine(step.due_date, datetime.time(10))), timezone.now()
                )
            Step.objects.bulk_update(steps, ["status", "completed_by", "updated_by", "completed_at"], batch_size=500)
        if stage in {"live", "window_ending", "finished"}:
            migration.went_live_on = migration.go_live_date
        if stage == "finished":
            migration.completed_on = migration.read_only_ends_on
        migration.save(update_fields=["went_live_on", "completed_on"])

    def _go_live_day(self, migration, stage):
        """Data re-checks, issues and, once live, the go-live sign-off and the supplier's confirmation."""
        manager = User.objects.filter(
            memberships__practice=migration.practice, memberships__role=Role.PRACTICE_MANAGER
        ).first()
        if manager is None or stage not in {"cutover", "live", "window_ending"}:
            return
        if stage == "cutover":
            # Re-checks under way: one failure still blocks the sign-off.
            for area, result, problems in [
                (CheckArea.QOF, CheckResult.PASSED, 0),
                (CheckArea.CYTOLOGY, CheckResult.FAILED, 14),
                (CheckArea.IDP_SAMPLE, CheckResult.PASSED_WITH_ISSUES, 2),
            ]:
                go_live_services.data_check_record(
                    user=manager,
                    migration=migration,
                    area=area,
                    round=CheckRound.FDP,
                    result=result,
                    records_checked=60,
                    problems_found=problems,
                    checked_on=migration.fdp_date,
                    supplier_reference=f"RC-{migration.pk}-{area}",
                )
            go_live_services.issue_raise(
                user=manager,
                migration=migration,
                title="Cytology recall dates missing after extract",
                severity=IssueSeverity.HIGH,
                owner=manager,
                supplier_reference=f"INC-{migration.pk}01",
            )
            return
        for area in go_live_selectors.GO_LIVE_REQUIRED_AREAS:
            go_live_services.data_check_record(
                user=manager,
                migration=migration,
                area=area,
                round=CheckRound.GO_LIVE,
                result=CheckResult.PASSED_WITH_ISSUES if area == CheckArea.LOCAL_CODES else CheckResult.PASSED,
                records_checked=80,
                problems_found=3 if area == CheckArea.LOCAL_CODES else 0,
                checked_on=migration.fdp_date,
            )
        self._sign_off_on_go_live_day(migration, manager)
        go_live_services.supplier_confirmation_record(
            user=manager,
            migration=migration,
            told_on=migration.go_live_date,
            contact=f"{migration.new_supplier} migration project manager",
            reference=f"GL-{migration.pk:04d}",
        )
        go_live_services.issue_raise(
            user=manager,
            migration=migration,
            title="Degraded allergies need recoding",
            description="About 40 records, listed in the supplier's report",
            severity=IssueSeverity.CRITICAL,
            owner=manager,
            supplier_reference=f"INC-{migration.pk}02",
        )
        fixed = go_live_services.issue_raise(
            user=manager, migration=migration, title="Two local codes mapped to the wrong Read code", severity="low"
        )
        go_live_services.issue_update(
            user=manager,
            issue=fixed,
            expected_version=fixed.version,
            title=fixed.title,
            severity=fixed.severity,
            status=IssueStatus.RESOLVED,
            resolution_note="Remapped by the supplier",
        )

    def _sign_off_on_go_live_day(self, migration, manager):
        """The sign-off as it was made on the go-live date (the service would date it today)."""
        sign_off = GoLiveSignOff.objects.create(
            migration=migration,
            sequence=1,
            signed_by=manager,
            signed_by_name=manager.get_full_name(),
            role=Role.PRACTICE_MANAGER,
            signed_at=timezone.make_aware(datetime.datetime.combine(migration.go_live_date, datetime.time(10, 30))),
            statement_version=CURRENT_GO_LIVE_STATEMENT,
            readiness_snapshot=go_live_selectors.go_live_readiness(migration).snapshot(),
        )
        audit_record(
            actor=manager,
            action="go_live.signed_off",
            obj=sign_off,
            after={"sign_off": 1, "statement_version": CURRENT_GO_LIVE_STATEMENT},
            reason="Demo data",
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )

    def _links(self, migration, stage):
        """Third-party links as far along as the stage implies; Riverside is mid-reconnection with a MESH change."""
        status = LINK_STATUS_AT_STAGE.get(stage)
        if status is None:
            return  # planning practices have not set up their list yet: the demo shows the set-up page
        services = ThirdPartyService.objects.filter(practice=None, name__in=DEMO_LINKED_SERVICES)
        links = [ThirdPartyLink(migration=migration, service=service) for service in services]
        for link in links:
            link.status = LINK_STATUS_EXCEPTIONS.get((stage, link.service.name), status)
            _fill_link_dates(link, migration)
            if stage == "live" and link.service.name == "DocMan":
                link.reconfiguration_needed = True
                link.reconfiguration_note = "Supplier to re-point the DocMan integration at the new system"
        ThirdPartyLink.objects.bulk_create(links)
        if stage == "live":
            change = MeshChange.objects.create(
                migration=migration,
                old_mailbox=f"{migration.practice.ods_code}OT001",
                new_mailbox=f"{migration.practice.ods_code}NT001",
            )
            for partner, told in [("PCSE", True), ("Local hospital trust", True), ("Pathology laboratory", False)]:
                MeshPartnerNotice.objects.create(
                    mesh_change=change, partner_name=partner, told_on=migration.go_live_date if told else None
                )
        if stage in {"cutover", "live"}:
            waiting, registered = (6, 0) if stage == "cutover" else (4, 9)
            CutoverRegistrations.objects.create(migration=migration, waiting=waiting, registered=registered)


DEMO_LINKED_SERVICES = [
    "DocMan",
    "Apollo scanning",
    "Electronic Prescription Service (EPS)",
    "Pathology links",
    "GP2GP",
    "Summary Care Record (SCR)",
    "NHS App (IM1)",
    "SMS messaging provider",
    "MESH mailbox",
    "e-Referral Service (e-RS)",
]

LINK_STATUS_AT_STAGE = {
    "idp_done": LinkStatus.IN_USE,
    "cutover": LinkStatus.SWITCHED_OFF,
    "live": LinkStatus.RECONNECTED,
    "window_ending": LinkStatus.VERIFIED,
    "finished": LinkStatus.VERIFIED,
}

# Riverside, live: one checked working, two still to reconnect. Oakwood has told the EPS team in good time.
LINK_STATUS_EXCEPTIONS = {
    ("live", "Electronic Prescription Service (EPS)"): LinkStatus.VERIFIED,
    ("live", "SMS messaging provider"): LinkStatus.SWITCHED_OFF,
    ("live", "NHS App (IM1)"): LinkStatus.RECONNECTION_REQUESTED,
    ("idp_done", "Electronic Prescription Service (EPS)"): LinkStatus.SUPPLIER_TOLD,
}

LINK_ORDER = list(LinkStatus.values)


def _fill_link_dates(link, migration):
    """Set the date of every stage the link has reached, on the guide's default day."""
    reached = LINK_ORDER.index(link.status)
    stages = [
        (
            LinkStatus.SUPPLIER_TOLD,
            "told_on",
            add_working_days(migration.fdp_date, -2 - link.service.notice_working_days),
        ),
        (LinkStatus.SWITCHED_OFF, "switched_off_on", add_working_days(migration.fdp_date, -1)),
        (LinkStatus.RECONNECTION_REQUESTED, "reconnection_requested_on", migration.go_live_date),
        (LinkStatus.RECONNECTED, "reconnected_on", migration.go_live_date),
        (LinkStatus.VERIFIED, "verified_on", add_working_days(migration.go_live_date, 1)),
    ]
    for status, field, day in stages:
        if reached >= LINK_ORDER.index(status):
            setattr(link, field, day)
