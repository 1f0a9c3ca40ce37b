"""Catching up while queued for the zone's lock.

Posting is serialized per zone (19 CFR 146.21: one chain, no fork; `store.zones`). A clerk
that keeps the books in memory and waits for the lock behind others would otherwise find,
once it holds the lock, every batch committed while it waited still to be applied to its
books (`Ledger._state`), and apply them *under the lock*, where every other clerk waits for
it. While the posting thread waits (in the driver: the PostgreSQL row lock, SQLite's
`BEGIN IMMEDIATE`; neither holds the interpreter lock), a helper thread watches the zone's
chain head with a cheap query on a connection of its own and, each time it moves, brings
the books up to date in a snapshot of their own (`Ledger.state`): when the lock comes,
only what was committed since the last catch-up is left to apply under it, at best the one
batch that just released it.

Why it is safe: the helper does exactly what `Ledger.post` already did before queueing
(a catch-up in one snapshot, `read_snapshot`, which stores the books with the version they
are at); the posting thread stops the helper and waits for it (`stop`) before it touches
the books again, and then catches up under the lock from whatever version the helper left,
as before. A helper that fails leaves the books as they were (they are replaced whole, at
the end of a catch-up); its error is dropped, and the catch-up under the lock reads it all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from zonekeeper.store.engine import Engine, is_postgresql

# How often the helper looks at the zone's chain head while its clerk waits (seconds). A
# batch of 1,000 events takes about 80 ms to post; looking every 5 ms costs about 30 µs of
# CPU a look (a one-row query on an idle connection).
LOOK_EVERY = 0.005


class CatchUpWhileQueued:
    """Runs `catch_up()` on a thread of its own each time the zone's head (or master
    revision) moves from `held()`, until `stop`. Use as a context manager around the wait
    for the zone's lock."""

    def __init__(
        self,
        engine: Engine,
        zone: str,
        held: Callable[[], tuple[int, int] | None],
        catch_up: Callable[[], Any],
        every: float = LOOK_EVERY,
    ) -> None:
        self._engine = engine
        self._zone = zone
        self._held = held
        self._catch_up = catch_up
        self._every = every
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="zonekeeper-catch-up", daemon=True
        )
        self.caught_up = 0  # how many catch-ups the helper ran (for tests and measurements)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            raw = self._engine.raw_connection()
        except BaseException as error:  # noqa: BLE001 - the lock's catch-up reads it all
            self.error = error
            return
        try:
            mark = "%s" if is_postgresql(self._engine) else "?"
            query = f"SELECT head_seq, master_rev FROM zones WHERE zone = {mark}"
            while not self._stopping.wait(self._every):
                cursor = raw.cursor()
                try:
                    cursor.execute(query, (self._zone,))
                    found = cursor.fetchone()
                finally:
                    cursor.close()
                    raw.rollback()  # no snapshot kept open between looks
                if found is None or self._stopping.is_set():
                    continue
                if (int(found[0]), int(found[1])) != self._held():
                    self._catch_up()
                    self.caught_up += 1
        except BaseException as error:  # noqa: BLE001 - the lock's catch-up reads it all
            self.error = error
        finally:
            raw.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop looking and wait for a catch-up under way to end (the posting thread must
        not touch the books before)."""
        self._stopping.set()
        self._thread.join()

    def __enter__(self) -> CatchUpWhileQueued:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
