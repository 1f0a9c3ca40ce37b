"""The posting engine, `post`: admissions, status changes, manipulation,
shipments and suspense receipts; production, counts and corrections have their own modules.

Each handler checks every rule for its event first and changes the books only when the
event is valid, so the engine can go on checking the rest of the batch and report every
problem at once; any problem discards the whole batch (architecture rule 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from zonekeeper.money import in_money_context
from zonekeeper.zone.book import Book, lots_of
from zonekeeper.zone.checks import existing_lot, free_lot_id, not_negative, positive
from zonekeeper.zone.composition import AdmissionRef, Composition, PfComponent
from zonekeeper.zone.corrections import correct
from zonekeeper.zone.counts import count
from zonekeeper.zone.draw import Refused, plan
from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Event,
    Filing,
    Manipulation,
    MasterChange,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
    canonical_payloads,
    event_problems,
)
from zonekeeper.zone.filings import record_filing
from zonekeeper.zone.ledger import (
    DutyRule,
    Movement,
    PfRule,
    PostingsOf,
    PostResult,
    ZoneState,
)
from zonekeeper.zone.production import produce
from zonekeeper.zone.records import SuspenseItem
from zonekeeper.zone.rules import (
    pf_required_refusal,
    pf_rule_applies,
    removable_statuses,
    shipment_refusal,
    status_change_refusal,
)
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

ZERO = Decimal(0)
PF = ZoneStatus.PRIVILEGED_FOREIGN
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
D = ZoneStatus.DOMESTIC
ZR = ZoneStatus.ZONE_RESTRICTED


@in_money_context
def post(
    state: ZoneState,
    events: Sequence[Event],
    *,
    pf_rule: PfRule | None = None,
    duty_rule: DutyRule | None = None,
    postings_of: PostingsOf | None = None,
    payloads: bool = True,
) -> PostResult:
    """Post a batch of events to the books: all of them, or none if any breaks a rule.

    Rules checked (each a `Problem` with the event's 1-based batch position as `row`):
    no negative balance (146.23(b)(4)); status changes only NPF->PF and ->ZR, PF never
    abandoned (146.41(e)), ZR not to consumption (146.44(a)); PF required by a measure
    (`pf_rule`, 15 CFR 400.13 and the trade actions) refuses an NPF/D admission; the
    inventory method applied consistently (146.23(a)(2)).

    `payloads`: make each event's canonical JSON (`PostResult.payloads`) and check the
    batch's texts on it; False (a replay of stored events, which has them) checks the
    texts field by field instead.

    The core leaves the process alone: the shell that posts a batch pauses the cyclic
    garbage collector around this call for speed (`zonekeeper.heap`).
    """
    handlers: dict[type[Any], Callable[[Book, Any, int, int], None]] = {
        Admission: admit,
        StatusChange: change_status,
        Manipulation: manipulate,
        Production: produce,
        Shipment: ship,
        Count: count,
        SuspenseReceipt: hold_in_suspense,
        Filing: record_filing,
        Correction: correct,
    }
    with lots_of(state) as base:
        book = Book(state, base)
        book.pf_rule = pf_rule
        book.duty_rule = duty_rule
        book.postings_of = postings_of
        # The canonical JSON the store will hash and keep, made once here: when it holds no
        # text the books cannot store, no event's texts need looking at one by one.
        made = canonical_payloads(events) if payloads else None
        texts = made is None
        for index, event in enumerate(events):
            handler = handlers.get(type(event))
            row = index + 1
            if handler is None:
                book.problem(row, _not_posted(event), code="post.unknown-kind")
                continue
            refused = event_problems(event, texts=texts)
            if refused:  # what the books cannot hold is refused before any rule is applied
                for field, reason in refused:
                    book.problem(row, reason, field, code="post.unstorable")
                continue
            handler(book, event, state.seq + row, row)
        if book.problems:
            return PostResult(state, (), tuple(book.problems), ())
        return PostResult(
            book.freeze(len(events)),
            tuple(book.postings),
            (),
            tuple(book.discrepancies),
            tuple(made or ()),
        )


def _not_posted(event: object) -> str:
    if isinstance(event, MasterChange):
        # Master data has its own checks (no back-dated change, BOMs of known parts) and
        # its own tables: only `Ledger.load_master` records it.
        return "master data is loaded (parts load, bom load), not posted"
    return f"not a zone event: {type(event).__name__}"


# --- shared checks (the ones counts.py shares are in zone.checks) ---------------------


def own_composition(
    status: ZoneStatus,
    unit_value: Decimal,
    *,
    part: str,
    hts: str | None,
    origin: str | None,
    pf_date: dt.date | None,
    lot: str,
    admission: AdmissionRef,
) -> Composition:
    """The composition of merchandise as admitted: all of one status (146.41-146.44)."""
    if status is PF:
        assert pf_date is not None
        component = PfComponent(
            part=part,
            hts=hts,
            origin=origin,
            pf_date=pf_date,
            lot=lot,
            admission=admission,
            quantity=Decimal(1),
            value=unit_value,
        )
        return Composition(pf=(component,))
    if status is NPF:
        return Composition(npf_value=unit_value, npf_origins=(origin,) if origin else ())
    if status is D:
        return Composition(domestic_value=unit_value)
    return Composition(zr_value=unit_value)


# --- admission (146.22, 146.32) ------------------------------------------------------------


def admit(book: Book, e: Admission, seq: int, row: int) -> None:
    """Admission of one Form 214 line: a new lot (146.22(d): quantity, date, value, status,
    description and part number), traceable to the 214 (146.22(a))."""
    ok = positive(book, row, e.quantity, "quantity") & not_negative(book, row, e.value, "value")
    lot_id = e.lot_id
    ok &= free_lot_id(book, row, lot_id, "lot")
    part = book.state.master.part_on(e.part, e.date)
    if part is None:
        book.problem(
            row,
            f"part {e.part!r} is not in the part master on {e.date}",
            "part",
            code="post.unknown-part",
        )
        return
    hts = e.hts or part.hts
    origin = e.origin or part.origin
    if e.status is PF and not hts:
        book.problem(
            row,
            "a PF admission needs an HTS number to freeze (146.65(a)(1))",
            "hts",
            code="post.pf-needs-hts",
        )
        ok = False
    if e.pf_date is not None and e.status is not PF:
        book.problem(
            row,
            "pf_date applies only to privileged foreign admissions",
            "pf_date",
            code="post.pf-date",
        )
        ok = False
    if e.pf_date is not None and e.pf_date < e.date:
        book.problem(
            row,
            f"PF application date {e.pf_date} is before the admission {e.date}",
            "pf_date",
            code="post.pf-date",
        )
        ok = False
    if book.pf_rule is not None and hts and origin and pf_rule_applies(e.status, origin):
        refusal = pf_required_refusal(e.status, book.pf_rule(hts, origin, e.date))
        if refusal:
            book.problem(row, refusal, "status", code="post.pf-required")
            ok = False
    if e.suspense_ref is not None:
        item = book.suspense_items().get(e.suspense_ref)
        if item is None:
            book.problem(
                row,
                f"no suspense receipt {e.suspense_ref!r} is open",
                "suspense_ref",
                code="post.no-suspense",
            )
            ok = False
        elif item.part != e.part:
            book.problem(
                row,
                f"suspense receipt {item.ref} is of part {item.part}, not {e.part}",
                "part",
                code="post.suspense-part",
            )
            ok = False
    if not ok:
        return
    if e.suspense_ref is not None:
        del book.suspense_items()[e.suspense_ref]
    pf_date = (e.pf_date or e.date) if e.status is PF else None
    ref = AdmissionRef(e.admission_no, e.line)
    composition = own_composition(
        e.status,
        e.value / e.quantity,
        part=e.part,
        hts=hts,
        origin=origin,
        pf_date=pf_date,
        lot=lot_id,
        admission=ref,
    )
    rec = book.create(
        id=lot_id,
        part=e.part,
        description=part.description,
        status=e.status,
        date=e.date,
        seq=seq,
        quantity=e.quantity,
        value=e.value,
        composition=composition,
        admissions=(ref,),
        reference=f"CBP Form 214 {e.admission_no} line {e.line}",
        hts=hts,
        origin=origin,
        pf_date=pf_date,
        mode=e.mode,
    )
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.RECEIPT,
        quantity=e.quantity,
        value=e.value,
        reference=rec.reference,
    )


# --- status change (146.41, 146.44) --------------------------------------------------------


def change_status(book: Book, e: StatusChange, seq: int, row: int) -> None:
    """Status of a whole lot: NPF -> PF, or -> ZR (see `rules.status_change_refusal`)."""
    lot = existing_lot(book, row, e.lot, e.date)
    if lot is None:
        return
    refusal = status_change_refusal(lot.status, e.status, produced=lot.produced)
    if refusal:
        book.problem(row, refusal, "status", code="post.status-change")
        return
    if lot.balance <= 0:
        book.problem(
            row,
            f"lot {e.lot} has nothing on hand to change",
            "lot",
            code="post.nothing-on-hand",
        )
        return
    if e.status is PF and not lot.hts:
        book.problem(
            row,
            "PF status needs the lot's HTS number to freeze (146.65(a)(1))",
            "lot",
            code="post.pf-needs-hts",
        )
        return
    if e.pf_date is not None and e.status is not PF:
        book.problem(
            row,
            "pf_date applies only to a change to PF status",
            "pf_date",
            code="post.pf-date",
        )
        return
    rec = book.edit(e.lot)
    reference = f"CBP Form 214 {e.reference}" if e.reference else "status change"
    quantity, value = rec.balance, rec.value_on_hand
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.STATUS_OUT,
        quantity=-quantity,
        value=-value,
        reference=reference,
    )
    book.leave_pool(rec)
    old = rec.composition
    if e.status is PF:
        rec.pf_date = e.pf_date or e.date
        rec.composition = Composition(
            pf=(
                PfComponent(
                    part=rec.part,
                    hts=rec.hts,
                    origin=rec.origin,
                    pf_date=rec.pf_date,
                    lot=rec.id,
                    admission=rec.admissions[0],
                    quantity=Decimal(1),
                    value=old.npf_value,
                ),
            ),
            domestic_value=old.domestic_value,
        )
    else:
        rec.composition = Composition(zr_value=old.foreign_value, domestic_value=old.domestic_value)
    rec.status = e.status
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.STATUS_IN,
        quantity=quantity,
        value=value,
        reference=reference,
    )


# --- manipulation (146.52) -----------------------------------------------------------------


def manipulate(book: Book, e: Manipulation, seq: int, row: int) -> None:
    """Manipulation under a Form 216 permit: same part and status; optionally a new lot
    identity that keeps the trace to the admission (146.23(a), 146.52(d)(2))."""
    lot = existing_lot(book, row, e.lot, e.date)
    if lot is None:
        return
    reference = f"CBP Form 216 {e.permit}" if e.permit else "manipulation"
    if e.new_lot is None:
        book.move(
            book.edit(e.lot),
            seq=seq,
            row=row,
            kind=e.kind,
            date=e.date,
            movement=Movement.MANIPULATED,
            quantity=ZERO,
            value=ZERO,
            reference=reference,
        )
        return
    ok = positive(book, row, e.quantity, "quantity")
    ok &= free_lot_id(book, row, e.new_lot, "new_lot")
    if ok and e.quantity > lot.balance:
        book.problem(
            row,
            f"lot {e.lot} has {lot.balance} on hand, not {e.quantity} "
            "(no negative balance, 19 CFR 146.23(b)(4))",
            "quantity", code="post.over-balance",
        )
        ok = False
    if not ok:
        return
    rec = book.edit(e.lot)
    value = rec.share_of_value(e.quantity)
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.TRANSFER_OUT,
        quantity=-e.quantity,
        value=-value,
        reference=reference,
    )
    new = book.create(
        id=e.new_lot,
        part=rec.part,
        description=rec.description,
        status=rec.status,
        date=e.date,
        seq=seq,
        quantity=e.quantity,
        value=value,
        composition=rec.composition,
        admissions=rec.admissions,
        reference=reference,
        hts=rec.hts,
        origin=rec.origin,
        pf_date=rec.pf_date,
        mode=rec.mode,
        produced=rec.produced,
    )
    book.move(
        new,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.TRANSFER_IN,
        quantity=e.quantity,
        value=value,
        reference=reference,
    )


# --- shipment (146.24, subpart F) ----------------------------------------------------------

_SHIPMENT_REFERENCE = {
    ShipmentDisposition.CONSUMPTION: "entry {}",
    ShipmentDisposition.EXPORT: "export {}",
    ShipmentDisposition.ZONE_TRANSFER: "zone transfer {}",
    ShipmentDisposition.DESTRUCTION: "destruction {}",
}


def ship(book: Book, e: Shipment, seq: int, row: int) -> None:
    """A transfer out of the zone, traced to lots and admissions by the zone's method
    (146.24(a)(2)); ZR never to consumption (146.44(a))."""
    ok = positive(book, row, e.quantity, "quantity") & not_negative(book, row, e.value, "value")
    if e.status is not None:
        refusal = shipment_refusal(e.status, e.disposition)
        if refusal:
            book.problem(row, refusal, "status", code="post.shipment-status")
            ok = False
        statuses: tuple[ZoneStatus, ...] = (e.status,)
    else:
        statuses = removable_statuses(e.disposition)
    if e.lot is not None:
        lot = book.lot(e.lot)
        if lot is not None:
            refusal = shipment_refusal(lot.status, e.disposition)
            if refusal:
                book.problem(row, refusal, "lot", code="post.shipment-status")
                ok = False
            elif lot.part != e.part:
                book.problem(
                    row,
                    f"lot {e.lot} holds part {lot.part}, not {e.part}",
                    "lot",
                    code="post.lot-part",
                )
                ok = False
    if e.part not in book.state.master.parts:  # a typo, not a shortage of a real part
        book.problem(
            row,
            f"unknown part {e.part!r}: it is not in the part master",
            "part",
            code="post.unknown-part",
        )
        return
    if not ok:
        return
    try:
        draw = plan(book, e.part, statuses, e.quantity, e.date, (e.lot,) if e.lot else ())
    except Refused as refused:
        book.problem(row, refused.reason, refused.field, code="post.cannot-allocate")
        return
    reference = _SHIPMENT_REFERENCE[e.disposition].format(e.ref)
    zone_value_left = e.value
    for i, (lot, take) in enumerate(draw):
        rec = book.edit(lot.id)
        zone_value = zone_value_left if i == len(draw) - 1 else e.value * take / e.quantity
        zone_value_left -= zone_value
        book.move(
            rec,
            seq=seq,
            row=row,
            kind=e.kind,
            date=e.date,
            movement=Movement.SHIPPED,
            quantity=-take,
            value=-rec.share_of_value(take),
            reference=reference,
            disposition=e.disposition,
            zone_value=zone_value,
        )


# --- suspense (146.22(c)) ------------------------------------------------------------------


def hold_in_suspense(book: Book, e: SuspenseReceipt, seq: int, row: int) -> None:
    """Merchandise received without complete documentation, held until admitted."""
    ok = positive(book, row, e.quantity, "quantity")
    items = book.suspense_items()
    if e.ref in items:
        book.problem(
            row,
            f"suspense receipt {e.ref!r} is already open",
            "ref",
            code="post.suspense-open",
        )
        ok = False
    if ok:
        items[e.ref] = SuspenseItem(
            ref=e.ref,
            seq=seq,
            date=e.date,
            part=e.part,
            quantity=e.quantity,
            description=e.description,
            reason=e.reason,
        )
