"""Master data in the chain: anchor each zone's part and BOM versions and its settings.

From this revision on, `init` records a zone's site and inventory method and every
`load_master` the versions it adds as `master` events in the zone's hash chain, and `verify`
rebuilds the master data from them and compares it with the `parts` and `boms` tables
(146.21(a): records that can be relied upon). Books written before held master data that
no event records. This migration appends to each such zone's chain one anchor event (a
`MasterChange` with `anchor` set) holding its master data and settings as they stand, so
that every later change is seen. What was loaded before the anchor is trusted as of the
anchor: the chain cannot say whether a version was changed before it was written.

A zone whose chain already holds a master event (books taken down to an older revision and
up again) gets none. The schema does not change. Going down leaves the events in place:
they are the books of record and are never deleted.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from zonekeeper.store import codec
from zonekeeper.store.chain import link_hash
from zonekeeper.zone.events import MasterChange, canonical_bytes
from zonekeeper.zone.master import Bom, MasterData, Part

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The columns this revision reads and writes, as they are at this revision.
_zones = sa.table(
    "zones",
    sa.column("zone", sa.String),
    sa.column("site", sa.String),
    sa.column("method", sa.String),
    sa.column("head_seq", sa.BigInteger),
    sa.column("head_hash", sa.String),
)
_events = sa.table(
    "events",
    sa.column("zone", sa.String),
    sa.column("seq", sa.BigInteger),
    sa.column("kind", sa.String),
    sa.column("date", sa.Date),
    sa.column("payload", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
_parts = sa.table("parts", sa.column("zone", sa.String), sa.column("data", sa.Text))
_boms = sa.table("boms", sa.column("zone", sa.String), sa.column("data", sa.Text))


def upgrade() -> None:
    connection = op.get_bind()
    today = dt.datetime.now(dt.UTC).date()
    for zone, site, method, head_seq, head_hash in connection.execute(
        sa.select(_zones.c.zone, _zones.c.site, _zones.c.method, _zones.c.head_seq,
                  _zones.c.head_hash).order_by(_zones.c.zone)
    ).all():
        chained = connection.execute(
            sa.select(_events.c.seq)
            .where(_events.c.zone == zone, _events.c.kind == MasterChange.kind)
            .limit(1)
        ).first()
        if chained is not None:
            continue
        master = _master(connection, zone)
        anchor = MasterChange(
            today,
            method,
            site,
            tuple(p for versions in master.parts.values() for p in versions),
            tuple(b for versions in master.boms.values() for b in versions),
            anchor=True,
        )
        canonical = canonical_bytes(anchor)
        seq = head_seq + 1
        digest = link_hash(head_hash, zone, seq, canonical)
        connection.execute(
            sa.insert(_events).values(
                zone=zone, seq=seq, kind=anchor.kind, date=today,
                payload=canonical.decode("utf-8"), prev_hash=head_hash, hash=digest,
            )
        )
        connection.execute(
            sa.update(_zones).where(_zones.c.zone == zone).values(head_seq=seq, head_hash=digest)
        )


def _master(connection: sa.Connection, zone: str) -> MasterData:
    """The zone's stored part and BOM versions, in part and product order."""
    parts: list[Part] = []
    for (data,) in connection.execute(
        sa.select(_parts.c.data).where(_parts.c.zone == zone).order_by(sa.text("part"))
    ):
        parts.extend(codec.build(tuple[Part, ...], json.loads(data)))
    boms: list[Bom] = []
    for (data,) in connection.execute(
        sa.select(_boms.c.data).where(_boms.c.zone == zone).order_by(sa.text("product"))
    ):
        boms.extend(codec.build(tuple[Bom, ...], json.loads(data)))
    return MasterData.build(parts, boms)


def downgrade() -> None:
    """Nothing to undo in the schema; the master events stay (see above)."""
