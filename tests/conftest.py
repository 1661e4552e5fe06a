import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import TWO_FACTOR_STATE_KEY, TwoFactorState
from accounts.two_factor import VERIFIED_AT_SESSION_KEY, second_factor_required
from checklists.services import migration_create, template_load_default
from practices.models import Role
from tests.factories import (
    CommissionerMembershipFactory,
    ICBFactory,
    MembershipFactory,
    PlaceCommissionerMembershipFactory,
    PracticeFactory,
    SubICBLocationFactory,
    SupplierFactory,
    UserFactory,
)

GO_LIVE = datetime.date(2027, 3, 1)


@pytest.fixture
def default_template(db):
    return template_load_default()


@pytest.fixture
def world(db, default_template):
    """Two ICBs, a practice in each with a migration, and people in every role.

    `home` is the practice under test; `neighbour` is in the same ICB but another sub-ICB location (place);
    `other` belongs to another ICB and must stay invisible. `place_commissioner` looks after the neighbour's
    place only, so home is outside their scope.
    """
    north, south = ICBFactory(code="QN1"), ICBFactory(code="QS1")
    home_place = SubICBLocationFactory(icb=north, code="01A", name="NHS North ICB - Riverside place")
    neighbour_place = SubICBLocationFactory(icb=north, code="01B", name="NHS North ICB - Hillview place")
    south_place = SubICBLocationFactory(icb=south, code="02A", name="NHS South ICB - Castle place")
    home = PracticeFactory(sub_icb_location=home_place, ods_code="A12345", name="Riverside Surgery")
    neighbour = PracticeFactory(sub_icb_location=neighbour_place, ods_code="A22222", name="Hillview Medical Centre")
    other = PracticeFactory(sub_icb_location=south_place, ods_code="B12345", name="Castle Street Surgery")
    manager = MembershipFactory(practice=home, role=Role.PRACTICE_MANAGER, user__email="manager@home.example").user
    staff = MembershipFactory(practice=home, role=Role.PRACTICE_STAFF, user__email="staff@home.example").user
    neighbour_manager = MembershipFactory(
        practice=neighbour, role=Role.PRACTICE_MANAGER, user__email="manager@neighbour.example"
    ).user
    other_manager = MembershipFactory(
        practice=other, role=Role.PRACTICE_MANAGER, user__email="manager@other.example"
    ).user
    commissioner = CommissionerMembershipFactory(icb=north, user__email="commissioner@north.example").user
    other_commissioner = CommissionerMembershipFactory(icb=south, user__email="commissioner@south.example").user
    place_commissioner = PlaceCommissionerMembershipFactory(
        sub_icb_location=neighbour_place, user__email="commissioner@hillview-place.example"
    ).user
    admin = UserFactory(email="admin@golive.example", is_staff=True, is_superuser=True)
    emis, tpp = SupplierFactory(name="EMIS"), SupplierFactory(name="TPP")

    def make_migration(practice, actor, go_live=GO_LIVE):
        return migration_create(
            user=actor,
            practice=practice,
            old_supplier=emis,
            new_supplier=tpp,
            idp_date=go_live - datetime.timedelta(days=56),
            fdp_date=go_live - datetime.timedelta(days=7),
            go_live_date=go_live,
            read_only_window_days=45,
            read_only_window_source="older_guide",
        )

    def new_practice(*people, icb=north, role=Role.PRACTICE_MANAGER):
        """Another practice in the ICB, with `people` in `role` there: a practice has one open migration at a
        time, so tests that need several of someone's migrations give each its own practice."""
        practice = PracticeFactory(icb=icb)
        for person in people:
            MembershipFactory(practice=practice, user=person, role=role)
            person.__dict__.pop("_memberships", None)  # read again: roles_for keeps them on the user object
        return practice

    return SimpleNamespace(
        north=north,
        south=south,
        home_place=home_place,
        neighbour_place=neighbour_place,
        south_place=south_place,
        home=home,
        neighbour=neighbour,
        other=other,
        manager=manager,
        staff=staff,
        neighbour_manager=neighbour_manager,
        other_manager=other_manager,
        commissioner=commissioner,
        other_commissioner=other_commissioner,
        place_commissioner=place_commissioner,
        admin=admin,
        emis=emis,
        tpp=tpp,
        migration=make_migration(home, manager),
        neighbour_migration=make_migration(neighbour, neighbour_manager),
        other_migration=make_migration(other, other_manager),
        make_migration=make_migration,
        new_practice=new_practice,
    )


def sign_in_verified(client, user):
    """Sign the test client in as `user` with a second factor entered just now (an authenticator app device
    is made if the user has none), as administrators and commissioners must be before any page."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()
    session[TWO_FACTOR_STATE_KEY] = TwoFactorState.VERIFY
    session.save()
    return client


@pytest.fixture
def client_for(client):
    """Log the test client in as a user: `client_for(world.manager)`. Administrators and commissioners get a
    second factor, verified now (sign_in_verified); tests of two-factor sign-in itself use force_login."""

    def login(user):
        if second_factor_required(user):
            return sign_in_verified(client, user)
        client.force_login(user)
        return client

    return login
