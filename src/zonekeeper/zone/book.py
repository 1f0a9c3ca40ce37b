"""The mutable builder `post` works on, frozen into a new `ZoneState` at the end.

Copy-on-write: a lot is copied into a mutable `LotRecord` the first time a batch changes
it, a pool (the lots of one part and status in allocation order) the first time a lot is
added to it; removals only move the pool's live bounds. Nothing of the old state is ever
changed, so a batch with problems is simply dropped. The lot index is a `Versioned`
mapping: the batch reads the old version's dict (`base`) and the freeze makes the next
version from the batch's records alone. Cost: O(events) plus one shallow copy of each
touched pool at the end.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal

from zonekeeper.errors import Problem
from zonekeeper.money import in_money_context
from zonekeeper.zone.allocation import WALKS, AllocationMethod, PoolEntry, walk_pools
from zonekeeper.zone.composition import AdmissionRef, Composition
from zonekeeper.zone.ledger import (
    DutyRule,
    Lot,
    Movement,
    PfRule,
    Posting,
    PostingsOf,
    ZoneState,
    frozen_from_dict,
    lot_fields,
    with_balance,
)
from zonekeeper.zone.records import Discrepancy, SuspenseItem
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus
from zonekeeper.zone.versioned import Slice, Versioned

ZERO = Decimal(0)

PoolKey = tuple[str, ZoneStatus]
_NO_POOL: tuple[PoolEntry, ...] = ()
_COMPACT = 4096  # a pool's list is copied without its dead entries when they are this many


def _seq_of(posting: Posting) -> int:
    return posting.seq


class LotRecord:
    """A lot being changed by the current batch (the mutable twin of `Lot`, same fields)."""

    id: str
    part: str
    description: str
    status: ZoneStatus
    date: dt.date
    seq: int
    quantity: Decimal
    value: Decimal
    balance: Decimal
    value_on_hand: Decimal
    composition: Composition
    admissions: tuple[AdmissionRef, ...]
    reference: str
    hts: str | None
    origin: str | None
    pf_date: dt.date | None
    mode: str | None
    produced: bool

    def __init__(self, lot: Lot) -> None:
        self.__dict__.update(lot_fields(lot))

    def freeze(self) -> Lot:
        return frozen_from_dict(Lot, dict(self.__dict__))

    @property
    def key(self) -> PoolEntry:
        return (self.date, self.seq, self.id)

    def share_of_value(self, quantity: Decimal) -> Decimal:
        """Value of `quantity` taken from the lot: proportional, and exactly the rest when
        the lot is emptied, so value is conserved to the last unit."""
        if quantity == self.balance:
            return self.value_on_hand
        return self.value_on_hand * quantity / self.balance


class Book:
    """The working books of one `post` call."""

    def __init__(self, state: ZoneState, base: Mapping[str, Lot]) -> None:
        """`base`: the dict of `state.lots` (see `lots_of`), read-only for the batch."""
        self.state = state
        self.base = base
        self.method: AllocationMethod = state.method
        self.records: dict[str, LotRecord] = {}
        # Lots `catch_up` takes into the next version as they are (no record to freeze).
        self.settled: dict[str, Lot] = {}
        # Per pool seen: the list its entries are in, the live bounds [lo, hi) in it and the
        # end of this version's entries there. The list is the old version's (`Slice`), shared,
        # until an entry must go where the old version or another one can see it: then the
        # batch copies it (`_own`). Appending at the end of a shared list is safe while nothing
        # was appended after this version's end (a branch from the same state would have).
        self._pools: dict[PoolKey, list[PoolEntry]] = {}
        self._bounds: dict[PoolKey, list[int]] = {}
        self._ends: dict[PoolKey, int] = {}
        self._owned: set[PoolKey] = set()  # pools whose list this batch made
        self._dirty: set[PoolKey] = set()  # pools whose lots changed: rebuilt on freeze
        # Dirty pools that may hold a dead entry (emptied or moved to another status) between
        # their live bounds: only these are filtered lot by lot on freeze; the others' live
        # bounds are exact and their entries are sliced off as they are. Entries are live when
        # a batch starts (freeze keeps only live ones), and a lot can only die in `move` (its
        # balance reaches 0: `trim`) or by a status change (`leave_pool`), so marking those
        # and the out-of-order inserts of `enter_pool` is enough.
        self._holes: set[PoolKey] = set()
        self.suspense: dict[str, SuspenseItem] | None = None
        self.corrected: set[int] = set()
        self.postings: list[Posting] = []  # in ledger order: an event's postings together
        self.discrepancies: list[Discrepancy] = []
        self.problems: list[Problem] = []
        self.pf_rule: PfRule | None = None
        self.duty_rule: DutyRule | None = None
        self.postings_of: PostingsOf | None = None

    # --- lots ---------------------------------------------------------------------------

    def lot(self, lot_id: str) -> LotRecord | Lot | None:
        rec = self.records.get(lot_id)
        if rec is not None:
            return rec
        return self.base.get(lot_id)

    def edit(self, lot_id: str) -> LotRecord:
        rec = self.records.get(lot_id)
        if rec is None:
            rec = self.records[lot_id] = LotRecord(self.base[lot_id])
        return rec

    def create(
        self,
        *,
        id: str,
        part: str,
        description: str,
        status: ZoneStatus,
        date: dt.date,
        seq: int,
        quantity: Decimal,
        value: Decimal,
        composition: Composition,
        admissions: tuple[AdmissionRef, ...],
        reference: str,
        hts: str | None = None,
        origin: str | None = None,
        pf_date: dt.date | None = None,
        mode: str | None = None,
        produced: bool = False,
    ) -> LotRecord:
        """A new lot with nothing in it yet (the caller posts its receipt)."""
        rec: LotRecord = object.__new__(LotRecord)
        rec.__dict__.update(
            id=id,
            part=part,
            description=description,
            status=status,
            date=date,
            seq=seq,
            quantity=quantity,
            value=value,
            balance=ZERO,
            value_on_hand=ZERO,
            composition=composition,
            admissions=admissions,
            reference=reference,
            hts=hts,
            origin=origin,
            pf_date=pf_date,
            mode=mode,
            produced=produced,
        )
        self.records[id] = rec
        return rec

    # --- pools --------------------------------------------------------------------------

    def _view(self, key: PoolKey) -> tuple[list[PoolEntry], list[int]]:
        pool = self._pools.get(key)
        if pool is not None:
            return pool, self._bounds[key]
        old = self.state.pools.get(key, _NO_POOL)
        if isinstance(old, Slice):
            pool, lo, hi = old.items, old.lo, old.hi
        else:  # books made by hand: a plain sequence
            pool, lo, hi = list(old), 0, len(old)
            self._owned.add(key)
        self._pools[key] = pool
        bounds = self._bounds[key] = [lo, hi]
        self._ends[key] = hi
        return pool, bounds

    def _own(self, key: PoolKey) -> list[PoolEntry]:
        """The pool's entries in a list of this batch's own (the live ones and after)."""
        pool, bounds = self._view(key)
        if key in self._owned:
            return pool
        lo, end = bounds[0], self._ends[key]
        own = self._pools[key] = pool[lo:end]
        bounds[0] -= lo
        bounds[1] -= lo
        self._ends[key] = end - lo
        self._owned.add(key)
        return own

    def enter_pool(self, rec: LotRecord | Lot) -> None:
        """Put a lot (new, or back to a balance, or in a new status) into its pool."""
        key = (rec.part, rec.status)
        self._dirty.add(key)
        pool, bounds = self._view(key)
        end = self._ends[key]
        entry = rec.key
        if not end or pool[end - 1] < entry:  # the usual case: the newest lot
            if bounds[1] != end:
                self._holes.add(key)  # the bounds now reach over lots trimmed off the end
            if len(pool) != end:  # another version appended here: not ours to extend
                pool = self._own(key)
                end = self._ends[key]
            pool.append(entry)
            end = self._ends[key] = end + 1
            bounds[1] = end
            return
        self._holes.add(key)  # bounds may widen over lots emptied before
        i = bisect_left(pool, entry, 0, end)
        if i < end and pool[i] == entry:
            bounds[0] = min(bounds[0], i)
            bounds[1] = max(bounds[1], i + 1)
            return
        pool = self._own(key)  # an insert inside: the old version must not see it
        end = self._ends[key]
        i = bisect_left(pool, entry, 0, end)
        pool.insert(i, entry)
        self._ends[key] = end + 1
        lo, hi = bounds
        bounds[0] = i if i <= lo else lo
        bounds[1] = hi + 1 if i < hi else i + 1

    def leave_pool(self, rec: LotRecord) -> None:
        """The lot no longer belongs to its pool (its status is about to change)."""
        key = (rec.part, rec.status)
        self._dirty.add(key)
        self._holes.add(key)

    def trim(self, part: str, status: ZoneStatus, emptied: PoolEntry | None = None) -> None:
        """Move a pool's live bounds past lots emptied at either end; `emptied`, the entry of
        the lot just emptied, still inside them leaves a hole (see `_holes`)."""
        key = (part, status)
        self._dirty.add(key)
        pool, bounds = self._view(key)
        lo, hi = bounds
        records, settled, base = self.records, self.settled, self.base
        while lo < hi:
            lot_id = pool[lo][2]
            lot = records.get(lot_id) or settled.get(lot_id) or base[lot_id]
            if lot.balance > ZERO and lot.status is status:
                break
            lo += 1
        while hi > lo:
            lot_id = pool[hi - 1][2]
            lot = records.get(lot_id) or settled.get(lot_id) or base[lot_id]
            if lot.balance > ZERO and lot.status is status:
                break
            hi -= 1
        bounds[0], bounds[1] = lo, hi
        if emptied is not None and lo < hi and pool[lo] < emptied < pool[hi - 1]:
            self._holes.add(key)

    def candidates(
        self, part: str, statuses: tuple[ZoneStatus, ...], on: dt.date
    ) -> Iterator[LotRecord | Lot]:
        """Lots of `part` in `statuses` with a balance on `on`, in the zone's order."""
        views = []
        for status in statuses:
            key = (part, status)
            if key not in self._pools and key not in self.state.pools:
                continue
            pool, (lo, hi) = self._view(key)
            if lo < hi:
                views.append((pool, lo, hi))
        if not views:
            return
        lots = self.records
        base = self.base
        if len(views) == 1:
            pool, lo, hi = views[0]
            walk = WALKS[self.method][0]
            for i in walk(pool, lo, hi, on):
                lot_id = pool[i][2]
                lot = lots.get(lot_id) or base[lot_id]
                if lot.balance > ZERO and lot.status in statuses:
                    yield lot
            return
        # A lot that changed status in this batch is still listed in its old pool until the
        # freeze; with both pools walked it would come up twice.
        seen: set[str] = set()
        for entry in walk_pools(self.method, views, on):
            lot = lots.get(entry[2]) or base[entry[2]]
            if lot.balance <= ZERO or lot.status not in statuses or lot.id in seen:
                continue
            seen.add(lot.id)
            yield lot

    # --- postings -----------------------------------------------------------------------

    def move(
        self,
        rec: LotRecord,
        *,
        seq: int,
        row: int,
        kind: str,
        date: dt.date,
        movement: Movement,
        quantity: Decimal,
        value: Decimal,
        reference: str,
        disposition: ShipmentDisposition | None = None,
        zone_value: Decimal | None = None,
        waste: Decimal | None = None,
        scrap: Decimal | None = None,
    ) -> Posting:
        """Change a lot's balance and value by signed amounts and record the posting."""
        posting = frozen_from_dict(
            Posting,
            {
                "seq": seq,
                "row": row,
                "kind": kind,
                "date": date,
                "movement": movement,
                "lot": rec.id,
                "part": rec.part,
                "status": rec.status,
                "quantity": quantity,
                "value": value,
                "composition": rec.composition,
                "admissions": rec.admissions,
                "reference": reference,
                "disposition": disposition,
                "zone_value": zone_value,
                "waste": waste,
                "scrap": scrap,
            },
        )
        # pool membership changes only when a lot empties (trim) or fills (enter_pool)
        was_empty = rec.balance <= ZERO
        balance = rec.balance = rec.balance + quantity
        rec.value_on_hand += value
        if balance == ZERO:
            rec.value_on_hand = ZERO
            self.trim(rec.part, rec.status, rec.key)
        elif was_empty and balance > ZERO:
            self.enter_pool(rec)
        self.postings.append(posting)
        return posting

    def postings_in_batch(self, seq: int) -> list[Posting]:
        """The postings made so far in this batch by the event at ledger position `seq`."""
        start = bisect_left(self.postings, seq, key=_seq_of)
        end = bisect_right(self.postings, seq, lo=start, key=_seq_of)
        return self.postings[start:end]

    def problem(self, row: int, reason: str, field: str | None = None, *, code: str) -> None:
        """Refuse the batch's event at position `row`: why, in which field, and the stable
        `code` a script reads (docs/problems.md)."""
        self.problems.append(Problem(reason, row=row, field=field, code=code))

    # --- suspense -----------------------------------------------------------------------

    def suspense_items(self) -> dict[str, SuspenseItem]:
        if self.suspense is None:
            self.suspense = dict(self.state.suspense)
        return self.suspense

    # --- freeze -------------------------------------------------------------------------

    def freeze(self, events_posted: int) -> ZoneState:
        state = self.state
        changes = {lot_id: rec.freeze() for lot_id, rec in self.records.items()}
        changes.update(self.settled)
        index = state.lots
        if not isinstance(index, Versioned):
            index = Versioned(index)  # books made by hand: copied once, then versioned
        new_index = index.evolve(changes)
        base = self.base
        pools = dict(state.pools)
        for key in self._dirty:
            pool, (lo, hi) = self._view(key)
            status = key[1]
            if key in self._holes:
                live = [
                    e
                    for e in pool[lo:hi]
                    if (lot := changes.get(e[2]) or base[e[2]]).balance > 0
                    and lot.status is status
                ]
                pools[key] = Slice(live)
            elif lo >= _COMPACT and lo > hi - lo:  # mostly emptied lots before the live ones
                pools[key] = Slice(pool[lo:hi])
            else:
                pools[key] = Slice(pool, lo, hi)
            if not pools[key]:
                del pools[key]
        return dataclasses.replace(
            state,
            lots=new_index,
            pools=pools,
            suspense=self.suspense if self.suspense is not None else state.suspense,
            seq=state.seq + events_posted,
            corrected=state.corrected | self.corrected if self.corrected else state.corrected,
        )


