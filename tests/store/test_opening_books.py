"""Opening the books: anything wrong with where they are is one clear line and exit 2 (never a
traceback), a URL is never printed with its password, a new SQLite file is the owner's
alone (0600, its -wal and -shm files too), and nothing waits forever: a PostgreSQL server
that never answers and SQLite books another writer holds end in one line after a bounded wait."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zk_cli import run_main
from zonekeeper.app.books import Ledger

ADMISSIONS = "admission_no,line,date,part,quantity,value,status\nA1,1,2026-08-03,W,1,1,NPF\n"
SECRET = "s3cret-pw"


def _commands(folder: Path) -> list[list[str]]:
    """Commands that open the books, each in its own way."""
    admissions = folder / "adm.csv"
    admissions.write_text(ADMISSIONS)
    return [
        ["init", "--zone", "49"],
        ["admit", str(admissions)],
        ["balance"],
        ["verify"],
        ["entry", "weekly", "--week", "2026-W32"],
        ["alerts", "--as-of", "2026-08-10"],
    ]


def _one_clear_line(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], (needle, err)
    assert SECRET not in err


def test_an_unknown_inventory_method_names_the_option_and_the_methods(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "z.db"
    code, _, err = run_main(monkeypatch, capsys, "--db", str(db), "init", "--zone", "999",
                               "--method", "XYZ")
    _one_clear_line(code, err, "--method", "XYZ", "FIFO, LIFO or LOT")
    assert not db.exists()


@pytest.mark.parametrize("where", ["folder", "text file", "missing folder"])
def test_a_sqlite_path_that_cannot_hold_books_is_one_line(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if where == "folder":
        db = tmp_path / "books"
        db.mkdir()
        why = "folder"
    elif where == "text file":
        db = tmp_path / "books.db"
        db.write_text("these are not books\n")
        why = "not a SQLite database"
    else:
        db = tmp_path / "nowhere" / "books.db"
        why = "nowhere"
    for command in _commands(tmp_path):
        code, _, err = run_main(monkeypatch, capsys, "--db", str(db), *command)
        _one_clear_line(code, err, str(db), why)
    assert not (tmp_path / "nowhere").exists()
    if where == "text file":
        assert db.read_text() == "these are not books\n"


def _with_password(url: str) -> str:
    """`url` with a password for its user (trust auth ignores it)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{SECRET}@{host}"


