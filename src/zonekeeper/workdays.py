"""CBP's calendar: working (business) days — weekdays that are not legal public holidays.

Deadlines in the zone and drawback regulations are counted in working days: the weekly entry
summary (19 CFR 142.12(b), 146.63(c)), zone transfer permits and certifications (146.66,
146.25), the drawback notice of intent (190.35(a)). A working day is Monday to Friday and not
one of the legal public holidays of 5 U.S.C. 6103(a), as observed: a holiday on a Saturday is
observed the Friday before, on a Sunday the Monday after (5 U.S.C. 6103(b); Executive Order
11582). Juneteenth counts from 2021 (Pub. L. 117-17). Inauguration Day is left out: it is a
holiday only in the Washington, DC area.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

_MON, _THU = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """Saturday's holiday is observed on Friday, Sunday's on Monday (5 U.S.C. 6103(b))."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[date]:
    """The legal public holidays of 5 U.S.C. 6103(a), as observed, that fall in `year`."""
    days = {
        _observed(date(year, 1, 1)),
        _nth_weekday(year, 1, _MON, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, _MON, 3),  # Washington's Birthday
        _last_weekday(year, 5, _MON),  # Memorial Day
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, _MON, 1),  # Labor Day
        _nth_weekday(year, 10, _MON, 2),  # Columbus Day
        _observed(date(year, 11, 11)),
        _nth_weekday(year, 11, _THU, 4),  # Thanksgiving Day
        _observed(date(year, 12, 25)),
        _observed(date(year + 1, 1, 1)),  # may fall on 31 December of this year
    }
    if year >= 2021:
        days.add(_observed(date(year, 6, 19)))  # Juneteenth
    return frozenset(day for day in days if day.year == year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def working_days_after(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself not counted)."""
    return _step(start, count, timedelta(days=1))


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (`day` itself not counted)."""
    return _step(day, count, timedelta(days=-1))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def _step(day: date, count: int, step: timedelta) -> date:
    while count > 0:
        day += step
        if is_working_day(day):
            count -= 1
    return day
