"""The inventory on hand by zone status, kept as the books move (`zone_totals`).

The dashboard shows, for each zone status (19 CFR 146.41-146.44), how many lots have a
balance and their quantity and value on hand (146.65(b): the value foreign merchandise
is dutied on). Summed from the `lots` projection that is a GROUP BY over every lot of the
zone (seconds on a million-event zone, every time the books move); kept here it is one
row per status, read in a millisecond.

Kept in the transaction of every posting, whole or not at all with it (146.21): each
batch's changes are summed in memory per status (`deltas`, on the thread that makes the
batch: each changed lot's new figures in, its figures before the batch out) and added to
the stored rows in one read and at most one write per status (`write`, under the zone's
lock). `verify` sums the lots again and compares (`verify.totals`).

Sums are exact: `Decimal` in a context wide enough for any sum the books can hold, with
inexact results trapped (never rounded, never float), and stored as the books store
decimals (`types.Exact`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Rounded
from typing import NamedTuple

from sqlalchemy import Connection, delete, insert, select, update

from zonekeeper.store.schema import zone_totals
from zonekeeper.zone.ledger import Lot, ZoneState
from zonekeeper.zone.versioned import Versioned

# Every figure of the books has at most 28 significant digits (`money.CONTEXT`); a sum of
# any number of them fits in far fewer than 200, and one that did not would raise.
EXACT = Context(prec=200, Emin=-999_999, Emax=999_999,
                traps=[Inexact, Rounded, InvalidOperation, Overflow])
ZERO = Decimal(0)


class Total(NamedTuple):
    """What is on hand in one zone status: lots with a balance, their quantity and value."""

    lots: int
    quantity: Decimal
    value: Decimal


Deltas = dict[str, Total]
"""The change a batch makes to each zone status's total (statuses it left alone absent)."""


class _Sum:
    """A running total of one status (mutable while a batch or the lots are summed)."""

    __slots__ = ("lots", "quantity", "value")

    def __init__(self) -> None:
        self.lots, self.quantity, self.value = 0, ZERO, ZERO

    def add(self, sign: int, quantity: Decimal, value: Decimal) -> None:
        self.lots += sign
        if sign > 0:
            self.quantity = EXACT.add(self.quantity, quantity)
            self.value = EXACT.add(self.value, value)
        else:
            self.quantity = EXACT.subtract(self.quantity, quantity)
            self.value = EXACT.subtract(self.value, value)

    def total(self) -> Total:
        return Total(self.lots, self.quantity, self.value)


def deltas(before: ZoneState, after: ZoneState, changed: Sequence[Lot]) -> Deltas:
    """How a batch that made `after` from `before`, changing the lots `changed` (as they
    stand in `after`), changes the totals: per status, each changed lot on hand after the
    batch counted in and each one on hand before it counted out.

    The lots as they were come from the versioned lot index's own difference (no move of
    the shared dict back to `before`); from `before` itself when it is not the version
    just before `after`."""
    old_of: Mapping[str, Lot | None] | None = None
    if isinstance(before.lots, Versioned) and isinstance(after.lots, Versioned):
        old_of = after.lots.replaced_since(before.lots)
    if old_of is None:
        old_of = {lot.id: before.lots.get(lot.id) for lot in changed}
    sums: dict[str, _Sum] = {}
    for lot in changed:
        old = old_of.get(lot.id)
        if old is lot:
            continue
        if old is not None and old.balance:
            sums.setdefault(old.status.value, _Sum()).add(-1, old.balance, old.value_on_hand)
        if lot.balance:
            sums.setdefault(lot.status.value, _Sum()).add(1, lot.balance, lot.value_on_hand)
    return {status: total for status, acc in sums.items()
            if (total := acc.total()) != (0, ZERO, ZERO)}


def read(connection: Connection, zone: str) -> dict[str, Total]:
    """The stored totals of the zone, by zone status (statuses with nothing on hand are
    absent)."""
    query = select(zone_totals.c.status, zone_totals.c.lots, zone_totals.c.quantity,
                   zone_totals.c.value).where(zone_totals.c.zone == zone)
    return {status: Total(int(n), q, v) for status, n, q, v in connection.execute(query)}


def write(connection: Connection, zone: str, changes: Deltas) -> None:
    """Add a batch's `deltas` to the stored totals, in the caller's transaction (which
    holds the zone's lock, so nobody else moves them meanwhile); a status left with
    nothing on hand loses its row."""
    if not changes:
        return
    stored = read(connection, zone)
    for status, change in sorted(changes.items()):
        old = stored.get(status)
        new = change if old is None else Total(
            old.lots + change.lots,
            EXACT.add(old.quantity, change.quantity),
            EXACT.add(old.value, change.value),
        )
        key = (zone_totals.c.zone == zone) & (zone_totals.c.status == status)
        if new == (0, ZERO, ZERO):
            connection.execute(delete(zone_totals).where(key))
        elif old is None:
            row = {"zone": zone, "status": status, **new._asdict()}
            connection.execute(insert(zone_totals).values(**row))
        else:
            connection.execute(update(zone_totals).where(key).values(**new._asdict()))


def summed(rows: Iterable[tuple[str, Decimal, Decimal]]) -> dict[str, Total]:
    """The totals of lots given as (status, balance, value on hand): what `zone_totals`
    must hold (`verify` compares; the migration that made the table filled it so)."""
    sums: dict[str, _Sum] = {}
    for status, quantity, value in rows:
        if quantity:
            sums.setdefault(status, _Sum()).add(1, quantity, value)
    return {status: acc.total() for status, acc in sums.items()}
