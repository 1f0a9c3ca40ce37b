"""Read-only queries of the books for the use cases' reports, entries, filings and `verify`.

Each function takes an open `Connection` (the caller's transaction, so a read sees one
snapshot and a read inside `write_transaction` stays under its lock) and returns plain
values, core records or the stored JSON text for the caller to decode; nothing here writes.
The projections' own loaders (state, master data, balances) are in `projections`; the event
chain's in `event_log`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from zonekeeper.store import codec
from zonekeeper.store.schema import discrepancies, events, lots, postings, suspense
from zonekeeper.zone.events import Correction, MasterChange, Shipment
from zonekeeper.zone.ledger import Lot, Posting
from zonekeeper.zone.records import Discrepancy, SuspenseItem

STREAM = 10_000  # rows fetched at a time by the streamed reads
_IN_CHUNK = 5_000  # keys in one IN list (SQLite's default limit of variables is 32,766)


# ------------------------------------------------------------------------------ events


# Master-data changes are in the chain but move no goods; their date is the day they were
# recorded, not a day of the zone's activity, so the dates below leave them out.
_GOODS = events.c.kind != MasterChange.kind


def first_event_date(connection: Connection, zone: str) -> date | None:
    """The date of the zone's first event that is not a master-data change, None with none."""
    query = (
        select(events.c.date)
        .where(events.c.zone == zone, _GOODS)
        .order_by(events.c.seq)
        .limit(1)
    )
    return connection.execute(query).scalar_one_or_none()


def last_event_date(connection: Connection, zone: str) -> date | None:
    """The latest date of any event of the zone that is not a master-data change, None with
    none."""
    query = select(func.max(events.c.date)).where(events.c.zone == zone, _GOODS)
    last: date | None = connection.execute(query).scalar_one()
    return last


def event_payloads(
    connection: Connection, zone: str, kind: str, *, ordered: bool = True,
    since: date | None = None, until: date | None = None,
) -> Iterator[tuple[int, date, str]]:
    """(seq, date, canonical JSON) of the zone's events of `kind` dated since..until
    (inclusive, either open), streamed; in ledger order when `ordered`."""
    query = select(events.c.seq, events.c.date, events.c.payload).where(
        events.c.zone == zone, events.c.kind == kind
    )
    if since is not None:
        query = query.where(events.c.date >= since)
    if until is not None:
        query = query.where(events.c.date <= until)
    if ordered:
        # `seq + 0`, not `seq`: ordered by the key itself, SQLite walks the whole chain by
        # its primary key rather than the events of the kind by their index, then sorts.
        query = query.order_by(events.c.seq + 0)
    for row in connection.execute(query.execution_options(yield_per=STREAM)):
        yield row.seq, row.date, row.payload


def event_dates_containing(
    connection: Connection, zone: str, kind: str, text: str, *, until: date
) -> Iterator[tuple[int, date]]:
    """(seq, date) of the zone's events of `kind` up to `until` whose canonical JSON
    contains `text` literally (no wildcards), streamed, unordered."""
    query = select(events.c.seq, events.c.date).where(
        events.c.zone == zone,
        events.c.kind == kind,
        events.c.date <= until,
        events.c.payload.contains(text, autoescape=True),
    )
    for row in connection.execute(query.execution_options(yield_per=STREAM)):
        yield row.seq, row.date


def first_events_containing(
    connection: Connection, zone: str, kind: str, text: str, *, since: date, until: date,
    limit: int,
) -> list[tuple[int, date]]:
    """(seq, date) of the first `limit` events of `kind` dated since..until (by date; of
    one day, any) whose canonical JSON contains `text` literally: the index of events by
    kind and date is walked from `since` and the walk stops at the `limit`th."""
    query = (
        select(events.c.seq, events.c.date)
        .where(
            events.c.zone == zone,
            events.c.kind == kind,
            events.c.date >= since,
            events.c.date <= until,
            events.c.payload.contains(text, autoescape=True),
        )
        .order_by(events.c.date)
        .limit(limit)
    )
    return [(int(seq), day) for seq, day in connection.execute(query)]


