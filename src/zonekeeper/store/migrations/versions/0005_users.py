"""Users of the web application and the API, and who posted each event.

`events.actor` names the user who posted an event through the web application or the API
(None for the CLI and for every event already in the books: no stored event is changed or
re-hashed; `chain.link_hash` hashes the actor in only when there is one). `users`,
`api_tokens`, `web_sessions` and `audit_log` are new and empty.

Revision ID: 0005_users
Revises: 0004_event_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0004_event_keys"
branch_labels = None
depends_on = None

_USER = 64


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("actor", sa.String(_USER), nullable=True))
    op.create_table(
        "users",
        sa.Column("name", sa.String(_USER), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(_USER), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["name"], ["users.name"]),
    )
    op.create_index("tokens_by_user", "api_tokens", ["name"])
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(_USER), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["name"], ["users.name"]),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(_USER), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("zone", sa.String(32), nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("audit_by_time", "audit_log", ["at"])
    op.create_index("audit_by_user_action", "audit_log", ["name", "action", "at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("web_sessions")
    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("actor")
