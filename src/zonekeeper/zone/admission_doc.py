"""Admission document data (CBP Form 214) with the duty each line will owe or may owe.

Merchandise is admitted to a zone on CBP Form 214 (19 CFR 146.32), one line per kind of
merchandise, with the zone status requested: P (privileged foreign), N (non-privileged
foreign), D (domestic) or Z (zone-restricted) (146.41-146.44). At admission the software
computes duty for every line:

- PF: the duty that **will** be owed on entry for consumption — classification, rate and
  value are frozen on the PF filing date (146.65(a)(1)); only measures that override the
  freeze can change it later.
- NPF: an **estimate** only — NPF merchandise is dutied in its condition and at the rate on
  the date the entry is filed (146.65(a)(2)); `withdrawal_duty` recomputes it at exit.
- D: none (146.43(c)). ZR: none here; it may not be entered for consumption (146.44(c)).

Vessel cargo also owes HMF on admission (146.22(e), 19 CFR 24.24), paid quarterly
(`zone.hmf`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.entry_fees import by_vessel, hmf_exact
from zonekeeper.money import ZERO, cents, in_money_context
from zonekeeper.zone.entries import Quoter
from zonekeeper.zone.hmf import recorded_modes
from zonekeeper.zone.withdrawal_duty import EntryLine, LineKey, LinePart, price, total_duty

FORM_214_STATUS = {"PF": "P", "NPF": "N", "D": "D", "ZR": "Z"}


@dataclass(frozen=True)
class AdmissionLine:
    """One Form 214 line as the books recorded it."""

    admission_no: str
    line: int
    date: dt.date
    part: str
    description: str
    hts: str | None
    origin: str | None
    quantity: Decimal
    unit: str
    value: Decimal
    status: str  # PF | NPF | D | ZR
    pf_date: dt.date | None = None
    mode: str | None = None
    lot: str = ""


@dataclass(frozen=True)
class AdmissionDuty:
    """The duty of one line at admission: owed (PF), estimated (NPF) or none, and why."""

    kind: str  # "owed" | "estimate" | "none"
    note: str
    line: EntryLine | None

    @property
    @in_money_context
    def duty(self) -> Decimal | None:
        return self.line.duty if self.line is not None else ZERO


@dataclass(frozen=True)
class AdmissionDocLine:
    line: AdmissionLine
    form_status: str  # P | N | D | Z
    duty: AdmissionDuty


@dataclass(frozen=True)
class AdmissionDocument:
    """Form 214 data for one admission, with each line's duty and any HMF."""

    zone: str
    admission_no: str
    date: dt.date
    mode: str | None
    lines: tuple[AdmissionDocLine, ...]
    hmf_rate: Decimal | None  # set for vessel admissions
    # the modes its lines record when they differ (`zone.hmf.recorded_modes`): `mode` is
    # then None and HMF cannot be decided
    modes: tuple[str, ...] = ()

    @property
    @in_money_context
    def value(self) -> Decimal:
        return sum((d.line.value for d in self.lines), ZERO)

    @property
    @in_money_context
    def hmf(self) -> Decimal | None:
        """HMF owed on this admission (paid with the quarter's Form 349)."""
        return None if self.hmf_rate is None else cents(hmf_exact(self.value, self.hmf_rate))

    @property
    @in_money_context
    def duty_owed(self) -> Decimal | None:
        return total_duty([d.duty.line for d in self.lines
                           if d.duty.kind == "owed" and d.duty.line is not None])

    @property
    @in_money_context
    def duty_estimate(self) -> Decimal | None:
        return total_duty([d.duty.line for d in self.lines
                           if d.duty.kind == "estimate" and d.duty.line is not None])


@in_money_context
def admission_duty(line: AdmissionLine, quoter: Quoter) -> AdmissionDuty:
    """Duty of one Form 214 line computed at admission (146.65(a))."""
    if line.status in ("D", "ZR"):
        note = (
            "domestic status: no duty (19 CFR 146.43(c))"
            if line.status == "D"
            else "zone-restricted: for export, destruction or storage only; "
            "no consumption entry (19 CFR 146.44)"
        )
        return AdmissionDuty("none", note, None)
    pf = line.status == "PF"
    pf_date = (line.pf_date or line.date) if pf else None
    key = LineKey(line.hts or "", line.origin or "", line.status, None, pf_date)
    part = LinePart(key, line.value, line.quantity, line.unit, (), (line.lot,) if line.lot else ())
    priced = price(part, quoter, pf_date or line.date)
    if pf:
        note = (
            f"owed on entry for consumption: rate and value frozen at PF filing {pf_date} "
            "(19 CFR 146.65(a)(1)); measures that override the freeze may change it"
        )
        return AdmissionDuty("owed", note, priced)
    note = (
        "estimate only: NPF merchandise is dutied in its condition and at the rate on the "
        "date the entry is filed (19 CFR 146.65(a)(2)); recomputed at exit"
    )
    return AdmissionDuty("estimate", note, priced)


@in_money_context
def admission_document(
    zone: str,
    lines: Iterable[AdmissionLine],
    quoter: Quoter,
    hmf_rate: Callable[[dt.date], Decimal],
) -> AdmissionDocument:
    """Form 214 data for the lines of one admission (all share admission no. and date)."""
    ordered = sorted(lines, key=lambda a: a.line)
    if not ordered:
        raise ValueError("an admission document needs at least one line")
    first = ordered[0]
    recorded = recorded_modes(a.mode for a in ordered)
    conflict = recorded if len(recorded) > 1 else ()
    mode = None if conflict else first.mode
    vessel = bool(by_vessel(mode))
    return AdmissionDocument(
        zone=zone,
        admission_no=first.admission_no,
        date=first.date,
        mode=mode,
        lines=tuple(
            AdmissionDocLine(a, FORM_214_STATUS.get(a.status, a.status), admission_duty(a, quoter))
            for a in ordered
        ),
        hmf_rate=hmf_rate(first.date) if vessel else None,
        modes=conflict,
    )
