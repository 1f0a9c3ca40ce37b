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
from sqlalchemy import Engine

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
    """Migrate the database to the head revision if it is behind; refuse if it is unknown."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise InputError(
            f"the database is at schema revision {current}, which this Zonekeeper does not "
            "know (written by a newer version?)"
        )
    config = _config()
    with write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
