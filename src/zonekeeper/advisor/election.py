"""The status election: privileged foreign (PF) or non-privileged foreign (NPF), per component.

The law (19 CFR 146.41-146.42, 146.65-146.66):
- **PF** (146.41, 146.65(a)(1)): the component is dutiable on entry for consumption at its
  own classification, rate and value as of the date PF status was applied for (here, the
  admission date `on`), whatever it is made into; exported units pay nothing (146.67).
- **NPF** (146.42, 146.65(a)(2)): the component's value is dutiable at the *finished
  product's* classification, rate and measures on the date the entry is filed, for the
  finished product's origin; exported units pay nothing.
- **Mandatory PF**: a Chapter 99 measure whose FTZ clause reaches the component (Section 301:
  HTSUS ch. 99 subch. III U.S. note 20 and the 9903.88 headings; Section 232, 122, IEEPA,
  AD/CVD under 15 CFR 400.13(c)) forbids NPF: the component must be admitted PF, so only
  export escapes its duty. `duty.quote.LineQuote.pf_required` names those measures.
- **Outside the zone**: the component entered directly pays its own duty on import, the
  same figure as PF admitted on the same date (MPF, HMF and the timing of payment are the
  ROI's business, `advisor.roi`).

The NPF figure is the component's share of the finished product's duty on the foreign value
per unit: the finished line is quoted once on the whole foreign value and apportioned by
value (146.65(b): the dutiable value of NPF content), which is exact for ad valorem rates;
a finished product whose rate needs a quantity the components file cannot give is reported
as not computable, never as 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from zonekeeper.duty.quote import LineItem, LineQuote, quote_line
from zonekeeper.errors import InputError
from zonekeeper.money import ZERO, cents, in_money_context, usd
from zonekeeper.tariff import Tariff

Status = Literal["PF", "NPF"]


@dataclass(frozen=True)
class Component:
    """One row of the components file: what goes into one unit of the finished product.

    `status_now` is the status the importer admits it in today (PF, NPF or None)."""

    part: str
    hts: str
    origin: str
    quantity_per_unit: Decimal
    unit_value: Decimal
    spi: str | None = None
    status_now: str | None = None

    @property
    def value_per_unit(self) -> Decimal:
        """Dutiable value of this component in one finished unit (146.65(b))."""
        return self.quantity_per_unit * self.unit_value


@dataclass(frozen=True)
class Product:
    """The finished product made in the zone: its HTS number and, when given, its origin
    (None: each component's own origin, the answer that never understates a measure on the
    origin; give it when the zone's manufacture substantially transforms the goods)."""

    hts: str
    origin: str | None = None


@dataclass(frozen=True)
class ComponentElection:
    """The election for one component, with both figures and why (per finished unit).

    `duty_npf` is None where NPF is not lawful (mandatory PF) or cannot be computed;
    `duty_npf_if_allowed` is the NPF figure the law's PF requirement sets aside (the naive
    inverted-tariff claim), kept so the difference can be shown.
    """

    component: Component
    recommended: Status
    mandatory_pf: tuple[str, ...]
    duty_pf: Decimal | None
    duty_npf: Decimal | None
    duty_npf_if_allowed: Decimal | None
    reasons: tuple[str, ...]
    pf_quote: LineQuote | None

    @property
    def duty_recommended(self) -> Decimal | None:
        return self.duty_pf if self.recommended == "PF" else self.duty_npf


@dataclass(frozen=True)
class Annual:
    """Annual duty for `volume` units of which `export_share` leave the country (exports pay
    no duty in either status, 146.67; entered directly, every unit's components paid duty at
    import and no drawback is claimed: the drawback alternative is the ROI's)."""

    volume: Decimal
    export_share: Decimal
    outside_zone: Decimal | None
    in_zone: Decimal | None
    all_pf: Decimal | None
    saving: Decimal | None


@dataclass(frozen=True)
class Advice:
    """The election for every component and the totals per finished unit (duty only).

    A total is None when any figure in it cannot be computed (the component's reasons say
    why; `finished_problems` why the finished product could not be priced, by origin).
    `naive_npf` is the duty per unit if every component were NPF, the law aside."""

    product: Product
    on: dt.date
    components: tuple[ComponentElection, ...]
    finished_problems: tuple[str, ...]
    duty_per_unit: Decimal | None
    duty_per_unit_all_pf: Decimal | None
    duty_per_unit_outside_zone: Decimal | None
    naive_npf: Decimal | None
    annual: Annual | None = None


def _total(amounts: Sequence[Decimal | None]) -> Decimal | None:
    if any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), ZERO)


