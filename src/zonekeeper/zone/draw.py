"""Planning a removal: which lots, how much from each (146.23(a)(2), 146.24(a)(2)).

A plan reads the books and changes nothing, so an event that cannot be fully covered
leaves no trace; the caller applies the plan only when every part of the event is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.book import Book, LotRecord
from zonekeeper.zone.ledger import Lot
from zonekeeper.zone.status import ZoneStatus

ZERO = Decimal(0)

Draw = list[tuple[LotRecord | Lot, Decimal]]


class Refused(Exception):
    """A plan that cannot be made: the reason and the event field it concerns."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def plan(
    book: Book,
    part: str,
    statuses: tuple[ZoneStatus, ...],
    quantity: Decimal,
    on: dt.date,
    named: Sequence[str] = (),
) -> Draw:
    """Lots and quantities that cover `quantity` of `part` on `on`, in the zone's order,
    or from the `named` lots in the order given (specific identification)."""
    out: Draw = []
    need = quantity
    if book.method is AllocationMethod.SPECIFIC:
        if not named:
            raise Refused(
                "the zone allocates by specific lot: name the lot(s) "
                "(19 CFR 146.23(a)(2), method applied consistently)",
                "lot",
            )
        seen: set[str] = set()
        for lot_id in named:
            lot = book.lot(lot_id)
            if lot is None:
                raise Refused(f"no lot {lot_id!r} in the zone", "lot")
            if lot.part != part or lot_id in seen:
                continue
            seen.add(lot_id)
            if lot.status not in statuses:
                continue
            if lot.date > on:
                raise Refused(f"lot {lot_id} came into the zone on {lot.date}, after {on}", "lot")
            if lot.balance <= 0:
                continue
            take = min(lot.balance, need)
            out.append((lot, take))
            need -= take
            if need == 0:
                return out
    else:
        if named:
            raise Refused(
                f"the zone allocates by {book.method.value.upper()}: name no lot "
                "(19 CFR 146.23(a)(2), method applied consistently)",
                "lot",
            )
        for lot in book.candidates(part, statuses, on):
            take = min(lot.balance, need)
            out.append((lot, take))
            need -= take
            if need == 0:
                return out
    have = quantity - need
    where = "/".join(s.value for s in statuses)
    raise Refused(
        f"not enough {part} ({where}) on hand on {on}: need {quantity}, have {have} "
        "(no negative balance, 19 CFR 146.23(b)(4))",
        "quantity",
    )