def corrected_events(connection: Connection, zone: str) -> list[int]:
    """The ledger positions the zone's corrections reversed (each correction's `corrects`),
    read through the index of events by kind."""
    query = select(events.c.payload).where(
        events.c.zone == zone, events.c.kind == Correction.kind)
    return [int(json.loads(payload)["corrects"]) for (payload,) in connection.execute(query)]


# ------------------------------------------------------------------------------ postings


def find_lot(connection: Connection, zone: str, lot: str) -> Lot | None:
    """The stored lot (its projection row), None when the zone has no such lot."""
    data = connection.execute(
        select(lots.c.data).where(lots.c.zone == zone, lots.c.lot == lot)
    ).scalar_one_or_none()
    return None if data is None else codec.loads(Lot, data)


def all_postings(connection: Connection, zone: str) -> Iterator[Posting]:
    """Every posting of the zone in ledger order, streamed."""
    query = (
        select(postings.c.data)
        .where(postings.c.zone == zone)
        .order_by(postings.c.seq, postings.c.n)
        .execution_options(yield_per=STREAM)
    )
    for (data,) in connection.execute(query):
        yield codec.loads(Posting, data)


def posting_texts(
    connection: Connection, zone: str, *, since: date | None = None, until: date | None = None
) -> Iterator[str]:
    """The stored JSON of every posting dated since..until (inclusive, either open), in
    ledger order, streamed, for a caller that decodes only what it needs."""
    query = select(postings.c.data).where(postings.c.zone == zone)
    if since is not None:
        query = query.where(postings.c.date >= since)
    if until is not None:
        query = query.where(postings.c.date <= until)
    query = query.order_by(postings.c.seq, postings.c.n).execution_options(yield_per=STREAM)
    for (data,) in connection.execute(query):
        yield data


def shipment_posting_texts(
    connection: Connection, zone: str, *, since: date | None = None, until: date | None = None
) -> Iterator[str]:
    """The stored JSON of the postings of the shipment events dated since..until (inclusive,
    either open), in ledger order, streamed: the events found through their index by kind
    and date, their postings by key, so a week's shipments are read without the rest of the
    books. (A shipment's postings carry its date: `zone.posting.ship`.)"""
    shipped = select(events.c.seq).where(events.c.zone == zone, events.c.kind == Shipment.kind)
    if since is not None:
        shipped = shipped.where(events.c.date >= since)
    if until is not None:
        shipped = shipped.where(events.c.date <= until)
    query = (
        select(postings.c.data)
        .where(postings.c.zone == zone, postings.c.seq.in_(shipped.scalar_subquery()))
        .order_by(postings.c.seq, postings.c.n)
        .execution_options(yield_per=STREAM)
    )
    for (data,) in connection.execute(query):
        yield data


def lots_named(connection: Connection, zone: str, ids: Collection[str]) -> list[Lot]:
    """The stored lots of these ids (those the zone has), read by key."""
    wanted = sorted(ids)
    found: list[Lot] = []
    for start in range(0, len(wanted), _IN_CHUNK):
        query = select(lots.c.data).where(
            lots.c.zone == zone, lots.c.lot.in_(wanted[start : start + _IN_CHUNK]))
        found.extend(codec.loads(Lot, data) for (data,) in connection.execute(query))
    return found


def open_suspense(connection: Connection, zone: str) -> list[SuspenseItem]:
    """The receipts held in suspense (146.22(c)), as the suspense projection holds them."""
    query = select(suspense.c.data).where(suspense.c.zone == zone)
    return [codec.loads(SuspenseItem, data) for (data,) in connection.execute(query)]


def posting_texts_of_events(
    connection: Connection, zone: str, seqs: Collection[int]
) -> Iterator[str]:
    """The stored JSON of the postings of the events at these ledger positions, in ledger
    order, for a caller that decodes them itself."""
    wanted = sorted(seqs)
    for start in range(0, len(wanted), _IN_CHUNK):
        query = (
            select(postings.c.data)
            .where(postings.c.zone == zone, postings.c.seq.in_(wanted[start : start + _IN_CHUNK]))
            .order_by(postings.c.seq, postings.c.n)
        )
        for (data,) in connection.execute(query):
            yield data


