"""Status composition: what one unit of a lot is made of, by zone status.

A manufactured article withdrawn from a zone is dutiable by the status of its inputs
(19 CFR 146.65; 19 USC 81c(a)): privileged-foreign components at their classification,
rate and value frozen when PF status was applied for (146.65(a)(1)); non-privileged
foreign content at the finished article's rate on the filing date (146.65(a)(2));
domestic content not at all (146.43(c)). A lot therefore carries, per unit, its PF
components (with the admission they trace to) and the value of its NPF, domestic and
zone-restricted content. Irrecoverable waste carries no value into the product.

The three records are frozen dataclasses without `__slots__`, like `ledger.Lot` and
`ledger.Posting` that hold them: every posting and changed lot is stored as JSON by orjson,
which writes a dataclass from its `__dict__` in one pass but one with slots field by field,
through its fields table (measured: a posting's JSON 10.2 us with slotted records inside,
5.3 us without), and the store's builder fills a `__dict__` directly when it reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class AdmissionRef:
    """A CBP Form 214 line a lot traces to (146.22(a), 146.24(a)(2))."""

    admission_no: str
    line: int

    def __str__(self) -> str:
        return f"{self.admission_no}/{self.line}"


@dataclass(frozen=True)
class PfComponent:
    """PF merchandise in one unit of a lot, with its frozen classification (146.65(a)(1)).

    `quantity` and `value` are per unit of the lot holding it (the quantity of the PF
    merchandise incorporated, without irrecoverable waste, and its dutiable value).
    `lot` is the PF lot it was admitted as; `admission` the Form 214 line.
    """

    part: str
    hts: str | None
    origin: str | None
    pf_date: dt.date
    lot: str
    admission: AdmissionRef
    quantity: Decimal
    value: Decimal

    @property
    def key(self) -> tuple[str, AdmissionRef]:
        return (self.lot, self.admission)


@dataclass(frozen=True)
class Composition:
    """Per unit of a lot: PF components, and the value of NPF, domestic and ZR content.

    `npf_origins` are the countries of origin of the NPF content (for the entry's origin).
    """

    pf: tuple[PfComponent, ...] = ()
    npf_value: Decimal = ZERO
    domestic_value: Decimal = ZERO
    zr_value: Decimal = ZERO
    npf_origins: tuple[str, ...] = ()

    @property
    def pf_value(self) -> Decimal:
        return sum((c.value for c in self.pf), ZERO)

    @property
    def dutiable_value(self) -> Decimal:
        """Foreign value per unit that can become dutiable: PF plus NPF (146.65(b))."""
        return self.pf_value + self.npf_value

    @property
    def foreign_value(self) -> Decimal:
        """PF + NPF + ZR value per unit (foreign status, 15 CFR 400.51(c) report)."""
        return self.pf_value + self.npf_value + self.zr_value

    @property
    def total_value(self) -> Decimal:
        return self.foreign_value + self.domestic_value


def blend(parts: Iterable[tuple[Composition, Decimal]], per: Decimal) -> Composition:
    """The per-unit composition of `per` units made from `(composition, quantity)` inputs.

    PF components of the same lot and admission merge; their quantities and values add up
    (146.41(e): PF status stays with the goods through manufacture).
    """
    pf: dict[tuple[str, AdmissionRef], list[Decimal]] = {}
    heads: dict[tuple[str, AdmissionRef], PfComponent] = {}
    npf = dom = zr = ZERO
    origins: set[str] = set()
    for comp, qty in parts:
        for c in comp.pf:
            acc = pf.setdefault(c.key, [ZERO, ZERO])
            acc[0] += c.quantity * qty
            acc[1] += c.value * qty
            heads.setdefault(c.key, c)
        npf += comp.npf_value * qty
        dom += comp.domestic_value * qty
        zr += comp.zr_value * qty
        origins.update(comp.npf_origins)
    components = tuple(
        PfComponent(
            part=heads[k].part,
            hts=heads[k].hts,
            origin=heads[k].origin,
            pf_date=heads[k].pf_date,
            lot=heads[k].lot,
            admission=heads[k].admission,
            quantity=q / per,
            value=v / per,
        )
        for k, (q, v) in sorted(pf.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    )
    return Composition(
        pf=components,
        npf_value=npf / per,
        domestic_value=dom / per,
        zr_value=zr / per,
        npf_origins=tuple(sorted(origins)),
    )
