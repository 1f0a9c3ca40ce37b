"""The zone's books (the ICRS of 19 CFR 146.21-146.26): state, lots, postings.

These are the types the posting engine and its readers share; the engine itself is
`zone.posting.post` (and `zone.book.catch_up`), which import this module, never the other
way round.

`post(state, events) -> PostResult(state, postings, problems, discrepancies)` is the
functional core of the ledger, in the manner of beancount's `book`: it takes the zone's
state and a batch of events and returns the new state, the postings (one signed movement
of one lot each; every removal names its lot and the admissions it traces to, 146.24(a)(2))
and the problems found. A batch with any problem posts nothing and returns the state
unchanged, with every problem in the batch reported (`Problem.row` = 1-based position of
the event in the batch).

Internally `post` works on a mutable builder (copy-on-write per lot and per pool) and
freezes at the end; the lot index (`Versioned`) and the pools (`Slice`s of shared lists)
are persistent, so a batch costs O(events), not O(books).
`Lot` and `Posting` are frozen dataclasses without `__slots__` so that the builder can make
them with one dict assignment (`frozen_from_dict`) instead of a frozen `__init__`'s one
`object.__setattr__` per field: they are made once per posting and per changed lot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from zonekeeper.errors import Problem
from zonekeeper.zone.allocation import AllocationMethod, PoolEntry, allocation_key
from zonekeeper.zone.composition import AdmissionRef, Composition
from zonekeeper.zone.master import Bom, MasterData, Part
from zonekeeper.zone.records import Discrepancy, SuspenseItem
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus
from zonekeeper.zone.versioned import Slice, Versioned

__all__ = [
    "DutyRule",
    "Lot",
    "Movement",
    "PfRule",
    "PostResult",
    "Posting",
    "PostingsOf",
    "ZoneState",
]

_T = TypeVar("_T")

PfRule = Callable[[str, str, dt.date], list[str]]
"""`(hts, origin, on) -> reasons PF status is required` (from `MeasureBook.pf_required`)."""

DutyRule = Callable[["Lot", Decimal, dt.date], Decimal]
"""`(lot, quantity, on) -> duty and taxes` the quantity would owe on entry (146.53(a)(3));
raises `CannotCompute` when it cannot say."""

PostingsOf = Callable[[int], Sequence["Posting"]]
"""`(seq) -> the postings of the event at ledger position seq` (for corrections of events
posted in earlier batches; the store reads them from its movements)."""


class Movement(StrEnum):
    """What a posting does to its lot, in the terms of the annual reconciliation (146.25)."""

    RECEIPT = "receipt"  # admission (Form 214)
    PRODUCED = "produced"  # finished lot of a production (Form 216)
    SCRAP = "scrap"  # recoverable scrap lot of a production
    CONSUMED = "consumed"  # component used in production (incl. its waste)
    SHIPPED = "shipped"  # transfer out: consumption, export, zone transfer, destruction
    STATUS_OUT = "status_out"  # status change: leaves the old status
    STATUS_IN = "status_in"  # status change: enters the new status
    TRANSFER_OUT = "transfer_out"  # manipulation into a new lot identity
    TRANSFER_IN = "transfer_in"
    MANIPULATED = "manipulated"  # manipulation recorded without quantity change
    ADJUSTMENT = "adjustment"  # count difference (146.53)


@dataclass(frozen=True)
class Lot:
    """A zone lot (146.23(a)): merchandise under one zone lot number or unique identifier.

    `quantity`/`value` are what came into the lot; `balance`/`value_on_hand` what is left.
    For foreign merchandise `value` is the dutiable value (146.65(b)); for a produced lot,
    the value of its inputs (zone labour, overhead and profit excluded). `composition` is
    per unit. `admissions` are the Form 214 lines it traces to (146.24(a)(2)). `reference`
    is the CBP form that created it. `seq` is the ledger position of that event.
    """

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
    hts: str | None = None
    origin: str | None = None
    pf_date: dt.date | None = None
    mode: str | None = None
    produced: bool = False

    @property
    def key(self) -> PoolEntry:
        return allocation_key(self.date, self.seq, self.id)


LOT_FIELDS = tuple(f.name for f in dataclasses.fields(Lot))

# The key of a `DeferredLot`'s `__dict__` that holds what makes its other fields.
_REST = "_rest"


@dataclass(frozen=True, eq=False)
class DeferredLot(Lot):
    """A `Lot` read back with only the fields placing it in the books takes (`id`, `part`,
    `status`, `date`, `seq`, `balance`, and whatever else its maker had at hand); the
    others are made by `rest()` (every field, in field order) the first time any of them is
    read. Equal to, and hashed as, the `Lot` with the same fields.

    Why: a clerk keeping the books in memory while others post to the zone brings them up
    to date with every lot the others' batches made or changed (`zone.book.catch_up`), and
    building each one's composition and admissions was a third of that, for lots of parts
    its own batches mostly never touch (`store.projections.changes_since` makes them).
    Everything that copies a lot's fields wholesale (`LotRecord`, the lots' projection
    rows, and orjson, which writes a dataclass from its `__dict__`) goes through
    `lot_fields` first."""

    def __getattr__(self, name: str) -> Any:
        # Only called for a field not made yet (or a name that is no field at all).
        values = self.__dict__
        rest = values.get(_REST)
        if rest is not None:
            made: dict[str, Any] = rest()
            made.update((k, v) for k, v in values.items() if k != _REST)
            # Swapped whole: a reader on another thread sees the old dict or the new one.
            _set(self, "__dict__", made)
            values = made
        try:
            return values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lot):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in LOT_FIELDS)

    __hash__ = Lot.__hash__


def deferred_lot(values: dict[str, Any], rest: Callable[[], dict[str, Any]]) -> Lot:
    """A `DeferredLot` holding `values` (at least `id`, `part`, `status`, `date`, `seq` and
    `balance`), its other fields made by `rest()` when first read."""
    values[_REST] = rest
    return frozen_from_dict(DeferredLot, values)


def lot_fields(lot: Lot) -> dict[str, Any]:
    """Every field of `lot` (its `__dict__`: the caller must not change it), a
    `DeferredLot`'s made first."""
    values = lot.__dict__
    if _REST in values:
        lot.description  # noqa: B018 - reading a deferred field makes them all
        values = lot.__dict__
    return values


