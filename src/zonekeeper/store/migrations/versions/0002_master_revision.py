"""The zone's master-data revision: a counter `load_master` moves with every change of the
zone's parts or bills of materials, so a Ledger that keeps the books in memory (an API
server, a long `post_many` run) sees that another process changed them and reads them again.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "zones", sa.Column("master_rev", sa.BigInteger, nullable=False, server_default="0")
    )


def downgrade() -> None:
    # A plain ALTER TABLE (SQLite 3.35 and later): rebuilding the table, as a batch
    # operation would, drops it first, which the events' foreign key refuses.
    op.drop_column("zones", "master_rev")
