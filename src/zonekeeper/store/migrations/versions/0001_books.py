"""The zone's books: zones, hash-chained events, and their projections.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zonekeeper.store.types import Exact

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _zone_key() -> list[sa.Column[str]]:
    return [sa.Column("zone", sa.String(32), primary_key=True)]


def upgrade() -> None:
    op.create_table(
        "zones",
        *_zone_key(),
        sa.Column("site", sa.String(200), nullable=True),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("head_seq", sa.BigInteger, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "events",
        *_zone_key(),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    for name in ("parts", "boms"):
        key = "part" if name == "parts" else "product"
        op.create_table(
            name,
            *_zone_key(),
            sa.Column(key, sa.String(100), primary_key=True),
            sa.Column("data", sa.Text, nullable=False),
            sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
        )
    op.create_table(
        "lots",
        *_zone_key(),
        sa.Column("lot", sa.String(100), primary_key=True),
        sa.Column("admission_no", sa.String(100), nullable=True),
        sa.Column("line", sa.Integer, nullable=True),
        sa.Column("part", sa.String(100), nullable=False),
        sa.Column("status", sa.String(4), nullable=False),
        sa.Column("quantity", Exact, nullable=False),
        sa.Column("value", Exact, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    op.create_table(
        "postings",
        *_zone_key(),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("lot", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("quantity", Exact, nullable=False),
        sa.Column("value", Exact, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    op.create_table(
        "suspense",
        *_zone_key(),
        sa.Column("ref", sa.String(100), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    op.create_table(
        "discrepancies",
        *_zone_key(),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("lot", sa.String(100), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["zone"], ["zones.zone"]),
    )
    op.create_index("postings_by_lot", "postings", ["zone", "lot", "seq"])
    op.create_index("lots_by_part", "lots", ["zone", "part"])


def downgrade() -> None:
    op.drop_index("lots_by_part", "lots")
    op.drop_index("postings_by_lot", "postings")
    for name in (
        "discrepancies",
        "suspense",
        "postings",
        "lots",
        "boms",
        "parts",
        "events",
        "zones",
    ):
        op.drop_table(name)
