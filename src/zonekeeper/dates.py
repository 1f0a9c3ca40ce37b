"""Dates as users and data files write them: the one parser and its one error message.

Every date the product reads from a person (a command-line option, a cell of a file, a row
of a data table) goes through `parse_date`, so that all of them accept the same text and
refuse it with the same words: `not a date (YYYY-MM-DD): '2026-13-01'`. ISO 8601 calendar
dates are the format (`date.fromisoformat`, surrounding blanks ignored); drawback files also
take the ACE forms (`ACE_FORMATS`: MM/DD/YYYY and YYYYMMDD, as ES-003 exports write them).
Stored JSON (the ledger's events, a sealed plan) is decoded by its own codecs: it is written
by the product, not typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import overload

from zonekeeper.errors import InputError, Problem

ISO = "YYYY-MM-DD"
ACE_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d", "YYYY-MM-DD"),
    ("%m/%d/%Y", "MM/DD/YYYY"),
    ("%Y%m%d", "YYYYMMDD"),
)
"""(strptime pattern, how the message names it) of the dates a drawback file may hold."""

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9997, 12, 31)
"""The dates the product reads. The books compute from every date they hold: a week's
Sunday, the entry summary due ten business days later (19 CFR 146.63(c)) counted over the
next year's federal holidays (whose New Year's Day is observed from the year after), the
reconciliation due 90 days after the zone year (146.25), months looked back for the alerts;
each must be a date too, and Python's calendar ends on 9999-12-31. So the last two years
are left as room: a date there would break every later read of the books instead of being
refused once. 1900 is the first year a report takes (`report.year`); no zone existed before
the FTZ Act of 1934."""


def not_a_date(text: str, formats: Sequence[str] = (ISO,)) -> str:
    """The one message for text that is not a date in `formats`."""
    return f"not a date ({' or '.join(formats)}): {text!r}"


def parse_date(text: str, *, formats: Sequence[tuple[str, str]] = ()) -> date:
    """A date from text (`2026-08-03`) from FIRST_DAY to LAST_DAY; ValueError with
    `not_a_date`'s message, or saying the range. With `formats` ((strptime pattern, name)
    pairs, e.g. ACE_FORMATS) those are tried instead."""
    stripped = text.strip()
    if not formats:
        try:
            found = date.fromisoformat(stripped)
        except ValueError:
            raise ValueError(not_a_date(text)) from None
        return in_range(found, text)
    for pattern, _ in formats:
        try:
            found = datetime.strptime(stripped, pattern).date()
        except ValueError:
            continue
        return in_range(found, text)
    raise ValueError(not_a_date(text, [name for _, name in formats]))


def in_range(day: date, text: str) -> date:
    """`day`, if the product can compute from it (FIRST_DAY to LAST_DAY); else ValueError."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"a date out of range ({FIRST_DAY} to {LAST_DAY}): {text!r}")
    return day


@overload
def date_option(text: str, option: str) -> date: ...
@overload
def date_option(text: str | None, option: str) -> date | None: ...
def date_option(text: str | None, option: str) -> date | None:
    """A date given as a command-line option or argument (None: not given); InputError
    naming `option`."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        raise InputError(Problem(str(error), field=option, code="option.date")) from None
