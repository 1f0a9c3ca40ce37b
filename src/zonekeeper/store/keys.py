"""The natural keys the books hold (`event_keys`): which event holds each key.

The table's primary key (zone, key) is what keeps a document from being posted twice even
when two processes post the same file at once (19 CFR 146.21(a)): the zone's lock already
serializes them, and the second one finds the keys and is refused; were it to get past that
check, its insert would fail and its whole transaction with it. Keys are looked up in bulk,
one statement per batch (architecture rule 7), and written with the batch's events, in its
transaction. A correction frees the key of the event it reverses (`zone.keys.held_keys`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

import orjson
import psycopg
from sqlalchemy import Connection, delete, exc, select

from zonekeeper.store.bulk import bulk_write
from zonekeeper.store.schema import event_keys, events
from zonekeeper.zone.events import from_record
from zonekeeper.zone.keys import natural_key

_CHUNK = 10_000


class KeyTaken(Exception):
    """A key of the batch is already held in the books (another process posted it first):
    nothing of the batch was written."""


HOLDERS_POSTGRESQL = (
    "SELECT k.key, k.seq, e.date, e.payload FROM event_keys k "
    "JOIN events e ON e.zone = k.zone AND e.seq = k.seq "
    "WHERE k.zone = %s AND k.key = ANY(%s)"
)
# CROSS JOIN fixes the order: each key of the array looked up by the primary key (left to
# itself, SQLite's planner may scan all the zone's keys for each key of the array).
HOLDERS_SQLITE = (
    "SELECT k.key, k.seq, e.date, e.payload FROM json_each(CAST(? AS TEXT)) j "
    "CROSS JOIN event_keys k CROSS JOIN events e "
    "WHERE k.zone = ? AND k.key = j.value AND e.zone = k.zone AND e.seq = k.seq"
)


class Holder(NamedTuple):
    """The event holding a key: its ledger position, date and canonical JSON."""

    seq: int
    date: date
    payload: str


def holders(connection: Connection, zone: str, keys: Sequence[str]) -> dict[str, Holder]:
    """The events of `zone` holding any of `keys`: one statement per 10,000 keys (SQLite
    unpacks them from one JSON array, PostgreSQL takes them as one array)."""
    found: dict[str, Holder] = {}
    if not keys:
        return found
    postgres = connection.dialect.name == "postgresql"
    sql = HOLDERS_POSTGRESQL if postgres else HOLDERS_SQLITE
    for start in range(0, len(keys), _CHUNK):
        chunk = list(keys[start : start + _CHUNK])
        params: tuple[Any, ...] = (
            (zone, chunk) if postgres else (orjson.dumps(chunk), zone)
        )
        for key, seq, day, payload in connection.exec_driver_sql(sql, params):
            if isinstance(day, str):
                day = date.fromisoformat(day)
            found[key] = Holder(seq, day, payload)
    return found


def write(
    connection: Connection, zone: str, rows: Sequence[tuple[str, str, int]], freed: Sequence[int]
) -> None:
    """Free the keys of the events `freed` (corrected in this batch), then insert `rows`
    (zone, key, seq); `KeyTaken` if a key is already held. A corrected event's key is
    found from the event itself, so the delete goes by the primary key (corrections are
    few; the table has no index on `seq`)."""
    if freed:
        stored = connection.execute(
            select(events.c.seq, events.c.kind, events.c.payload).where(
                events.c.zone == zone, events.c.seq.in_(freed)
            )
        ).all()
        for seq, kind, payload in stored:
            key = natural_key(from_record(kind, orjson.loads(payload)))
            if key is not None:
                connection.execute(
                    delete(event_keys).where(
                        event_keys.c.zone == zone, event_keys.c.key == key, event_keys.c.seq == seq
                    )
                )
    try:
        bulk_write(connection, event_keys, COLUMNS, rows, prepared=True)
    except exc.IntegrityError as error:  # SQLite, through SQLAlchemy
        raise KeyTaken(str(error.orig)) from None
    except psycopg.errors.UniqueViolation as error:  # PostgreSQL's COPY, on the driver
        raise KeyTaken(str(error)) from None


COLUMNS = ("zone", "key", "seq")


def all_keys(connection: Connection, zone: str) -> Iterator[tuple[str, int]]:
    """Every key the books hold, with its event's position (for `verify`), streamed."""
    query = (
        select(event_keys.c.key, event_keys.c.seq)
        .where(event_keys.c.zone == zone)
        .execution_options(yield_per=20_000)
    )
    for key, seq in connection.execute(query):
        yield str(key), int(seq)
