"""Every CSV the product writes goes through here, so no cell of it runs as a formula.

The files are opened by brokers and claims staff in a spreadsheet, and their text cells carry
what input files said (an import entry number, an export reference, a part's unit, a
claimant's name). A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` (also tab or
carriage return, and the full-width forms some versions accept) as a formula, which can
compute, link out or, through DDE, run a program: CSV injection. As OWASP advises, such a text
cell is written with a single quote in front, which the spreadsheet shows as text.

A number stays a number: an amount the product wrote as `-12.50` (or a reference that is a
plain number) is not a formula in any spreadsheet, and a quote in front would make it text
that no longer sums.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A plain decimal number: a sign, digits (maybe grouped), a fraction, an exponent.
_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> object:
    """`value` safe for a spreadsheet: None as an empty cell, numbers as they are, a text
    cell that a spreadsheet would read as a formula with a single quote in front."""
    if value is None:
        return ""
    if isinstance(value, int | Decimal | float):  # bool is an int: written True/False
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """`csv.writer` whose every cell goes through `cell`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(value) for value in row])


def writer(out: TextIO) -> SafeWriter:
    """A CSV writer (Unix line ends) that neutralizes formula cells."""
    return SafeWriter(out)
