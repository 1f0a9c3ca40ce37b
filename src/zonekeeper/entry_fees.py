"""The entry fee rules: MPF (19 CFR 24.23) and HMF (19 CFR 24.24), one home each.

`duty entry`, the zone's weekly and single entries, Form 214 and Form 349 and the drawback
lesser-of all call these; the dated terms they apply (rate, floor, cap by fiscal year) are
the tariff's data (`tariff.fees.FeeSchedule`). Plain arithmetic on Decimals, so it sits in
the shared foundation: the zone core uses it without loading the tariff.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from zonekeeper.money import ZERO, cents


class MpfBounds(Protocol):
    """What the MPF rule reads of a fiscal year's terms (`MpfTerms`, or the zone's seam)."""

    @property
    def rate(self) -> Decimal: ...
    @property
    def minimum(self) -> Decimal: ...
    @property
    def maximum(self) -> Decimal: ...
    @property
    def caveat(self) -> str: ...  # empty, or why the floor and cap are not confirmed


@dataclass(frozen=True)
class MpfDue:
    """MPF on one formal entry: the exact ad valorem figure, the fee and what set it."""

    exact: Decimal  # foreign value x rate, before floor, cap and rounding
    amount: Decimal  # to the cent
    bound: str  # 'ad valorem' | 'minimum' | 'maximum' | 'no foreign value'


NO_FOREIGN_VALUE = "no foreign value"


def mpf_due(foreign_value: Decimal, terms: MpfBounds) -> MpfDue:
    """MPF on one formal entry: rate x value within the fiscal year's floor and cap, rounded
    to the cent half up once, after floor and cap (19 USC 58c(a)(9)(A), (b)(8)(A)(i);
    19 CFR 24.23(b)(1)(i)). The one implementation: `duty entry`, the zone's weekly and
    single entries and their comparisons all call it.

    The fee is charged on the value of the *foreign* merchandise only (19 USC
    58c(b)(8)(D)(vi); 19 CFR 146.63(c) entries from a zone: privileged and non-privileged
    foreign, never domestic or zone-restricted content). An entry with no foreign value
    therefore owes no MPF -- there is nothing the ad valorem fee applies to, and the
    minimum is the floor *of* that fee, not a charge of its own (bound 'no foreign value').
    """
    exact = foreign_value * terms.rate
    if foreign_value <= ZERO:
        return MpfDue(exact, ZERO, NO_FOREIGN_VALUE)
    if exact < terms.minimum:
        return MpfDue(exact, cents(terms.minimum), "minimum")
    if exact > terms.maximum:
        return MpfDue(exact, cents(terms.maximum), "maximum")
    return MpfDue(exact, cents(exact), "ad valorem")


def mpf_up_to_cap(value: Decimal, terms: MpfBounds) -> Decimal:
    """MPF ad valorem up to the per-entry cap, floor left out and not rounded (19 CFR
    24.23(b)(1)(i)): the fee that "would apply" to an article in a drawback lesser-of
    (190.32(b)(1)(ii), 190.22(a)(1)(ii)(A)(2)). The floor is not added because a low-value
    article may be entered informally at a lower fee (24.23(b)(1)(ii)): leaving it out only
    lowers the limit."""
    return min(value * terms.rate, terms.maximum)


VESSEL = "vessel"


def by_vessel(mode: str | None) -> bool | None:
    """Whether cargo owes HMF by its mode of transport (19 CFR 24.24(a): cargo unladen from
    a commercial vessel; air, truck, rail and mail owe none); None when no mode is recorded
    (the fee cannot be decided, and is never taken as zero)."""
    if mode is None or not mode.strip():
        return None
    return mode.strip().lower() == VESSEL


def hmf_exact(value: Decimal, rate: Decimal) -> Decimal:
    """HMF on vessel cargo of `value`, not rounded: `rate` (a fraction, 0.00125) x value
    (26 USC 4461(c); 19 CFR 24.24(a)). Callers round once, where the document they fill
    rounds: an entry's HMF line, an admission's Form 214 figure, the quarter's Form 349
    total (146.22(e))."""
    return value * rate