@pytest.mark.postgres
@pytest.mark.parametrize("where", ["no server", "no database"])
def test_a_postgresql_database_that_cannot_be_reached_is_one_line_without_the_password(
    where: str, pg_base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if where == "no server":
        url = f"postgresql+psycopg://zk:{SECRET}@127.0.0.1:1/books"
        why = "no PostgreSQL server answers"
    else:
        url = _with_password(pg_base_url).rsplit("/", 1)[0] + "/zk_no_such_database"
        why = "'zk_no_such_database' does not exist"
    for command in _commands(tmp_path):
        code, _, err = run_main(monkeypatch, capsys, "--database-url", url, *command)
        _one_clear_line(code, err, "***", why)


def test_init_prints_the_url_without_its_password(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_url if database_url.startswith("sqlite") else _with_password(database_url)
    code, out, err = run_main(monkeypatch, capsys, "--database-url", url, "init", "--zone", "7")
    assert code == 0, err
    assert "zone 7 ready" in out
    assert SECRET not in out + err
    if not database_url.startswith("sqlite"):
        assert "***@" in out


def test_a_password_in_a_bad_url_is_masked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_main(monkeypatch, capsys, "--database-url",
                               f"postgresql://zk:{SECRET}@host:port/books", "balance")
    _one_clear_line(code, err, "not a database URL", "zk:***@host")


@pytest.fixture
def silent_server() -> Iterator[tuple[str, int]]:
    """A local port whose kernel accepts TCP connections nobody ever reads or answers (a
    host that takes the connection and then says nothing). The listener closes after 30 s
    so that a client without a connect timeout fails the test instead of hanging it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    closed = threading.Event()

    def close_later() -> None:
        closed.wait(30)
        listener.close()

    thread = threading.Thread(target=close_later, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", listener.getsockname()[1]
    finally:
        closed.set()
        thread.join()


@pytest.mark.parametrize("timeout_from", ["environment", "url"])
def test_a_server_that_never_answers_is_one_line_naming_host_and_port_within_seconds(
    timeout_from: str, silent_server: tuple[str, int], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, port = silent_server
    url = f"postgresql+psycopg://zk:{SECRET}@{host}:{port}/books"
    if timeout_from == "environment":
        monkeypatch.setenv("ZONEKEEPER_CONNECT_TIMEOUT", "1")  # psycopg waits 2 s at least
    else:  # the URL's own connect_timeout wins over the environment
        monkeypatch.setenv("ZONEKEEPER_CONNECT_TIMEOUT", "600")
        url += "?connect_timeout=2"
    for command in (["balance"], ["init", "--zone", "49"]):
        started = time.monotonic()
        code, _, err = run_main(monkeypatch, capsys, "--database-url", url, *command)
        waited = time.monotonic() - started
        _one_clear_line(code, err, "***", f"{host}:{port}", "did not answer", "connect timeout")
        assert waited < 10, waited


def test_a_connect_timeout_that_is_not_a_number_of_seconds_is_one_line(
    silent_server: tuple[str, int], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, port = silent_server
    for bad in ("ten", "0", "-3", "2.5"):
        monkeypatch.setenv("ZONEKEEPER_CONNECT_TIMEOUT", bad)
        code, _, err = run_main(monkeypatch, capsys, "--database-url",
                                   f"postgresql+psycopg://zk@{host}:{port}/books", "balance")
        _one_clear_line(code, err, "$ZONEKEEPER_CONNECT_TIMEOUT", repr(bad))


def test_sqlite_books_another_writer_holds_wait_the_busy_timeout_then_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "zone.db"
    Ledger.init(f"sqlite:///{db}", "49", None, "FIFO").close()
    admissions = tmp_path / "adm.csv"
    admissions.write_text(ADMISSIONS)
    monkeypatch.setenv("ZONEKEEPER_BUSY_TIMEOUT", "1")
    holder = sqlite3.connect(db, isolation_level=None)  # another writer, holding the lock
    try:
        holder.execute("BEGIN IMMEDIATE")
        for command in (["admit", str(admissions)], ["init", "--zone", "50"]):
            started = time.monotonic()
            code, _, err = run_main(monkeypatch, capsys, "--db", str(db), *command)
            waited = time.monotonic() - started
            _one_clear_line(code, err, str(db), "busy", "longer than 1 s",
                            "$ZONEKEEPER_BUSY_TIMEOUT")
            assert 1 <= waited < 10, waited
        # A reader does not wait for the writer (WAL).
        code, out, err = run_main(monkeypatch, capsys, "--db", str(db), "balance")
        assert code == 0, err
        assert "at event 1 " in out
    finally:
        holder.rollback()
        holder.close()
    # Nothing was written by the refused commands.
    with Ledger.open(f"sqlite:///{db}") as books:
        assert books.zone == "49"
    code, out, err = run_main(monkeypatch, capsys, "--db", str(db), "balance")
    assert code == 0 and "at event 1 " in out, err
    code, _, err = run_main(monkeypatch, capsys, "--db", str(db), "init", "--zone", "50")
    assert code == 0, err


def test_sqlite_busy_timeout_defaults_to_a_minute_and_refuses_nonsense(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonekeeper.store.engine import busy_timeout, connect_timeout

    monkeypatch.delenv("ZONEKEEPER_BUSY_TIMEOUT", raising=False)
    monkeypatch.delenv("ZONEKEEPER_CONNECT_TIMEOUT", raising=False)
    assert (busy_timeout(), connect_timeout()) == (60, 10)
    monkeypatch.setenv("ZONEKEEPER_BUSY_TIMEOUT", "soon")
    db = tmp_path / "zone.db"
    code, _, err = run_main(monkeypatch, capsys, "--db", str(db), "init", "--zone", "49")
    _one_clear_line(code, err, "$ZONEKEEPER_BUSY_TIMEOUT", "'soon'")
    assert not db.exists()


@pytest.fixture
def umask() -> Iterator[None]:
    """A umask that would make a file world-readable and writable (and restore it)."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_new_sqlite_books_and_their_wal_files_are_the_owners_alone(tmp_path: Path) -> None:
    db = tmp_path / "zone.db"
    with Ledger.init(f"sqlite:///{db}", "49", None, "FIFO") as books:
        with books.engine.connect() as connection:  # the WAL files exist while it is open
            connection.exec_driver_sql("SELECT 1")
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_new_sqlite_books_are_writable_under_a_strict_umask(tmp_path: Path) -> None:
    db = tmp_path / "zone.db"
    old = os.umask(0o277)
    try:
        Ledger.init(f"sqlite:///{db}", "49", None, "FIFO").close()
    finally:
        os.umask(old)
    assert _mode(db) == 0o600


def test_an_existing_files_mode_is_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "zone.db"
    Ledger.init(f"sqlite:///{db}", "49", None, "FIFO").close()
    db.chmod(0o640)
    with Ledger.open(f"sqlite:///{db}") as books:
        assert books.zone == "49"
    assert _mode(db) == 0o640


def _hammer(db: Path, stop: threading.Event, holding: threading.Event) -> None:
    """Another clerk posting batch after batch: the write lock held 50 ms, free 1 ms."""
    other = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        while not stop.is_set():
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            time.sleep(0.05)
            other.execute("COMMIT")
            time.sleep(0.001)
    finally:
        other.close()


def test_a_waiting_sqlite_writer_gets_in_between_another_writers_batches(
    tmp_path: Path,
) -> None:
    """SQLite's busy handler has the waiter sleep up to 100 ms between tries, so it seldom
    finds the 1 ms gaps (with a 3 s timeout it gave up in 5 of 6 trials); trying every few
    milliseconds it got in within 0.05-0.2 s in each of 6, and its busy timeout is back
    after."""
    from zonekeeper.store.engine import take_write_lock

    db = tmp_path / "zone.db"
    sqlite3.connect(db).execute("PRAGMA journal_mode=WAL").connection.close()
    stop, holding = threading.Event(), threading.Event()
    clerk = threading.Thread(target=_hammer, args=(db, stop, holding))
    clerk.start()
    waiter = sqlite3.connect(db, isolation_level=None)
    try:
        assert holding.wait(5)
        started = time.monotonic()
        assert take_write_lock(waiter, 20.0)
        assert time.monotonic() - started < 20
        waiter.execute("COMMIT")
        assert waiter.execute("PRAGMA busy_timeout").fetchone() == (20_000,)
    finally:
        stop.set()
        clerk.join()
        waiter.close()


def test_a_sqlite_writer_held_out_the_whole_timeout_gives_up(tmp_path: Path) -> None:
    from zonekeeper.store.engine import take_write_lock

    db = tmp_path / "zone.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(db, isolation_level=None)
    try:
        started = time.monotonic()
        assert not take_write_lock(waiter, 0.3)
        assert 0.3 <= time.monotonic() - started < 5
        assert not waiter.in_transaction
        assert waiter.execute("PRAGMA busy_timeout").fetchone() == (300,)
    finally:
        holder.rollback()
        holder.close()
        waiter.close()