def _exact(quote: LineQuote) -> Decimal | None:
    """The line's duty before the cent rounding (the per-unit figure is multiplied by the
    volume: rounding one unit's duty first would multiply the rounding error)."""
    return None if quote.duty is None else sum((c.exact for c in quote.components), ZERO)


def _quote(tariff: Tariff, item: LineItem, on: dt.date) -> tuple[LineQuote | None, str | None]:
    try:
        return quote_line(tariff, item, on), None
    except InputError as error:
        return None, "; ".join(p.message for p in error.problems)


def _pf_quote(
    tariff: Tariff, component: Component, on: dt.date
) -> tuple[LineQuote | None, str | None, tuple[str, ...]]:
    """The component at its own classification on `on` (146.65(a)(1)), why it cannot be
    priced, and the measures that make PF mandatory. A rate that needs a quantity gets
    `quantity_per_unit` as a count, the only quantity the file carries; a rate that needs
    another unit cannot be priced, but the PF requirement is still found."""
    spi = component.spi or None
    item = LineItem(
        hts=component.hts,
        origin=component.origin,
        value=component.value_per_unit,
        quantities={"each": component.quantity_per_unit},
        spi=spi,
    )
    quote, problem = _quote(tariff, item, on)
    if quote is not None:
        return quote, None, quote.pf_required
    required = tariff.measures.pf_required(component.hts, component.origin, on, spi=spi)
    return None, problem, tuple(
        f"{m.heading} ({m.title}) from {m.pf_required_from}" for m in required
    )


def _npf_share(
    finished: LineQuote | None, total_value: Decimal, value: Decimal
) -> Decimal | None:
    """The component's share of the finished line's duty by value (146.65(a)(2), (b));
    None when the components carry no value to share it by (never a share of 0)."""
    if finished is None or total_value == ZERO:
        return None
    duty = _exact(finished)
    if duty is None:
        return None
    return duty * value / total_value


def _recommend(
    mandatory: tuple[str, ...], pf: Decimal | None, npf: Decimal | None
) -> tuple[Status, list[str]]:
    if mandatory:
        return "PF", [
            "PF is mandatory (19 CFR 146.41; the measure's FTZ clause): "
            + "; ".join(mandatory)
            + ". Entered for consumption it pays its own rate and the measure's duty as of "
            "admission; only exported units escape the duty"
        ]
    if pf is not None and npf is not None:
        if npf < pf:
            return "NPF", [
                f"NPF: the finished product's rate costs {usd(cents(npf))} per unit against "
                f"{usd(cents(pf))} at the component's own rate (inverted tariff, 146.65(a)(2))"
            ]
        if pf < npf:
            return "PF", [
                f"PF: the component's own rate, frozen at admission, costs {usd(cents(pf))} "
                f"per unit against {usd(cents(npf))} at the finished product's rate "
                "(146.65(a)(1))"
            ]
        return "NPF", [
            f"NPF: both elections cost {usd(cents(pf))} per unit today; NPF is the default "
            "status of foreign goods (146.42) and needs no application; see the what-if "
            "scenarios for the risk of a rate change"
        ]
    if pf is not None:
        return "PF", ["PF: the NPF duty cannot be computed, so it cannot be shown to be lower"]
    if npf is not None:
        return "NPF", ["NPF: the PF duty cannot be computed; verify the component's own rate"]
    return "NPF", ["NPF (the default status, 146.42): neither duty can be computed"]


def _status_note(now: str | None, recommended: Status) -> list[str]:
    if now is None or now.upper() == recommended:
        return []
    if now.upper() == "PF":
        return [
            "now admitted PF: goods already admitted stay PF, a status that cannot be "
            "abandoned (146.41(e)); only future admissions can be NPF"
        ]
    return [
        "now admitted NPF: apply for PF on CBP Form 214 at admission, or for goods in the "
        "zone before any change of classification (146.41(a)-(b))"
    ]


