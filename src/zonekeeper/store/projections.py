"""Projections of the events: read the zone's books into a `ZoneState`, write what a batch
changed, in bulk.

Lots, suspense items and master data are kept whole (`codec`) beside the columns queries
filter on; postings and discrepancies are appended per event. Writing a batch is a handful
of executemany statements whatever its size (architecture rule 7: no per-row round trips).
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, delete, func, select

from zonekeeper.heap import collector_paused
from zonekeeper.store import bulk, codec, totals
from zonekeeper.store.bulk import bulk_write
from zonekeeper.store.schema import boms, discrepancies, events, lots, parts, postings, suspense
from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.book import balance_only_kinds
from zonekeeper.zone.events import Correction, SuspenseReceipt
from zonekeeper.zone.ledger import Lot, Posting, ZoneState, deferred_lot, lot_fields
from zonekeeper.zone.master import Bom, MasterData, Part
from zonekeeper.zone.records import Discrepancy, SuspenseItem
from zonekeeper.zone.status import ZoneStatus
from zonekeeper.zone.versioned import Versioned

_CHUNK = 20_000


def _upsert(
    connection: Connection,
    table: Any,
    key: Sequence[str],
    rows: list[dict[str, Any]],
    prepared: bool = False,
) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE, in bulk, on either database."""
    if rows:
        columns = list(rows[0])
        values = [tuple(r.values()) for r in rows]
        bulk_write(connection, table, columns, values, key, prepared=prepared)


def _insert(
    connection: Connection, table: Any, rows: list[dict[str, Any]], prepared: bool = False
) -> None:
    if rows:
        values = [tuple(r.values()) for r in rows]
        bulk_write(connection, table, list(rows[0]), values, prepared=prepared)


# ------------------------------------------------------------------------------ master data


def load_master(connection: Connection, zone: str) -> MasterData:
    """Every version of every part and bill of materials of the zone."""
    part_versions: list[Part] = []
    for (data,) in connection.execute(select(parts.c.data).where(parts.c.zone == zone)):
        part_versions.extend(codec.build(tuple[Part, ...], json.loads(data)))
    bom_versions: list[Bom] = []
    for (data,) in connection.execute(select(boms.c.data).where(boms.c.zone == zone)):
        bom_versions.extend(codec.build(tuple[Bom, ...], json.loads(data)))
    return MasterData.build(part_versions, bom_versions)


def save_master(
    connection: Connection,
    zone: str,
    master: MasterData,
    part_numbers: Iterable[str],
    products: Iterable[str],
) -> None:
    """Write the versions of the named parts and products (all of each one's versions)."""
    _upsert(
        connection,
        parts,
        ("zone", "part"),
        [
            {"zone": zone, "part": p, "data": codec.dumps(master.parts[p])}
            for p in sorted(set(part_numbers))
        ],
    )
    _upsert(
        connection,
        boms,
        ("zone", "product"),
        [
            {"zone": zone, "product": p, "data": codec.dumps(master.boms[p])}
            for p in sorted(set(products))
        ],
    )


# ------------------------------------------------------------------------------ state


def method_of(stored: str) -> AllocationMethod:
    """The core's method for the zone row's `FIFO` / `LIFO` / `LOT`."""
    return {
        "FIFO": AllocationMethod.FIFO,
        "LIFO": AllocationMethod.LIFO,
        "LOT": AllocationMethod.SPECIFIC,
    }[stored]


def load_state(connection: Connection, zone: str, method: str, head_seq: int) -> ZoneState:
    """The zone's books after event `head_seq`, read from the projections (with the cyclic
    collector paused: the books are acyclic, and a collection would walk the growing heap
    again and again while every lot is read)."""
    with collector_paused():
        return _load_state(connection, zone, method, head_seq)


def _load_state(connection: Connection, zone: str, method: str, head_seq: int) -> ZoneState:
    all_lots = [
        codec.loads(Lot, data)
        for (data,) in connection.execute(select(lots.c.data).where(lots.c.zone == zone))
    ]
    items = [
        codec.loads(SuspenseItem, data)
        for (data,) in connection.execute(select(suspense.c.data).where(suspense.c.zone == zone))
    ]
    corrected = [
        json.loads(payload)["corrects"]
        for (payload,) in connection.execute(
            select(events.c.payload).where(events.c.zone == zone, events.c.kind == Correction.kind)
        )
    ]
    return ZoneState.with_lots(
        zone,
        method_of(method),
        load_master(connection, zone),
        all_lots,
        items,
        seq=head_seq,
        corrected=corrected,
    )


