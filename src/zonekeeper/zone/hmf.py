"""Harbor maintenance fee on zone admissions, summed per calendar quarter (CBP Form 349).

Cargo unladen from a commercial vessel at a covered port and admitted into a zone owes HMF
on **admission**, whatever its zone status (19 CFR 146.22(e), 24.24): 0.125% of the value.
A zone applicant pays it quarterly on CBP Form 349 ("FTZ admissions", class code 505), due
by the last day of the month after the quarter (19 CFR 24.24(e)). Withdrawals do not owe
HMF again.

The fee is computed on each admission unrounded and rounded once, on the quarter's total,
which is the amount the Form 349 reports. Which cargo owes it and at what rate is the one
rule of `entry_fees` (`by_vessel`, `hmf_exact`), shared with `duty entry` and Form 214.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.entry_fees import by_vessel, hmf_exact
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import ZERO, cents, in_money_context

HMF_CLASS_CODE = "505"


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written `2026Q3`."""

    year: int
    number: int

    @staticmethod
    def parse(text: str) -> Quarter:
        match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text)
        if not match:
            raise InputError(
                Problem(
                    f"not a quarter: {text!r} (write YYYYQn, e.g. 2026Q3)",
                    field="quarter",
                    code="hmf.quarter",
                )
            )
        return Quarter(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        nxt = date(self.year + (self.number == 4), (3 * self.number) % 12 + 1, 1)
        return nxt - timedelta(days=1)

    @property
    def payment_due(self) -> date:
        """Last day of the month following the quarter."""
        after = self.end + timedelta(days=1)
        nxt = date(after.year + (after.month == 12), after.month % 12 + 1, 1)
        return nxt - timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class ZoneAdmission:
    """What HMF needs to know about an admission: when, how it arrived, its value."""

    admission_no: str
    date: date
    value: Decimal
    mode: str | None  # vessel | air | truck | rail | mail; None when not recorded
    port: str = ""
    # The modes its lines record when they differ (`NOT_RECORDED` for a line without one):
    # which of its cargo came by vessel cannot be decided. Empty when the lines agree.
    modes: tuple[str, ...] = ()


NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class ModeConflict:
    """An admission whose lines record different modes of transport: HMF not decided."""

    admission_no: str
    modes: tuple[str, ...]


@dataclass(frozen=True)
class HmfLine:
    admission_no: str
    date: date
    value: Decimal
    rate: Decimal
    exact: Decimal  # unrounded; the quarter total is rounded once


@dataclass(frozen=True)
class HmfQuarter:
    """The Form 349 figure for one quarter, with each admission it came from."""

    quarter: Quarter
    lines: tuple[HmfLine, ...]
    not_vessel: tuple[str, ...]  # admissions in the quarter that owe no HMF (not by vessel)
    mode_unknown: tuple[str, ...]  # admissions whose mode is not recorded: cannot decide
    mode_conflict: tuple[ModeConflict, ...] = ()  # lines disagree on the mode: cannot decide

    @property
    @in_money_context
    def value(self) -> Decimal:
        return sum((line.value for line in self.lines), ZERO)

    @property
    @in_money_context
    def fee(self) -> Decimal:
        return cents(sum((line.exact for line in self.lines), ZERO))

    @property
    def due(self) -> date:
        return self.quarter.payment_due

    @property
    def class_code(self) -> str:
        return HMF_CLASS_CODE


def recorded_modes(modes: Iterable[str | None]) -> tuple[str, ...]:
    """The distinct modes of transport the lines of one admission record, in the order
    read, spelled alike (`Vessel` is `vessel`; a line without one is `NOT_RECORDED`). More
    than one: which of the admission's cargo came by vessel cannot be decided (19 CFR
    24.24), and it is reported, never settled by taking one line's mode."""
    return tuple(dict.fromkeys(
        m.strip().lower() if m is not None and m.strip() else NOT_RECORDED for m in modes))


@in_money_context
def admissions_of(lines: Iterable[ZoneAdmission]) -> tuple[ZoneAdmission, ...]:
    """One `ZoneAdmission` per admission number from its lines (CBP Form 214 lines of one
    admission): the values summed, the date of the last line read. HMF is owed per
    admission (146.22(e)), so the quarter lists admissions, not their lines.

    The mode is the one its lines record. Lines that record different modes (or a mode on
    some and none on others) are not settled by taking one of them: the admission carries
    every mode recorded (`modes`) and `hmf_quarter` reports it as not decidable."""
    by_number: dict[str, ZoneAdmission] = {}
    modes: dict[str, list[str | None]] = {}
    for line in lines:
        prev = by_number.get(line.admission_no)
        value = line.value + (prev.value if prev else ZERO)
        modes.setdefault(line.admission_no, []).append(line.mode)
        by_number[line.admission_no] = ZoneAdmission(line.admission_no, line.date, value,
                                                     line.mode, line.port)  # fmt: skip
    out = []
    for number, adm in by_number.items():
        recorded = recorded_modes(modes[number])
        out.append(replace(adm, mode=None, modes=recorded) if len(recorded) > 1 else adm)
    return tuple(out)


@in_money_context
def hmf_quarter(
    quarter: Quarter,
    admissions: Iterable[ZoneAdmission],
    hmf_rate: Callable[[date], Decimal],
) -> HmfQuarter:
    """HMF owed on the quarter's vessel admissions (19 CFR 146.22(e), 24.24).

    `hmf_rate(on)` is the fee table's rate (a fraction, 0.00125) on the admission date.
    Admissions with no recorded mode, or whose lines record different modes, are listed
    apart: the fee cannot be decided for them, and is not silently taken as zero.
    """
    lines: list[HmfLine] = []
    not_vessel: list[str] = []
    unknown: list[str] = []
    conflicts: list[ModeConflict] = []
    for adm in sorted(admissions, key=lambda a: (a.date, a.admission_no)):
        if adm.date not in quarter:
            continue
        if adm.modes:
            conflicts.append(ModeConflict(adm.admission_no, adm.modes))
            continue
        vessel = by_vessel(adm.mode)
        if vessel is None:
            unknown.append(adm.admission_no)
        elif vessel:
            rate = hmf_rate(adm.date)
            lines.append(HmfLine(adm.admission_no, adm.date, adm.value, rate,
                                 hmf_exact(adm.value, rate)))  # fmt: skip
        else:
            not_vessel.append(adm.admission_no)
    return HmfQuarter(quarter, tuple(lines), tuple(not_vessel), tuple(unknown),
                      tuple(conflicts))