def with_balance(lot: Lot, balance: Decimal, value_on_hand: Decimal) -> Lot:
    """`lot` with another balance and value on hand (a `DeferredLot` stays deferred)."""
    values = dict(lot.__dict__)
    values["balance"] = balance
    values["value_on_hand"] = value_on_hand
    return frozen_from_dict(type(lot), values)


@dataclass(frozen=True)
class Posting:
    """One signed movement of one lot, caused by the event at ledger position `seq`.

    `quantity` and `value` are signed (+ into the lot, - out of it). `composition` is the
    lot's per-unit composition at the time, so the duty on a removal is read from
    `composition` x `-quantity` (146.65). `admissions` trace the lot to its Form 214
    lines. `kind` is the event's kind ("correction" for a reversal, whose `movement`
    is the reversed posting's). `reference` names the CBP form or document (e.g.
    "CBP Form 214 A123 line 1", "entry 123-4567890-1"). For shipments `disposition` and
    `zone_value` (this lot's share of the transaction value out) are set; for
    consumption in production `waste` is the part of `-quantity` lost as irrecoverable
    waste and `scrap` the part recovered as scrap.
    """

    seq: int
    row: int
    kind: str
    date: dt.date
    movement: Movement
    lot: str
    part: str
    status: ZoneStatus
    quantity: Decimal
    value: Decimal
    composition: Composition
    admissions: tuple[AdmissionRef, ...]
    reference: str
    disposition: ShipmentDisposition | None = None
    zone_value: Decimal | None = None
    waste: Decimal | None = None
    scrap: Decimal | None = None