class Since(NamedTuple):
    """What the batches after a known chain head stored (`changes_since`)."""

    lots: list[Lot]  # lots they created or changed, as they stand now
    moved: list[tuple[str, Decimal, Decimal]]  # (lot, balance, value on hand) of held lots
    corrected: list[int]  # the events their corrections reversed
    suspense: list[SuspenseItem] | None  # the whole suspense account, if it may have changed


def changes_since(
    connection: Connection,
    zone: str,
    seq: int,
    head_hash: str,
    *,
    held: Container[str],
    with_suspense: bool,
) -> Since | None:
    """What was committed after event `seq` (whose hash the caller holds as `head_hash`):
    the lots named by the postings of later events, read from the `lots` projection, the
    corrections' targets, and the suspense account when `with_suspense` (the caller's is not
    empty) or a later suspense receipt may have changed it. None when event `seq` is not the
    caller's any more (its hash differs: the books were replaced), so nothing can be patched.

    A lot the caller holds (`held`) that only events of `balance_only_kinds` changed is
    read as its balance and value on hand (`moved`), from the row's columns: its JSON not
    parsed nor built into a `Lot` with its composition and admissions, which is most of
    the cost of reading one.

    Read in one snapshot, or under the zone's lock: the lots must be the ones as of the head
    the caller brings its books to."""
    if seq:
        stored = connection.execute(
            select(events.c.hash).where(events.c.zone == zone, events.c.seq == seq)
        ).scalar_one_or_none()
        if stored != head_hash:
            return None
    kinds = {
        kind
        for (kind,) in connection.execute(
            select(events.c.kind).where(events.c.zone == zone, events.c.seq > seq).distinct()
        )
    }
    corrected = []
    if Correction.kind in kinds:
        corrected = [
            json.loads(payload)["corrects"]
            for (payload,) in connection.execute(
                select(events.c.payload).where(
                    events.c.zone == zone, events.c.seq > seq, events.c.kind == Correction.kind
                )
            )
        ]
    balances_only = kinds <= balance_only_kinds()
    # The lots the later events' postings name (`TOUCHED_LOTS_SQLITE`).
    changed: list[Lot] = []
    moved: list[tuple[str, Decimal, Decimal]] = []
    # A held lot's balance and value on hand are its row's `quantity` and `value` columns
    # (`_lot_values`): read from them, its JSON not even parsed. Read on the driver: the
    # columns are made Decimals only for the lots that use them (SQLite's text; psycopg
    # hands NUMERIC as Decimal), not by SQLAlchemy's result processing for every row.
    postgres = connection.dialect.name == "postgresql"
    sql = TOUCHED_LOTS_POSTGRESQL if postgres else TOUCHED_LOTS_SQLITE
    with collector_paused():
        for lot_id, quantity, value, data in connection.exec_driver_sql(sql, (zone, zone, seq)):
            if balances_only and lot_id in held:
                if not postgres:
                    quantity, value = Decimal(quantity), Decimal(value)
                moved.append((lot_id, quantity, value))
            else:
                changed.append(lot_from_text(data))
    items = None
    if with_suspense or SuspenseReceipt.kind in kinds:
        items = [
            codec.loads(SuspenseItem, data)
            for (data,) in connection.execute(
                select(suspense.c.data).where(suspense.c.zone == zone)
            )
        ]
    return Since(changed, moved, corrected, items)


_STATUS = codec.builder(ZoneStatus)


def lot_from_text(text: str) -> Lot:
    """A stored lot (`lots.data`) as a `DeferredLot`: what places it in the books (id,
    part, status, date, seq, balance) read now, the rest (composition, admissions ...) built
    from the text when first read. A catch-up reads every lot the other clerks' batches made
    or changed; most are of parts this clerk's batches never touch, and building their
    composition and admissions was a third of the catch-up's cost. A text these few fields
    cannot be read from is built whole, as `codec.loads` does."""
    try:
        doc = orjson.loads(text)
        seq = doc["seq"]
        if type(seq) is not int:
            raise TypeError(seq)
        values = {
            "id": str(doc["id"]),
            "part": str(doc["part"]),
            "status": _STATUS(doc["status"]),
            "date": date.fromisoformat(doc["date"]),
            "seq": seq,
            "balance": Decimal(doc["balance"]),
        }
    except (KeyError, TypeError, ValueError, ArithmeticError, orjson.JSONDecodeError):
        return codec.loads(Lot, text)
    return deferred_lot(values, partial(_lot_fields_of, text))


def _lot_fields_of(text: str) -> dict[str, Any]:
    return codec.loads(Lot, text).__dict__


