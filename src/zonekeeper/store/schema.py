"""The tables, as SQLAlchemy Core metadata. Every table carries the zone key first.

`events` is the book of record: one row per event, in order, hash-chained (see `chain`).
Everything else is a projection rebuilt from the events and checked against them by
`verify`: `lots` (one row per zone
lot with its balance on hand, 19 CFR 146.23(a)) and `postings` (every movement of a lot,
traceable to the event that caused it, 146.23(a)(2), 146.24), `suspense` (receipts awaiting
documents, 146.22(c)) and `discrepancies` (count shortages/overages, 146.53). `parts` and
`boms` hold the effective-dated master data (every version), which postings read. The
`zones` row holds the head of the chain and the revision of the master data (moved by every
change of parts or BOMs, so books kept in memory know when to read them again); PostgreSQL
locks it to serialize posting per zone. `event_keys` holds each event's natural key
(`zone.keys`) with the position of the event holding it; its primary key is what makes
posting idempotent even for two processes posting the same file at once.

The Alembic migrations in `migrations/versions` create exactly these tables; a test compares
the two. The sizes of the identifier columns are the core's (`zone.limits`), which checks
them before anything is stored, so SQLite and PostgreSQL accept and refuse the same input.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

from zonekeeper.store.types import Exact
from zonekeeper.zone.limits import ID, SITE, ZONE

USER = 64  # a user's name (`zonekeeper users add NAME`)

metadata = MetaData()

zones = Table(
    "zones",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("site", String(SITE), nullable=True),
    Column("method", String(8), nullable=False),
    Column("head_seq", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("master_rev", BigInteger, nullable=False, server_default="0"),
)

events = Table(
    "events",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("date", Date, nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # who posted it (a user of the web application or API; None from the CLI): inside the
    # event's hash when present (`chain.link_hash`), so the record of who did it is as
    # tamper-evident as what was done
    Column("actor", String(USER), nullable=True),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

parts = Table(
    "parts",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("part", String(ID), primary_key=True),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

boms = Table(
    "boms",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("product", String(ID), primary_key=True),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

lots = Table(
    "lots",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("lot", String(ID), primary_key=True),
    Column("admission_no", String(ID), nullable=True),
    Column("line", Integer, nullable=True),
    Column("part", String(ID), nullable=False),
    Column("status", String(4), nullable=False),
    Column("quantity", Exact, nullable=False),
    Column("value", Exact, nullable=False),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

postings = Table(
    "postings",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("lot", String(ID), nullable=False),
    Column("date", Date, nullable=False),
    Column("quantity", Exact, nullable=False),
    Column("value", Exact, nullable=False),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

suspense = Table(
    "suspense",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("ref", String(ID), primary_key=True),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

discrepancies = Table(
    "discrepancies",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("lot", String(ID), nullable=False),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

# The inventory on hand by zone status (`store.totals`): how many lots have a balance and
# their quantity and value on hand, summed exactly, kept in the transaction of every
# posting so the dashboard reads a handful of rows instead of every lot; `verify` compares
# it with the lots. A status with nothing on hand has no row.
zone_totals = Table(
    "zone_totals",
    metadata,
    Column("zone", String(ZONE), primary_key=True),
    Column("status", String(4), primary_key=True),
    Column("lots", BigInteger, nullable=False),
    Column("quantity", Exact, nullable=False),
    Column("value", Exact, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
)

event_keys = Table(
    "event_keys",
    metadata,
    Column("zone", String(32), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    ForeignKeyConstraint(["zone"], ["zones.zone"]),
    sqlite_with_rowid=False,
)

# The people who use the books through the web application and the API (`zonekeeper users`):
# the password as an Argon2 hash, each API token as the SHA-256 of its random text (a token is
# 256 random bits: a fast hash of it cannot be brute-forced, and every request can check it),
# each browser session the same way, and the audit log of what each user did outside the
# books' own events (logins, user administration). None of these are zone books: no zone key.
users = Table(
    "users",
    metadata,
    Column("name", String(USER), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=false()),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(USER), nullable=False),
    Column("prefix", String(12), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("revoked", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(["name"], ["users.name"]),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(USER), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["name"], ["users.name"]),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("name", String(USER), nullable=True),
    Column("action", String(40), nullable=False),
    Column("zone", String(ZONE), nullable=True),
    Column("detail", Text, nullable=False),
)

Index("postings_by_lot", postings.c.zone, postings.c.lot, postings.c.seq)
Index("lots_by_part", lots.c.zone, lots.c.part)
# The events of one kind by date (filings, corrections, a week's shipments): what the
# entries and the alerts read without scanning the whole chain.
Index("events_by_kind", events.c.zone, events.c.kind, events.c.date)
Index("tokens_by_user", api_tokens.c.name)
Index("audit_by_time", audit_log.c.at)
Index("audit_by_user_action", audit_log.c.name, audit_log.c.action, audit_log.c.at)
