"""Nothing is posted twice: every event's natural key (`zone.keys`) is held once by the books
(`event_keys`, primary key (zone, key)). A file posted again is refused (exit 2, naming the
row and the event that holds its key) or, with --skip-posted, left out where identical; a
key repeated in one file is refused on both rows; two processes posting the same file at
once cannot both win; books written before keys were kept migrate and verify. On SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, func, select
from zk_store_samples import PARTS, SET_UP, admission, post_as_before_keys, shipment, upgraded
from zk_store_samples import cli_out as _ok
from zk_store_samples import cli_problems as _problems

from zonekeeper.app.books import BatchRefused, Ledger
from zonekeeper.errors import InputError
from zonekeeper.store import keys as store_keys
from zonekeeper.store.engine import open_engine, write_transaction
from zonekeeper.store.migrate import _config, current_revision, head_revision
from zonekeeper.store.schema import event_keys, events
from zonekeeper.zone.events import Correction

SHIP = "shipment_no,date,part,quantity,disposition,value\n"
PARTS_CSV = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
ADM = "admission_no,line,date,part,quantity,value,status\nA-1,1,2026-08-03,W,10,100,N\n"


def _books_now(url: str) -> tuple[str, str]:
    """The balance and the chain head, to show nothing changed."""
    with Ledger.open(url, "9") as books:
        verified = books.verify()
        assert verified.ok, verified.mismatch
        head = verified.head_hash
    return _ok(url, "balance", "--json"), head


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> str:
    _ok(database_url, "init", "--zone", "9")
    (tmp_path / "parts.csv").write_text(PARTS_CSV)
    _ok(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    (tmp_path / "adm.csv").write_text(ADM)
    _ok(database_url, "admit", str(tmp_path / "adm.csv"))
    return database_url


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_shipments_file_posted_again_is_refused_and_changes_nothing(
    books: str, tmp_path: Path
) -> None:
    ship = _file(tmp_path, "ship.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n")
    _ok(books, "ship", ship)
    before = _books_now(books)
    [(file, row, field, reason)] = _problems(books, "ship", ship)
    assert (file, row, field) == (ship, 2, "shipment_no")
    assert f"shipment S2 line 1 is already in the books: event {SET_UP + 2} of 2026-08-06" in reason
    assert "--skip-posted" in reason  # the same content: it says how to skip it
    assert _books_now(books) == before


def test_skip_posted_posts_nothing_of_a_file_already_posted_and_says_how_many(
    books: str, tmp_path: Path
) -> None:
    ship = _file(tmp_path, "ship.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"
                 "S3,2026-08-06,W,2,export,40\n")
    _ok(books, "ship", ship)
    before = _books_now(books)
    said = _ok(books, "ship", "--skip-posted", ship)
    assert "posted 0 shipment event(s)" in said and "skipped 2 row(s)" in said
    assert _books_now(books) == before


def test_skip_posted_posts_the_new_rows_of_a_file_partly_posted(
    books: str, tmp_path: Path
) -> None:
    _ok(books, "ship", _file(tmp_path, "one.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"))
    both = _file(tmp_path, "both.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"
                 "S3,2026-08-07,W,2,consumption,40\n")
    said = _ok(books, "ship", "--skip-posted", both)
    assert "posted 1 shipment event(s)" in said and "skipped 1 row(s)" in said
    [lot] = json.loads(_ok(books, "balance", "--json"))
    assert lot["quantity"] == "7"  # 10 admitted, 1 and 2 shipped: each once
    with Ledger.open(books, "9") as ledger:
        assert ledger.verify().ok
        assert ledger.verify().events == SET_UP + 3


def test_the_same_key_with_other_content_is_refused_even_with_skip_posted(
    books: str, tmp_path: Path
) -> None:
    _ok(books, "ship", _file(tmp_path, "one.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"))
    before = _books_now(books)
    changed = _file(tmp_path, "two.csv", SHIP + "S3,2026-08-07,W,1,consumption,20\n"
                    "S2,2026-08-06,W,3,consumption,20\n")
    for extra in ([], ["--skip-posted"]):
        [(file, row, _, reason)] = _problems(books, "ship", *extra, changed)
        assert (file, row) == (changed, 3)
        assert f"event {SET_UP + 2} of 2026-08-06 with other content" in reason
    assert _books_now(books) == before


def test_two_identical_rows_in_one_file_are_refused_naming_both_rows(
    books: str, tmp_path: Path
) -> None:
    before = _books_now(books)
    twice = _file(tmp_path, "twice.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"
                  "S2,2026-08-06,W,1,consumption,20\n")
    for extra in ([], ["--skip-posted"]):
        found = _problems(books, "ship", *extra, twice)
        assert [(f, r, c) for f, r, c, _ in found] == [
            (twice, 2, "shipment_no"),
            (twice, 3, "shipment_no"),
        ]
        assert "also on row 3" in found[0][3] and "also on row 2" in found[1][3]
    assert _books_now(books) == before


def test_a_shipment_of_several_rows_numbers_them_by_line(books: str, tmp_path: Path) -> None:
    lines = _file(tmp_path, "lines.csv", SHIP.strip() + ",line\n"
                  "S2,2026-08-06,W,1,consumption,20,1\nS2,2026-08-06,W,2,consumption,40,2\n")
    said = _ok(books, "ship", lines)
    assert "posted 2 shipment event(s)" in said
    [(_, row, _, reason)] = _problems(books, "ship", lines + "")[:1]
    assert row == 2 and "shipment S2 line 1 is already in the books" in reason


def test_an_event_is_corrected_once_and_its_key_is_free_after(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100"), shipment("S1", 5, "W", "4")])
    ledger.correct(SET_UP + 2, "wrong quantity")
    with pytest.raises(InputError) as caught:
        ledger.correct(SET_UP + 2, "again")
    [problem] = caught.value.problems
    first, second = SET_UP + 2, SET_UP + 3
    assert f"event {first} has already been corrected (by event {second} of 2026-08-05)" in (
        problem.message
    )
    # The corrected shipment's key is free: the right one can be posted under its number.
    ledger.post([shipment("S1", 5, "W", "3")])
    assert ledger.verify().ok
    with pytest.raises(InputError):
        ledger.post([shipment("S1", 5, "W", "3")])
    assert sum(b.quantity for b in ledger.balances()) == 7


def test_the_database_refuses_a_key_the_check_let_through(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The primary key holds the keys even past the service's check (what keeps two
    processes from both winning): the whole batch is refused, nothing written."""
    ledger.post([admission("A1", 3, "W", "10", "100"), shipment("S1", 5, "W", "4")])
    head = ledger.verify().head_hash
    monkeypatch.setattr(store_keys, "holders", lambda *_: {})
    with pytest.raises(InputError) as caught:
        ledger.post([shipment("S2", 5, "W", "1"), shipment("S1", 5, "W", "4")])
    assert "another process posted the same events" in caught.value.problems[0].message
    monkeypatch.undo()
    verified = ledger.verify()
    assert verified.ok and verified.head_hash == head and verified.events == SET_UP + 2


