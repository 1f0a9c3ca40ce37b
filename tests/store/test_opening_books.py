"""Opening the books: anything wrong with where they are is one clear line and exit 2 (never a
traceback), a URL is never printed with its password, and a new SQLite file is the owner's
alone (0600, its -wal and -shm files too)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zonekeeper.cli import main
from zonekeeper.services.ledger import Ledger

ADMISSIONS = "admission_no,line,date,part,quantity,value,status\nA1,1,2026-08-03,W,1,1,NPF\n"
SECRET = "s3cret-pw"


def _zonekeeper(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """Run the installed entry point in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["zonekeeper", *args])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
    code, _, err = _zonekeeper(capsys, monkeypatch, "--db", str(db), "init", "--zone", "999",
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
        code, _, err = _zonekeeper(capsys, monkeypatch, "--db", str(db), *command)
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
        code, _, err = _zonekeeper(capsys, monkeypatch, "--database-url", url, *command)
        _one_clear_line(code, err, "***", why)


def test_init_prints_the_url_without_its_password(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_url if database_url.startswith("sqlite") else _with_password(database_url)
    code, out, err = _zonekeeper(capsys, monkeypatch, "--database-url", url, "init", "--zone", "7")
    assert code == 0, err
    assert "zone 7 ready" in out
    assert SECRET not in out + err
    if not database_url.startswith("sqlite"):
        assert "***@" in out


def test_a_password_in_a_bad_url_is_masked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _zonekeeper(capsys, monkeypatch, "--database-url",
                               f"postgresql://zk:{SECRET}@host:port/books", "balance")
    _one_clear_line(code, err, "not a database URL", "zk:***@host")


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