@dataclass(frozen=True)
class ZoneState:
    """The zone's books at one point of the ledger.

    `method` is the zone's inventory method, applied to every removal (146.23(a)(2)).
    `lots` holds every lot ever created (empty ones too, for history and reconciliation);
    `pools` the lots with a balance per (part, status), in allocation order (rebuilt by
    `with_lots`, never edited by hand). `seq` is how many events have been posted.
    `corrected` the ledger positions already reversed.
    """

    zone: str
    method: AllocationMethod = AllocationMethod.FIFO
    master: MasterData = field(default_factory=MasterData.build)
    lots: Mapping[str, Lot] = field(default_factory=dict)
    pools: Mapping[tuple[str, ZoneStatus], Sequence[PoolEntry]] = field(default_factory=dict)
    suspense: Mapping[str, SuspenseItem] = field(default_factory=dict)
    seq: int = 0
    corrected: frozenset[int] = frozenset()

    @classmethod
    def new(
        cls,
        zone: str,
        method: AllocationMethod = AllocationMethod.FIFO,
        parts: Iterable[Part] = (),
        boms: Iterable[Bom] = (),
    ) -> ZoneState:
        """An empty zone with its inventory method and master data."""
        return cls(zone=zone, method=method, master=MasterData.build(parts, boms))

    def with_master(self, parts: Iterable[Part] = (), boms: Iterable[Bom] = ()) -> ZoneState:
        """The same books with more part/BOM versions (effective-dated; same date replaces)."""
        return dataclasses.replace(self, master=self.master.with_versions(parts, boms))

    def advanced(self, events: int = 1) -> ZoneState:
        """The same books `events` positions further on in the ledger: an event that moves
        no goods and is not posted through `post` (a `MasterChange`, whose versions the
        master already holds) still takes its ledger position, and the events after it
        number from there."""
        return dataclasses.replace(self, seq=self.seq + events)

    @classmethod
    def with_lots(
        cls,
        zone: str,
        method: AllocationMethod,
        master: MasterData,
        lots: Iterable[Lot],
        suspense: Iterable[SuspenseItem] = (),
        seq: int = 0,
        corrected: Iterable[int] = (),
    ) -> ZoneState:
        """Books loaded from stored projections: the pools are rebuilt from the lots."""
        by_id = {lot.id: lot for lot in lots}
        pools: dict[tuple[str, ZoneStatus], list[PoolEntry]] = {}
        for lot in by_id.values():
            if lot.balance > 0:
                pools.setdefault((lot.part, lot.status), []).append(lot.key)
        return cls(
            zone=zone,
            method=method,
            master=master,
            lots=Versioned.adopt(by_id),
            pools={k: Slice(sorted(v)) for k, v in pools.items()},
            suspense={s.ref: s for s in suspense},
            seq=seq,
            corrected=frozenset(corrected),
        )

    def lot(self, lot_id: str) -> Lot | None:
        return self.lots.get(lot_id)

    def on_hand(self, part: str, status: ZoneStatus | None = None) -> Decimal:
        """Quantity of `part` on hand now (in one status, or all)."""
        total = Decimal(0)
        for (p, s), pool in self.pools.items():
            if p == part and (status is None or s is status):
                total += sum((self.lots[e[2]].balance for e in pool), Decimal(0))
        return total


@dataclass(frozen=True)
class PostResult:
    """What `post` returns: the new state (the old one if there are problems), the
    postings, the problems (empty when the batch posted) and the shortage/overage records;
    `payloads`: each event's canonical JSON as the store keeps it, when posting made them
    to check the batch's texts (`zone.events.canonical_payloads`), else empty."""

    state: ZoneState
    postings: tuple[Posting, ...]
    problems: tuple[Problem, ...]
    discrepancies: tuple[Discrepancy, ...] = ()
    payloads: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


_new = object.__new__
_set = object.__setattr__


def frozen_from_dict(cls: type[_T], values: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass `cls` whose fields are `values` (every field,
    already of the right type; the caller owns the dict from now on)."""
    obj: _T = _new(cls)
    _set(obj, "__dict__", values)
    return obj

