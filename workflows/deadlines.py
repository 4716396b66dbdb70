"""Deadlines by Swedish calendar rules.

Under the Act on the computation of statutory time (1930:173) a deadline that
falls on a Saturday, Sunday, public holiday, Midsummer Eve, Christmas Eve or
New Year's Eve moves to the next working day.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _non_working_days(year: int) -> frozenset[date]:
    days = set(holidays.Sweden(years=year, include_sundays=False).keys())
    midsummer_day = next(d for d, name in holidays.Sweden(years=year).items() if name == "Midsummer Day")
    days |= {midsummer_day - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _non_working_days(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def deadline_after(start: date, *, days: int = 0, weeks: int = 0) -> date:
    """A period counted in calendar days or weeks, moved off a non-working day.

    The appeal period of three weeks from posting uses this.
    """
    return next_working_day(start + timedelta(days=days, weeks=weeks))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year).

    The terms of partnerships and of the compact are counted in whole years this way.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the last day of that month when it is
    shorter (31 August + 6 months is 28 or 29 February).

    A party may ask for a decision six months after an application came in (förvaltningslagen 12 §).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))
