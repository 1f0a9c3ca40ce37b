"""The locking protocol of `Ledger.post` with other clerks posting to the same books: a batch
made outside the zone's lock (the zone was quiet) is written only if the zone is still at
the version it was made on, else made again under the lock; a clerk queued for the lock
applies what the clerks ahead of it commit while it waits, not under the lock."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from zk_store_samples import SET_UP, admission, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError
from zonekeeper.store import projections, writes
from zonekeeper.store.engine import is_postgresql, sqlite_file, write_transaction
from zonekeeper.store.queued import CatchUpWhileQueued
from zonekeeper.store.schema import events
from zonekeeper.store.zones import find_zone
from zonekeeper.zone.keys import natural_key


def test_a_batch_made_outside_the_lock_is_made_again_if_another_clerk_posted_meanwhile(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zone is quiet (nobody posted since this clerk did), so its batch is made without
    the zone's lock: another clerk can post meanwhile. Its batch, made on books that then
    moved, is not written; made again under the lock on the books as they are, it over-draws
    the lot the other clerk drew on, and is refused with nothing written."""
    ledger.post([admission("A1", 3, "W", "10", "100")])  # the books held: the zone is quiet
    made_on: list[int] = []
    others: list[str] = []
    run = ledger._run

    def meanwhile_another_clerk_posts(state: Any, batch: Any, postings_of: Any) -> Any:
        made_on.append(state.seq)
        if len(made_on) == 1:

            def other() -> None:
                with Ledger.open(database_url, pf_rule=None) as clerk:
                    clerk.post([shipment("B1", 4, "W", "6")])
                    others.append("posted")

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(timeout=15)  # the zone's lock is free: it posts at once
        return run(state, batch, postings_of)

    monkeypatch.setattr(ledger, "_run", meanwhile_another_clerk_posts)
    with pytest.raises(InputError, match="W"):
        ledger.post([shipment("S1", 4, "W", "6")])
    assert others == ["posted"], "the other clerk had to wait while the batch was made"
    assert made_on == [SET_UP + 1, SET_UP + 2]  # made again on the books with B1
    assert sum(b.quantity for b in ledger.balances()) == Decimal(4)  # never over-drawn
    with ledger.engine.connect() as connection:
        assert connection.execute(select(events.c.seq)).scalars().all() == [1, 2, 3, 4]
    assert ledger.state() == _fresh(database_url)
    assert ledger.verify().ok
    # Made again once: the next quiet posts are made under the lock (others may be about
    # to post).
    free: list[bool] = []

    def lock_is_free(state: Any, batch: Any, postings_of: Any) -> Any:
        free.append(_lock_is_free(ledger, database_url))
        return run(state, batch, postings_of)

    monkeypatch.setattr(ledger, "_run", lock_is_free)
    ledger.post([admission("A2", 5, "W", "1", "10")])  # B1 moved the zone: not quiet
    ledger.post([admission("A3", 5, "W", "1", "10")])  # quiet, after a miss
    ledger.post([admission("A4", 5, "W", "1", "10")])  # quiet
    assert free == [False, False, False]
    assert ledger.verify().ok