def test_two_processes_posting_the_same_file_at_once_one_wins(
    books: str, tmp_path: Path
) -> None:
    ship = _file(tmp_path, "ship.csv", SHIP + "S2,2026-08-06,W,1,consumption,20\n"
                 "S3,2026-08-06,W,2,consumption,20\n")
    command_line = [sys.executable, "-m", "zonekeeper", "--database-url", books, "ship", ship]
    clerks = [
        subprocess.Popen(command_line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = sorted(c.wait(timeout=240) for c in clerks)
    assert outcomes == [0, 2], [c.communicate() for c in clerks]
    with Ledger.open(books, "9") as ledger:
        verified = ledger.verify()
        assert verified.ok and verified.events == SET_UP + 3
    [lot] = json.loads(_ok(books, "balance", "--json"))
    assert lot["quantity"] == "7"


def test_post_many_refuses_a_key_repeated_across_its_batches(ledger: Ledger) -> None:
    batches = [
        [admission("A1", 3, "W", "10", "100")],
        [shipment("S1", 5, "W", "1")],
        [shipment("S2", 5, "W", "1")],
        [shipment("S1", 6, "W", "1")],
    ]
    with pytest.raises(BatchRefused) as caught:
        ledger.post_many(batches, sources=["a", "b", "c", "d"])
    assert caught.value.index == 3 and len(caught.value.posted) == 3
    [problem] = caught.value.problems
    held = f"shipment S1 line 1 is already in the books: event {SET_UP + 2}"
    assert problem.file == "d" and held in problem.message
    # ... and within one batch, and against the books of an earlier run.
    with pytest.raises(BatchRefused) as again:
        ledger.post_many([[shipment("S9", 7, "W", "1"), shipment("S9", 7, "W", "1")]])
    assert [p.row for p in again.value.problems] == [1, 2]
    with pytest.raises(BatchRefused):
        ledger.post_many([[shipment("S2", 7, "W", "1")]])
    verified = ledger.verify()
    assert verified.ok and verified.events == SET_UP + 3


def _stored_keys(connection: Any) -> dict[str, int]:
    return {k: s for k, s in connection.execute(select(event_keys.c.key, event_keys.c.seq))}  # noqa: C416


def _before_keys(url: str) -> None:
    """The books taken down to the revision before natural keys (0003: master data in
    the chain), as books written before keys were kept."""
    engine = open_engine(url)
    try:
        config = _config()
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        assert current_revision(engine) == "0003"
    finally:
        engine.dispose()


def test_books_with_events_migrate_their_keys_and_verify(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.init(database_url, "7", None, "FIFO") as books:
        books.load_master(PARTS)
        post_as_before_keys(books, [
            admission("A1", 3, "W", "10", "100"),
            shipment("S1", 5, "W", "1"),
            shipment("S2", 5, "W", "2"),
        ])
        typo = Correction(dt.date(2026, 8, 6), SET_UP + 3, "typo")
        post_as_before_keys(books, [typo])
    _before_keys(database_url)
    upgraded(database_url)
    with Ledger.open(database_url, "7") as books:
        assert current_revision(books.engine) == head_revision()
        with books.engine.connect() as connection:
            stored = _stored_keys(connection)
        # S2 was corrected: its key is free; the correction holds its own.
        assert sorted(stored.values()) == [SET_UP + 1, SET_UP + 2, SET_UP + 4]
        assert books.verify().ok
        with pytest.raises(InputError):
            books.post([shipment("S1", 5, "W", "1")])
        books.post([shipment("S2", 5, "W", "1")])
        assert books.verify().ok


def test_books_holding_a_file_posted_twice_migrate_and_keep_the_first(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.init(database_url, "7", None, "FIFO") as books:
        books.load_master(PARTS)
        post_as_before_keys(books, [admission("A1", 3, "W", "10", "100")])
        for _ in range(2):  # the same file twice, as before this change
            post_as_before_keys(books, [shipment("S1", 5, "W", "1")])
    _before_keys(database_url)
    upgraded(database_url)
    with Ledger.open(database_url, "7") as books:
        with books.engine.connect() as connection:
            stored = _stored_keys(connection)
            count = connection.execute(select(func.count()).select_from(events)).scalar_one()
        assert count == SET_UP + 3  # no event lost or rewritten
        # the later S1 stands unkeyed
        assert sorted(stored.values()) == [SET_UP + 1, SET_UP + 2]
        verified = books.verify()
        assert verified.ok and verified.events == SET_UP + 3
        with pytest.raises(InputError) as caught:
            books.post([shipment("S1", 5, "W", "1")])
        assert f"event {SET_UP + 2} of 2026-08-05" in caught.value.problems[0].message


def test_verify_finds_a_key_missing_or_moved(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100"), shipment("S1", 5, "W", "1")])
    assert ledger.verify().ok
    with write_transaction(ledger.engine) as connection:
        connection.execute(delete(event_keys).where(event_keys.c.seq == SET_UP + 2))
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and mismatch.seq == SET_UP + 2
    assert "shipment S1 line 1 is not stored" in mismatch.reason
    with write_transaction(ledger.engine) as connection:
        connection.execute(
            event_keys.insert().values(zone="49", key='["shipment","S1",1]', seq=SET_UP + 1)
        )
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and f"names event {SET_UP + 1}" in mismatch.reason


def test_the_sqlite_key_lookup_goes_by_the_primary_key(tmp_path: Path) -> None:
    """One lookup per key of the batch, not a scan of the zone's keys per key (the plan
    SQLite picks for a plain join on fresh books)."""
    with Ledger.init(f"sqlite:///{tmp_path / 'z.db'}", "7", None, "FIFO") as books:
        with books.engine.connect() as connection:
            plan = [
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + store_keys.HOLDERS_SQLITE, ('["a"]', "7")
                )
            ]
    assert plan[0].startswith("SCAN j")
    assert "SEARCH k USING PRIMARY KEY (zone=? AND key=?)" in plan
