"""A writer thread that commits prepared batches in order, while the caller makes the next.

Posting a batch is two kinds of work: the core's checks and allocation plus the rows'
JSON and hashes (Python, holding the interpreter lock), and SQLite's or PostgreSQL's own
work (B-tree inserts, the WAL fsync and checkpoint; no lock: `store.bulk` writes each table
in one statement that runs inside the C library). Done in turn, a batch costs the sum; with
the commits on a thread of their own, the next batch's checks run on one core while the
previous batch is written on the other, and a run of batches costs about the larger of the
two (`Ledger.post_many`).

Each batch is still one transaction, whole or not at all (19 CFR 146.21; architecture
rule 6): `store.writes.commit` checks the chain head under the zone's lock. The writer stops
at its first failure and commits nothing after it, so the books always hold a prefix of
the batches, in order; the caller learns how long (`committed`) and why it stopped.
"""

from __future__ import annotations

import queue
import threading

from zonekeeper.store.engine import Engine
from zonekeeper.store.writes import Prepared, commit


class Writer:
    """Commits `submit`ted batches in order on a daemon thread (`depth` may wait)."""

    def __init__(self, engine: Engine, zone: str, depth: int = 2) -> None:
        self._engine = engine
        self._zone = zone
        self._queue: queue.Queue[Prepared | None] = queue.Queue(maxsize=depth)
        self.committed = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="zonekeeper-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self.error is None:
                    commit(self._engine, self._zone, batch)
                    self.committed += 1
            except BaseException as error:  # noqa: BLE001 - handed to the caller by `failed`
                self.error = error
            finally:
                self._queue.task_done()

    @property
    def failed(self) -> bool:
        return self.error is not None

    def submit(self, batch: Prepared) -> None:
        """Queue `batch` after the ones before it (waits while `depth` batches wait). A
        batch submitted after a failure is dropped: check `failed` first."""
        self._queue.put(batch)

    def drain(self) -> None:
        """Wait until every submitted batch is committed or dropped."""
        self._queue.join()

    def close(self) -> None:
        """Drain, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
