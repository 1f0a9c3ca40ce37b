"""The ledger benchmark's harness still runs end to end (service, raw peers on SQLite and
PostgreSQL, opening the books, verify) on a tiny workload, so a schema change cannot break
`make bench` unnoticed. Timing is not checked here: `make bench` measures it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import ledger_bench  # noqa: E402


def test_the_ledger_bench_runs_on_both_databases(
    pg_base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZK_BENCH_EVENTS", "2000")
    monkeypatch.setenv("ZK_BENCH_BATCH", "500")
    monkeypatch.setenv("ZK_BENCH_BEANCOUNT", "0")
    monkeypatch.setenv("ZK_BENCH_PG_URL", pg_base_url)
    section = ledger_bench.run()
    assert "| SQLite (WAL, synchronous=FULL), `post_many` |" in section
    assert "| PostgreSQL (local, COPY), `post_many` |" in section
    assert "ok=True" in section
    # the 2,000 posted and the zone's two master events (its settings, the master data)
    assert "Rows the books hold: 2,002 events" in section
    assert "Target, SQLite by `post_many`: ≥ 20,000 events/s durable" in section


def test_the_writers_bench_runs_on_both_databases(
    pg_base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench import writers_bench

    monkeypatch.setenv("ZK_BENCH_WRITERS", "2")
    monkeypatch.setenv("ZK_BENCH_WRITERS_EVENTS", "400")
    monkeypatch.setenv("ZK_BENCH_WRITERS_PRELOAD", "200")
    monkeypatch.setenv("ZK_BENCH_WRITERS_BATCH", "100")
    monkeypatch.setenv("ZK_BENCH_PG_URL", pg_base_url)
    section = writers_bench.run()
    assert "| SQLite (WAL, synchronous=FULL) | " in section
    assert "| PostgreSQL (local) | " in section
    assert "not run" not in section
    assert "2 writers on one zone ≥ 60% of one writer" in section


def test_the_raw_peer_writes_every_row_a_posting_writes(tmp_path: Path) -> None:
    """The raw peer is "a bulk insert of the very rows the books end up holding": after
    it, its database holds exactly the books' rows in every table a posting writes (the
    events, their natural keys, postings, lots, and any other), not a subset."""
    import sqlite3

    from zonekeeper.store.schema import metadata

    work = ledger_bench.workload(1500)
    books = f"sqlite:///{tmp_path / 'books.db'}"
    ledger_bench.post_all(books, work, 500)
    ledger_bench.raw_sqlite(ledger_bench._rows(books), tmp_path / "raw.db")
    master = {"zones", "parts", "boms"}  # set up by `init` and `load_master`, not posted
    compared = 0
    for table in metadata.sorted_tables:
        if table.name in master or table.name.startswith("alembic"):
            continue
        found = []
        for path in ("books.db", "raw.db"):
            with sqlite3.connect(tmp_path / path) as c:
                found.append(sorted(c.execute(f"SELECT * FROM {table.name}")))  # noqa: S608
        assert found[0] == found[1], table.name
        compared += len(found[1])
    assert compared > 1500 * 3  # events, keys, postings and lots, not empty tables


def test_the_writers_bench_stops_when_a_writer_dies() -> None:
    """A writer that dies without a result fails the run at once, its peers stopped, rather
    than leaving the bench waiting for a result that will never come."""
    import queue
    import time
    from types import SimpleNamespace

    from bench import writers_bench

    stopped: list[str] = []
    running = [
        SimpleNamespace(exitcode=None, terminate=lambda: stopped.append("alive")),
        SimpleNamespace(exitcode=1, terminate=lambda: stopped.append("dead")),
    ]
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="exit 1"):
        writers_bench._results(queue.Queue(), running)
    assert time.monotonic() - started < 10
    assert stopped == ["alive", "dead"]
