"""Allocation of fungible merchandise to lots: FIFO, LIFO or specific lot (146.23(a)(2)).

The zone chooses one authorized inventory method and applies it consistently; every
removal is traced to the lots (and so the admissions) it came from (146.24(a)(2)).
Like beancount's booking methods, the methods are small functions in one registry that
share one sort: a pool holds the lots of one part and status ordered by
`allocation_key` (date the lot came into being, then ledger sequence). FIFO walks the pool
from the oldest lot, LIFO from the newest lot that existed on the removal's date; a lot
that came into being after the removal's date is never drawn. Specific-lot removals name
their lots and do not walk a pool.
"""

from __future__ import annotations

import datetime as dt
import heapq
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum

# A pool entry: (lot date, ledger seq of the event that created the lot, lot id).
PoolEntry = tuple[dt.date, int, str]

_AFTER_ALL_ON_A_DAY = (1 << 62, "")


class AllocationMethod(StrEnum):
    """The zone's inventory method (146.23(a)(2))."""

    FIFO = "fifo"
    LIFO = "lifo"
    SPECIFIC = "specific"


def allocation_key(date: dt.date, seq: int, lot: str) -> PoolEntry:
    """The one sort every method shares: oldest first, ties by ledger order."""
    return (date, seq, lot)


def fifo(pool: Sequence[PoolEntry], lo: int, hi: int, on: dt.date) -> Iterator[PoolEntry]:
    """Oldest lot first, among lots that existed on `on`."""
    for i in range(lo, hi):
        entry = pool[i]
        if entry[0] > on:
            return
        yield entry


def lifo(pool: Sequence[PoolEntry], lo: int, hi: int, on: dt.date) -> Iterator[PoolEntry]:
    """Newest lot that existed on `on` first, then older ones."""
    end = bisect_right(pool, (on, *_AFTER_ALL_ON_A_DAY), lo, hi)
    for i in range(end - 1, lo - 1, -1):
        yield pool[i]


Walk = Callable[[Sequence[PoolEntry], int, int, dt.date], Iterator[PoolEntry]]

WALKS: dict[AllocationMethod, Walk] = {
    AllocationMethod.FIFO: fifo,
    AllocationMethod.LIFO: lifo,
}


def walk_pools(
    method: AllocationMethod,
    pools: Sequence[tuple[Sequence[PoolEntry], int, int]],
    on: dt.date,
) -> Iterator[PoolEntry]:
    """Walk several pools (one per zone status) as one, in the method's order."""
    walk = WALKS[method]
    if len(pools) == 1:
        pool, lo, hi = pools[0]
        return walk(pool, lo, hi, on)
    return heapq.merge(
        *(walk(pool, lo, hi, on) for pool, lo, hi in pools),
        reverse=method is AllocationMethod.LIFO,
    )
