"""The `zones` rows: a zone's settings and the head of its event chain.

Posting locks the zone row for the length of its transaction (`SELECT ... FOR UPDATE` on
PostgreSQL; on SQLite `BEGIN IMMEDIATE` already holds the whole file), so two clerks posting
withdrawals at once are serialized per zone: the second sees the first's events and lots
before it allocates, and can neither over-draw a lot nor fork the chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from zonekeeper.errors import InputError, Problem
from zonekeeper.store.chain import GENESIS
from zonekeeper.store.schema import zones


@dataclass(frozen=True)
class ZoneRow:
    """A zone's settings and chain head (`head_seq` 0 and GENESIS when it has no events)."""

    zone: str
    site: str | None
    method: str
    head_seq: int
    head_hash: str


def create_zone(connection: Connection, zone: str, site: str | None, method: str) -> ZoneRow:
    """Open the books of a zone; an existing zone with other settings is refused."""
    existing = find_zone(connection, zone)
    if existing is not None:
        if existing.method != method or (site is not None and existing.site != site):
            raise InputError(
                Problem(
                    f"zone {zone} is already set up (site {existing.site!r}, method "
                    f"{existing.method}); its inventory method cannot change "
                    "(19 CFR 146.23(b): applied consistently)",
                    field="--zone",
                )
            )
        return existing
    connection.execute(
        insert(zones).values(zone=zone, site=site, method=method, head_seq=0, head_hash=GENESIS)
    )
    return ZoneRow(zone, site, method, 0, GENESIS)


def find_zone(connection: Connection, zone: str, *, lock: bool = False) -> ZoneRow | None:
    """The zone row, locked for update when `lock` (serializes posting per zone)."""
    query = select(zones).where(zones.c.zone == zone)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    return ZoneRow(row["zone"], row["site"], row["method"], row["head_seq"], row["head_hash"])


def all_zones(connection: Connection) -> list[str]:
    return list(connection.execute(select(zones.c.zone).order_by(zones.c.zone)).scalars())


def move_head(connection: Connection, zone: str, head_seq: int, head_hash: str) -> None:
    connection.execute(
        update(zones).where(zones.c.zone == zone).values(head_seq=head_seq, head_hash=head_hash)
    )
