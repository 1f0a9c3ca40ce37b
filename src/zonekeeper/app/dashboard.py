"""What the web pages read of a zone's books: inventory value by zone status, a page of
lots or of the sums by part, one lot's movements with who posted each, the zones there are,
and the events each user posted.

Each read is one snapshot of the projections (the `lots` and `events` tables) grouped, sorted
and paged in the database: a page of a million-event zone reads what it shows, never the
events (19 CFR 146.23(a): the inventory control and recordkeeping system must be able to
show each lot's balance and movements on request).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from zonekeeper.app.books import Ledger
from zonekeeper.app.users import Directory
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.money import in_money_context
from zonekeeper.store import listings
from zonekeeper.store.engine import read_snapshot
from zonekeeper.store.listings import ActorEvent, LotRow, PartTotal, StatusTotal
from zonekeeper.store.zones import all_zones
from zonekeeper.zone.ledger import Lot, Posting

Row = TypeVar("Row")

__all__ = [
    "ActorEvent", "Inventory", "LotMovement", "LotPage", "LotRow", "PartPage", "PartTotal",
    "StatusTotal", "inventory", "lot_detail", "lot_page", "part_page", "posted_by", "zones",
]

SORTS = listings.SORTS
PAGE = 50
MAX_PAGE = 500


@dataclass(frozen=True)
class Inventory:
    """The value on hand by zone status at one chain head."""

    statuses: list[StatusTotal]
    head: ChainHead

    @property
    @in_money_context
    def value(self) -> Decimal:
        return sum((s.value for s in self.statuses), Decimal(0))

    @property
    def lots(self) -> int:
        return sum(s.lots for s in self.statuses)


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of rows sorted and cut on the server, and how many rows there are in all."""

    rows: list[Row]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


LotPage = Page[LotRow]
PartPage = Page[PartTotal]


@dataclass(frozen=True)
class LotMovement:
    """A posting of a lot with the user who posted its event."""

    posting: Posting
    actor: str | None


# The last page number asked for: its rows' offset must fit the databases' 64-bit integer
# (a larger one is not an empty page but an error of the driver); far past any real end.
LAST_PAGE = 10**9


def _paging(page: int, size: int) -> tuple[int, int]:
    problems = []
    if not 1 <= page <= LAST_PAGE:
        problems.append(Problem(f"page is 1 to {LAST_PAGE}, not {page}", field="page",
                                code="page.range"))
    if not 1 <= size <= MAX_PAGE:
        problems.append(Problem(f"size is 1 to {MAX_PAGE}, not {size}", field="size",
                                code="page.range"))
    if problems:
        raise InputError(problems)
    return size, (page - 1) * size


def _sort(sort: str) -> tuple[str, bool]:
    """`-value`: by value, descending."""
    key, descending = (sort[1:], True) if sort.startswith("-") else (sort, False)
    if key not in SORTS:
        raise InputError(Problem(f"sort is one of {', '.join(SORTS)} (- before it: "
                                 f"descending), not {sort!r}", field="sort",
                                 code="page.sort"))
    return key, descending


def zones(directory: Directory) -> list[str]:
    """Every zone in the books' database (the directory's: the same database)."""
    with read_snapshot(directory.engine) as connection:
        return all_zones(connection)


# The last inventory read of each zone's books, by their location: the books at one chain
# head never change, so while the head is the same the sums are (reading them is a few rows
# of `zone_totals`, kept by every posting; reading the head, one).
_inventories: dict[tuple[str, str], Inventory] = {}
_inventories_guard = threading.Lock()


def inventory(ledger: Ledger) -> Inventory:
    """The lots on hand and their value on hand (146.65(b)) by zone status (146.41-146.44),
    as every posting keeps them (`store.totals`), read again only when the chain head has
    moved since the last read."""
    key = (ledger.location, ledger.zone)
    with ledger.snapshot() as books:
        with _inventories_guard:
            known = _inventories.get(key)
        if known is not None and known.head == books.head:
            return known
        found = Inventory(listings.value_by_status(books.connection, ledger.zone), books.head)
    with _inventories_guard:
        _inventories[key] = found
    return found


def lot_page(
    ledger: Ledger, *, page: int = 1, size: int = PAGE, sort: str = "lot",
    part: str | None = None, status: str | None = None, on_hand: bool = True,
) -> LotPage:
    """One page of the zone's lots (on hand only, unless `on_hand` is False)."""
    limit, offset = _paging(page, size)
    key, descending = _sort(sort)
    with ledger.snapshot() as books:
        rows, total = listings.lot_page(
            books.connection, ledger.zone, sort=key, descending=descending, limit=limit,
            offset=offset, part=part or None, status=status or None, on_hand=on_hand)
    return LotPage(rows, total, page, size)


def part_page(ledger: Ledger, *, page: int = 1, size: int = PAGE,
              part: str | None = None) -> PartPage:
    """One page of the quantities and values on hand by part and zone status."""
    limit, offset = _paging(page, size)
    with ledger.snapshot() as books:
        rows, total = listings.part_totals(books.connection, ledger.zone, limit=limit,
                                           offset=offset, part=part or None)
    return PartPage(rows, total, page, size)


@in_money_context
def lot_detail(ledger: Ledger, lot: str) -> tuple[Lot, list[LotMovement]]:
    """A lot and every movement of it (146.23(a)(2)), each with its event's seq, kind, date,
    the CBP form behind it and the user who posted it."""
    with ledger.snapshot() as books:
        found, postings = books.history(lot)
        actors = listings.event_actors(books.connection, ledger.zone,
                                       sorted({p.seq for p in postings}))
    return found, [LotMovement(p, actors.get(p.seq)) for p in postings]


def posted_by(directory: Directory, *, page: int = 1, size: int = PAGE,
              actor: str | None = None) -> tuple[list[ActorEvent], int]:
    """One page of the events named users posted (newest first), and how many there are."""
    limit, offset = _paging(page, size)
    with read_snapshot(directory.engine) as connection:
        return listings.actor_events(connection, limit=limit, offset=offset, actor=actor)
