"""Reports over the zone's books: pure functions of postings (and lots).

- `balances` / `balances_by_part`: quantity and value on hand by lot (or part) and status
  as of any date (146.23(b)(4): current balance on hand by date and quantity).
- `lot_history`: every posting touching a lot, with its CBP form reference (146.23(b),
  146.24(a)(2): every transfer traceable to an admission).
- `annual_reconciliation`: per lot and status, 146.25(b): description, status, quantity on
  hand at the beginning of the year, cumulative receipts and transfers, quantity on hand
  at the end, cumulative positive and negative adjustments.
- `board_report`: the FTZ Board annual report figures (15 CFR 400.51(c)): merchandise
  received by status (foreign vs domestic) and forwarded (US market vs export), at input
  value.

Corrections post movements of the same kind with the opposite sign, so every figure here
is net of corrections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.money import in_money_context
from zonekeeper.zone.ledger import Lot, Movement, Posting
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

ZERO = Decimal(0)

RECEIPTS = frozenset(
    {
        Movement.RECEIPT,
        Movement.PRODUCED,
        Movement.SCRAP,
        Movement.TRANSFER_IN,
        Movement.STATUS_IN,
    }
)
TRANSFERS_OUT = frozenset(
    {
        Movement.SHIPPED,
        Movement.CONSUMED,
        Movement.TRANSFER_OUT,
        Movement.STATUS_OUT,
    }
)


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """Quantity and value on hand of one lot (or part, `lot` empty) in one status."""

    lot: str
    part: str
    status: ZoneStatus
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True)
class ReconciliationLine:
    """One line of the annual reconciliation report, 146.25(b): per lot and status."""

    lot: str
    part: str
    description: str
    status: ZoneStatus
    opening: Decimal
    receipts: Decimal
    transfers_out: Decimal
    adjustments_plus: Decimal
    adjustments_minus: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class BoardReport:
    """FTZ Board annual report figures, 15 CFR 400.51(c), USD at input value.

    Received: admissions in the year, foreign status (PF, NPF, ZR) vs domestic status.
    Forwarded: shipments to the US market (entered for consumption), exported, and
    transferred to other zones, at the input value of what left; `*_zone_value` the
    transaction value out. `destroyed`: destruction in the zone. `produced`: input value of
    lots produced in the zone.
    """

    year: int
    received_foreign: Decimal
    received_domestic: Decimal
    forwarded_us_market: Decimal
    forwarded_export: Decimal
    forwarded_zone_transfer: Decimal
    us_market_zone_value: Decimal
    export_zone_value: Decimal
    destroyed: Decimal
    produced: Decimal


def _until(postings: Iterable[Posting], on: dt.date | None) -> Iterable[Posting]:
    if on is None:
        return postings
    return (p for p in postings if p.date <= on)


@in_money_context
def balances(postings: Iterable[Posting], on: dt.date | None = None) -> list[BalanceLine]:
    """Balance by lot and status at the end of `on` (all postings if None); lines with
    nothing on hand are left out. Sorted by part, lot, status."""
    qty: dict[tuple[str, str, ZoneStatus], list[Decimal]] = {}
    for p in _until(postings, on):
        acc = qty.setdefault((p.part, p.lot, p.status), [ZERO, ZERO])
        acc[0] += p.quantity
        acc[1] += p.value
    return [
        BalanceLine(lot=lot, part=part, status=status, quantity=q, value=v)
        for (part, lot, status), (q, v) in sorted(qty.items())
        if q != 0
    ]


@in_money_context
def balances_by_part(postings: Iterable[Posting], on: dt.date | None = None) -> list[BalanceLine]:
    """Balance by part and status at the end of `on` (`lot` is empty)."""
    qty: dict[tuple[str, ZoneStatus], list[Decimal]] = {}
    for line in balances(postings, on):
        acc = qty.setdefault((line.part, line.status), [ZERO, ZERO])
        acc[0] += line.quantity
        acc[1] += line.value
    return [
        BalanceLine(lot="", part=part, status=status, quantity=q, value=v)
        for (part, status), (q, v) in sorted(qty.items())
    ]


def lot_history(postings: Iterable[Posting], lot: str) -> list[Posting]:
    """Every posting touching `lot`, in ledger order (each names its CBP form reference
    and the admissions the lot traces to)."""
    return sorted((p for p in postings if p.lot == lot), key=lambda p: p.seq)


@in_money_context
def annual_reconciliation(
    postings: Iterable[Posting],
    lots: Mapping[str, Lot],
    start: dt.date,
    end: dt.date,
) -> list[ReconciliationLine]:
    """146.25(b), per lot and status, for the zone year `start`..`end` (both inclusive).

    A status change shows as a transfer out of the old status and a receipt into the new
    one; a count difference as a positive or negative adjustment (146.53(a), last
    sentence: shortages and overages are recorded in the annual reconciliation).
    """
    acc: dict[tuple[str, ZoneStatus], list[Decimal]] = {}
    parts: dict[str, str] = {}
    for p in postings:
        if p.date > end:
            continue
        row = acc.setdefault((p.lot, p.status), [ZERO, ZERO, ZERO, ZERO, ZERO])
        parts[p.lot] = p.part
        if p.date < start:
            row[0] += p.quantity
        elif p.movement in RECEIPTS:
            row[1] += p.quantity
        elif p.movement in TRANSFERS_OUT:
            row[2] -= p.quantity
        elif p.movement is Movement.ADJUSTMENT:
            if p.quantity > 0:
                row[3] += p.quantity
            else:
                row[4] -= p.quantity
    out = []
    for (lot_id, status), (opening, receipts, out_, plus, minus) in sorted(acc.items()):
        if not any((opening, receipts, out_, plus, minus)):
            continue
        lot = lots.get(lot_id)
        out.append(
            ReconciliationLine(
                lot=lot_id,
                part=parts[lot_id],
                description=lot.description if lot else "",
                status=status,
                opening=opening,
                receipts=receipts,
                transfers_out=out_,
                adjustments_plus=plus,
                adjustments_minus=minus,
                closing=opening + receipts - out_ + plus - minus,
            )
        )
    return out


@in_money_context
def board_report(postings: Iterable[Posting], year: int) -> BoardReport:
    """15 CFR 400.51(c) figures for calendar `year` (see `BoardReport`)."""
    received = {True: ZERO, False: ZERO}
    forwarded = dict.fromkeys(ShipmentDisposition, ZERO)
    zone_value = dict.fromkeys(ShipmentDisposition, ZERO)
    produced = ZERO
    for p in postings:
        if p.date.year != year:
            continue
        if p.movement is Movement.RECEIPT:
            received[p.status.is_foreign] += p.value
        elif p.movement is Movement.SHIPPED and p.disposition is not None:
            forwarded[p.disposition] -= p.value
            zone_value[p.disposition] += p.zone_value or ZERO
        elif p.movement is Movement.PRODUCED:
            produced += p.value
    return BoardReport(
        year=year,
        received_foreign=received[True],
        received_domestic=received[False],
        forwarded_us_market=forwarded[ShipmentDisposition.CONSUMPTION],
        forwarded_export=forwarded[ShipmentDisposition.EXPORT],
        forwarded_zone_transfer=forwarded[ShipmentDisposition.ZONE_TRANSFER],
        us_market_zone_value=zone_value[ShipmentDisposition.CONSUMPTION],
        export_zone_value=zone_value[ShipmentDisposition.EXPORT],
        destroyed=forwarded[ShipmentDisposition.DESTRUCTION],
        produced=produced,
    )
