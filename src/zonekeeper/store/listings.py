"""Paged and aggregated reads of the projections for the web pages (dashboard, lots, parts,
the events each user posted).

A page of a million-event zone must not read the zone: these queries group, sort and page
in the database (GROUP BY, ORDER BY, LIMIT/OFFSET) over the `lots` and `events` tables and
return only what one page shows. Sums of money are exact on both databases: PostgreSQL sums
NUMERIC; SQLite, which keeps decimals as text (`types.Exact`), sums them with an aggregate
of `Decimal`s registered on the connection (`exact_sum`), never through float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, Float, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from zonekeeper.store import totals
from zonekeeper.store.schema import events, lots

SORTS = ("lot", "part", "status", "admission", "quantity", "value")


class StatusTotal(NamedTuple):
    status: str
    lots: int
    value: Decimal


class LotRow(NamedTuple):
    lot: str
    admission_no: str | None
    line: int | None
    part: str
    status: str
    quantity: Decimal
    value: Decimal


class PartTotal(NamedTuple):
    part: str
    status: str
    lots: int
    quantity: Decimal
    value: Decimal


class ActorEvent(NamedTuple):
    zone: str
    seq: int
    kind: str
    date: dt.date
    actor: str


class _ExactSum:
    """SQLite aggregate: the exact sum of decimal texts (as `Decimal`, returned as text)."""

    def __init__(self) -> None:
        self.total = Decimal(0)

    def step(self, value: Any) -> None:
        if value is not None:
            self.total += Decimal(str(value))

    def finalize(self) -> str:
        return str(self.total)


def _exact_sum(connection: Connection, column: Any) -> ColumnElement[Any]:
    """SUM(column) exactly: NUMERIC on PostgreSQL, `exact_sum` on SQLite."""
    if connection.dialect.name == "postgresql":
        return func.sum(column)
    pooled = connection.connection  # registered once per database connection of the pool
    if not pooled.info.get("exact_sum"):
        pooled.driver_connection.create_aggregate("exact_sum", 1, _ExactSum)  # type: ignore[union-attr]
        pooled.info["exact_sum"] = True
    return func.exact_sum(column)


def _on_hand() -> ColumnElement[bool]:
    # a zero test only: the float of a decimal text is 0 exactly when the decimal is
    return cast(lots.c.quantity, Float) != 0


def value_by_status(connection: Connection, zone: str) -> list[StatusTotal]:
    """The lots on hand and their value on hand, by zone status: the totals every posting
    keeps (`store.totals`), a row per status, not a sum over every lot."""
    return [StatusTotal(status, total.lots, total.value)
            for status, total in sorted(totals.read(connection, zone).items())
            if total.lots]


def _lot_filters(zone: str, part: str | None, status: str | None,
                 on_hand: bool) -> list[ColumnElement[bool]]:
    where = [lots.c.zone == zone]
    if part:
        where.append(lots.c.part == part)
    if status:
        where.append(lots.c.status == status)
    if on_hand:
        where.append(_on_hand())
    return where


def lot_page(
    connection: Connection, zone: str, *, sort: str = "lot", descending: bool = False,
    limit: int = 50, offset: int = 0, part: str | None = None, status: str | None = None,
    on_hand: bool = True,
) -> tuple[list[LotRow], int]:
    """One page of the zone's lots sorted by `sort` (one of `SORTS`), and how many match."""
    where = _lot_filters(zone, part, status, on_hand)
    total = connection.execute(select(func.count()).select_from(lots).where(*where))
    keys: dict[str, Any] = {
        "lot": lots.c.lot,
        "part": lots.c.part,
        "status": lots.c.status,
        "admission": lots.c.admission_no,
        "quantity": cast(lots.c.quantity, Float),
        "value": cast(lots.c.value, Float),
    }
    key = keys[sort]
    order = [key.desc() if descending else key.asc(), lots.c.lot.asc()]
    query = (
        select(lots.c.lot, lots.c.admission_no, lots.c.line, lots.c.part, lots.c.status,
               lots.c.quantity, lots.c.value)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return [LotRow(*row) for row in connection.execute(query)], int(total.scalar_one())


def part_totals(
    connection: Connection, zone: str, *, limit: int = 50, offset: int = 0,
    part: str | None = None,
) -> tuple[list[PartTotal], int]:
    """One page of the sums on hand by part and zone status, and how many groups there are."""
    where = _lot_filters(zone, part, None, True)
    groups = select(lots.c.part, lots.c.status).where(*where).group_by(
        lots.c.part, lots.c.status).subquery()
    total = connection.execute(select(func.count()).select_from(groups))
    query = (
        select(lots.c.part, lots.c.status, func.count(),
               _exact_sum(connection, lots.c.quantity), _exact_sum(connection, lots.c.value))
        .where(*where)
        .group_by(lots.c.part, lots.c.status)
        .order_by(lots.c.part, lots.c.status)
        .limit(limit)
        .offset(offset)
    )
    rows = [PartTotal(p, s, int(n), Decimal(str(q)), Decimal(str(v)))
            for p, s, n, q, v in connection.execute(query)]
    return rows, int(total.scalar_one())


def event_actors(connection: Connection, zone: str, seqs: list[int]) -> dict[int, str | None]:
    """The user who posted each of the events at `seqs` (None: posted by no named user)."""
    query = select(events.c.seq, events.c.actor).where(
        events.c.zone == zone, events.c.seq.in_(seqs))
    return {int(seq): actor for seq, actor in connection.execute(query)}


def actor_events(
    connection: Connection, *, limit: int, offset: int, actor: str | None = None
) -> tuple[list[ActorEvent], int]:
    """One page of the events a named user posted (newest first, every zone), and how many."""
    where: list[ColumnElement[bool]] = [events.c.actor.is_not(None)]
    if actor:
        where.append(events.c.actor == actor)
    total = connection.execute(select(func.count()).select_from(events).where(*where))
    query = (
        select(events.c.zone, events.c.seq, events.c.kind, events.c.date, events.c.actor)
        .where(*where)
        .order_by(events.c.seq.desc(), events.c.zone)
        .limit(limit)
        .offset(offset)
    )
    return [ActorEvent(*row) for row in connection.execute(query)], int(total.scalar_one())
