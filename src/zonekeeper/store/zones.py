"""The `zones` rows: a zone's settings and the head of its event chain.

Posting locks the zone row for the length of its transaction (`SELECT ... FOR UPDATE` on
PostgreSQL; on SQLite `BEGIN IMMEDIATE` already holds the whole file), so two clerks posting
withdrawals at once are serialized per zone: the second sees the first's events and lots
before it allocates, and can neither over-draw a lot nor fork the chain.

A zone's books are current as long as its `Version` is: the chain head, which every posted
batch moves, and the master-data revision, which every change of parts or bills of materials
moves (`bump_master`). Books kept in memory are keyed by it, and a batch made on them is
committed only while it still holds (`store.writes.commit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from zonekeeper.errors import InputError, Problem
from zonekeeper.store.chain import GENESIS
from zonekeeper.store.schema import zones


class Version(NamedTuple):
    """What books read at one moment must still match to be the zone's books now: the
    chain head (seq, hash) and the revision of the master data."""

    seq: int
    hash: str
    master: int


@dataclass(frozen=True)
class ZoneRow:
    """A zone's settings, chain head (`head_seq` 0 and GENESIS when it has no events) and
    master-data revision."""

    zone: str
    site: str | None
    method: str
    head_seq: int
    head_hash: str
    master_rev: int

    @property
    def version(self) -> Version:
        return Version(self.head_seq, self.head_hash, self.master_rev)


def create_zone(connection: Connection, zone: str, site: str | None, method: str) -> ZoneRow:
    """Open the books of a zone, or find them open; an existing zone with other settings is
    refused.

    Idempotent when inits race (API workers or deploy scripts started together): the row is
    inserted with ON CONFLICT DO NOTHING, then read. Whichever init commits first decides the
    settings; a racing one with the same settings gets that zone, one naming another method
    or site is refused (`InputError`, exit 2), as it would be had it come after. (On
    PostgreSQL a racing INSERT waits for the first one's commit, then does nothing; on
    SQLite `BEGIN IMMEDIATE` already makes them take turns.)"""
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(zones)
        .values(zone=zone, site=site, method=method, head_seq=0, head_hash=GENESIS, master_rev=0)
        .on_conflict_do_nothing(index_elements=[zones.c.zone])
    )
    existing = find_zone(connection, zone)
    assert existing is not None  # inserted, or committed by the init that won the race
    if existing.method != method or (site is not None and existing.site != site):
        raise InputError(
            Problem(
                f"zone {zone} is already set up (site {existing.site!r}, method "
                f"{existing.method}); its inventory method cannot change "
                "(19 CFR 146.23(b): applied consistently)",
                field="--zone",
                code="init.method-changed",
            )
        )
    return existing


def find_zone(connection: Connection, zone: str, *, lock: bool = False) -> ZoneRow | None:
    """The zone row, locked for update when `lock` (serializes posting per zone)."""
    query = select(zones).where(zones.c.zone == zone)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    names = ("zone", "site", "method", "head_seq", "head_hash", "master_rev")
    return ZoneRow(*(row[name] for name in names))


def all_zones(connection: Connection) -> list[str]:
    return list(connection.execute(select(zones.c.zone).order_by(zones.c.zone)).scalars())


# PostgreSQL: the channel on which every move of a zone's chain head is announced (payload:
# the zone), at the commit of the transaction that moved it; clerks queued for the zone's lock
# listen on it to catch up while they wait (`store.queued`).
HEAD_CHANNEL = "zonekeeper_head"


def move_head(connection: Connection, zone: str, head_seq: int, head_hash: str) -> None:
    """Move the zone's chain head (the caller holds the zone's lock); on PostgreSQL also
    announce it on `HEAD_CHANNEL`, delivered only if the transaction commits."""
    connection.execute(
        update(zones).where(zones.c.zone == zone).values(head_seq=head_seq, head_hash=head_hash)
    )
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(HEAD_CHANNEL, zone)))


def bump_master(connection: Connection, zone: str) -> None:
    """Move the master-data revision on: the zone's parts or BOMs changed (the caller holds
    the zone's lock)."""
    connection.execute(
        update(zones).where(zones.c.zone == zone).values(master_rev=zones.c.master_rev + 1)
    )
