"""Bring a database's schema up to the shipped Alembic head, programmatically.

`init` and `zonekeeper db upgrade` run it, and nothing else: opening books whose schema is
behind is refused (`refuse_behind`), so a schema change is a step the user takes on purpose
(after a backup), never a side effect of a report. A database *ahead* of this version
(written by a newer Zonekeeper) is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from zonekeeper.errors import InputError, Problem
from zonekeeper.store.engine import write_transaction

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision this version of Zonekeeper ships."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def refuse_behind(engine: Engine) -> None:
    """Refuse books whose schema is not this version's head: never set up (run `init`),
    behind (run `zonekeeper db upgrade`) or unknown (a newer Zonekeeper wrote them)."""
    current = current_revision(engine)
    if current == head_revision():
        return
    if current is None:
        raise InputError(
            Problem(
                "no zone is set up here: run `zonekeeper init --zone NUMBER` first",
                field="--zone",
                code="books.no-zone",
            )
        )
    _refuse_unknown(current)
    raise InputError(
        Problem(
            f"the books are at schema revision {current}, behind this Zonekeeper's "
            f"{head_revision()}: back them up, then run `zonekeeper db upgrade`",
            code="books.schema-behind",
        )
    )


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate the database to the head revision if it is behind (the revision it was at,
    and the one it is at now); refuse if it is unknown.

    Several processes may upgrade the same books at once (API workers restarting
    together, inits racing): the first migrates, the others wait for it and find nothing left
    to do. The revision is read again once the migration lock is held (SQLite's write lock;
    on PostgreSQL an advisory lock taken before the transaction begins, so even a
    REPEATABLE READ snapshot is taken after the first migration committed)."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return current, head
    _refuse_unknown(current)  # before waiting for any lock: it stays unknown
    config = _config()
    with _migration_lock(engine), write_transaction(engine) as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return current, head
        _refuse_unknown(current)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return current, head


def _refuse_unknown(revision: str | None) -> None:
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise InputError(
            Problem(
                f"the database is at schema revision {revision}, which this Zonekeeper does "
                "not know (written by a newer version?)",
                code="books.schema-unknown",
            )
        )


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, a session advisory lock held on a connection of its own while the
    migration runs; SQLite's `BEGIN IMMEDIATE` already serializes writers."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        holder.commit()
        try:
            yield
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            holder.commit()


# The advisory lock key of schema migrations (any fixed 64-bit number: "zonekeep" in ASCII).
_LOCK_KEY = int.from_bytes(b"zonekeep", "big") & 0x7FFF_FFFF_FFFF_FFFF
