"""A posted batch made ready for the database, and its commit: one transaction that checks
the chain head has not moved, appends the events, writes the projections and moves the head.

`Ledger.post` makes and commits a batch under one lock, except on a zone nobody else posted
to since its last batch: there it makes the batch outside the lock and commits it here.
`Ledger.post_many` makes the next batch while a writer thread commits the previous one
(`store.pipeline`); it computes each batch on the books as its predecessor left them,
before that predecessor is committed.
`commit` is what keeps that safe: it locks the zone (19 CFR 146.21: one chain per zone, no
fork) and refuses with `HeadMoved` when the books' `Version` is not the one the batch was
made on, i.e. when another clerk posted in between or changed the master data the batch
read (a part's HTS, a BOM); nothing is then written, and the caller makes the batch again
on the books as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from zonekeeper.store import event_log, keys, projections
from zonekeeper.store.engine import Connection, Engine, is_postgresql, write_transaction
from zonekeeper.store.zones import Version, find_zone, move_head
from zonekeeper.zone.ledger import Posting, ZoneState
from zonekeeper.zone.records import Discrepancy


class HeadMoved(Exception):
    """The zone's books moved on (chain head or master data) since the batch was made: it
    was not written."""


class Prepared(NamedTuple):
    """Every row one batch writes, the version of the books it was made on (`base`) and
    the chain head after it (`head`, as (seq, hash)); `keys` the natural keys its events
    take, `freed` the events whose keys its corrections free."""

    base: Version
    events: list[tuple[Any, ...]]
    projections: projections.BatchRows
    head: tuple[int, str]
    keys: list[tuple[str, str, int]]
    freed: list[int]


def prepare(
    engine: Engine,
    zone: str,
    base: Version,
    new_events: Iterable[event_log.NewEvent],
    before: ZoneState,
    after: ZoneState,
    postings: Sequence[Posting],
    found: Sequence[Discrepancy],
    natural_keys: Sequence[str | None] = (),
    freed: Sequence[int] = (),
    actor: str | None = None,
) -> Prepared:
    """The rows of a batch the core posted on `before` (the books at version `base`);
    `natural_keys` the key of each event of the batch (None: none), `freed` the positions
    of the events its corrections reverse, `actor` the user posting it (None: unnamed)."""
    as_text = not is_postgresql(engine)
    rows, new_head = event_log.chain_rows(
        zone, base.seq, base.hash, new_events, as_text=as_text, actor=actor
    )
    first = base.seq + 1
    key_rows = [(zone, k, first + i) for i, k in enumerate(natural_keys) if k is not None]
    return Prepared(
        base,
        rows,
        projections.batch_rows(zone, before, after, postings, found, as_text=as_text),
        new_head,
        key_rows,
        list(freed),
    )


def commit(engine: Engine, zone: str, batch: Prepared) -> None:
    """Write `batch` in one transaction, or nothing: `HeadMoved` if the zone's books are
    not at the version the batch was made on."""
    with write_transaction(engine) as connection:
        row = find_zone(connection, zone, lock=True)
        if row is None or row.version != batch.base:
            raise HeadMoved(zone)
        write(connection, zone, batch)


def write(connection: Connection, zone: str, batch: Prepared) -> None:
    """Append the events, write their keys and the projections and move the head, in
    `connection`'s transaction (its caller holds the zone's lock); `keys.KeyTaken` if a key
    is already held."""
    event_log.write(connection, batch.events)
    keys.write(connection, zone, batch.keys, batch.freed)
    projections.write_rows(connection, zone, batch.projections)
    move_head(connection, zone, *batch.head)
