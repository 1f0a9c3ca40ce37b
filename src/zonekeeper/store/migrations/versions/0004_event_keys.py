"""Natural keys of the events: `event_keys(zone, key, seq)`, so that the same document is
never posted twice (19 CFR 146.21(a): the books record what happened, once), filled from the
events already in the books.

The keys are rebuilt from the stored events with the rules of `zone.keys` (the first event
with a key holds it; a correction frees the key of the event it reverses). Books that
already hold a document twice (a file posted twice before keys were kept) keep the first
as the key's holder; the later one stays in the chain as it is, unkeyed: no event is
changed, removed or re-hashed. `verify` rebuilds the keys the same way and compares.

Self-contained: it reads only the `events` table.

Revision ID: 0004_event_keys
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004_event_keys"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 5_000


def upgrade() -> None:
    op.create_table(
        "event_keys",
        sa.Column("zone", sa.String(32), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
        sqlite_with_rowid=False,
    )
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    from zonekeeper.zone.events import from_record
    from zonekeeper.zone.keys import held_keys

    zones = [z for (z,) in connection.execute(sa.text("SELECT zone FROM zones ORDER BY zone"))]
    insert = sa.text("INSERT INTO event_keys (zone, key, seq) VALUES (:zone, :key, :seq)")
    for zone in zones:
        stored = connection.execute(
            sa.text("SELECT seq, kind, payload FROM events WHERE zone = :zone ORDER BY seq"),
            {"zone": zone},
        )
        events = ((seq, from_record(kind, json.loads(payload))) for seq, kind, payload in stored)
        held = list(held_keys(events).items())
        for start in range(0, len(held), _CHUNK):
            connection.execute(
                insert,
                [{"zone": zone, "key": k, "seq": s} for k, s in held[start : start + _CHUNK]],
            )


def downgrade() -> None:
    op.drop_table("event_keys")
