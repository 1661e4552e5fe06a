"""Due dates: N working days before or after an anchor date, skipping weekends and England and Wales bank holidays."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; the package needs no network.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(anchor: datetime.date, offset: int) -> datetime.date:
    """Move `offset` working days from `anchor`. Zero keeps the anchor itself, even at a weekend (weekend cutovers)."""
    step = 1 if offset > 0 else -1
    day = anchor
    remaining = abs(offset)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end == start:
        return 0
    step = 1 if end > start else -1
    count = 0
    day = start
    while day != end:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            count += step
    return count
