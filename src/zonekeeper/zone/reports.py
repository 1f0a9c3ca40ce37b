"""Reports over the zone's books: pure functions of postings (and lots).

- `balances`: quantity and value on hand by lot, part and status as of any date
  (146.23(b)(4): balance on hand by date and quantity).
- `lot_history`: every posting touching a lot, with its CBP form reference (146.23, 146.24).
- `annual_reconciliation`: per lot and status, 146.25(b).
- `board_report`: the FTZ Board annual report figures, 15 CFR 400.51(c).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.zone.ledger import Lot, Posting
from zonekeeper.zone.status import ZoneStatus

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """Quantity and value on hand of one lot in one status on a date."""

    lot: str
    part: str
    status: ZoneStatus
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True)
class ReconciliationLine:
    """One line of the annual reconciliation report, 146.25(b): per lot and status."""

    lot: str
    part: str
    description: str
    status: ZoneStatus
    opening: Decimal
    receipts: Decimal
    transfers_out: Decimal
    adjustments_plus: Decimal
    adjustments_minus: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class BoardReport:
    """FTZ Board annual report figures, 15 CFR 400.51(c), at input value (USD).

    Received: merchandise admitted, by domestic vs foreign status. Forwarded: shipped to
    the US market (consumption) vs exported (export and zone transfer... see `board_report`).
    """

    year: int
    received_foreign: Decimal
    received_domestic: Decimal
    forwarded_us_market: Decimal
    forwarded_export: Decimal
    destroyed: Decimal
    produced: Decimal


def balances(postings: Iterable[Posting], on: dt.date | None = None) -> list[BalanceLine]:
    """Balance by lot and status as of the end of `on` (all postings if None)."""
    raise NotImplementedError


def balances_by_part(postings: Iterable[Posting], on: dt.date | None = None) -> list[BalanceLine]:
    """Balance by part and status as of `on` (`lot` is empty)."""
    raise NotImplementedError


def lot_history(postings: Iterable[Posting], lot: str) -> list[Posting]:
    """Every posting touching `lot`, in ledger order."""
    raise NotImplementedError


def annual_reconciliation(
    postings: Iterable[Posting],
    lots: Mapping[str, Lot],
    start: dt.date,
    end: dt.date,
) -> list[ReconciliationLine]:
    """146.25(b) per lot and status for the zone year `start`..`end` (inclusive)."""
    raise NotImplementedError


def board_report(postings: Iterable[Posting], year: int) -> BoardReport:
    """15 CFR 400.51(c) figures for calendar `year`."""
    raise NotImplementedError
