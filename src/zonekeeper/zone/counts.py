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

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.book import Book
from zonekeeper.zone.checks import existing_lot, not_negative
from zonekeeper.zone.events import Count
from zonekeeper.zone.ledger import Lot, Movement, ZoneState
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


def count_events(state: ZoneState, rows: Sequence[Any]) -> tuple[list[Count], list[int]]:
    """`count_rows` for a caller that refuses the file on any problem: the events and their
    file rows, or InputError with every problem."""
    found, file_rows, problems = count_rows(state, rows)
    if problems:
        raise InputError(problems)
    return found, file_rows


def count_rows(
    state: ZoneState, rows: Sequence[Any]
) -> tuple[list[Count], list[int], list[Problem]]:
    """Physical counts as `Count` events per lot (146.23(c)), with the file row of each, and
    every problem of the file (one row's problem does not hide another's).

    A row naming a lot counts that lot. A row naming only a part spreads the counted
    quantity over the part's lots on hand the way the zone's inventory method presumes
    stock leaves: under FIFO (and specific lot) the newest lots are filled first and a
    shortage falls on the oldest, under LIFO the reverse; an overage goes to the lot filled
    first. A part with no lot on hand cannot take an overage this way: name the lot.

    The spread is worked out from the books as they stand before the file, so a part
    counted by part may be counted only once in a file, and not lot by lot beside it: a
    second count of it would silently overwrite the first's lots. That row is refused,
    naming both rows. The lots on hand are indexed by part once for the whole file.
    """
    on_hand_of = _on_hand_by_part(state)
    found: list[Count] = []
    file_rows: list[int] = []
    problems: list[Problem] = []
    by_part: dict[str, int] = {}  # part -> the first row counting it by part
    any_row: dict[str, int] = {}  # part -> the first row counting it at all
    for r in rows:
        lot_id = r.get("lot")
        if lot_id is not None:
            lot = state.lot(lot_id)
            part = lot.part if lot is not None else r["part"]
            first = by_part.get(part)
            if first is not None:
                problems.append(_counted_twice(r, part, first))
                continue
            any_row.setdefault(part, r.row)
            found.append(Count(r["date"], lot_id, r["counted_quantity"]))
            file_rows.append(r.row)
            continue
        part = r["part"]
        if part not in state.master.parts:  # a typo, not a part with nothing on hand
            problems.append(
                Problem(
                    f"unknown part {part!r}: it is not in the part master",
                    file=r.file,
                    row=r.row,
                    field="part",
                    code="count.unknown-part",
                )
            )
            continue
        first = any_row.get(part)
        if first is not None:
            problems.append(_counted_twice(r, part, first))
            continue
        by_part[part] = any_row[part] = r.row
        on_hand = list(on_hand_of.get(part, ()))
        if not on_hand:
            problems.append(
                Problem(
                    f"no lot of part {part} is on hand to count against: name the lot",
                    file=r.file,
                    row=r.row,
                    field="lot",
                    code="count.nothing-on-hand",
                )
            )
            continue
        newest_first = state.method is not AllocationMethod.LIFO
        on_hand.sort(key=lambda lot: lot.key, reverse=newest_first)
        counted: Decimal = r["counted_quantity"]
        book = sum((lot.balance for lot in on_hand), Decimal(0))
        shares = [lot.balance for lot in on_hand]
        if counted >= book:
            shares[0] += counted - book
        else:
            left = counted
            for i, lot in enumerate(on_hand):
                shares[i] = min(left, lot.balance)
                left -= shares[i]
        for lot, share in zip(on_hand, shares, strict=True):
            found.append(Count(r["date"], lot.id, share))
            file_rows.append(r.row)
    return found, file_rows, problems


def _on_hand_by_part(state: ZoneState) -> dict[str, list[Lot]]:
    """The lots with a balance of each part, every status: one pass over the pools."""
    out: dict[str, list[Lot]] = {}
    for (part, _), pool in state.pools.items():
        out.setdefault(part, []).extend(state.lots[entry[2]] for entry in pool)
    return out


def _counted_twice(r: Any, part: str, first: int) -> Problem:
    return Problem(
        f"part {part} is counted on row {first} and again on this row: a count by part is "
        f"spread over its lots as the books stand before the file, so the second would "
        f"overwrite the first; count a part once per file (by part, or lot by lot), and "
        f"post a later count in a file of its own",
        file=r.file,
        row=r.row,
        field="part",
        code="count.part-twice",
    )
