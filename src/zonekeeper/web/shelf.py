"""The zones' books a server process keeps open, one `Ledger` per zone.

Opening books reads their state (seconds on a million events), so a server opens each zone
once and keeps it: a `Ledger` catches up with what other processes posted by itself (the
chain head and master revision tell it). A `Ledger` is not made to be used by two threads at
once, so each zone's is lent to one request at a time, with the user who acts on it (the
`actor` its events record). Posting from several worker processes is safe as it is from
several CLI processes: the zone's lock and the natural keys serialize it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from zonekeeper.app.books import Ledger, open_books
from zonekeeper.app.context import Context


class Shelf:
    def __init__(self, context: Context) -> None:
        self.context = context
        self._ledgers: dict[str, Ledger] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def books(self, zone: str, actor: str | None = None) -> Iterator[Ledger]:
        """The books of `zone`, lent to this request alone; what it posts names `actor`."""
        with self._guard:
            lock = self._locks.setdefault(zone, threading.Lock())
        with lock:
            ledger = self._ledgers.get(zone)
            if ledger is None:
                ledger = open_books(self.context, zone)
                self._ledgers[zone] = ledger
            ledger.actor = actor
            try:
                yield ledger
            finally:
                ledger.actor = None

    def close(self) -> None:
        with self._guard:
            for ledger in self._ledgers.values():
                ledger.close()
            self._ledgers.clear()