# The lots named by the postings of the events after a sequence number. Ordered by `seq` so
# that SQLite reads the postings by their key from `seq` on; left to itself it picks the
# covering index by lot and walks every posting of the zone (measured: 4.1 ms against
# 2.5 ms for a 1,000-event batch of an 8,000-event zone, growing with the books).
_TOUCHED_LOTS = (
    "SELECT lot, quantity, value, data FROM lots WHERE zone = {0} AND lot IN "
    "(SELECT lot FROM postings WHERE zone = {0} AND seq > {0} ORDER BY seq)"
)
TOUCHED_LOTS_SQLITE = _TOUCHED_LOTS.format("?")
TOUCHED_LOTS_POSTGRESQL = _TOUCHED_LOTS.format("%s")

LOT_COLUMNS = ("zone", "lot", "admission_no", "line", "part", "status", "quantity", "value", "data")
# What a stored lot can change (its id, part and first admission are fixed when it is made).
LOT_CHANGING = ("status", "quantity", "value", "data")
POSTING_COLUMNS = ("zone", "seq", "n", "lot", "date", "quantity", "value", "data")


def _lot_values(
    zone: str, lot: Lot, as_text: bool, texts: bulk.Texts | None = None
) -> tuple[Any, ...]:
    """The `lots` row of a lot, as the driver takes it; `as_text`: decimals as SQLite
    stores them; `texts`: its JSON put there, the row ending with where (SQLite's bulk
    path, `store.bulk.Texts`)."""
    lot_fields(lot)  # a deferred lot's fields made: all of them are written
    first = lot.admissions[0] if lot.admissions and not lot.produced else None
    head = (
        zone,
        lot.id,
        first.admission_no if first else None,
        first.line if first else None,
        lot.part,
        lot.status.value,
        str(lot.balance) if as_text else lot.balance,
        str(lot.value_on_hand) if as_text else lot.value_on_hand,
    )
    if texts is not None:
        return (*head, *texts.add(codec.encoded(lot)))
    return (*head, codec.dumps(lot))


def _posting_values(
    zone: str, batch: Sequence[Posting], as_text: bool, texts: bulk.Texts | None = None
) -> list[tuple[Any, ...]]:
    """The `postings` rows of a batch as the tuples the driver takes (no dict per row on the
    hot path), numbered per event; `as_text`: decimals and dates as SQLite stores them;
    `texts`: each posting's JSON put there, its row ending with where (`store.bulk.Texts`).
    An event's postings are consecutive in a batch, so `n` restarts when `seq` changes."""
    rows: list[tuple[Any, ...]] = []
    dumps = codec.dumps
    seq, n = -1, 0
    if texts is not None:
        buffer, encoded = texts.data, codec.encoded
        for p in batch:
            n = n + 1 if p.seq == seq else 1
            seq = p.seq
            data = encoded(p)
            start = len(buffer) + 1
            buffer += data
            rows.append(
                (zone, seq, n, p.lot, p.date.isoformat(), str(p.quantity), str(p.value),
                 start, len(data))
            )  # fmt: skip
        return rows
    for p in batch:
        n = n + 1 if p.seq == seq else 1
        seq = p.seq
        if as_text:
            rows.append(
                (zone, seq, n, p.lot, p.date.isoformat(), str(p.quantity), str(p.value), dumps(p))
            )
        else:
            rows.append((zone, seq, n, p.lot, p.date, p.quantity, p.value, dumps(p)))
    return rows


def discrepancy_rows(zone: str, found: Sequence[Discrepancy]) -> list[dict[str, Any]]:
    rows = []
    n_of: dict[int, int] = {}
    for d in found:
        n = n_of.get(d.seq, 0) + 1
        n_of[d.seq] = n
        rows.append({"zone": zone, "seq": d.seq, "n": n, "lot": d.lot, "data": codec.dumps(d)})
    return rows


def changed_lots(before: ZoneState, after: ZoneState, batch: Sequence[Posting]) -> list[Lot]:
    """The lots a batch created or changed: the core's versioned lot index knows them when
    `after` was made from `before`; else, by identity (the copy-on-write core hands back the
    very same object for every lot it left alone)."""
    old, new = before.lots, after.lots
    if isinstance(old, Versioned) and isinstance(new, Versioned):
        changed = new.changed_since(old)
        if changed is not None:
            return list(changed.values())
        old, new = old.copy(), new.copy()
    touched = {p.lot for p in batch}
    if len(new) != len(old) + sum(1 for lot in touched if lot not in old):
        # Something beyond the postings' lots appeared: fall back to a full identity diff.
        return [lot for key, lot in new.items() if old.get(key) is not lot]
    return [new[key] for key in touched if key in new and old.get(key) is not new[key]]


class BatchRows(NamedTuple):
    """Every projection row one posted batch writes, made ready for one database
    (`batch_rows`), so they can be made in one thread and written in another
    (`store.pipeline`)."""

    lots: list[tuple[Any, ...]]
    postings: list[tuple[Any, ...]]
    discrepancies: list[dict[str, Any]]
    suspense_gone: list[str]
    suspense_new: list[dict[str, Any]]
    status_totals: totals.Deltas  # what it changes of the inventory by zone status
    # SQLite: the lots' and postings' JSON, beside their rows (`store.bulk.Texts`)
    lot_texts: bytes | None = None
    posting_texts: bytes | None = None


