"""SQLite writers take turns for the file's write lock through a lock file beside it.

Posting is serialized per zone (19 CFR 146.21: one chain per zone, no fork); on SQLite the
write lock is the whole file's (`BEGIN IMMEDIATE`). A writer that finds it taken waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 ... up to 100 ms between tries: when the
holder commits, the lock stands idle until a sleeper happens to wake. With eight clerks
posting at once most of the wall time went to those sleeps (measured on the writers bench:
27 CPU seconds in 157 s of wall time on two cores).

So before `BEGIN IMMEDIATE` a writer first takes an exclusive `flock` on `<books>-lock`,
polling it every 0.25 to 2 ms, not up to 100: the next writer starts within a couple of
milliseconds of the commit. The lock file is only a queue in front of SQLite's lock, which
still decides: a process that does not take it (an older Zonekeeper, the sqlite3 shell)
is waited for by the busy handler as before, and a process that dies holding the file's
`flock` loses it with its descriptors. Nothing waits forever: a writer that has not had
its turn within the busy timeout (`$ZONEKEEPER_BUSY_TIMEOUT`) stops with `books.busy`, as
one waiting for SQLite's lock does. Where the lock file cannot be made (a read-only
folder, another owner's file, a system without `flock`), writers wait for SQLite's lock
alone, as before. The lock file is made with the books' permission bits (0600 for books
Zonekeeper made).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # not POSIX (Windows): SQLite's own lock alone decides
    fcntl = None  # type: ignore[assignment]

SUFFIX = "-lock"
FIRST_WAIT = 0.000_25  # seconds between the first tries
LAST_WAIT = 0.002  # ... doubling up to this


class NoTurn(Exception):
    """The lock file was held by other writers for the whole busy timeout."""


@contextmanager
def turn(database: str, waits: float) -> Iterator[None]:
    """Hold the lock file of the SQLite file `database` for the length of the block (a
    write transaction); `NoTurn` after `waits` seconds without it."""
    if fcntl is None:
        yield
        return
    try:
        # Whoever may write the books may take a turn: the books' own permission bits.
        mode = os.stat(database).st_mode & 0o666
        fd = os.open(database + SUFFIX, os.O_RDWR | os.O_CREAT, mode)
    except OSError:  # cannot make it here: SQLite's own lock alone decides
        yield
        return
    try:
        _take(fd, waits)
        yield
    finally:
        os.close(fd)  # releases the flock


def _take(fd: int, waits: float) -> None:
    deadline = time.monotonic() + waits
    pause = FIRST_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise NoTurn from None
        time.sleep(pause)
        pause = min(pause * 2, LAST_WAIT)