def _elect_one(
    tariff: Tariff,
    component: Component,
    on: dt.date,
    finished: LineQuote | None,
    finished_problem: str | None,
    total_value: Decimal,
) -> ComponentElection:
    pf_quote, pf_problem, mandatory = _pf_quote(tariff, component, on)
    pf = None if pf_quote is None else _exact(pf_quote)
    share = _npf_share(finished, total_value, component.value_per_unit)
    reasons: list[str] = []
    status, why = _recommend(mandatory, pf, None if mandatory else share)
    reasons += why
    if pf is None:
        missing = pf_problem or "; ".join(pf_quote.cannot_compute if pf_quote else ())
        reasons.append("PF duty not computable: " + missing)
    if share is None:
        reasons.append(
            "NPF duty not computable: "
            + (finished_problem or "; ".join(finished.cannot_compute if finished else ()))
        )
    elif mandatory:
        reasons.append(
            f"NPF would have cost {usd(cents(share))} per unit at the finished product's "
            "rate, but the law does not allow NPF for this component"
        )
    reasons += _status_note(component.status_now, status)
    return ComponentElection(
        component=component,
        recommended=status,
        mandatory_pf=mandatory,
        duty_pf=pf,
        duty_npf=None if mandatory else share,
        duty_npf_if_allowed=share,
        reasons=tuple(reasons),
        pf_quote=pf_quote,
    )


@in_money_context
def elect(
    tariff: Tariff, product: Product, components: Sequence[Component], on: dt.date
) -> Advice:
    """The election for each component admitted on `on` and entered on `on` (see the module
    docstring for the law), with the totals per finished unit.

    The finished product is quoted once per origin on the foreign value of its components;
    raises InputError only for input the tariff refuses (an unknown HTS number or country).
    """
    origins = {product.origin or c.origin for c in components}
    finished: dict[str, tuple[LineQuote | None, str | None, Decimal]] = {}
    for origin in sorted(origins):
        value = sum(
            (c.value_per_unit for c in components if (product.origin or c.origin) == origin),
            ZERO,
        )
        quote, problem = _quote(
            tariff, LineItem(hts=product.hts, origin=origin, value=value), on
        )
        finished[origin] = (quote, problem, value)
    elections = []
    for component in components:
        quote, problem, value = finished[product.origin or component.origin]
        elections.append(_elect_one(tariff, component, on, quote, problem, value))
    pf_total = _total([e.duty_pf for e in elections])
    return Advice(
        product=product,
        on=on,
        components=tuple(elections),
        finished_problems=tuple(
            f"from {origin}: {problem}" for origin, (_, problem, _) in finished.items() if problem
        ),
        duty_per_unit=_total([e.duty_recommended for e in elections]),
        duty_per_unit_all_pf=pf_total,
        duty_per_unit_outside_zone=pf_total,
        naive_npf=_total([e.duty_npf_if_allowed for e in elections]),
    )


def _times(per_unit: Decimal | None, units: Decimal) -> Decimal | None:
    return None if per_unit is None else cents(per_unit * units)


@in_money_context
def annual(advice: Advice, volume: Decimal, export_share: Decimal) -> Annual:
    """Annual duty for `volume` finished units, `export_share` (0-1) of them exported.

    Outside the zone every unit's components paid duty at import (no drawback); in the zone
    only the units entered for consumption pay, at the recommended election (146.65) or all
    PF; exported units pay nothing (146.67). `saving` = outside - in the zone."""
    if not ZERO <= export_share <= 1:
        raise ValueError(f"export share must be between 0 and 1, not {export_share}")
    entered = volume * (1 - export_share)
    outside = _times(advice.duty_per_unit_outside_zone, volume)
    in_zone = _times(advice.duty_per_unit, entered)
    saving = None if outside is None or in_zone is None else outside - in_zone
    return Annual(
        volume=volume,
        export_share=export_share,
        outside_zone=outside,
        in_zone=in_zone,
        all_pf=_times(advice.duty_per_unit_all_pf, entered),
        saving=saving,
    )
