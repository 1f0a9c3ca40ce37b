"""Catching up while queued for the zone's lock.

Posting is serialized per zone (19 CFR 146.21: one chain, no fork; `store.zones`). A clerk
that keeps the books in memory and waits for the lock behind others would otherwise find,
once it holds the lock, every batch committed while it waited still to be applied to its
books (`Ledger._state`), and apply them *under the lock*, where every other clerk waits for
it. While the posting thread waits (in the driver: the PostgreSQL row lock, SQLite's
`BEGIN IMMEDIATE`; neither holds the interpreter lock), a helper thread learns of each
commit to the zone and brings the books up to date in a snapshot of its own
(`Ledger.state`): when the lock comes, only what was committed since is left to apply under
it, at best the one batch that just released it.

How the helper learns of a commit, at no cost while nothing happens:
- PostgreSQL: every move of a chain head sends `NOTIFY zonekeeper_head, '<zone>'` in the
  posting's transaction (`store.zones.move_head`), delivered at its commit; the helper
  listens on a connection of its own, blocked in the driver until one arrives.
- SQLite: a commit appends to the `-wal` file; the helper looks at the file's size and
  modification time every `LOOK_EVERY` seconds (one `stat`, a few µs), and catches up when
  they change, and at least every `CATCH_UP_EVERY` seconds in any case.
A missed or needless wake-up costs time, never correctness: the catch-up under the lock
remains, and a catch-up with nothing new is one read of the zone's row.

Why it is safe: the helper does exactly what `Ledger.post` already did before queueing (a
catch-up in one snapshot, `read_snapshot`, which stores the books with the version they are
at), and only while `armed`: the posting thread disarms it as soon as it holds the lock,
which waits for a catch-up under way to end, and then catches up under the lock from
whatever version the helper left, as before. A helper that fails leaves the books as they
were (they are replaced whole, at the end of a catch-up); it stops, and the catch-up under
the lock reads it all.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zonekeeper.store.engine import Engine, is_postgresql, sqlite_file
from zonekeeper.store.zones import HEAD_CHANNEL

LOOK_EVERY = 0.005  # SQLite: seconds between looks at the WAL file while armed
CATCH_UP_EVERY = 1.0  # SQLite: catch up at least this often while armed, in any case
LISTEN_WAKE = 0.5  # PostgreSQL: seconds the listener may sleep before it sees `close`


class CatchUpWhileQueued:
    """A helper thread that runs `catch_up()` each time another clerk commits to `zone`,
    while `armed()`. One per `Ledger`, started on first use, ended by `close`."""

    def __init__(self, engine: Engine, zone: str, catch_up: Callable[[], Any]) -> None:
        self._engine = engine
        self._zone = zone
        self._catch_up = catch_up
        self._armed = False
        self._wake = threading.Event()  # set while armed (SQLite: the looking loop waits)
        self._busy = threading.Lock()  # held by a catch-up under way
        self._closed = False
        self.caught_up = 0  # catch-ups the helper ran (for tests and measurements)
        self.error: BaseException | None = None
        self._ready = threading.Event()
        target = self._listen if is_postgresql(engine) else self._look
        self._thread = threading.Thread(target=target, name="zonekeeper-catch-up", daemon=True)
        self._thread.start()
        if is_postgresql(engine):
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
        self._wake.set()
        try:
            yield
        finally:
            with self._busy:
                self._armed = False
            self._wake.clear()

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

    def _look(self) -> None:
        path = sqlite_file(str(self._engine.url))
        wal = f"{path}-wal" if path else None
        try:
            while not self._closed:
                self._wake.wait()
                if self._closed:
                    return
                seen = _wal_mark(wal)
                last = time.monotonic()
                while self._armed and not self._closed:
                    time.sleep(LOOK_EVERY)
                    mark = _wal_mark(wal)
                    now = time.monotonic()
                    if mark != seen or now - last >= CATCH_UP_EVERY:
                        seen, last = mark, now
                        self._run_catch_up()
        except BaseException as error:  # noqa: BLE001 - the lock's catch-up reads it all
            self.error = error

    def close(self) -> None:
        """End the helper thread (it may take up to `LISTEN_WAKE` to notice)."""
        self._closed = True
        self._wake.set()


def _wal_mark(wal: str | None) -> tuple[int, int]:
    """Size and modification time of the WAL file (0, 0: none): a commit changes them."""
    if wal is None:
        return (0, 0)
    try:
        found = os.stat(wal)
    except OSError:
        return (0, 0)
    return (found.st_size, found.st_mtime_ns)
