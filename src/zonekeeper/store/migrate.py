"""Bring a database's schema up to the shipped Alembic head, programmatically.

`init` runs it; every open runs it too when the database is behind, so a user who upgrades
Zonekeeper never has to run Alembic by hand. A database *ahead* of this version (written by
a newer Zonekeeper) is refused rather than guessed at.
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

from zonekeeper.errors import InputError
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


def upgrade(engine: Engine) -> None:
    """Migrate the database to the head revision if it is behind; refuse if it is unknown.

    Several processes may open the same books at once after an upgrade (API workers
    restarting together): the first migrates, the others wait for it and find nothing left
    to do. The revision is read again once the migration lock is held (SQLite's write lock;
    on PostgreSQL an advisory lock taken before the transaction begins, so even a
    REPEATABLE READ snapshot is taken after the first migration committed)."""
    current = current_revision(engine)
    if current == head_revision():
        return
    _refuse_unknown(current)  # before waiting for any lock: it stays unknown
    config = _config()
    with _migration_lock(engine), write_transaction(engine) as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head_revision():
            return
        _refuse_unknown(current)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _refuse_unknown(revision: str | None) -> None:
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise InputError(
            f"the database is at schema revision {revision}, which this Zonekeeper does not "
            "know (written by a newer version?)"
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
