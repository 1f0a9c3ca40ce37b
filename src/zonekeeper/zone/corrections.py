"""Corrections: a new event that reverses an earlier one, naming it, with a reason.

The ledger is append-only (architecture rule 4; 146.21-146.24 audit trail): a wrong event
is never changed or deleted; a `Correction` posts the exact opposite of each of its
postings, in reverse order, as movements of the same kind (so the annual reconciliation
nets them, 146.25(b)). A correction is refused when the books have moved on so that the
reversal would leave a negative balance (e.g. an admission whose goods were shipped):
correct the later events first. A status change is reversed only while the lot still holds
exactly what changed status. Corrections themselves, and events with no postings
(suspense receipts), are not reversed; an admission that documented a suspense receipt
does not reopen it.

Dates. The correction is recorded on its own date (the event's `date`, in the chain), but
each reversing posting takes the date of the posting it reverses: a correction restates
the books as if the mistake had not happened. So a balance as of any date, the annual
reconciliation (146.25) and the Board report (15 CFR 400.51(c)) of the mistake's year all
show the corrected figures, and no report of a later period shows a stray negative
movement. A correction dated before the event it corrects is refused: nobody can correct
what has not happened yet.
"""

from __future__ import annotations

from decimal import Decimal

from zonekeeper.zone.book import Book
from zonekeeper.zone.events import Correction
from zonekeeper.zone.ledger import Movement, Posting
from zonekeeper.zone.status import ZoneStatus

ZERO = Decimal(0)


def correct(book: Book, e: Correction, seq: int, row: int) -> None:
    """Reverse the postings of the event at ledger position `e.corrects`."""
    target = e.corrects
    if not e.reason.strip():
        book.problem(row, "a correction needs a reason", "reason", code="correct.reason")
        return
    if target < 1 or target >= seq:
        book.problem(
            row,
            f"event #{target} is not an earlier event of this ledger",
            "corrects",
            code="correct.no-event",
        )
        return
    if target in book.state.corrected or target in book.corrected:
        book.problem(
            row,
            f"event #{target} has already been corrected",
            "corrects",
            code="correct.already-corrected",
        )
        return
    if target > book.state.seq:
        postings = book.postings_in_batch(target)
    elif book.postings_of is not None:
        postings = list(book.postings_of(target))
    else:
        book.problem(
            row,
            f"cannot correct event #{target}: its postings were not supplied (postings_of)",
            "corrects", code="correct.postings-unknown",
        )
        return
    if not postings:
        book.problem(
            row,
            f"event #{target} has no postings to reverse",
            "corrects",
            code="correct.no-postings",
        )
        return
    happened = max(p.date for p in postings)
    if e.date < happened:
        book.problem(
            row,
            f"the correction is dated {e.date}, before event #{target} ({happened})",
            "date",
            code="correct.before-event",
        )
        return
    if any(p.kind == "correction" for p in postings):
        book.problem(
            row,
            f"event #{target} is a correction; it cannot be reversed",
            "corrects",
            code="correct.correction",
        )
        return
    problem = _infeasible(book, postings)
    if problem:
        book.problem(
            row,
            f"cannot correct event #{target}: {problem}",
            "corrects",
            code="correct.infeasible",
        )
        return
    reference = f"correction of event #{target}: {e.reason}"
    for p in reversed(postings):
        rec = book.edit(p.lot)
        if p.movement is Movement.STATUS_OUT:
            # the lot returns to its old status and composition (its balance is now 0)
            book.leave_pool(rec)
            rec.status = p.status
            rec.composition = p.composition
            if p.composition.pf:
                rec.pf_date = min(c.pf_date for c in p.composition.pf)
            else:
                rec.pf_date = None
        book.move(
            rec,
            seq=seq,
            row=row,
            kind=e.kind,
            date=p.date,
            movement=p.movement,
            quantity=-p.quantity,
            value=-p.value,
            reference=reference,
            disposition=p.disposition,
            zone_value=None if p.zone_value is None else -p.zone_value,
            waste=None if p.waste is None else -p.waste,
            scrap=None if p.scrap is None else -p.scrap,
        )
    book.corrected.add(target)


def _infeasible(book: Book, postings: list[Posting]) -> str | None:
    """Why reversing `postings` (last first) would break the books, or None."""
    balance: dict[str, Decimal] = {}
    status: dict[str, ZoneStatus] = {}
    for p in reversed(postings):
        lot = book.lot(p.lot)
        if lot is None:
            return f"lot {p.lot} is not in the zone"
        have = balance.get(p.lot, lot.balance)
        current = status.get(p.lot, lot.status)
        if p.movement is Movement.STATUS_OUT:
            if have != 0:
                return f"lot {p.lot} has changed since its status change"
            status[p.lot] = p.status
        elif current is not p.status:
            return f"lot {p.lot} is no longer in {p.status.value} status"
        after = have - p.quantity
        if after < 0:
            return (
                f"lot {p.lot} has {have} on hand, {p.quantity} would have to come out "
                "(correct the later events first)"
            )
        balance[p.lot] = after
    return None
