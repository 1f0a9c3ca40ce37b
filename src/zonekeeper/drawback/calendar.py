"""Dates the drawback law counts: 5-year windows and working days.

- Claims: "not later than 5 years after the date on which the merchandise designated ...
  was imported" (19 CFR 190.51(e)(1)): the last day is the fifth anniversary.
- Unused merchandise: export or destroy "before the close of the 5-year period beginning on
  the date of importation" (190.32(a); 1313(j)): the period counts the import day as its
  first day, so the last day is the day before the fifth anniversary.
- Manufacturing: use and export "within 5 years after importation" (190.27): the last day
  is the fifth anniversary.
- An import on 29 February has its anniversary on 28 February in a common year (the
  earlier day, the conservative reading).
- Working days (notice of intent, 190.35(a)) skip Saturdays, Sundays and the legal public
  holidays of 5 U.S.C. 6103(a), moved to Friday/Monday when they fall on a weekend
  (the federal "in lieu of" rule, Executive Order 11582).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def anniversary(start: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def claim_deadline(import_date: date) -> date:
    """Last day to file a complete claim designating this import (190.51(e)(1))."""
    return anniversary(import_date, 5)


def unused_export_deadline(import_date: date) -> date:
    """Last day to export/destroy for 1313(j) and 1313(c): end of the 5-year period (190.32(a))."""
    return anniversary(import_date, 5) - timedelta(days=1)


def manufacturing_deadline(import_date: date) -> date:
    """Last day to use in manufacture and export the article: 5 years after import (190.27)."""
    return anniversary(import_date, 5)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[date]:
    """Legal public holidays (5 U.S.C. 6103(a)) as observed in `year`.

    Juneteenth counts from 2021 (Pub. L. 117-17). Inauguration Day is left out: it is a
    holiday only in the Washington, DC area.
    """
    mon, thu = 0, 3
    days = {
        _observed(date(year, 1, 1)),
        _nth_weekday(year, 1, mon, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, mon, 3),  # Washington's Birthday
        _last_weekday(year, 5, mon),  # Memorial Day
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, mon, 1),  # Labor Day
        _nth_weekday(year, 10, mon, 2),  # Columbus Day
        _observed(date(year, 11, 11)),
        _nth_weekday(year, 11, thu, 4),  # Thanksgiving Day
        _observed(date(year, 12, 25)),
    }
    if year >= 2021:
        days.add(_observed(date(year, 6, 19)))
    # New Year's Day of the next year observed on 31 December of this one.
    if date(year + 1, 1, 1).weekday() == 5:
        days.add(date(year, 12, 31))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The working day that lies `count` working days before `day` (190.35(a) notice)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
