"""The cells of a user's file: one parser per kind of cell, one reason per refusal.

Every reader of a user's file (the zone's files, drawback files, `duty entry` CSV, estimates)
reads its cells with these, so a quantity, a date, a country or an HTS number is accepted
and refused alike whatever the file. Each takes the cell's text (stripped; a blank cell is
the reader's business: required or not) and returns the typed value, or raises ValueError
with the reason; the reader adds file, row and column (`errors.Problem`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from zonekeeper.dates import ACE_FORMATS, parse_date
from zonekeeper.duty.quote import MODES  # the modes of transport a quote knows
from zonekeeper.errors import InputError
from zonekeeper.money import parse_decimal, parse_whole
from zonekeeper.tariff.codes import hts_digits
from zonekeeper.tariff.countries import parse_country
from zonekeeper.zone.limits import LINE_MAX, too_long
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus


def text(value: str) -> str:
    return value


def identifier(value: str) -> str:
    """Text the books index (a lot, a part, an admission number...): at most `limits.ID`
    characters, the size of its column on every database."""
    reason = too_long(value)
    if reason is not None:
        raise ValueError(reason)
    return value


def positive_int(value: str) -> int:
    """An admission line number: a whole number (`money.parse_whole`: ASCII digits only)
    from 1 to `limits.LINE_MAX`."""
    try:
        number = parse_whole(value)
    except ValueError as error:
        if not str(error).startswith("too large"):
            raise
        number = LINE_MAX + 1  # out of the range below either way: say which range
    if number <= 0:
        raise ValueError(f"must be a whole number above 0, got {value!r}")
    if number > LINE_MAX:
        raise ValueError(f"must be a whole number from 1 to {LINE_MAX:,}, got {value!r}")
    return number


def positive_decimal(value: str) -> Decimal:
    number = parse_decimal(value)
    if number <= 0:
        raise ValueError(f"must be greater than 0, got {value!r}")
    return number


def nonnegative_decimal(value: str) -> Decimal:
    number = parse_decimal(value)
    if number < 0:
        raise ValueError(f"must not be negative, got {value!r}")
    return number


def percent(value: str) -> Decimal:
    number = parse_decimal(value.rstrip("%"))
    if not Decimal(0) <= number < Decimal(100):
        raise ValueError(f"must be a percentage from 0 to under 100, got {value!r}")
    return number


def iso_date(value: str) -> date:
    return parse_date(value)


def hts(
    value: str, *, shortest: int = 4, or_heading: Callable[[str], bool] | None = None
) -> str:
    """An HTS number as written (`8537.10.91.70`, `8537109170`, or `101210010` whose leading
    zero a spreadsheet ate: `tariff.codes.hts_digits`, as every reader); kept as digits.

    At least `shortest` digits (a heading, 4, by default; a drawback file's tariff line
    needs 8); a shorter code `or_heading` accepts is kept too (a drawback import's Chapter 99
    heading)."""
    try:
        digits = hts_digits(value)
    except ValueError:
        digits = ""
    if len(digits) < shortest and not (digits and or_heading and or_heading(digits)):
        raise ValueError(
            f"not an HTS number ({shortest} to 10 digits, e.g. 8537.10.91.70): {value!r}")
    return digits


def country(value: str) -> str:
    """An ISO 3166-1 alpha-2 country of origin, as CBP Form 214 and 7501 carry it: one of
    the shipped country list (`tariff.countries`, as `duty quote` checks it)."""
    try:
        return parse_country(value)
    except InputError as error:
        raise ValueError(error.problems[0].message) from None


def status(value: str) -> ZoneStatus:
    return ZoneStatus.parse(value)


def disposition(value: str) -> ShipmentDisposition:
    return ShipmentDisposition.parse(value)




def mode(value: str) -> str:
    key = value.strip().lower()
    if key not in MODES:
        raise ValueError(f"unknown mode of transport {value!r}: use one of {', '.join(MODES)}")
    return key


def method(value: str) -> str:
    key = value.strip().upper()
    if key not in ("FIFO", "LIFO", "LOT"):
        raise ValueError(f"unknown inventory method {value!r}: use FIFO, LIFO or LOT")
    return key


def ace_date(value: str) -> date:
    """A date as drawback (ACE ES-003) files write it: ISO, MM/DD/YYYY or YYYYMMDD."""
    return parse_date(value, formats=ACE_FORMATS)


def whole(value: str) -> int:
    """A whole number (`money.parse_whole`), e.g. an entry summary line number."""
    try:
        return parse_whole(value)
    except ValueError:
        raise ValueError(f"not a whole number: {value!r}") from None


_YES_NO = {"yes": True, "y": True, "true": True, "1": True,
           "no": False, "n": False, "false": False, "0": False}


def yes_no(value: str) -> bool:
    """yes or no, in any case (y/n, true/false and 1/0 as spreadsheets export them)."""
    answer = _YES_NO.get(value.strip().lower())
    if answer is None:
        raise ValueError(f"must be yes or no: {value!r}")
    return answer
