"""Bulk writes straight to the driver: one statement per table per batch.

Architecture rule 7 (no per-row round trips): the posting path writes events, lots and
postings with one statement each, inside the SQLAlchemy connection's transaction.

On SQLite the rows travel as one JSON array and `INSERT ... SELECT ... FROM json_each(?)`
unpacks them inside SQLite: the whole insert is one step of the C library, during which
Python's interpreter lock is released. `executemany` instead takes the lock back for every
row to bind its parameters, so a thread writing a batch that way starves (and is starved
by) a thread computing the next one; with `json_each` the two really run at once on two
cores (`store.pipeline`). Alone, the two cost the same (measured within 8%). JSON keeps
the driver's types: text stays text, integers integers, None NULL. One thing it cannot
carry is a NUL character (SQLite's `json_extract` ends the text there), so an array
holding one goes by `executemany` instead. On PostgreSQL the rows go by `COPY`.

The long texts (each lot's and posting's JSON document, some 450 bytes) may travel beside
the array instead of inside it (`Texts`): one buffer of their UTF-8 bytes, bound once as a
BLOB, each row holding where its text starts and how long it is, and SQLite cuts it out
with `substr` (which counts bytes in a BLOB). Inside the array each document would be
escaped by orjson, scanned by `json_each`, copied into the row's own array text, parsed
again and unescaped by `json_extract`; beside it, it is copied once. Measured on the
ledger bench's postings and lots: the writer's CPU for them 30% lower, the rows identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

import orjson
import psycopg
from sqlalchemy import Connection, Date

from zonekeeper.store.types import Exact

_CHUNK = 20_000
# A NUL character as JSON writes it (a literal backslash-u0000 in a text matches too, and
# takes the slower path, which is still exact).
_NUL = b"\\u0000"


class Texts:
    """The long texts of a batch's rows, gathered as UTF-8 in one buffer (`bulk_write`'s
    `texts`): `add` a text's bytes, put the (start, length) it returns at the end of the
    row in place of the text. A hot loop may append to `data` itself (start: its length
    before, plus 1).

    The bytes are copied into one growing `bytearray`, not kept as they come: each of
    orjson's results held until the batch is written would cost a fresh allocation
    (measured: a posting's row 17.2 us held so, 10.5 us copied, 9.6 us as decoded text).
    """

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = bytearray()

    def add(self, text: bytes) -> tuple[int, int]:
        """Where `text` (UTF-8) lies in the buffer: its 1-based start (SQLite's `substr`
        counts from 1) and its length."""
        start = len(self.data) + 1
        self.data += text
        return start, len(text)

    def buffer(self) -> bytes:
        return bytes(self.data)


def bulk_write(
    connection: Connection,
    table: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    conflict_key: Sequence[str] | None = None,
    *,
    prepared: bool = False,
    update: Sequence[str] | None = None,
    texts: bytes | None = None,
) -> None:
    """One executemany of `INSERT INTO table (columns) VALUES (...)` (an upsert on
    `conflict_key`), straight to the driver inside the connection's transaction.

    The hot path skips SQLAlchemy's per-row parameter processing, so values must already be
    what the driver stores: decimals and dates are converted to SQLite's exact text here,
    unless the caller says the rows are `prepared` so already.
    Both databases speak the same `ON CONFLICT ... DO UPDATE SET c = excluded.c`, for the
    columns in `update` (default: every column outside the key). Naming only the columns
    that can change spares SQLite the upkeep of the indexes on the others.

    `texts` (the buffer of the `Texts` the rows were made with): each row ends with the
    start and length in it of its last column's text, instead of the text. SQLite cuts
    them out of the buffer, bound once as a BLOB; on PostgreSQL, or should the buffer hold
    a NUL byte, they are put back in the rows first.
    """
    if not rows:
        return
    postgres = connection.dialect.name == "postgresql"
    if texts is not None and (postgres or b"\x00" in texts):
        rows, texts = _with_texts(rows, texts), None
    if postgres:
        updates = _set_clause(columns, conflict_key, update)
        _copy(connection, table, columns, rows, conflict_key, updates)
        return
    conflict = ""
    if conflict_key:
        updates = _set_clause(columns, conflict_key, update)
        conflict = f" ON CONFLICT ({', '.join(conflict_key)}) DO UPDATE SET {updates}"
    names = ", ".join(columns)
    inline = len(columns) - (texts is not None)
    unpack = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(inline))
    if texts is not None:
        begin, size = (f"json_extract(value, '$[{i}]')" for i in (inline, inline + 1))
        unpack += f", CAST(substr(?2, {begin}, {size}) AS TEXT)"
    # `json_extract`, not `->>`: the same SQL types, and it works on SQLite before 3.38
    # (Ubuntu 22.04, RHEL 9), measured as fast. `WHERE true` tells SQLite's parser the
    # ON CONFLICT belongs to the INSERT, not a join.
    # The array goes in as orjson's UTF-8 bytes; SQLite reads them as text (a BLOB would be
    # taken for its binary JSONB by SQLite 3.45 and later), so Python never decodes them.
    from_json = (
        f"INSERT INTO {table.name} ({names}) SELECT {unpack} "
        "FROM json_each(CAST(?1 AS TEXT)) WHERE true"
    )
    one_by_one = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"
    if not prepared:
        rows = _for_sqlite(table, columns, rows)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        array = orjson.dumps(chunk if isinstance(chunk, list) else list(chunk))
        if _NUL in array:
            whole = list(chunk) if texts is None else _with_texts(chunk, texts)
            connection.exec_driver_sql(one_by_one + conflict, whole)
        elif texts is None:
            connection.exec_driver_sql(from_json + conflict, (array,))
        else:
            connection.exec_driver_sql(from_json + conflict, (array, texts))


def _with_texts(rows: Sequence[tuple[Any, ...]], texts: bytes) -> list[tuple[Any, ...]]:
    """`rows` made with a `Texts` buffer, with their texts back in them."""
    return [(*r[:-2], texts[r[-2] - 1 : r[-2] - 1 + r[-1]].decode("utf-8")) for r in rows]


def _set_clause(
    columns: Sequence[str], conflict_key: Sequence[str] | None, update: Sequence[str] | None
) -> str:
    keys = conflict_key or ()
    changing = update if update is not None else [c for c in columns if c not in keys]
    return ", ".join(f"{c} = excluded.{c}" for c in changing)


def _copy(
    connection: Connection,
    table: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    conflict_key: Sequence[str] | None,
    updates: str,
) -> None:
    """PostgreSQL: COPY the rows in (an order of magnitude faster than INSERTs); for an
    upsert, COPY into a transaction-scoped temporary table and merge it with one
    `INSERT ... SELECT ... ON CONFLICT DO UPDATE`."""
    names = ", ".join(columns)
    raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
    with raw.cursor() as cursor:
        target = table.name
        if conflict_key:
            target = f"zk_incoming_{table.name}"
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {target} "
                f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cursor.execute(f"DELETE FROM {target}")
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict_key:
            cursor.execute(
                f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {target} "
                f"ON CONFLICT ({', '.join(conflict_key)}) DO UPDATE SET {updates}"
            )


def _for_sqlite(
    table: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Decimals as exact text and dates as ISO text, converting only the columns of those
    types (what `types.Exact` and SQLAlchemy's `Date` store on SQLite)."""
    exact = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Exact | Date)]
    if not exact:
        return list(rows)
    converted = []
    for row in rows:
        values = list(row)
        for i in exact:
            values[i] = _sqlite_value(values[i])
        converted.append(tuple(values))
    return converted


def _sqlite_value(value: Any) -> Any:
    kind = type(value)
    if kind is Decimal:
        return str(value)
    if kind is date:
        return value.isoformat()
    return value
