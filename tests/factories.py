import datetime

import factory

from checklists.models import ChecklistTemplate, Migration, Step, TemplateStep, WindowSource
from go_live.models import CheckResult, CheckRound, DataCheck, Issue, IssueSeverity
from practices.models import ICB, Membership, Practice, Role, SubICBLocation, Supplier, User
from reconnections.models import MeshChange, MeshPartnerNotice, ThirdPartyLink, ThirdPartyService


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@practice.example")
    # Deterministic: Faker names like O'Neill are escaped differently by Django and Jinja, making tests flaky.
    full_name = factory.Sequence(lambda n: f"Alex Morgan {n}")
    password = factory.django.Password("a-long-test-password")


class ICBFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICB

    code = factory.Sequence(lambda n: f"Q{n:03d}")
    name = factory.Sequence(lambda n: f"NHS Test {n} Integrated Care Board")


class SubICBLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubICBLocation

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"NHS Test ICB - Place {n}")
    icb = factory.SubFactory(ICBFactory)


class PracticeFactory(factory.django.DjangoModelFactory):
    """A practice; given a sub-ICB location, its ICB follows it as the services keep it."""

    class Meta:
        model = Practice

    ods_code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Test Surgery {n}")
    sub_icb_location = None
    icb = factory.LazyAttribute(lambda o: o.sub_icb_location.icb if o.sub_icb_location else ICBFactory())


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ["name"]

    name = factory.Iterator(["EMIS", "TPP", "Cegedim", "Microtest"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PRACTICE_MANAGER
    practice = factory.SubFactory(PracticeFactory)


class PlaceCommissionerMembershipFactory(factory.django.DjangoModelFactory):
    """A commissioner for one sub-ICB location ("place"), not the whole ICB."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COMMISSIONER
    sub_icb_location = factory.SubFactory(SubICBLocationFactory)


class CommissionerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COMMISSIONER
    icb = factory.SubFactory(ICBFactory)


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class TemplateStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateStep

    template = factory.SubFactory(ChecklistTemplateFactory)
    order = factory.Sequence(lambda n: (n + 1) * 10)
    code = factory.Sequence(lambda n: f"T-{n:02d}")
    phase = "go_live"
    title = factory.Sequence(lambda n: f"Template step {n}")
    role = Role.PRACTICE_MANAGER
    anchor = "go_live"
    offset_working_days = 0


class MigrationFactory(factory.django.DjangoModelFactory):
    """A bare migration row (no steps); use checklists.services.migration_create for the real thing."""

    class Meta:
        model = Migration

    practice = factory.SubFactory(PracticeFactory)
    old_supplier = factory.LazyFunction(lambda: SupplierFactory(name="EMIS"))
    new_supplier = factory.LazyFunction(lambda: SupplierFactory(name="TPP"))
    idp_date = factory.LazyAttribute(lambda o: o.go_live_date - datetime.timedelta(days=56))
    fdp_date = factory.LazyAttribute(lambda o: o.go_live_date - datetime.timedelta(days=7))
    go_live_date = datetime.date(2027, 3, 1)
    planned_go_live_date = factory.LazyAttribute(lambda o: o.go_live_date)
    read_only_window_days = 45
    read_only_window_source = WindowSource.OLDER_GUIDE
    read_only_ends_on = factory.LazyAttribute(
        lambda o: o.go_live_date + datetime.timedelta(days=o.read_only_window_days)
    )


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    migration = factory.SubFactory(MigrationFactory)
    order = factory.Sequence(lambda n: (n + 1) * 10)
    code = factory.Sequence(lambda n: f"S-{n:02d}")
    phase = "go_live"
    title = factory.Sequence(lambda n: f"Step {n}")
    role = Role.PRACTICE_MANAGER
    anchor = "go_live"
    offset_working_days = 0
    due_date = factory.LazyAttribute(lambda o: o.migration.go_live_date)


class DataCheckFactory(factory.django.DjangoModelFactory):
    """A passed go-live round check; pass `area`, and `checked_by` a user at the practice."""

    class Meta:
        model = DataCheck

    migration = factory.SubFactory(MigrationFactory)
    area = "qof"
    round = CheckRound.GO_LIVE
    result = CheckResult.PASSED
    records_checked = 50
    problems_found = 0
    checked_on = factory.LazyAttribute(lambda o: o.migration.fdp_date)
    checked_by = factory.SubFactory(UserFactory)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    migration = factory.SubFactory(MigrationFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    severity = IssueSeverity.MEDIUM
    raised_by = factory.SubFactory(UserFactory)


class ThirdPartyServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThirdPartyService

    name = factory.Sequence(lambda n: f"Linked service {n}")
    category = "document_management"
    company = "Test Systems Ltd"
    notice_working_days = 5


class ThirdPartyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThirdPartyLink

    migration = factory.SubFactory(MigrationFactory)
    service = factory.SubFactory(ThirdPartyServiceFactory)


class MeshChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeshChange

    migration = factory.SubFactory(MigrationFactory)
    old_mailbox = "A12345OT001"
    new_mailbox = "A12345NT001"


class MeshPartnerNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeshPartnerNotice

    mesh_change = factory.SubFactory(MeshChangeFactory)
    partner_name = factory.Sequence(lambda n: f"Partner service {n}")
