"""Open a database by URL: SQLite as the embedded default, PostgreSQL for production.

SQLite runs in WAL mode with `synchronous=FULL`: a committed batch survives a power cut,
not only a crash of the process (19 CFR 146.21(a) wants records that are kept, not merely
written). A batch is one transaction, so FULL costs one extra fsync per batch, not per event.
Every SQLite write transaction (`write_transaction`) starts with `BEGIN IMMEDIATE`, which
takes the file's write lock up front: two clerks posting at once queue behind each other
instead of failing half-way, and a waiting clerk tries for the lock as often as one that has
just arrived (`take_write_lock`), so none is starved by SQLite's backing off. Reads begin a
deferred transaction and, in WAL mode, never wait for a writer.

Opening connects once (`open_engine`), so books that cannot be opened — a folder or a text
file given as the SQLite file, a folder that does not exist, a PostgreSQL server that does not
answer or lacks the database — are one line of bad input naming the database, not a driver
traceback half-way through a command. Every URL that reaches a message goes through
`masked_url`: the password never reaches the terminal or a log.

Nothing waits forever. A PostgreSQL connection gives up after `connect_timeout` seconds
(`$ZONEKEEPER_CONNECT_TIMEOUT`, default 10; a `connect_timeout` in the URL wins; libpq and
psycopg wait at least 2 s): a host that accepts TCP and never answers, or drops the packets,
is one line naming host and port, not a hung command. A SQLite writer waits for another
writer's lock up to the busy timeout (`$ZONEKEEPER_BUSY_TIMEOUT`, default 60 s), then stops
with one line saying the books are busy, its transaction rolled back (19 CFR 146.21(a): the
books are never left half-posted).

A new SQLite file is created readable by its owner only (0600, whatever the umask): the books
hold the zone's values, parties and origins. SQLite gives the `-wal` and `-shm` files it makes
next to it the main file's mode. An existing file keeps the mode its owner gave it.

A reader that must see the books as of one moment across many statements (`verify`, loading
or catching up the state a clerk keeps in memory) takes `read_snapshot`: on PostgreSQL a
REPEATABLE READ READ ONLY transaction (the default READ COMMITTED gives each statement a
snapshot of its own, so a batch committed between two reads would be half-seen); on SQLite
the deferred read transaction, whose WAL snapshot holds from its first read to its end.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection as Connection  # re-exported: the shell's handle types
from sqlalchemy import Engine as Engine
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from zonekeeper.errors import InputError, Problem

SQLITE_BUSY_TIMEOUT_S = 60
"""How long a SQLite writer waits for another's lock by default (`busy_timeout()`)."""
BUSY_TIMEOUT_ENV = "ZONEKEEPER_BUSY_TIMEOUT"
PG_CONNECT_TIMEOUT_S = 10
"""How long a PostgreSQL connection attempt waits for the server by default."""
CONNECT_TIMEOUT_ENV = "ZONEKEEPER_CONNECT_TIMEOUT"
WRITE_OPTION = "zonekeeper_write"
# Page cache per connection (KiB). The default 2 MB makes every index update of a large book
# a disk read; 256 MB keeps the lots and postings indexes of a few million rows in memory.
SQLITE_CACHE_KIB = 262_144
# A new SQLite file of books: its owner reads and writes it, nobody else.
SQLITE_FILE_MODE = 0o600
MASK = "***"
# user:password@ in a text that is not even a URL SQLAlchemy can read
_CREDENTIALS = re.compile(r"(//[^/:@\s]*:)[^@\s]*(@)")


def masked_url(url: str | URL) -> str:
    """`url` fit to print: its password, also one given as a `password=` query parameter,
    shown as ***. Every URL in a message or on the terminal goes through here."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        return _CREDENTIALS.sub(rf"\g<1>{MASK}\g<2>", str(url))
    if "password" in parsed.query:
        parsed = parsed.update_query_dict({"password": MASK})
    return parsed.render_as_string(hide_password=True)


def open_engine(url: str) -> Engine:
    """An engine for `url` (`sqlite:///file.db` or `postgresql+psycopg://...`), connected
    once: books that cannot be opened are an `InputError` saying why, here."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError(
            Problem(
                f"not a database URL: {masked_url(url)!r}",
                field="--database-url",
                code="books.url",
            )
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        waits = busy_timeout()  # bad settings refused before a file is made
        path = sqlite_file(url)
        if path is not None:
            _create_sqlite_file(path)
        engine = _sqlite_engine(url, waits)
    elif backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # The URL's own connect_timeout (a query parameter psycopg reads) wins.
        connect_args = {} if "connect_timeout" in parsed.query else {
            "connect_timeout": connect_timeout()
        }
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    else:
        raise InputError(
            Problem(
                f"unsupported database {backend!r}: use a SQLite file or postgresql+psycopg://",
                field="--database-url",
                code="books.url",
            )
        )
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        engine.dispose()
        raise InputError(Problem(_cannot_open(parsed, error), code="books.cannot-open")) from None
    return engine


