"""`store.bulk.bulk_write` stores exactly what it is given, on either database: on SQLite
the rows travel as one JSON array unpacked by `json_each`, and must come back with the
driver's types (text, integers, NULL), every character intact, and upserts applied; a
text holding a NUL character (which SQLite's `->>` would cut) goes row by row instead."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from zk_store_samples import admission

from zonekeeper.app.books import Ledger
from zonekeeper.store.bulk import Texts, bulk_write
from zonekeeper.store.engine import is_postgresql, write_transaction
from zonekeeper.store.schema import lots

COLUMNS = ("zone", "lot", "admission_no", "line", "part", "status", "quantity", "value", "data")
TEXTS = [
    "plain",
    'quote " and backslash \\ and slash /',
    "line\nbreak\ttab\r\x01\x1f\x7f",
    "é ü ß 中文 😀 \u2028\u2029",
    "looks like a number: 12.50",
    "",
    "\\u0000 written out, not a NUL",
]


def _rows(zone: str, texts: list[str]) -> list[tuple[object, ...]]:
    return [
        (zone, f"L{i}", None if i % 2 else f"A{i}", i if i % 3 else None, "W", "NPF",
         str(i), f"{i}.50", text)
        for i, text in enumerate(texts)
    ]  # fmt: skip


def _stored(books: Ledger) -> list[tuple[object, ...]]:
    with books.engine.connect() as connection:
        found = connection.execute(
            select(
                lots.c.lot, lots.c.admission_no, lots.c.line, lots.c.quantity, lots.c.data
            ).where(lots.c.zone == books.zone, lots.c.lot.like("L%"))
        )
        return sorted(tuple(r) for r in found)


def test_rows_come_back_as_written_and_upserts_apply(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])  # a lot the rows live beside
    rows = _rows(ledger.zone, TEXTS)
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, rows, ("zone", "lot"))
    expected = sorted((r[1], r[2], r[3], int(str(r[6])), r[8]) for r in rows)
    assert _stored(ledger) == expected
    changed = [(*r[:6], "7", "70", f"changed {r[8]}") for r in rows[:3]]
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, changed, ("zone", "lot"), update=("quantity", "data"))
    after = {r[0]: r for r in _stored(ledger)}
    for r in rows[:3]:
        assert after[str(r[1])][3:] == (7, f"changed {r[8]}")
    for r in rows[3:]:
        assert after[str(r[1])][3:] == (int(str(r[6])), r[8])


def test_a_nul_character_is_kept_on_sqlite(ledger: Ledger) -> None:
    if is_postgresql(ledger.engine):
        # The books refuse a NUL before the store on both databases (zone.limits; see
        # test_input_limits); this checks only that SQLite's bulk path would not cut one.
        pytest.skip("PostgreSQL text cannot hold a NUL character at all")
    rows = _rows(ledger.zone, ["before\x00after", "plain"])
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, rows, ("zone", "lot"))
    assert [r[4] for r in _stored(ledger)] == ["before\x00after", "plain"]


def _packed(zone: str, texts: list[str]) -> tuple[list[tuple[object, ...]], bytes]:
    """`_rows` made with a `Texts` buffer: each row ends with where its text lies in it."""
    buffer = Texts()
    rows = [(*r[:-1], *buffer.add(str(r[-1]).encode("utf-8"))) for r in _rows(zone, texts)]
    return rows, buffer.buffer()


def test_texts_beside_the_rows_come_back_as_written(ledger: Ledger) -> None:
    """The long texts travel in one buffer beside the array (SQLite cuts each out by its
    byte offsets: multi-byte characters before it must not shift it), or are put back in
    the rows (PostgreSQL); upserts take them the same way."""
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    texts = [*TEXTS, "x" * 5000 + "ü"]
    rows, buffer = _packed(ledger.zone, texts)
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, rows, ("zone", "lot"), prepared=True,
                   texts=buffer)  # fmt: skip
    expected = sorted((f"L{i}", None if i % 2 else f"A{i}", i if i % 3 else None, i, t)
                      for i, t in enumerate(texts))  # fmt: skip
    assert _stored(ledger) == expected
    changed, buffer = _packed(ledger.zone, [f"changed {t}" for t in reversed(texts[:3])])
    changed = [(*c[:1], r[1], *c[2:]) for c, r in zip(changed, reversed(rows[:3]), strict=True)]
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, changed, ("zone", "lot"), prepared=True,
                   update=("data",), texts=buffer)  # fmt: skip
    after = {r[0]: r[4] for r in _stored(ledger)}
    assert [after[f"L{i}"] for i in range(len(texts))] == [
        f"changed {t}" if i < 3 else t for i, t in enumerate(texts)
    ]


def test_a_nul_character_beside_the_rows_is_kept_on_sqlite(ledger: Ledger) -> None:
    if is_postgresql(ledger.engine):
        pytest.skip("PostgreSQL text cannot hold a NUL character at all")
    rows, buffer = _packed(ledger.zone, ["before\x00after", "plain"])
    with write_transaction(ledger.engine) as connection:
        bulk_write(connection, lots, COLUMNS, rows, ("zone", "lot"), prepared=True,
                   texts=buffer)  # fmt: skip
    assert [r[4] for r in _stored(ledger)] == ["before\x00after", "plain"]
