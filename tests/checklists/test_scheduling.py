import datetime

import pytest

from checklists.scheduling import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        (datetime.date(2026, 11, 27), 1, datetime.date(2026, 11, 30)),  # Friday + 1 → Monday
        (datetime.date(2026, 11, 30), -1, datetime.date(2026, 11, 27)),  # Monday − 1 → Friday
        (datetime.date(2026, 12, 24), 1, datetime.date(2026, 12, 29)),  # skips Christmas and Boxing Day (28th)
        (datetime.date(2027, 3, 24), 2, datetime.date(2027, 3, 30)),  # skips Good Friday 26 Mar 2027
        (datetime.date(2027, 3, 30), -1, datetime.date(2027, 3, 25)),  # back over Easter Monday and Good Friday
        (datetime.date(2026, 11, 28), 0, datetime.date(2026, 11, 28)),  # zero keeps a weekend anchor
        (datetime.date(2026, 8, 28), 1, datetime.date(2026, 9, 1)),  # August bank holiday 31 Aug 2026
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(anchor, offset, expected):
    assert add_working_days(anchor, offset) == expected


def test_bank_holiday_is_not_a_working_day():
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert is_working_day(datetime.date(2026, 12, 23))


def test_working_days_between_inverts_add_working_days():
    start = datetime.date(2026, 12, 18)
    end = add_working_days(start, 7)
    assert working_days_between(start, end) == 7
    assert working_days_between(end, start) == -7
