"""The schema the shipped migrations build (and its migrations up, down and by concurrent
openers), exact decimals, and the hash chain's links."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select, text
from zk_store_samples import PARTS, admission, upgraded

from zonekeeper.app.books import Ledger
from zonekeeper.store import event_log, zones
from zonekeeper.store.chain import GENESIS, link_hash
from zonekeeper.store.engine import Engine, open_engine, write_transaction
from zonekeeper.store.migrate import (
    _config,
    _migration_lock,
    current_revision,
    head_revision,
    upgrade,
)
from zonekeeper.store.schema import lots, metadata
from zonekeeper.store.schema import zones as zones_table


def _alembic(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    """Move the schema to `revision` (command.upgrade or command.downgrade), as `upgrade`
    runs Alembic: in one write transaction."""
    config = _config()
    with write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        step(config, revision)


def test_migrations_build_exactly_the_schema_the_code_uses(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)  # idempotent: already at head
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_books_of_the_first_schema_are_migrated_and_keep_posting(database_url: str) -> None:
    """A database at revision 0001 (before the master revision) is refused until `db
    upgrade` brings it to head with its zone's revision at 0; then it posts as before."""
    engine = open_engine(database_url)
    try:
        _alembic(engine, command.upgrade, "0001")
        with engine.begin() as connection:
            connection.execute(insert(zones_table).values(
                zone="7", site=None, method="FIFO", head_seq=0, head_hash=GENESIS))
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()
    upgraded(database_url)
    with Ledger.open(database_url, "7") as books:
        with books.engine.connect() as connection:
            row = zones.find_zone(connection, "7")
        assert row is not None and row.master_rev == 0
        assert books.load_master(PARTS) == len(PARTS)
        books.post([admission("A1", 1, "W", "3", "30.00")])
        assert books.verify().ok
        assert current_revision(books.engine) == head_revision()


def test_the_master_revision_migration_goes_back_down_on_books_with_events(
    database_url: str,
) -> None:
    with Ledger.init(database_url, "7", None, "FIFO") as books:
        books.load_master(PARTS)
        books.post([admission("A1", 1, "W", "3", "30.00")])
    engine = open_engine(database_url)
    try:
        _alembic(engine, command.downgrade, "0001")
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()
    upgraded(database_url)  # and up again
    with Ledger.open(database_url, "7") as books:
        assert books.verify().ok


def test_a_second_opener_waits_for_the_first_migration_and_finds_it_done(
    database_url: str,
) -> None:
    """Two processes open books at 0001 at once (API workers restarting together). This test
    is the first: it migrates and, before committing, lets a second process open the books.
    The second must wait and find the work done; reading the revision before the first
    commits, it would add the new column again and fail. (SQLite's write lock serializes
    openers by itself; the test runs on both databases all the same.)"""
    engine = open_engine(database_url)
    try:
        _alembic(engine, command.upgrade, "0001")
        config = _config()
        postgres = engine.dialect.name == "postgresql"
        # The first opener, as `upgrade` does.
        with _migration_lock(engine), write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            second = subprocess.Popen(
                [sys.executable, "-c",
                 "import sys; from zonekeeper.store.engine import open_engine; "
                 "from zonekeeper.store.migrate import upgrade; "
                 "upgrade(open_engine(sys.argv[1]))", database_url],
                stderr=subprocess.PIPE, text=True,
            )
            deadline = time.monotonic() + 30  # until the second waits on a lock of ours
            while postgres and time.monotonic() < deadline and second.poll() is None:
                waiting = connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()")).scalar_one()
                if waiting:
                    break
                time.sleep(0.05)
            else:
                time.sleep(1)
        _, errors = second.communicate(timeout=60)
        assert second.returncode == 0, errors
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_money_and_quantities_round_trip_exactly(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        upgrade(engine)
        awkward = [Decimal("0.1"), Decimal("123456789012345678.000000001"), Decimal("1E-12")]
        with engine.begin() as connection:
            zones.create_zone(connection, "7", None, "FIFO")
            connection.execute(
                insert(lots),
                [
                    {"zone": "7", "lot": f"L{i}", "admission_no": None, "line": None,
                     "part": "W", "status": "NPF", "quantity": q, "value": q, "data": "{}"}
                    for i, q in enumerate(awkward)
                ],
            )
        with engine.connect() as connection:
            stored = connection.execute(select(lots.c.value).order_by(lots.c.lot)).scalars()
            assert [Decimal(v) for v in stored] == awkward
            assert all(isinstance(v, Decimal) for v in connection.execute(
                select(lots.c.quantity)).scalars())
    finally:
        engine.dispose()


def test_append_links_each_event_to_the_one_before(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        upgrade(engine)
        day = dt.date(2026, 8, 3)
        with engine.begin() as connection:
            zones.create_zone(connection, "7", "Dock", "FIFO")
            head = (0, GENESIS)
            first = [event_log.NewEvent("count", day, b'{"a":1}'),
                     event_log.NewEvent("count", day, b'{"a":2}')]
            as_text = connection.dialect.name != "postgresql"
            for batch in (first, [event_log.NewEvent("count", day, b'{"a":3}')]):
                rows, head = event_log.chain_rows("7", *head, batch, as_text=as_text)
                event_log.write(connection, rows)
        with engine.connect() as connection:
            stored = list(event_log.read(connection, "7"))
        assert [e.seq for e in stored] == [1, 2, 3]
        assert stored[0].prev_hash == GENESIS
        for before, after in zip(stored, stored[1:], strict=False):
            assert after.prev_hash == before.hash
        for e in stored:
            assert e.hash == link_hash(e.prev_hash, "7", e.seq, e.payload.encode())
        assert head == (3, stored[-1].hash)
    finally:
        engine.dispose()


@given(st.binary(max_size=64), st.binary(max_size=64), st.integers(1, 10**9))
def test_any_change_of_content_or_position_changes_the_hash(a: bytes, b: bytes, seq: int) -> None:
    h = link_hash(GENESIS, "7", seq, a)
    assert len(h) == 64
    if a != b:
        assert link_hash(GENESIS, "7", seq, b) != h
    assert link_hash(GENESIS, "7", seq + 1, a) != h
    assert link_hash(GENESIS, "8", seq, a) != h


def test_an_unknown_database_url_is_bad_input() -> None:
    from zonekeeper.errors import InputError

    with pytest.raises(InputError):
        open_engine("mysql://nobody@nowhere/db")
