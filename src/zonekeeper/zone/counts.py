"""Physical counts (146.23(c)) and the shortage/overage records they produce (146.53).

A count that differs from the books adjusts the lot to what was counted (an adjustment in
the annual reconciliation, 146.25(b)) and is recorded whether or not it must be reported
(146.53(a), last sentences). Reported at once in writing: theft or suspected theft
(146.53(a)(1)); merchandise not properly admitted (146.53(a)(2)); a shortage of 1% or more
of the quantity in the lot if the missing goods would owe $100 or more of duty and taxes
(146.53(a)(3)). Domestic status goods need no report except for theft (146.53(b)). An
overage needs a Form 214 or an entry within 5 days (146.53(d)).

The 1% is measured against the book balance of the lot when counted (the quantity "in a
lot" at that time; the smaller base flags more, the conservative reading). The duty test
uses the shell's `duty_rule`; without it, or when it cannot compute, the duty is "not
computed" and a shortage of 1% or more is flagged for report, conservatively.
"""

from __future__ import annotations

from decimal import Decimal

from zonekeeper.errors import CannotCompute
from zonekeeper.zone.book import Book
from zonekeeper.zone.checks import existing_lot, not_negative
from zonekeeper.zone.events import Count
from zonekeeper.zone.ledger import Movement
from zonekeeper.zone.records import Discrepancy, DiscrepancyKind
from zonekeeper.zone.rules import overage_deadline
from zonekeeper.zone.status import ZoneStatus

ZERO = Decimal(0)
ONE_PERCENT = Decimal("0.01")
DUTY_THRESHOLD = Decimal(100)


def count(book: Book, e: Count, seq: int, row: int) -> None:
    """Compare a count with the books; adjust the lot and record any difference."""
    lot = existing_lot(book, row, e.lot, e.date)
    if lot is None or not not_negative(book, row, e.counted, "counted"):
        return
    rec = book.edit(e.lot)
    book_qty = rec.balance
    difference = e.counted - book_qty
    if difference < 0:
        value = -rec.share_of_value(-difference)
    elif rec.balance > 0:
        value = rec.value_on_hand * difference / rec.balance
    else:
        value = rec.value * difference / rec.quantity
    snapshot = rec.freeze()
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.ADJUSTMENT,
        quantity=difference,
        value=value,
        reference=f"physical count {e.date.isoformat()}" + (f": {e.note}" if e.note else ""),
    )
    if difference == 0:
        return
    domestic = rec.status is ZoneStatus.DOMESTIC
    reasons: list[str] = []
    if e.theft:
        reasons.append("theft or suspected theft (19 CFR 146.53(a)(1))")
    if e.not_properly_admitted and not domestic:
        reasons.append("merchandise not properly admitted to the zone (19 CFR 146.53(a)(2))")
    duty: Decimal | None = None
    duty_note = ""
    deadline = None
    if difference < 0:
        kind = DiscrepancyKind.SHORTAGE
        missing = -difference
        share = missing / book_qty
        if book.duty_rule is None:
            duty_note = "duty not computed: no duty rule supplied"
        elif not domestic:
            try:
                duty = book.duty_rule(snapshot, missing, e.date)
            except CannotCompute as why:
                duty_note = f"duty not computed: {why.reason}"
        if domestic:
            duty_note = duty_note or "domestic status: no duty (19 CFR 146.43(c))"
        elif share >= ONE_PERCENT and (duty is None or duty >= DUTY_THRESHOLD):
            why_duty = f"duty and taxes {duty} >= $100" if duty is not None else "duty not computed"
            reasons.append(
                f"shortage of {share * 100:.2f}% of the lot (>= 1%) and {why_duty} "
                "(19 CFR 146.53(a)(3))"
            )
    else:
        kind = DiscrepancyKind.OVERAGE
        if not domestic:
            deadline = overage_deadline(e.date)
            duty_note = (
                f"overage: file a CBP Form 214 or an entry by {deadline} "
                "or the goods go to general order (19 CFR 146.53(d))"
            )
    book.discrepancies.append(
        Discrepancy(
            seq=seq,
            row=row,
            date=e.date,
            lot=rec.id,
            part=rec.part,
            status=rec.status,
            kind=kind,
            book=book_qty,
            counted=e.counted,
            difference=difference,
            value=value,
            duty=duty,
            duty_note=duty_note,
            report_to_cbp=bool(reasons),
            reasons=tuple(reasons),
            deadline=deadline,
        )
    )