def postings_of_events(connection: Connection, zone: str, seqs: Collection[int]) -> list[Posting]:
    """The postings of the events at these ledger positions, in ledger order (read by
    `posting_texts_of_events`, in chunks of keys SQLite's limit of variables admits)."""
    return [codec.loads(Posting, data)
            for data in posting_texts_of_events(connection, zone, seqs)]


def all_discrepancies(connection: Connection, zone: str) -> list[Discrepancy]:
    """Every count discrepancy of the zone, in ledger order."""
    query = (
        select(discrepancies.c.data)
        .where(discrepancies.c.zone == zone)
        .order_by(discrepancies.c.seq, discrepancies.c.n)
    )
    return [codec.loads(Discrepancy, data) for (data,) in connection.execute(query)]


# ------------------------------------------------------------------------------ verify
# The stored rows as they are (indexed columns beside the JSON), for `verify` to compare
# with a replay of the events.


class PostingRow(NamedTuple):
    """A stored postings row: its indexed columns and its JSON."""

    seq: int
    data: str
    quantity: Decimal
    value: Decimal
    lot: str
    date: date


class LotRow(NamedTuple):
    """A stored lots row: its indexed columns and its JSON."""

    lot: str
    part: str
    status: str
    quantity: Decimal
    value: Decimal
    data: str


def posting_rows_between(
    connection: Connection, zone: str, first: int, last: int
) -> Iterator[PostingRow]:
    """The stored postings rows of events first..last, in ledger order."""
    query = (
        select(postings.c.seq, postings.c.data, postings.c.quantity, postings.c.value,
               postings.c.lot, postings.c.date)
        .where(postings.c.zone == zone, postings.c.seq >= first, postings.c.seq <= last)
        .order_by(postings.c.seq, postings.c.n)
    )
    for row in connection.execute(query):
        yield PostingRow(*row)


def discrepancy_rows_between(
    connection: Connection, zone: str, first: int, last: int
) -> Iterator[tuple[int, str]]:
    """(seq, JSON) of the stored discrepancies of events first..last, in ledger order."""
    query = (
        select(discrepancies.c.seq, discrepancies.c.data)
        .where(discrepancies.c.zone == zone, discrepancies.c.seq >= first,
               discrepancies.c.seq <= last)
        .order_by(discrepancies.c.seq, discrepancies.c.n)
    )
    for row in connection.execute(query):
        yield row.seq, row.data


def last_posting_seq_after(connection: Connection, zone: str, seq: int) -> int | None:
    """The highest ledger position with postings beyond `seq`, None when there is none."""
    query = select(func.max(postings.c.seq)).where(postings.c.zone == zone, postings.c.seq > seq)
    last: int | None = connection.execute(query).scalar_one()
    return last


def lot_rows(connection: Connection, zone: str) -> dict[str, LotRow]:
    """Every stored lots row of the zone, by lot."""
    query = select(lots.c.lot, lots.c.part, lots.c.status, lots.c.quantity, lots.c.value,
                   lots.c.data).where(lots.c.zone == zone)
    return {row.lot: LotRow(*row) for row in connection.execute(query)}


def last_posting_by_lot(connection: Connection, zone: str) -> dict[str, int]:
    """The ledger position of the last posting of each lot."""
    query = (
        select(postings.c.lot, func.max(postings.c.seq))
        .where(postings.c.zone == zone)
        .group_by(postings.c.lot)
    )
    return {str(lot): int(seq) for lot, seq in connection.execute(query)}


def suspense_items(connection: Connection, zone: str) -> dict[str, Any]:
    """The stored suspense account as plain values (decoded JSON), by reference."""
    query = select(suspense.c.ref, suspense.c.data).where(suspense.c.zone == zone)
    return {ref: json.loads(data) for ref, data in connection.execute(query)}
