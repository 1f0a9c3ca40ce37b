"""The inventory on hand by zone status, kept (`zone_totals`), and the events by kind.

`zone_totals(zone, status, lots, quantity, value)`: how many lots of each zone status have
a balance, and their quantity and value on hand, summed exactly; from this revision on
every posting keeps it in its own transaction (`store.totals`) and the dashboard reads it
instead of summing every lot. Filled here from the `lots` projection as it stands (one
pass over the lots, exact `Decimal` sums); `verify` sums the lots again and compares.

`events_by_kind(zone, kind, date)`: the entries and the alerts read the events of one
kind (filings, corrections, a week's shipments) without scanning the whole chain.

Self-contained: it reads only the `lots` table. No event is changed.

Revision ID: 0006_zone_totals
Revises: 0005_users
"""

from __future__ import annotations

from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Rounded

import sqlalchemy as sa
from alembic import op

from zonekeeper.store.types import Exact

revision = "0006_zone_totals"
down_revision = "0005_users"
branch_labels = None
depends_on = None

# Wide enough for any sum of the books' figures (28 significant digits each); an inexact
# sum raises instead of rounding.
_EXACT = Context(prec=200, Emin=-999_999, Emax=999_999,
                 traps=[Inexact, Rounded, InvalidOperation, Overflow])


def upgrade() -> None:
    op.create_table(
        "zone_totals",
        sa.Column("zone", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(4), primary_key=True),
        sa.Column("lots", sa.BigInteger, nullable=False),
        sa.Column("quantity", Exact, nullable=False),
        sa.Column("value", Exact, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    op.create_index("events_by_kind", "events", ["zone", "kind", "date"])
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    sums: dict[tuple[str, str], list[Decimal]] = {}
    counts: dict[tuple[str, str], int] = {}
    rows = connection.execute(
        sa.text("SELECT zone, status, quantity, value FROM lots").execution_options(
            yield_per=10_000)
    )
    for zone, status, quantity, value in rows:
        q, v = Decimal(str(quantity)), Decimal(str(value))
        if not q:
            continue
        key = (zone, status)
        acc = sums.setdefault(key, [Decimal(0), Decimal(0)])
        acc[0] = _EXACT.add(acc[0], q)
        acc[1] = _EXACT.add(acc[1], v)
        counts[key] = counts.get(key, 0) + 1
    table = sa.table(
        "zone_totals",
        sa.column("zone", sa.String),
        sa.column("status", sa.String),
        sa.column("lots", sa.BigInteger),
        sa.column("quantity", Exact),
        sa.column("value", Exact),
    )
    if sums:
        connection.execute(sa.insert(table), [
            {"zone": z, "status": s, "lots": counts[z, s], "quantity": q, "value": v}
            for (z, s), (q, v) in sorted(sums.items())
        ])


def downgrade() -> None:
    op.drop_index("events_by_kind", "events")
    op.drop_table("zone_totals")
