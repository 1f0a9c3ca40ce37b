"""The zone core's duty seams answered by the real tariff and the duty engine.

- `TariffQuoter`: the `zone.entries.Quoter` the weekly entry, single entries, the Form 214
  data and the mandatory-PF what-if price their lines with (`duty.quote_line`, 19 CFR
  146.65 and 146.63);
- `shortage_duty_rule`: the ledger's `duty_rule`, the duty and taxes a shortage owes
  (19 CFR 146.53(a)(3)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.money import ZERO
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.units import read_unit
from zonekeeper.zone.entries import DutyRequest, Quoted, QuotedComponent
from zonekeeper.zone.ledger import DutyRule, Lot
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    NpfInput,
    PfComponent,
    Removal,
    RemovalDisposition,
    withdrawal_duty,
)

# (hts, origin, value, quantities by unit key, spi, on, frozen_on): one priced request
_Slot = tuple[str, str, Decimal, tuple[tuple[str, Decimal], ...], str | None, dt.date,
              dt.date | None]


@dataclass(frozen=True)
class _Refused:
    """A line the duty engine refused (unknown HTS, bad unit): reported, not dutied as 0."""

    components: tuple[QuotedComponent, ...]
    duty: Decimal | None
    cannot_compute: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class TariffQuoter:
    """The real tariff behind the zone core's `Quoter` seam, with a per-request cache.

    Units are mapped to the duty engine's canonical keys (`No.` -> `each`); a request the
    engine refuses (e.g. an HTS not in the schedule) becomes a line that cannot be computed,
    with the engine's reasons, so the rest of the entry still prices.
    """

    tariff: Tariff
    cache: dict[_Slot, Quoted] = field(default_factory=dict)

    def __call__(self, request: DutyRequest, on: dt.date, frozen_on: dt.date | None) -> Quoted:
        quantities = {}
        for unit, qty in request.quantities.items():
            known = read_unit(unit)
            if known is not None:
                quantities[known.key] = qty
        slot = (request.hts, request.origin, request.value, tuple(sorted(quantities.items())),
                request.spi, on, frozen_on)
        found = self.cache.get(slot)
        if found is not None:
            return found
        item = LineItem(request.hts, request.origin, request.value, quantities, request.spi)
        quoted: Quoted
        try:
            quoted = quote_line(self.tariff, item, on, frozen_on=frozen_on)
        except InputError as error:
            reasons = tuple(f"{request.hts}: {p.message}" for p in error.problems)
            quoted = _Refused((), None, reasons)
        self.cache[slot] = quoted
        return quoted

    def pf_required(
        self, hts: str, origin: str, on: dt.date, *, spi: str | None = None
    ) -> list[str]:
        """Reasons goods admitted on `on` must be PF: the tariff's own answer
        (`MeasureBook.pf_required`), so a granted preference claim `spi` that exempts the
        goods from a measure lifts its PF clause too (the clauses reach goods "subject to the
        duty", e.g. Proclamation 10908 cl. 8); 19 CFR 146.41, 15 CFR 400.13(c)."""
        return [
            f"{m.heading} ({m.title}) requires PF from {m.pf_required_from}"
            for m in self.tariff.measures.pf_required(hts, origin, on, spi=spi)
        ]


def dotted(hts: str | None) -> str:
    """The code as the entry prints it (8537.10.91.70); left as given when it does not parse."""
    if not hts:
        return ""
    try:
        return HtsCode.parse(hts).dotted
    except (InputError, ValueError):
        return hts


def shortage_duty_rule(tariff: Tariff) -> DutyRule:
    """The ledger's `duty_rule` for shortages (146.53(a)(3)): duty the missing goods owe.

    Priced as a removal for consumption on the count date: PF content at its frozen rate,
    NPF content at the lot's own classification. Raises CannotCompute with the reasons when
    any part cannot be priced, so the ledger flags the shortage conservatively.
    """
    quoter = TariffQuoter(tariff)

    def rule(lot: Lot, quantity: Decimal, on: dt.date) -> Decimal:
        comp = lot.composition
        pf = tuple(
            PfComponent(c.part, dotted(c.hts), c.origin or "", c.value * quantity,
                        c.quantity * quantity, "", c.pf_date, c.lot)
            for c in comp.pf
        )
        npf: tuple[NpfInput, ...] = ()
        if comp.npf_value > ZERO:
            npf = (NpfInput(lot.part, dotted(lot.hts), lot.origin or "",
                            comp.npf_value * quantity, quantity, "", lot.date, lot.id),)
        removal = Removal(
            "shortage", on, lot.part, dotted(lot.hts), lot.origin or "", quantity, "",
            RemovalDisposition.CONSUMPTION, Composition(pf=pf, npf=npf),
        )
        result = withdrawal_duty(removal, quoter, on, with_estimate=False)
        duty = result.duty
        if duty is None:
            raise CannotCompute("; ".join(result.cannot_compute) or "duty cannot be computed")
        return duty

    return rule
