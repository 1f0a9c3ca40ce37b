"""The shared vocabulary of entries out of a zone: the quote seam, MPF, and CBP's calendar.

A consumption entry from a zone (entry type 06) prices each line with the duty engine and
charges the merchandise processing fee once per entry (19 USC 58c(a)(9), (b)(8)(D)(vi)):
0.3464% of the value of the *foreign* merchandise only, within the fiscal year's floor and
cap. This module holds what the withdrawal, weekly-entry and alert modules share:

- `DutyRequest` / `Quoter`: the seam to the duty engine. The zone core asks "what duty on
  this HTS, origin, value and quantity, on this date, frozen at that date?" and gets back
  anything shaped like `duty.quote.LineQuote`. The shell adapts `quote_line`; a what-if
  override (illustrative rates, scenario tests) is just another quoter.
- `MpfTerms` / `FeeTable`: the seam to the fee table (`tariff.fees`), by fiscal year.
- `mpf_charge`: the fee on one entry, with its derivation (the rule itself is
  `entry_fees.mpf_due`, shared with `duty entry`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from zonekeeper.entry_fees import MpfBounds, mpf_due
from zonekeeper.money import ZERO, cents, in_money_context, usd

ENTRY_TYPE_FTZ_CONSUMPTION = "06"
MAX_SUMMARY_LINES = 998  # lines per entry summary (CBP Form 7501; ACE ES line limit)


# ---------------------------------------------------------------------------- quote seam


@dataclass(frozen=True)
class DutyRequest:
    """One thing to price: HTS, origin, dutiable value and quantities (canonical units)."""

    hts: str
    origin: str
    value: Decimal
    quantities: Mapping[str, Decimal] = field(default_factory=dict)
    spi: str | None = None


class QuotedComponent(Protocol):
    """One duty component as the duty engine reports it (program, heading, rate, basis)."""

    @property
    def program(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def rate(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def source(self) -> str: ...


class Quoted(Protocol):
    """A priced line: components, duty (None when any part cannot be computed), reasons."""

    @property
    def components(self) -> Sequence[QuotedComponent]: ...
    @property
    def duty(self) -> Decimal | None: ...
    @property
    def cannot_compute(self) -> Sequence[str]: ...
    @property
    def warnings(self) -> Sequence[str]: ...


class Quoter(Protocol):
    """Price a request on `on`; `frozen_on` is the privileged-foreign freeze date (146.65(a)(1))."""

    def __call__(self, request: DutyRequest, on: date, frozen_on: date | None) -> Quoted: ...


@dataclass(frozen=True)
class EntryComponent:
    """A duty quote's component (`duty.DutyComponent`, through the `Quoter` seam) copied
    into an entry document, so the document owns plain values."""

    program: str
    heading: str
    rate: str
    basis: str
    amount: Decimal
    source: str = ""

    @staticmethod
    def of(quoted: QuotedComponent) -> EntryComponent:
        return EntryComponent(
            program=str(quoted.program),
            heading=quoted.heading,
            rate=quoted.rate,
            basis=quoted.basis,
            amount=quoted.amount,
            source=getattr(quoted, "source", ""),
        )


# ------------------------------------------------------------------------------------ MPF


class MpfTerms(MpfBounds, Protocol):
    """The fiscal year's MPF: ad valorem rate (a fraction), minimum and maximum per entry
    (`entry_fees.MpfBounds`, what the rule reads), and the year they are of."""

    @property
    def fiscal_year(self) -> str: ...  # 'FY2026'


class FeeTable(Protocol):
    """MPF terms by date (fiscal year from 1 October); unknown years raise, never guess."""

    def mpf_terms(self, on: date) -> MpfTerms: ...


@dataclass(frozen=True)
class MpfCharge:
    """MPF on one entry: the foreign value it is charged on and how floor/cap applied."""

    foreign_value: Decimal
    rate: Decimal
    minimum: Decimal
    maximum: Decimal
    fiscal_year: str
    exact: Decimal  # value x rate, before floor and cap
    amount: Decimal  # cents
    bound: str  # "ad valorem", "minimum" or "maximum"
    caveat: str = ""  # why the year's floor and cap are not confirmed, if they are not

    @property
    def derivation(self) -> str:
        pct = (self.rate * 100).normalize()
        text = (
            f"MPF {pct}% x {usd(self.foreign_value)} foreign value = {usd(self.exact)}; "
            f"{self.fiscal_year} minimum {usd(self.minimum)}, maximum {usd(self.maximum)} "
            f"-> {usd(self.amount)} ({self.bound}; 19 USC 58c(a)(9), (b)(8)(D)(vi); "
            f"19 CFR 24.23)"
        )
        return f"{text}. {self.caveat}" if self.caveat else text


@in_money_context
def mpf_charge(foreign_value: Decimal, terms: MpfTerms) -> MpfCharge:
    """MPF on one formal entry from the zone, with its derivation: the rule of
    `entry_fees.mpf_due` (19 CFR 24.23(b)(1)(i)) on the entry's foreign value.

    Only foreign (PF/NPF) merchandise counts (19 USC 58c(b)(8)(D)(vi); 19 CFR 146.63(c));
    the caller passes the entry's foreign value, domestic content already excluded. An
    entry with no foreign value owes no MPF (there is nothing the fee applies to).
    """
    due = mpf_due(foreign_value, terms)
    return MpfCharge(
        foreign_value=foreign_value,
        rate=terms.rate,
        minimum=terms.minimum,
        maximum=terms.maximum,
        fiscal_year=terms.fiscal_year,
        exact=due.exact,
        amount=due.amount,
        bound=due.bound,
        caveat=terms.caveat,
    )


# ---------------------------------------------------------------- what-if rate overrides


@dataclass(frozen=True)
class FixedComponent:
    """A what-if duty component: an ad valorem percentage under a program and heading."""

    program: str
    heading: str
    rate: str
    basis: str
    amount: Decimal
    source: str


@dataclass(frozen=True)
class FixedQuote:
    components: tuple[FixedComponent, ...]
    duty: Decimal | None
    cannot_compute: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhatIfRate:
    """One illustrative ad valorem rate for HTS codes starting with `prefix`."""

    prefix: str
    program: str  # 'base', 'section301', ...
    heading: str
    percent: Decimal
    valid_from: date = date.min


@dataclass(frozen=True)
class WhatIfQuoter:
    """A quoter over illustrative rates — a what-if, never the real tariff.

    Used to reproduce worked examples whose rates are illustrative (scenarios.md §1) and to
    ask "what if the article's rate changed?". A rate applies to codes with its prefix from
    `valid_from`; the latest applicable rate per (program, heading) wins. PF lines take the
    rate as of their freeze date, like the real engine (19 CFR 146.65(a)(1)).
    """

    rates: tuple[WhatIfRate, ...]

    def __call__(self, request: DutyRequest, on: date, frozen_on: date | None) -> FixedQuote:
        day = frozen_on or on
        digits = request.hts.replace(".", "")
        chosen: dict[tuple[str, str], WhatIfRate] = {}
        for rate in self.rates:
            if digits.startswith(rate.prefix.replace(".", "")) and rate.valid_from <= day:
                slot = (rate.program, rate.heading)
                if slot not in chosen or chosen[slot].valid_from <= rate.valid_from:
                    chosen[slot] = rate
        if not chosen:
            reason = f"what-if: no illustrative rate given for {request.hts}"
            return FixedQuote((), None, (reason,))
        parts = tuple(
            FixedComponent(
                program=r.program,
                heading=r.heading,
                rate=f"{r.percent.normalize()}%",
                basis=f"{usd(request.value)} value",
                amount=cents(request.value * r.percent / 100),
                source="what-if override (illustrative rate, not the published tariff)",
            )
            for r in chosen.values()
        )
        return FixedQuote(parts, sum((p.amount for p in parts), ZERO))
