"""SQLite writers take turns through the lock file beside the books (`store.turns`): a
writer waiting for another's write transaction starts within milliseconds of its commit
(not after SQLite's busy handler's sleeps of up to 100 ms), and one that never gets its
turn stops after the busy timeout with `books.busy`, nothing written."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from zonekeeper.errors import InputError
from zonekeeper.store import turns
from zonekeeper.store.engine import open_engine, write_transaction


def _engine(path: Path):  # type: ignore[no-untyped-def]
    engine = open_engine(f"sqlite:///{path}")
    with write_transaction(engine) as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


def test_the_next_writer_starts_as_soon_as_the_holder_commits(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "books.db")
    holding = threading.Event()
    committed: list[float] = []
    started: list[float] = []

    def holder() -> None:
        with write_transaction(engine) as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            holding.set()
            time.sleep(0.3)
        committed.append(time.monotonic())

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)
    with write_transaction(engine) as connection:  # waits for the holder's commit
        started.append(time.monotonic())
        rows = connection.execute(text("SELECT n FROM t")).all()
    thread.join()
    engine.dispose()
    assert rows == [(1,)]  # it began after the holder's commit, and saw it
    # Woken within milliseconds (SQLite's busy handler alone sleeps up to 100 ms a try).
    assert 0 <= started[0] - committed[0] < 0.05, started[0] - committed[0]
    assert (tmp_path / "books.db-lock").exists()
    mode = os.stat(tmp_path / "books.db-lock").st_mode & 0o777
    assert mode == os.stat(tmp_path / "books.db").st_mode & 0o777 == 0o600


def test_a_writer_that_never_gets_its_turn_stops_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONEKEEPER_BUSY_TIMEOUT", "1")
    db = tmp_path / "books.db"
    engine = _engine(db)
    with turns.turn(str(db), 5):  # another writer's turn, held past the timeout
        began = time.monotonic()
        with pytest.raises(InputError) as refused:
            with write_transaction(engine) as connection:
                connection.execute(text("INSERT INTO t VALUES (2)"))
        waited = time.monotonic() - began
    assert 1 <= waited < 5, waited
    assert refused.value.problems[0].code == "books.busy"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    engine.dispose()


def test_without_a_lock_file_sqlite_s_own_lock_decides(tmp_path: Path) -> None:
    """A folder the lock file cannot be made in: writers still write, one at a time."""
    db = tmp_path / "books.db"
    engine = _engine(db)
    os.remove(str(db) + turns.SUFFIX)
    os.mkdir(str(db) + turns.SUFFIX)  # a folder in the way: the file cannot be opened
    with write_transaction(engine) as connection:
        connection.execute(text("INSERT INTO t VALUES (3)"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t")).all() == [(3,)]
    engine.dispose()
