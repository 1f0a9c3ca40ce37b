"""Migration is a step the user takes (`zonekeeper db upgrade`), never a side effect of
opening the books: books at an older schema are refused (exit 2, one line naming the
command), upgraded on purpose, and then verify as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from zk_store_samples import PARTS, admission, shipment

from zk_cli import run_main
from zonekeeper.app.books import Ledger
from zonekeeper.store.engine import open_engine, write_transaction
from zonekeeper.store.migrate import _config, current_revision, head_revision


def _books_at(url: str, revision: str) -> None:
    """Books with master data and postings, taken down to an older schema `revision`."""
    with Ledger.init(url, "7", None, "FIFO") as books:
        books.load_master(PARTS)
        books.post([admission("A1", 3, "W", "10", "100.00")])
        books.post([shipment("S1", 5, "W", "1")])
    engine = open_engine(url)
    try:
        config = _config()
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
        assert current_revision(engine) == revision
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", ["0001", "0003"])
def test_old_books_are_refused_until_db_upgrade_then_verify(
    database_url: str,
    revision: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _books_at(database_url, revision)
    where = ["--database-url", database_url]
    code, out, err = run_main(monkeypatch, capsys, *where, "balance")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "zonekeeper db upgrade" in err, err
    engine = open_engine(database_url)
    try:
        assert current_revision(engine) == revision  # refused, and nothing changed
    finally:
        engine.dispose()
    code, out, err = run_main(monkeypatch, capsys, *where, "db", "upgrade")
    assert code == 0, err
    assert f"schema {revision} -> {head_revision()}" in out
    code, out, err = run_main(monkeypatch, capsys, *where, "verify")
    assert code == 0, err
    code, out, _ = run_main(monkeypatch, capsys, *where, "db", "upgrade")
    assert code == 0 and "nothing to do" in out


def test_db_upgrade_creates_no_books(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "none.db"
    code, _, err = run_main(monkeypatch, capsys, "--db", str(missing), "db", "upgrade")
    assert code == 2 and "zonekeeper init" in err
    assert not missing.exists()
