"""An importer's entry lines as the analytics read them: one commodity line with its
Chapter 99 rows (ACE ES-003 reports each 9903 heading as its own tariff-ordinal row of the
same line, with its own duty; the value sits on the commodity row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Chapter99Row:
    """One Chapter 98/99 tariff-ordinal row of a line: the heading (10 digits, as reported,
    or "" where the file gives only a per-program duty column) and the duty it carries."""

    heading: str
    duty: Decimal
    program: str = ""  # the program a file names in place of a heading (e.g. "ieepa")
    row: int | None = None


@dataclass(frozen=True, slots=True)
class EntryLine:
    """One entry summary line: the commodity row's data and the line's Chapter 99 rows.

    `origin` and `spi` are as the file gives them (validated by `quality`, not here: a wrong
    origin is a finding, not a reason to refuse the file). `row` is the commodity row's
    number as a spreadsheet shows it."""

    entry: str
    line: int
    entry_date: date
    hts: str  # 10 digits, no dots
    value: Decimal
    duty: Decimal  # the commodity row's duty (the base rate's duty)
    origin: str = ""
    spi: str = ""
    entry_type: str = ""
    importer: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    manufacturer: str = ""
    seller: str = ""  # the seller to the importer where the file names one (first sale)
    part: str = ""
    description: str = ""
    liquidation_status: str = ""
    liquidation_date: date | None = None
    chapter99: tuple[Chapter99Row, ...] = ()
    row: int | None = None

    @property
    def total_duty(self) -> Decimal:
        """The duty reported for the line: commodity row plus every Chapter 99 row."""
        return self.duty + sum((c.duty for c in self.chapter99), Decimal(0))
