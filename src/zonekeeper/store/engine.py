"""Open a database by URL: SQLite as the embedded default, PostgreSQL for production.

SQLite runs in WAL mode with `synchronous=FULL`: a committed batch survives a power cut,
not only a crash of the process (19 CFR 146.21(a) wants records that are kept, not merely
written). A batch is one transaction, so FULL costs one extra fsync per batch, not per event.
Every SQLite write transaction (`write_transaction`) starts with `BEGIN IMMEDIATE`, which
takes the file's write lock up front: two clerks posting at once queue behind each other
instead of failing half-way. Reads begin a deferred transaction and, in WAL mode, never wait
for a writer.

A reader that must see the books as of one moment across many statements (`verify`, loading
or catching up the state a clerk keeps in memory) takes `read_snapshot`: on PostgreSQL a
REPEATABLE READ READ ONLY transaction (the default READ COMMITTED gives each statement a
snapshot of its own, so a batch committed between two reads would be half-seen); on SQLite
the deferred read transaction, whose WAL snapshot holds from its first read to its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection as Connection  # re-exported: the services' handle types
from sqlalchemy import Engine as Engine
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from zonekeeper.errors import InputError, Problem

SQLITE_BUSY_TIMEOUT_MS = 60_000
WRITE_OPTION = "zonekeeper_write"
# Page cache per connection (KiB). The default 2 MB makes every index update of a large book
# a disk read; 256 MB keeps the lots and postings indexes of a few million rows in memory.
SQLITE_CACHE_KIB = 262_144


def open_engine(url: str) -> Engine:
    """An engine for `url` (`sqlite:///file.db` or `postgresql+psycopg://...`)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(Problem(f"not a database URL: {url!r}", field="--database-url")) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise InputError(
        Problem(
            f"unsupported database {backend!r}: use a SQLite file or postgresql+psycopg://",
            field="--database-url",
        )
    )


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for another database or `:memory:`)."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:":
        return path
    return None


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not open transactions by itself; we BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


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
    the module's docstring); it never blocks a writer, and is rolled back at the end."""
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