def batch_rows(
    zone: str,
    before: ZoneState,
    after: ZoneState,
    batch: Sequence[Posting],
    found: Sequence[Discrepancy],
    *,
    as_text: bool,
) -> BatchRows:
    """The rows of what one batch changed: lots, postings, discrepancies, suspense;
    `as_text`: for SQLite (decimals and dates as the text it stores)."""
    changed = changed_lots(before, after, batch)
    lot_texts = bulk.Texts() if as_text else None
    posting_texts = bulk.Texts() if as_text else None
    return BatchRows(
        [_lot_values(zone, lot, as_text, lot_texts) for lot in changed],
        _posting_values(zone, batch, as_text, posting_texts),
        discrepancy_rows(zone, found),
        [ref for ref, item in before.suspense.items() if after.suspense.get(ref) is not item],
        [
            {"zone": zone, "ref": ref, "data": codec.dumps(item)}
            for ref, item in after.suspense.items()
            if before.suspense.get(ref) is not item
        ],
        totals.deltas(before, after, changed),
        None if lot_texts is None else lot_texts.buffer(),
        None if posting_texts is None else posting_texts.buffer(),
    )


def write_rows(connection: Connection, zone: str, rows: BatchRows) -> None:
    """Write `batch_rows` (made for this connection's database) in bulk."""
    bulk_write(
        connection,
        lots,
        LOT_COLUMNS,
        rows.lots,
        ("zone", "lot"),
        prepared=True,
        update=LOT_CHANGING,
        texts=rows.lot_texts,
    )
    bulk_write(
        connection, postings, POSTING_COLUMNS, rows.postings, prepared=True,
        texts=rows.posting_texts,
    )
    _insert(connection, discrepancies, rows.discrepancies)
    gone = rows.suspense_gone
    for start in range(0, len(gone), _CHUNK):
        connection.execute(
            delete(suspense).where(
                suspense.c.zone == zone, suspense.c.ref.in_(gone[start : start + _CHUNK])
            )
        )
    _insert(connection, suspense, rows.suspense_new)
    totals.write(connection, zone, rows.status_totals)


# ------------------------------------------------------------------------------ queries


def lot_postings(connection: Connection, zone: str, lot: str) -> list[Posting]:
    """Every posting of one lot, in ledger order (its history, 146.23(a))."""
    query = (
        select(postings.c.data)
        .where(postings.c.zone == zone, postings.c.lot == lot)
        .order_by(postings.c.seq, postings.c.n)
    )
    return [codec.loads(Posting, data) for (data,) in connection.execute(query)]


@dataclass(frozen=True)
class LotBalance:
    """A lot's balance on hand at a date: quantity and dutiable value (146.23(a)(1))."""

    lot: Lot
    quantity: Decimal
    value: Decimal


def balances(
    connection: Connection, zone: str, *, as_of: date | None = None, part: str | None = None
) -> list[LotBalance]:
    """Lots with their balance on hand now (the projection) or at the end of `as_of`
    (summing the lot's postings dated on or before it)."""
    query = select(lots.c.lot, lots.c.data, lots.c.quantity, lots.c.value).where(
        lots.c.zone == zone
    )
    if part is not None:
        query = query.where(lots.c.part == part)
    found = {row.lot: row for row in connection.execute(query)}
    result: list[LotBalance] = []
    if as_of is None:
        for row in found.values():
            result.append(LotBalance(codec.loads(Lot, row.data), row.quantity, row.value))
    else:
        sums = select(postings.c.lot, postings.c.quantity, postings.c.value).where(
            postings.c.zone == zone, postings.c.date <= as_of
        )
        if part is not None:
            sums = sums.where(postings.c.lot.in_(list(found)))
        totals: dict[str, list[Decimal]] = {}
        for lot_id, quantity, value in connection.execute(sums):
            acc = totals.setdefault(lot_id, [Decimal(0), Decimal(0)])
            acc[0] += quantity
            acc[1] += value
        for lot_id, (quantity, value) in totals.items():
            if lot_id in found:
                result.append(LotBalance(codec.loads(Lot, found[lot_id].data), quantity, value))
    result.sort(key=lambda b: (b.lot.date, b.lot.seq, b.lot.id))
    return result


def count_rows(connection: Connection, table: Any, zone: str) -> int:
    return int(
        connection.execute(
            select(func.count()).select_from(table).where(table.c.zone == zone)
        ).scalar_one()
    )
