"""Checks the posting handlers share (posting.py, counts.py, production.py): each reports a
problem on the book and says whether the event may go on; none changes the books."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zonekeeper.zone.book import Book, LotRecord
from zonekeeper.zone.ledger import Lot

ZERO = Decimal(0)


def positive(
    book: Book, row: int, value: Decimal, field: str, *, code: str = "post.not-positive"
) -> bool:
    """A finite number above zero; else a problem of `code` (each event kind keeps its own
    code for scripts: a production's is `production.quantity`)."""
    if not value.is_finite() or value <= ZERO:
        book.problem(row, f"{field} must be a positive number, not {value}", field, code=code)
        return False
    return True


def not_negative(book: Book, row: int, value: Decimal, field: str) -> bool:
    if not value.is_finite() or value < ZERO:
        book.problem(row, f"{field} must not be negative: {value}", field, code="post.negative")
        return False
    return True


def existing_lot(book: Book, row: int, lot_id: str, on: dt.date) -> LotRecord | Lot | None:
    lot = book.lot(lot_id)
    if lot is None:
        book.problem(row, f"no lot {lot_id!r} in the zone", "lot", code="post.no-lot")
        return None
    if on < lot.date:
        reason = f"dated {on}, before lot {lot_id} came into the zone ({lot.date})"
        book.problem(row, reason, "date", code="post.before-lot")
        return None
    return lot


def free_lot_id(
    book: Book, row: int, lot_id: str, field: str, *, code: str = "post.lot-exists"
) -> bool:
    """A lot number the zone has not used yet; else a problem of `code`."""
    if book.lot(lot_id) is not None:
        book.problem(
            row,
            f"lot {lot_id!r} already exists (zone lot numbers are unique)",
            field,
            code=code,
        )
        return False
    return True
