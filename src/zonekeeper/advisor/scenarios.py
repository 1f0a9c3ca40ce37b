"""What-if: how each election fares when rates change between admission and entry.

The law (19 CFR 146.65(a)): a PF component's classification, rate and measures are frozen
when PF status is applied for (here, the admission date), except where a measure overrides
the freeze (e.g. the April 2026 metals proclamation cl. 12: PF goods admitted earlier pay
the new rate; `Measure.overrides_pf_freeze`); NPF content pays the finished product's rate
and measures in force when the entry is filed (146.65(a)(2)). Mandatory PF (146.41) stays.

A scenario is a real entry date (the shipped tariff's history prices both elections: a
backtest) plus hypothetical changes in percentage points of value:
- `components`: added to the components' own rates (a Section 301 list change), for the
  `origins` given or all; it reaches PF goods only if `overrides_freeze`;
- `across`: a new across-the-board duty at entry (a Section 122-like surcharge): it reaches
  the NPF finished product, and PF goods only if `overrides_freeze`;
- `product`: a change of the finished product's rate: NPF only.
Ad valorem changes only, added to the real quotes (the stacking of a hypothetical measure
with the real ones is the user's statement, not the tariff's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.advisor.election import Component, Product, Status
from zonekeeper.duty.quote import LineItem, LineQuote, quote_line
from zonekeeper.errors import InputError
from zonekeeper.money import ZERO, in_money_context
from zonekeeper.tariff import Tariff

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scenario:
    """A real entry date plus hypothetical ad valorem changes (percentage points)."""

    name: str
    entered_on: dt.date
    components: Decimal = ZERO
    origins: frozenset[str] | None = None
    across: Decimal = ZERO
    product: Decimal = ZERO
    overrides_freeze: bool = False


@dataclass(frozen=True)
class Outcome:
    """One component under one scenario: duty per unit of each election (None: not lawful
    for NPF where PF is mandatory, or not computable)."""

    scenario: str
    pf: Decimal | None
    npf: Decimal | None


@dataclass(frozen=True)
class ComponentWhatIf:
    """One component across the scenarios: the election that is cheapest in each, the
    robust one (the least worst case), and the break-even change of the finished product's
    rate at admission (percentage points at which NPF costs what PF does; None where NPF is
    not lawful or a figure is missing)."""

    component: Component
    mandatory_pf: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    robust: Status
    always_best: bool
    break_even_pct: Decimal | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class WhatIf:
    product: Product
    admitted_on: dt.date
    scenarios: tuple[Scenario, ...]
    components: tuple[ComponentWhatIf, ...]
    totals_pf: tuple[Decimal | None, ...]  # per scenario: every component PF
    totals_robust: tuple[Decimal | None, ...]  # per scenario: the robust elections


def _exact(quote: LineQuote) -> Decimal | None:
    return None if quote.duty is None else sum((c.exact for c in quote.components), ZERO)


def _duty(tariff: Tariff, item: LineItem, on: dt.date, frozen: dt.date | None) -> Decimal | None:
    try:
        return _exact(quote_line(tariff, item, on, frozen_on=frozen))
    except InputError:
        return None


def _plus(amount: Decimal | None, pct: Decimal, value: Decimal) -> Decimal | None:
    return None if amount is None else amount + value * pct / HUNDRED


def _outcome(
    tariff: Tariff, product: Product, c: Component, admitted: dt.date, s: Scenario,
    mandatory: bool,
) -> Outcome:
    value = c.value_per_unit
    own = LineItem(c.hts, c.origin, value, {"each": c.quantity_per_unit}, spi=c.spi)
    pf = _duty(tariff, own, s.entered_on, admitted)
    reaches = s.origins is None or c.origin in s.origins
    if s.overrides_freeze:
        pf = _plus(pf, (s.components if reaches else ZERO) + s.across, value)
    npf = None
    if not mandatory:
        finished = LineItem(product.hts, product.origin or c.origin, value)
        npf = _plus(_duty(tariff, finished, s.entered_on, None), s.product + s.across, value)
    return Outcome(s.name, pf, npf)


def _worst(values: Sequence[Decimal | None]) -> Decimal | None:
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


def _robust(outcomes: Sequence[Outcome], mandatory: bool) -> tuple[Status, bool, list[str]]:
    if mandatory:
        return "PF", True, ["PF is mandatory (146.41): no scenario makes NPF lawful"]
    worst_pf = _worst([o.pf for o in outcomes])
    worst_npf = _worst([o.npf for o in outcomes])
    best = ["PF" if o.pf is not None and (o.npf is None or o.pf < o.npf) else "NPF"
            for o in outcomes]  # fmt: skip
    always = len(set(best)) == 1
    if worst_pf is None or worst_npf is None:
        return "PF" if worst_npf is None else "NPF", always, [
            "a figure cannot be computed in some scenario: the robust choice is the one "
            "computable in all"]
    status: Status = "NPF" if worst_npf < worst_pf else "PF"
    reasons = [f"{status} has the lower worst case over the scenarios "
               f"(PF {worst_pf:.2f}, NPF {worst_npf:.2f} per unit)"]
    if always:
        reasons.append(f"{best[0]} is the cheaper election in every scenario")
    return status, always, reasons


@in_money_context
def what_if(
    tariff: Tariff, product: Product, components: Sequence[Component], admitted_on: dt.date,
    scenarios: Sequence[Scenario],
) -> WhatIf:
    """Each component's PF and NPF duty per unit under each scenario (module docstring)."""
    rows = []
    for c in components:
        required = tariff.measures.pf_required(c.hts, c.origin, admitted_on, spi=c.spi)
        mandatory = tuple(f"{m.heading} ({m.title})" for m in required)
        outcomes = tuple(_outcome(tariff, product, c, admitted_on, s, bool(mandatory))
                         for s in scenarios)  # fmt: skip
        robust, always, reasons = _robust(outcomes, bool(mandatory))
        even = None
        first = outcomes[0] if outcomes else None
        if first is not None and first.pf is not None and first.npf is not None:
            if c.value_per_unit:
                even = (first.pf - first.npf) / c.value_per_unit * HUNDRED
                reasons.append(f"break-even: NPF costs what PF does when the finished "
                               f"product's rate changes by {even:+.2f} percentage points")
        rows.append(ComponentWhatIf(c, mandatory, outcomes, robust, always, even,
                                    tuple(reasons)))
    def total(index: int, robust: bool) -> Decimal | None:
        picked = []
        for row in rows:
            o = row.outcomes[index]
            picked.append(o.npf if robust and row.robust == "NPF" else o.pf)
        return None if any(p is None for p in picked) else sum(
            (p for p in picked if p is not None), ZERO)

    return WhatIf(
        product=product, admitted_on=admitted_on, scenarios=tuple(scenarios),
        components=tuple(rows),
        totals_pf=tuple(total(i, False) for i in range(len(scenarios))),
        totals_robust=tuple(total(i, True) for i in range(len(scenarios))),
    )
