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


def _existing(pool: Sequence[PoolEntry], lo: int, hi: int, on: dt.date) -> int:
    """End of the lots in `pool[lo:hi]` that had come into the zone by the end of `on`."""
    return bisect_right(pool, (on, *_AFTER_ALL_ON_A_DAY), lo, hi)


def fifo(pool: Sequence[PoolEntry], lo: int, hi: int, on: dt.date) -> range:
    """Oldest lot first, among lots that existed on `on`."""
    return range(lo, _existing(pool, lo, hi, on))


def lifo(pool: Sequence[PoolEntry], lo: int, hi: int, on: dt.date) -> range:
    """Newest lot that existed on `on` first, then older ones."""
    return range(_existing(pool, lo, hi, on) - 1, lo - 1, -1)


Walk = Callable[[Sequence[PoolEntry], int, int, dt.date], range]

# method -> (the positions of a pool to walk, whether the walk goes newest first)
WALKS: dict[AllocationMethod, tuple[Walk, bool]] = {
    AllocationMethod.FIFO: (fifo, False),
    AllocationMethod.LIFO: (lifo, True),
}


def walk_pools(
    method: AllocationMethod,
    pools: Sequence[tuple[Sequence[PoolEntry], int, int]],
    on: dt.date,
) -> Iterator[PoolEntry]:
    """Walk several pools (one per zone status) as one, in the method's order."""
    walk, newest_first = WALKS[method]
    if len(pools) == 1:
        pool, lo, hi = pools[0]
        for i in walk(pool, lo, hi, on):
            yield pool[i]
        return
    # merge: the next entry is the oldest (newest) of the pools' next entries
    cursors = [(pool, iter(walk(pool, lo, hi, on))) for pool, lo, hi in pools]
    heads: list[tuple[PoolEntry, int]] = []
    for n, (pool, positions) in enumerate(cursors):
        first = next(positions, None)
        if first is not None:
            heads.append((pool[first], n))
    while heads:
        best = max(heads) if newest_first else min(heads)
        yield best[0]
        heads.remove(best)
        pool, positions = cursors[best[1]]
        following = next(positions, None)
        if following is not None:
            heads.append((pool[following], best[1]))
