"""Records the books keep besides lot balances: count discrepancies and suspense items.

A physical count that differs from the books is a shortage or an overage, recorded
whether or not it must be reported (146.53(a)); merchandise received without complete
documentation waits in a suspense account until it is admitted (146.22(c)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zonekeeper.zone.status import ZoneStatus


class DiscrepancyKind(StrEnum):
    SHORTAGE = "shortage"
    OVERAGE = "overage"


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A shortage or overage found by a count (146.53).

    `difference` = counted - book (negative for a shortage); `value` is its value at the
    lot's unit value (signed). `duty` is the duty and tax estimate on the missing goods
    from the shell's `duty_rule`, or None with `duty_note` saying why it was not computed.
    `report_to_cbp` is True when 146.53(a) requires a written report at once (`reasons`
    say which paragraph); when the duty is not computed a shortage of 1% or more is flagged
    conservatively. An overage needs a Form 214 or an entry by `deadline` (146.53(d)).
    """

    seq: int
    row: int
    date: dt.date
    lot: str
    part: str
    status: ZoneStatus
    kind: DiscrepancyKind
    book: Decimal
    counted: Decimal
    difference: Decimal
    value: Decimal
    duty: Decimal | None
    duty_note: str
    report_to_cbp: bool
    reasons: tuple[str, ...]
    deadline: dt.date | None


@dataclass(frozen=True, slots=True)
class SuspenseItem:
    """Merchandise held in suspense until documented (146.22(c))."""

    ref: str
    seq: int
    date: dt.date
    part: str
    quantity: Decimal
    description: str
    reason: str