def test_a_batch_made_outside_the_lock_is_posted_when_the_zone_did_not_move(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quiet zone, nobody posts meanwhile: made once, outside the lock (another connection
    takes the zone's lock while it is made), written, and the books held equal a fresh
    load."""
    ledger.post([admission("A1", 3, "W", "10", "100")])
    free: list[bool] = []
    run = ledger._run

    def lock_is_free(state: Any, batch: Any, postings_of: Any) -> Any:
        free.append(_lock_is_free(ledger, database_url))
        return run(state, batch, postings_of)

    monkeypatch.setattr(ledger, "_run", lock_is_free)
    posted = ledger.post([shipment("S1", 4, "W", "6"), admission("A2", 4, "W", "1", "10")])
    assert free == [True]
    assert (posted.events, posted.head_seq) == (2, SET_UP + 3)
    assert ledger.state() == _fresh(database_url)
    assert ledger.verify().ok


def _lock_is_free(ledger: Ledger, url: str) -> bool:
    """Whether another connection can take zone 49's lock without waiting."""
    if is_postgresql(ledger.engine):
        with ledger.engine.connect() as connection, connection.begin():
            connection.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            try:
                connection.exec_driver_sql("SELECT 1 FROM zones WHERE zone = '49' FOR UPDATE")
            except Exception:  # noqa: BLE001 - lock not available
                return False
            return True
    path = sqlite_file(url)
    assert path is not None
    raw = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        raw.close()


def _fresh(url: str) -> Any:
    with Ledger.open(url, pf_rule=None) as fresh:
        return fresh.state()


def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.005)


@contextmanager
def _second_in_line(ledger: Ledger, got: threading.Event) -> Iterator[None]:
    """Queue for zone 49's row lock (PostgreSQL), set `got` once held, and keep it until
    the block ends; the block starts once this clerk is waiting for the lock."""
    release = threading.Event()
    failures: list[BaseException] = []
    pids: list[int] = []

    def hold() -> None:
        try:
            with write_transaction(ledger.engine) as connection:
                pids.append(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
                find_zone(connection, "49", lock=True)
                got.set()
                release.wait(60)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        with ledger.engine.connect() as watcher:

            def waiting() -> bool:
                watcher.rollback()
                return bool(pids) and watcher.exec_driver_sql(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pids[0],)
                ).scalar() == "Lock"

            _until(lambda: waiting() or bool(failures))
        yield
    finally:
        release.set()
        thread.join(timeout=60)
    assert not failures, failures


def test_the_helper_applies_each_commit_while_armed_and_none_after(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a queued clerk's helper does (`store.queued`, PostgreSQL): while armed,
    another clerk's commit (announced by NOTIFY) is applied to the books on the helper's
    thread; once disarmed, nothing touches the books."""
    if not is_postgresql(ledger.engine):
        pytest.skip("no helper on SQLite (store.queued says why)")
    ledger.post([admission("A1", 3, "W", "10", "100")])
    threads: list[str] = []
    changes_since = projections.changes_since

    def watched(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return changes_since(*args, **kwargs)

    with Ledger.open(database_url, pf_rule=None) as b:
        b.state()
        helper = CatchUpWhileQueued(b.engine, "49", b.state)
        monkeypatch.setattr(projections, "changes_since", watched)
        try:
            with helper.armed():
                ledger.post([admission("A2", 3, "W", "5", "50")])
                _until(lambda: b._cache is not None and b._cache[0].seq == SET_UP + 2)
            assert threads == ["zonekeeper-catch-up"]
            ledger.post([admission("A3", 3, "W", "5", "50")])
            time.sleep(1.0)  # its NOTIFY arrives at once
            assert b._cache is not None and b._cache[0].seq == SET_UP + 2
            assert threads == ["zonekeeper-catch-up"]
        finally:
            helper.close()
        assert helper.error is None
        assert b.state() == _fresh(database_url)


def test_a_clerk_queued_for_the_lock_catches_up_while_it_waits(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL hands the zone's row lock to the clerks queued for it in turn. Clerk B
    waits for it behind a clerk writing batch A2 and another one queued ahead of B. A2 is
    committed while B still waits: B applies it then, on its helper thread, so that once B
    holds the lock nothing is left to apply under it; B's batch draws on the lots as they
    are after A2, and the books stay one chain. (SQLite's write lock has no queue, and no
    helper: `store.queued`.)"""
    if not is_postgresql(ledger.engine):
        pytest.skip("no helper on SQLite (store.queued says why)")
    ledger.post([admission("A1", 3, "W", "10", "100")])
    with Ledger.open(database_url, pf_rule=None) as b, Ledger.open(
        database_url, pf_rule=None
    ) as c:
        b.state()
        ledger.post([admission("A0", 3, "W", "1", "10")])  # B's books are behind: not quiet
        base = c.state()  # A2 made by C on the books at A0, written by hand under the lock
        a2 = [admission("A2", 3, "W", "5", "50")]
        result = c._run(base, a2, lambda _: [])
        with c.snapshot() as books:
            version = books.row.version
        prepared = c._prepare(version, base, a2, result, [natural_key(e) for e in a2])

        caught_up: list[tuple[str, int]] = []  # (thread, from position) of each catch-up
        changes_since = projections.changes_since

        def watched(connection: Any, zone: str, seq: int, *args: Any, **kwargs: Any) -> Any:
            caught_up.append((threading.current_thread().name, seq))
            return changes_since(connection, zone, seq, *args, **kwargs)

        monkeypatch.setattr(projections, "changes_since", watched)
        posted: list[Any] = []
        failures: list[BaseException] = []

        def clerk_b() -> None:
            try:
                posted.append(b.post([shipment("S1", 4, "W", "12")]))
            except BaseException as error:  # noqa: BLE001 - reported by the test
                failures.append(error)

        second = threading.Event()
        poster = threading.Thread(target=clerk_b, name="clerk-b")
        with write_transaction(ledger.engine) as connection:
            find_zone(connection, "49", lock=True)
            writes.write(connection, "49", prepared)
            with _second_in_line(ledger, second):
                poster.start()  # queued after the one second in line
                _until(lambda: b._helper is not None and b._helper._armed)  # B queued
                assert not posted and not failures
                connection.commit()  # A2 committed: the one second in line takes the lock
                assert second.wait(30)
                a2_head = SET_UP + 3  # ... and holds it while B waits, until B has A2
                _until(lambda: b._cache is not None and b._cache[0].seq == a2_head)
                assert not posted and not failures
        poster.join(timeout=60)
        assert not failures, failures
        assert posted and posted[0].head_seq == SET_UP + 4
    a2_at = SET_UP + 2  # B catches up from A0's position to A2's
    assert ("zonekeeper-catch-up", a2_at) in caught_up, caught_up
    assert ("clerk-b", a2_at) not in caught_up, "A2 was applied under the lock"
    assert sum(lot.quantity for lot in ledger.balances()) == Decimal(4)
    assert ledger.verify().ok
