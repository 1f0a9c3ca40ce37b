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


def not_a_date(text: str, formats: Sequence[str] = (ISO,)) -> str:
    """The one message for text that is not a date in `formats`."""
    return f"not a date ({' or '.join(formats)}): {text!r}"


def parse_date(text: str, *, formats: Sequence[tuple[str, str]] = ()) -> date:
    """A date from text (`2026-08-03`); ValueError with `not_a_date`'s message. With
    `formats` ((strptime pattern, name) pairs, e.g. ACE_FORMATS) those are tried instead."""
    stripped = text.strip()
    if not formats:
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            raise ValueError(not_a_date(text)) from None
    for pattern, _ in formats:
        try:
            return datetime.strptime(stripped, pattern).date()
        except ValueError:
            continue
    raise ValueError(not_a_date(text, [name for _, name in formats]))


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
