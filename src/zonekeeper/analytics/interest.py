"""Interest on a refund of duty: 19 U.S.C. 1505(c), from the date of deposit to the date of
liquidation or reliquidation, at the overpayment rate of 26 U.S.C. 6621 for each quarter,
compounded daily (26 U.S.C. 6622; 19 CFR 24.3a(c)).

The quarterly rates are data (`data/analytics/overpayment_rates.csv`, with its provenance);
this module parses the table from text and accrues interest over the quarters it covers. A
period reaching past the table is accrued to the table's last day and says so; one starting
before it cannot be computed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.errors import InputError, Problem, ragged_row
from zonekeeper.money import ZERO, cents, in_money_context

DAYS_IN_YEAR = Decimal(365)  # 26 U.S.C. 6622: daily compounding, 365-day year as the IRS uses
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QuarterRate:
    """The overpayment rates (percent a year) in force from `start` for one quarter."""

    start: date
    noncorporate: Decimal  # 26 U.S.C. 6621(a)(1)(A)-(B) other than a corporation: FST + 3
    corporate: Decimal  # 26 U.S.C. 6621(a)(1): corporations, FST + 2
    source: str

    @property
    def end(self) -> date:
        """The quarter's last day."""
        month = self.start.month + 3
        year = self.start.year + (month > 12)
        return date(year, (month - 1) % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Accrued:
    """Interest accrued on an amount: the figure (None with `note` when it cannot be had),
    and the day it runs to."""

    interest: Decimal | None
    through: date | None
    note: str


def parse_rates(text: str, name: str = "overpayment_rates.csv") -> tuple[QuarterRate, ...]:
    """The rate table (columns quarter_start, noncorporate_pct, corporate_pct, source),
    contiguous quarters in order; InputError naming the row otherwise."""
    rates: list[QuarterRate] = []
    problems: list[Problem] = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        ragged = ragged_row(row, name, n, code="analytics.rates-unreadable")
        if ragged is not None:
            problems.append(ragged)
            continue
        try:
            rate = QuarterRate(date.fromisoformat(row["quarter_start"]),
                               Decimal(row["noncorporate_pct"]), Decimal(row["corporate_pct"]),
                               row["source"])
        except (KeyError, ValueError, ArithmeticError) as error:
            problems.append(Problem(f"unreadable rate row: {error}", file=name, row=n,
                                    code="analytics.rates-unreadable"))
            continue
        if rates and rate.start != rates[-1].end + timedelta(days=1):
            problems.append(Problem("quarters must follow one another", file=name, row=n,
                                    field="quarter_start", code="analytics.rates-unreadable"))
        rates.append(rate)
    if problems or not rates:
        raise InputError(problems or [Problem("no rates", file=name,
                                              code="analytics.rates-unreadable")])
    return tuple(rates)


@in_money_context
def accrue(amount: Decimal, deposited: date, until: date, rates: tuple[QuarterRate, ...],
           *, corporate: bool = True) -> Accrued:
    """Interest on `amount` deposited on `deposited`, accrued to `until` (exclusive of the
    deposit day), compounded daily at each quarter's rate. See the module docstring."""
    first, last = rates[0], rates[-1]
    if deposited < first.start:
        return Accrued(None, None, f"deposit on {deposited} is before the first quarter of the "
                                   f"rate table ({first.start})")
    through = min(until, last.end)
    note = "" if through == until else (
        f"accrued to {through}, the last day of the rate table; later quarters' rates are not "
        "shipped")
    if through <= deposited:
        return Accrued(ZERO, through, note)
    factor = Decimal(1)
    for rate in rates:
        start = max(rate.start, deposited + timedelta(days=1))
        end = min(rate.end, through)
        if end < start:
            continue
        pct = rate.corporate if corporate else rate.noncorporate
        factor *= (1 + pct / HUNDRED / DAYS_IN_YEAR) ** ((end - start).days + 1)
    return Accrued(cents(amount * (factor - 1)), through, note)
