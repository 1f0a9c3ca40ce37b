"""Bring a database's schema up to the shipped Alembic head, programmatically.

`init` runs it; every open runs it too when the database is behind, so a user who upgrades
Zonekeeper never has to run Alembic by hand. A database *ahead* of this version (written by
a newer Zonekeeper) is refused rather than guessed at.
"""

from __future__ import annotations

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
    to do. The revision is read again under a lock that serializes migrations (SQLite's
    write lock; a transaction-scoped advisory lock on PostgreSQL, where DDL alone would let
    the second process fail on a column the first just added)."""
    if current_revision(engine) == head_revision():
        return
    config = _config()
    with write_transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head_revision():
            return
        known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise InputError(
                f"the database is at schema revision {current}, which this Zonekeeper does "
                "not know (written by a newer version?)"
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# The advisory lock key of schema migrations (any fixed 64-bit number: "zonekeep" in ASCII).
_LOCK_KEY = int.from_bytes(b"zonekeep", "big") & 0x7FFF_FFFF_FFFF_FFFF
