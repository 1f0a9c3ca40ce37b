"""Catching up while queued for the zone's lock (PostgreSQL).

Posting is serialized per zone (19 CFR 146.21: one chain, no fork; `store.zones`).
PostgreSQL hands a zone's row lock to the clerks queued for it in turn, so a clerk that keeps
the books in memory and queues behind n others would find, once it holds the lock, the n
batches they committed still to be applied to its books (`Ledger._state`), and apply them
*under the lock*, where every other clerk waits for it. While the posting thread waits (in
the driver, without the interpreter lock), a helper thread learns of each commit to the
zone and brings the books up to date in a snapshot of its own (`Ledger.state`): when the
lock comes, only the batch of the clerk just ahead is left to apply under it.

How the helper learns of a commit, at no cost while nothing happens: every move of a chain
head sends `NOTIFY zonekeeper_head, '<zone>'` in the posting's transaction
(`store.zones.move_head`), delivered at its commit; the helper listens on a connection of
its own, blocked in the driver until one arrives. A missed or needless wake-up costs time,
never correctness: the catch-up under the lock remains.

Not on SQLite: its write lock has no queue (a waiter retries after sleeps of up to 100 ms,
and whichever retries first wins), so a waiter finds fewer batches to apply under the lock,
and catching up each batch as it is committed costs more CPU than one catch-up of several
(about 28 against 22 µs an event); measured on this 2-core machine under load, eight writers
on one SQLite zone posted 0.25-0.37 of one writer's rate with a helper (WAL-file watch)
against 0.52-0.64 without (docs/performance.md, 2026-12-06).

Why it is safe: the helper does exactly what `Ledger.post` already does before queueing (a
catch-up in one snapshot, `read_snapshot`, which stores the books with the version they are
at), and only while `armed`: the posting thread disarms it as soon as it holds the lock,
which waits for a catch-up under way to end, and then catches up under the lock from
whatever version the helper left, as before. A helper that fails leaves the books as they
were (they are replaced whole, at the end of a catch-up); it stops, and the catch-up under
the lock reads it all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zonekeeper.store.engine import Engine
from zonekeeper.store.zones import HEAD_CHANNEL

LISTEN_WAKE = 0.5  # seconds the listener may sleep before it sees `close`


class CatchUpWhileQueued:
    """A helper thread that runs `catch_up()` each time another clerk commits to `zone`,
    while `armed()`. One per `Ledger` on PostgreSQL, started on first use, ended by
    `close`."""

    def __init__(self, engine: Engine, zone: str, catch_up: Callable[[], Any]) -> None:
        self._engine = engine
        self._zone = zone
        self._catch_up = catch_up
        self._armed = False
        self._busy = threading.Lock()  # held by a catch-up under way
        self._closed = False
        self.caught_up = 0  # catch-ups the helper ran (for tests and measurements)
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, name="zonekeeper-catch-up", daemon=True
        )
        self._thread.start()
        self._ready.wait(10)  # listening before the first wait: no commit is missed

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Catch up on the helper thread for the length of the block (the wait for the
        lock); at its end, wait for a catch-up under way, and run none after."""
        if self.error is not None:  # it stopped: the lock's catch-up reads it all
            yield
            return
        with self._busy:
            self._armed = True
        try:
            yield
        finally:
            with self._busy:
                self._armed = False

    def _run_catch_up(self) -> None:
        with self._busy:
            if self._armed:
                self._catch_up()
                self.caught_up += 1

    def _listen(self) -> None:
        try:
            raw = self._engine.raw_connection()
            driver: Any = raw.driver_connection
            raw.detach()  # a connection of its own, never handed back to the pool
        except BaseException as error:  # noqa: BLE001 - the lock's catch-up reads it all
            self.error = error
            self._ready.set()
            return
        try:
            driver.autocommit = True
            driver.execute(f"LISTEN {HEAD_CHANNEL}")
            self._ready.set()
            while not self._closed:
                for note in driver.notifies(timeout=LISTEN_WAKE):
                    if note.payload == self._zone and self._armed and not self._closed:
                        self._run_catch_up()
        except BaseException as error:  # noqa: BLE001 - the lock's catch-up reads it all
            self.error = error
        finally:
            self._ready.set()
            raw.close()

    def close(self) -> None:
        """End the helper thread (it may take up to `LISTEN_WAKE` to notice)."""
        self._closed = True

