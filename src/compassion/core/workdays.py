"""Working days for the service standard: weekends and UK bank holidays are skipped."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


def start_of(day: date) -> datetime:
    """Midnight at the start of a local day, to filter on a range of an indexed column
    rather than on its DATE()."""
    return timezone.make_aware(datetime.combine(day, time.min))


@lru_cache(maxsize=8)
def bank_holidays(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=region, years=range(2015, 2041))


def is_working_day(day: date, region: str = "ENG") -> bool:
    return day.weekday() < 5 and day not in bank_holidays(region)


def add_working_days(start: date, days: int, region: str = "ENG") -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, region):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, region: str = "ENG") -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start, region)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count
