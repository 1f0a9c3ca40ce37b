"""Shipment postings as removals with their status composition (19 CFR 146.65).

A removal for consumption is dutied by the zone status of what it is made of: privileged-
foreign content at its frozen classification (146.65(a)(1)), non-privileged-foreign content
at the article's (146.65(a)(2)), domestic and zone-restricted value excluded. A produced
lot's NPF content is traced one production back to the NPF lots consumed, so the estimate
made at their admission can be recomputed at exit; foreign inputs lost as waste in that
production are shown as the 19 USC 81c(a) allowance. Both are worked out once per lot and
scaled to each removal.

Pure: the caller hands the books' state, the postings of the producing events, the shipment
numbers and how an HTS number is printed (`dotted`, the tariff's business).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Protocol

from zonekeeper.money import ZERO, in_money_context
from zonekeeper.zone.ledger import Lot, Movement, Posting, ZoneState
from zonekeeper.zone.master import Part
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    NpfInput,
    PfComponent,
    Removal,
    RemovalDisposition,
)

Dotted = Callable[[str | None], str]
"""How an HTS number is printed on an entry (8537.10.91.70; "" for none)."""


class RemovalSources(Protocol):
    """What tracing removals reads from the books: the state, the postings of the events
    that produced the lots shipped (by ledger position) and each shipment event's number."""

    @property
    def state(self) -> ZoneState: ...

    @property
    def productions(self) -> Mapping[int, tuple[Posting, ...]]: ...

    @property
    def shipments(self) -> Mapping[int, str]: ...


class Tracer:
    """Turns shipment postings into removals with their status composition (146.65).

    The NPF content of one unit of a lot (`npf_per_unit`: `NpfInput`s for one unit, scaled
    to each removal) and its waste allowance are worked out once per lot.
    """

    def __init__(self, books: RemovalSources, dotted: Dotted) -> None:
        self.books = books
        self._dotted = dotted
        # how each HTS number is printed, worked out once per number (a week's removals
        # name a handful of numbers tens of thousands of times)
        self.printed: dict[str | None, str] = {}
        self.npf_cache: dict[str, tuple[NpfInput, ...]] = {}
        self.waste_cache: dict[str, Decimal] = {}
        self.parts: dict[tuple[str, dt.date], Part | None] = {}

    def dotted(self, hts: str | None) -> str:
        printed = self.printed.get(hts)
        if printed is None:
            printed = self.printed[hts] = self._dotted(hts)
        return printed

    def part_on(self, part: str, on: dt.date) -> Part | None:
        key = (part, on)
        if key not in self.parts:
            self.parts[key] = self.books.state.master.part_on(part, on)
        return self.parts[key]

    def unit_of(self, part: str, on: dt.date) -> str:
        found = self.part_on(part, on)
        return found.unit if found is not None else ""

    def _made(self, lot: Lot) -> tuple[Decimal, tuple[Posting, ...]]:
        run = self.books.productions.get(lot.seq, ())
        made = sum((p.quantity for p in run
                    if p.lot == lot.id and p.movement is Movement.PRODUCED), ZERO)
        return made, run

    def npf_per_unit(self, lot: Lot) -> tuple[NpfInput, ...]:
        """NPF inputs in one unit of `lot`, at their admission classification."""
        cached = self.npf_cache.get(lot.id)
        if cached is not None:
            return cached
        comp = lot.composition
        shares: tuple[NpfInput, ...] = ()
        if comp.npf_value > ZERO:
            if not lot.produced:
                shares = (NpfInput(lot.part, self.dotted(lot.hts), lot.origin or "",
                                   comp.npf_value, Decimal(1), self.unit_of(lot.part, lot.date),
                                   lot.date, lot.id),)  # fmt: skip
            else:
                made, run = self._made(lot)
                found: list[NpfInput] = []
                for p in run if made > ZERO else ():
                    source = self.books.state.lots.get(p.lot)
                    if p.movement is not Movement.CONSUMED or source is None:
                        continue
                    if source.produced or source.composition.npf_value <= ZERO:
                        continue  # deeper levels stay untraced (reported, not dutied as 0)
                    used = (-p.quantity - (p.waste or ZERO) - (p.scrap or ZERO)) / made
                    found.append(NpfInput(
                        source.part, self.dotted(source.hts), source.origin or "",
                        source.composition.npf_value * used, used,
                        self.unit_of(source.part, source.date), source.date, source.id))
                shares = tuple(found)
        self.npf_cache[lot.id] = shares
        return shares

    def waste_per_unit(self, lot: Lot) -> Decimal:
        cached = self.waste_cache.get(lot.id)
        if cached is not None:
            return cached
        value = ZERO
        if lot.produced:
            made, run = self._made(lot)
            if made > ZERO:
                lost = sum(((p.waste or ZERO) * p.composition.dutiable_value for p in run
                            if p.movement is Movement.CONSUMED), ZERO)
                value = lost / made
        self.waste_cache[lot.id] = value
        return value

    def removal(self, p: Posting, shipment_no: str | None) -> Removal:
        lot = self.books.state.lots[p.lot]
        qty = -p.quantity
        comp = p.composition
        part = self.part_on(p.part, p.date)
        hts = self.dotted(lot.hts or (part.hts if part else None))
        origin = lot.origin or (part.origin if part else None)
        if not origin and len(comp.npf_origins) == 1:
            origin = comp.npf_origins[0]
        pf = tuple(
            PfComponent(c.part, self.dotted(c.hts), c.origin or "", c.value * qty,
                        c.quantity * qty, self.unit_of(c.part, c.pf_date), c.pf_date, c.lot)
            for c in comp.pf
        )  # fmt: skip
        npf = tuple(
            NpfInput(n.part, n.hts, n.origin, n.value * qty, n.quantity * qty, n.unit,
                     n.admitted_on, n.lot)
            for n in self.npf_per_unit(lot)
        )
        traced = sum((n.value for n in npf), ZERO)
        untraced = comp.npf_value * qty - traced
        if untraced > ZERO:
            npf += (NpfInput(p.part, "", "", untraced, qty, "", lot.date, lot.id),)
        return Removal(
            shipment_no=shipment_no or p.reference,
            date=p.date,
            part=p.part,
            hts=hts,
            origin=origin or "",
            quantity=qty,
            unit=part.unit if part else "",
            disposition=RemovalDisposition(str(p.disposition or "consumption")),
            composition=Composition(
                pf=pf,
                npf=npf,
                domestic_value=comp.domestic_value * qty,
                zr_value=comp.zr_value * qty,
                waste_value=self.waste_per_unit(lot) * qty,
            ),
            zone_value=p.zone_value,
            description=lot.description,
        )


@in_money_context
def removals(
    books: RemovalSources, postings: Iterable[Posting], dotted: Dotted, *,
    since: dt.date | None = None, until: dt.date | None = None,
) -> list[Removal]:
    """Every shipment posting of `postings` in the period, not reversed by a correction,
    as a `Removal` (146.65)."""
    tracer = Tracer(books, dotted)
    corrected = books.state.corrected
    out = []
    for p in postings:
        if p.movement is not Movement.SHIPPED or p.kind != "shipment" or p.seq in corrected:
            continue
        if (since and p.date < since) or (until and p.date > until):
            continue
        out.append(tracer.removal(p, books.shipments.get(p.seq)))
    return out