def _seconds_from_env(name: str, default: int) -> int:
    """A whole number of seconds (1 or more) from `$name`, else `default`; anything else in
    it is bad input naming the variable (not a silent default)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(
            Problem(
                f"{text!r} is not a number of seconds (a whole number, 1 or more)",
                field="$" + name,
                code="settings.seconds",
            )
        )
    return value


def _dollar(name: str) -> str:
    """An environment variable as a shell user writes it (`$NAME`)."""
    return "$" + name


def connect_timeout() -> int:
    """Seconds a PostgreSQL connection attempt waits for the server: `$ZONEKEEPER_CONNECT_TIMEOUT`,
    else 10. (libpq and psycopg treat less than 2 as 2.)"""
    return _seconds_from_env(CONNECT_TIMEOUT_ENV, PG_CONNECT_TIMEOUT_S)


def busy_timeout() -> int:
    """Seconds a SQLite connection waits for another writer's lock before giving up:
    `$ZONEKEEPER_BUSY_TIMEOUT`, else 60."""
    return _seconds_from_env(BUSY_TIMEOUT_ENV, SQLITE_BUSY_TIMEOUT_S)


def _create_sqlite_file(path: str) -> None:
    """Make a missing SQLite file empty and 0600 before SQLite makes it with the umask's
    mode (an empty file is an empty database); a folder or a missing parent folder is bad
    input. An existing file is left as it is."""
    where = Path(path)
    if where.is_dir():
        raise InputError(Problem(
            f"cannot open the books at {path}: it is a folder, not a file",
            code="books.cannot-open",
        ))
    if where.exists():
        return
    if not where.parent.is_dir():
        raise InputError(
            Problem(
                f"cannot create the books at {path}: the folder {where.parent} does not exist",
                code="books.cannot-open",
            )
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SQLITE_FILE_MODE)
    except FileExistsError:  # another process made it first: theirs, as it is
        return
    except OSError as error:
        raise InputError(
            Problem(
                f"cannot create the books at {path}: {error.strerror or error}",
                code="books.cannot-open",
            )
        ) from None
    try:
        os.fchmod(fd, SQLITE_FILE_MODE)  # the umask may have taken the owner's write bit
    finally:
        os.close(fd)


def _cannot_open(url: URL, error: DBAPIError) -> str:
    """One line saying which books could not be opened and why, without the password."""
    reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
    if url.password:
        reason = reason.replace(str(url.password), MASK)
    reason = reason.removeprefix("connection failed: ")
    if url.get_backend_name() == "sqlite":
        where = sqlite_file(url.render_as_string()) or url.render_as_string()
        if "file is not a database" in reason:
            return f"cannot open the books at {where}: the file is not a SQLite database"
        return f"cannot open the books at {where}: {reason}"
    where = masked_url(url)
    if "timeout expired" in reason:
        waited = url.query.get("connect_timeout") or connect_timeout()
        return (f"cannot open the books at {where}: the server at {url.host or 'localhost'}:"
                f"{url.port or 5432} did not answer within {waited} s (connect timeout; "
                f"{_dollar(CONNECT_TIMEOUT_ENV)} or connect_timeout in the URL sets it)")
    missing = re.search(r'database "([^"]*)" does not exist', reason)
    if missing:
        return (f"cannot open the books at {where}: the database {missing.group(1)!r} does not "
                "exist on that server (create it first)")
    if "Connection refused" in reason or "could not connect" in reason or "timeout" in reason:
        return (f"cannot open the books at {where}: no PostgreSQL server answers there "
                f"({reason.rsplit(': ', 1)[-1] or reason})")
    return f"cannot open the books at {where}: {reason}"


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for another database, `:memory:` or no URL at all)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    path = parsed.database
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:":
        return path
    return None


def _sqlite_engine(url: str, waits: int) -> Engine:
    """An engine whose connections wait `waits` seconds for another writer's lock."""
    engine = create_engine(url, connect_args={"timeout": waits})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not open transactions by itself; we BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={waits * 1000}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    def busy() -> InputError:
        return InputError(
            Problem(
                f"the books at {sqlite_file(url) or url} are busy: another process has held "
                f"them for writing longer than {waits} s; nothing was changed (try again "
                f"later, or set {_dollar(BUSY_TIMEOUT_ENV)} to wait longer)",
                code="books.busy",
            )
        )

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
        elif not take_write_lock(connection.connection.driver_connection, waits):
            raise busy()

    @event.listens_for(engine, "handle_error")
    def _busy(context: Any) -> None:
        # Still locked after the busy timeout: one line, not a driver traceback. The
        # transaction that asked is rolled back on the way out, so nothing was written.
        if "database is locked" in str(context.original_exception):
            raise busy() from None

    return engine


WRITE_LOCK_POLL_S = (0.001, 0.004)
"""A waiting writer tries the lock again after a random pause in this range (seconds)."""


def take_write_lock(raw: sqlite3.Connection, waits: float) -> bool:
    """BEGIN IMMEDIATE on `raw`, trying again every few milliseconds for up to `waits`
    seconds; False when another writer held the lock all that time.

    SQLite's own busy handler backs off: a writer that has waited long sleeps up to 100 ms
    between tries while one that has just arrived tries at once, so with eight clerks
    posting the longest waiters lost every race and some gave up after the timeout with
    the books busy (5 of 8 writers, measured under a load of 8 on an earlier version).
    Here every waiter tries as often as a newcomer, so the lock goes to whoever is ready,
    each as likely as the others. The statements inside the transaction keep the busy
    timeout: in WAL mode a writer holding the lock seldom waits, but a checkpoint may
    make it."""
    deadline = time.monotonic() + waits
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            if time.monotonic() >= deadline:
                return False
            time.sleep(random.uniform(*WRITE_LOCK_POLL_S))
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(waits * 1000)}")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: on SQLite it holds the write lock from its first
    statement (BEGIN IMMEDIATE); commits on success, rolls back on any error."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction whose every statement sees the same committed books (see
    the module's docstring): for `verify`, for the state a clerk keeps in memory, and for a
    report that must agree with the chain head it prints (19 CFR 146.21: a report traceable
    to the records it came from). It never blocks a writer, and is rolled back at the end."""
    with engine.connect() as connection:
        if is_postgresql(engine):
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin() as transaction:
            yield connection
            transaction.rollback()


def is_postgresql(engine: Engine) -> bool:
    """True when the books are on PostgreSQL (row locks, NUMERIC money)."""
    return engine.dialect.name == "postgresql"
