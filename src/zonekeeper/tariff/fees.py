"""Entry fees: the merchandise processing fee (MPF) and the harbor maintenance fee (HMF).

- MPF (19 USC 58c(a)(9)(A), (b)(8)(A)(i); 19 CFR 24.23(b)(1)(i)): 0.3464% ad valorem of the
  value of the foreign merchandise on a formal entry, with a minimum and a maximum per entry
  that CBP adjusts each fiscal year (from 1 October). Applied once per entry: a weekly entry
  from a zone (19 USC 1484(i); 19 CFR 146.63(c)) is one entry.
- HMF (26 USC 4461; 19 CFR 24.24): 0.125% of the value of cargo unladen from a commercial
  vessel; for zone admissions it is owed on admission (19 CFR 146.22(e)).

The fee table is dated data (`data/tariff/fees.csv`; users may load their own rows for a new
fiscal year, and theirs win). A date with no fee row is a `CannotCompute`, never a silent
reuse of last year's floor and cap. A row whose values rest on a secondary source (FY2027:
CBP's notice was not in hand; see the data's PROVENANCE.md) has status `unconfirmed`, and
every MPF figured with it carries its `caveat`.
The rules that apply the terms (floor and cap once, vessel cargo only) are
`zonekeeper.entry_fees`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zonekeeper.dates import parse_date
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import parse_decimal, usd

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MpfTerms:
    """MPF terms for one fiscal year: `rate` as a fraction (0.003464), floor and cap in USD."""

    rate: Decimal
    minimum: Decimal
    maximum: Decimal
    fiscal_year: str
    valid_from: date
    valid_to: date | None
    source: str
    confirmed: bool = True

    @property
    def rate_pct(self) -> Decimal:
        return self.rate * HUNDRED

    @property
    def caveat(self) -> str:
        """Empty for a year whose floor and cap come from CBP's notice; else what to check."""
        if self.confirmed:
            return ""
        return (f"{self.fiscal_year} MPF floor {usd(self.minimum)} and cap {usd(self.maximum)} are "
                f"unconfirmed (not yet checked against CBP's Federal Register notice; load "
                f"the notice's values with --fees)")


@dataclass(frozen=True)
class HmfTerms:
    """HMF terms: `rate` as a fraction (0.00125)."""

    rate: Decimal
    valid_from: date
    valid_to: date | None
    source: str


def _covers(valid_from: date, valid_to: date | None, on: date) -> bool:
    return valid_from <= on and (valid_to is None or on <= valid_to)


@dataclass(frozen=True)
class FeeSchedule:
    """The dated MPF and HMF tables."""

    mpf: tuple[MpfTerms, ...]
    hmf: tuple[HmfTerms, ...]

    def mpf_terms(self, on: date) -> MpfTerms:
        """MPF rate, floor and cap in force on `on` (19 CFR 24.23(b)(1)(i)).

        Raises CannotCompute for a date outside every known fiscal year (e.g. FY2028 before
        its values are loaded): the floor and cap change every year and must not be guessed.
        """
        for terms in self.mpf:
            if _covers(terms.valid_from, terms.valid_to, on):
                return terms
        known = ", ".join(t.fiscal_year for t in self.mpf)
        raise CannotCompute(
            f"no MPF fee table for {on.isoformat()} (fiscal year FY{_fiscal_year(on)}); "
            f"known: {known}. Load the fiscal year's floor and cap from CBP's notice "
            f"(a fees CSV) rather than reuse another year's"
        )

    def hmf_terms(self, on: date) -> HmfTerms:
        for terms in self.hmf:
            if _covers(terms.valid_from, terms.valid_to, on):
                return terms
        raise CannotCompute(f"no HMF rate for {on.isoformat()}")

    def hmf_rate(self, on: date) -> Decimal:
        """HMF as a fraction of the vessel cargo's value (26 USC 4461(c))."""
        return self.hmf_terms(on).rate

    def with_rows(self, other: FeeSchedule) -> FeeSchedule:
        """This table with `other`'s rows added; a user row wins where dates overlap."""
        return FeeSchedule(mpf=other.mpf + self.mpf, hmf=other.hmf + self.hmf)


def _fiscal_year(on: date) -> int:
    """US government fiscal year: FY N runs from 1 October N-1 to 30 September N."""
    return on.year + 1 if on.month >= 10 else on.year


STATUSES = {"": True, "confirmed": True, "unconfirmed": False}


def parse_fees(rows: Iterable[Mapping[str, str]], file: str = "fees.csv") -> FeeSchedule:
    """Fee rows (`fee, fiscal_year, valid_from, valid_to, rate_pct, minimum, maximum, status,
    source`); `status` is `confirmed` (the default) or `unconfirmed`.

    Every bad row is reported (file, row, field) in one InputError.
    """
    mpf: list[MpfTerms] = []
    hmf: list[HmfTerms] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        try:
            fee = (row.get("fee") or "").strip().upper()
            start = parse_date(row.get("valid_from") or "")
            end_text = (row.get("valid_to") or "").strip()
            end = parse_date(end_text) if end_text else None
            rate = parse_decimal(row.get("rate_pct") or "") / HUNDRED
            source = (row.get("source") or "").strip() or file
            status = (row.get("status") or "").strip().lower()
            if status not in STATUSES:
                problems.append(Problem(f"status {status!r} is not confirmed or unconfirmed",
                                        file, number, "status", code="tariff.fees.bad-status"))
                continue
            if fee == "MPF":
                mpf.append(
                    MpfTerms(
                        rate=rate,
                        minimum=parse_decimal(row.get("minimum") or ""),
                        maximum=parse_decimal(row.get("maximum") or ""),
                        fiscal_year=(row.get("fiscal_year") or "").strip()
                        or f"FY{_fiscal_year(start)}",
                        valid_from=start,
                        valid_to=end,
                        source=source,
                        confirmed=STATUSES[status],
                    )
                )
            elif fee == "HMF":
                hmf.append(HmfTerms(rate=rate, valid_from=start, valid_to=end, source=source))
            else:
                problems.append(Problem(f"unknown fee {fee!r} (MPF or HMF)", file, number, "fee",
                                        code="tariff.fees.unknown-fee"))
        except ValueError as error:
            problems.append(Problem(str(error), file, number, code="tariff.fees.bad-row"))
    if problems:
        raise InputError(problems)
    return FeeSchedule(mpf=tuple(mpf), hmf=tuple(hmf))


def read_fees_csv(text: str, file: str) -> FeeSchedule:
    """Parse a fees CSV given as text (the shell reads user files; this stays pure); a file
    that is not CSV (a bare carriage return inside a cell, an unclosed quote) is an
    InputError naming the line, not a csv.Error."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(
            Problem(f"not valid CSV: {error} (a quote inside a cell is written \"\")", file,
                    reader.line_num, code="tariff.fees.not-csv")
        ) from None
    return parse_fees(rows, file)