def lots_of(state: ZoneState) -> AbstractContextManager[Mapping[str, Lot]]:
    """The dict of `state.lots` for a batch's reads, held for the block (see `Versioned`)."""
    lots = state.lots
    if isinstance(lots, Versioned):
        return lots.hold()
    return nullcontext(lots)


# Kinds of events that change a lot already in the books only in its balance and value on
# hand (`Book.move`); a status change and a correction may change its status, composition
# and PF date too. New lots are made whole by any kind.
BALANCE_ONLY_KINDS = frozenset(
    {"admission", "production", "shipment", "count", "manipulation", "suspense_receipt", "filing"}
)


def balance_only_kinds() -> frozenset[str]:
    """Kinds of events that change a lot already in the books only in its balance and value
    on hand (`catch_up`'s `moved`)."""
    return BALANCE_ONLY_KINDS


@in_money_context
def catch_up(
    state: ZoneState,
    lots: Iterable[Lot],
    *,
    seq: int,
    moved: Iterable[tuple[str, Decimal, Decimal]] = (),
    corrected: Iterable[int] = (),
    suspense: Mapping[str, SuspenseItem] | None = None,
) -> ZoneState:
    """`state` brought up to event `seq` from what later batches stored: `lots`, lots they
    created or changed, as they stand now; `moved`, (lot, balance, value on hand) of lots
    of `state` that only events of `BALANCE_ONLY_KINDS` changed (cheaper to read than the
    whole lot); `corrected`, the events they reversed; `suspense`, the whole suspense
    account now (None: unchanged). The same books a fresh load of the projections gives,
    at the cost of the lots changed, not of the books.

    Why not rebuild: a clerk who keeps the books in memory while other clerks post to the
    same zone would otherwise reload every lot before each batch. The pools follow the
    lots the way a batch moves them: a lot that gains a balance (or a new status) enters
    its pool; one that empties or leaves its status is trimmed off the pool's ends, or
    left as a hole that the freeze filters out (`Book.trim`)."""
    with lots_of(state) as base:
        book = Book(state, base)
        settled = book.settled
        left: list[tuple[PoolKey, PoolEntry]] = []

        def place(old: Lot | None, lot: Lot) -> None:
            had = old is not None and old.balance > ZERO
            has = lot.balance > ZERO
            status_moved = old is not None and old.status is not lot.status
            if old is not None and had and (not has or status_moved):
                left.append(((old.part, old.status), old.key))
            if has and (not had or status_moved):
                book.enter_pool(lot)

        # The lots go into the next version as they were read (a `DeferredLot` stays
        # deferred): placing one reads only its part, status, balance and pool key.
        for lot in lots:
            settled[lot.id] = lot
            place(base.get(lot.id), lot)
        for lot_id, balance, value_on_hand in moved:
            old = base[lot_id]
            lot = settled[lot_id] = with_balance(old, balance, value_on_hand)
            place(old, lot)
        for (part, status), entry in left:
            book.trim(part, status, entry)
        book.corrected.update(corrected)
        if suspense is not None:
            book.suspense = dict(suspense)
        return book.freeze(seq - state.seq)
