import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from practices.models import Membership, Role, User
from tests.factories import ICBFactory, PracticeFactory, UserFactory


@pytest.mark.parametrize("code", ["A1234", "a12345", "AB1234", "A123456", "112345", ""])
def test_ods_code_must_be_a_letter_and_five_digits(db, code):
    practice = PracticeFactory.build(ods_code=code, icb=ICBFactory())
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "ods_code" in error.value.message_dict


def test_valid_ods_code_passes(db):
    PracticeFactory.build(ods_code="A12345", icb=ICBFactory()).full_clean()


def test_email_login_is_case_insensitive(db):
    user = User.objects.create_user(email="Rita@Example.NHS.net", password="a-long-test-password")
    assert user.email == "rita@example.nhs.net"


def test_commissioner_membership_needs_an_icb_not_a_practice(db):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Role.COMMISSIONER, practice=PracticeFactory())
