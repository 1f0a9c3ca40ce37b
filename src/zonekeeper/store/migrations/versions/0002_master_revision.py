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
    with op.batch_alter_table("zones") as table:
        table.add_column(
            sa.Column("master_rev", sa.BigInteger, nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("zones") as table:
        table.drop_column("master_rev")
