"""Allocation of fungible merchandise to lots: FIFO, LIFO or specific lot (146.23(a)(2)).

The zone chooses one authorized inventory method and applies it consistently; every
removal is traced to the lots (and so the admissions) it came from (146.24(a)(2)).
Like beancount's booking methods, the methods are small functions in one registry that
share one sort: a pool holds the lots of one part and status ordered by
`allocation_key` (date the lot came into being, then ledger sequence). FIFO walks the pool
from the oldest lot, LIFO from the newest lot that existed on the removal's date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterator
from enum import StrEnum

# A pool entry: (lot date, ledger seq of the event that created the lot, lot id).
PoolEntry = tuple[dt.date, int, str]

_AFTER_ALL = (1 << 62, "")


class AllocationMethod(StrEnum):
    """The zone's inventory method (146.23(a)(2))."""

    FIFO = "fifo"
    LIFO = "lifo"
    SPECIFIC = "specific"


def allocation_key(date: dt.date, seq: int, lot: str) -> PoolEntry:
    """The one sort every method shares: oldest first, ties by ledger order."""
    return (date, seq, lot)


def fifo(pool: list[PoolEntry], on: dt.date) -> Iterator[str]:
    """Oldest lot first, among lots that existed on `on`."""
    for date, _, lot in pool:
        if date > on:
            return
        yield lot


def lifo(pool: list[PoolEntry], on: dt.date) -> Iterator[str]:
    """Newest lot that existed on `on` first, then older ones."""
    end = bisect_right(pool, (on, *_AFTER_ALL))
    for i in range(end - 1, -1, -1):
        yield pool[i][2]


Walk = Callable[[list[PoolEntry], dt.date], Iterator[str]]

WALKS: dict[AllocationMethod, Walk] = {
    AllocationMethod.FIFO: fifo,
    AllocationMethod.LIFO: lifo,
}
