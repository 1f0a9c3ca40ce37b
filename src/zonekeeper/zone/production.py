"""Production in the zone (146.52): components consumed per the bill of materials in force,
a finished lot that remembers its status composition, recoverable scrap as its own lot.

Quantities per BOM line, for `n` good units of product with yield `y`:
incorporated = quantity x n; started = incorporated / y; scrap = started x scrap;
consumed = started x (1 + waste + scrap); irrecoverable waste = consumed - incorporated -
scrap (the waste factor plus the inputs of rejected units). Each consumed lot is split in
the same proportions.

Value: the finished lot carries the value of the inputs incorporated in it: the dutiable
value of its foreign inputs as admitted (146.65(b)(2): not zone labour, overhead or profit)
and, separately, the value of its domestic content (excluded from dutiable value, 19 USC
81c(a), 146.43(c)). Irrecoverable waste carries no value and so no duty (19 USC 81c(a)
allowance for waste). Recoverable scrap takes the value of the inputs that became scrap;
scrap recovered from PF merchandise is NPF (146.42(b), 146.41(e)), from NPF stays NPF,
from domestic stays domestic. Its dutiable value on entry is the price it is sold for out
of the zone (146.65(b)(2), last sentence); the lot value here is the input value, for the
books.
"""

from __future__ import annotations

from decimal import Decimal

from zonekeeper.zone.book import Book
from zonekeeper.zone.checks import free_lot_id, positive
from zonekeeper.zone.composition import AdmissionRef, Composition, blend
from zonekeeper.zone.draw import Draw, Refused, plan
from zonekeeper.zone.events import Production
from zonekeeper.zone.ledger import Movement
from zonekeeper.zone.limits import too_long
from zonekeeper.zone.master import BomLine
from zonekeeper.zone.rules import production_refusal
from zonekeeper.zone.status import ZoneStatus

ZERO = Decimal(0)
PF = ZoneStatus.PRIVILEGED_FOREIGN
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
D = ZoneStatus.DOMESTIC

_INPUT_STATUSES = (PF, NPF, D)


class _Need:
    """What one BOM line takes for this production."""

    __slots__ = ("line", "incorporated", "scrap", "consumed", "draw")

    def __init__(self, line: BomLine, n: Decimal, yield_rate: Decimal) -> None:
        self.line = line
        self.incorporated = line.quantity * n
        started = self.incorporated / yield_rate
        self.scrap = started * line.scrap
        self.consumed = started * (1 + line.waste + line.scrap)
        self.draw: Draw = []


def product_status(composition: Composition) -> ZoneStatus:
    """The finished lot's status: NPF if it has any NPF content (its PF components keep
    their own status inside it, 146.41(e)); PF if its foreign content is all PF; else D."""
    if composition.npf_value > 0 or (not composition.pf and composition.zr_value > 0):
        return NPF
    if composition.pf:
        return PF
    return D


def produce(book: Book, e: Production, seq: int, row: int) -> None:
    """Consume components, make the finished lot and scrap lots (see module docstring)."""
    ok = positive(book, row, e.quantity, "quantity", code="production.quantity")
    product = book.state.master.part_on(e.product, e.date)
    if product is None:
        book.problem(
            row,
            f"part {e.product!r} is not in the part master on {e.date}",
            "product",
            code="production.unknown-product",
        )
        ok = False
    bom = book.state.master.bom_on(e.product, e.date)
    if bom is None:
        book.problem(
            row,
            f"no bill of materials for {e.product!r} in force on {e.date}",
            "product",
            code="production.no-bom",
        )
        ok = False
    lot_id = e.lot_id
    ok &= free_lot_id(book, row, lot_id, "lot", code="production.lot-exists")
    statuses: tuple[ZoneStatus, ...] = _INPUT_STATUSES
    if e.status is not None:
        refusal = production_refusal(e.status)
        if refusal:
            book.problem(row, refusal, "status", code="production.status")
            ok = False
        statuses = (e.status,)
    if not ok or bom is None or product is None:
        return
    if bom.yield_rate <= 0 or bom.yield_rate > 1:
        reason = f"BOM of {e.product} has yield {bom.yield_rate}: not in (0, 1]"
        book.problem(row, reason, "product", code="production.yield")
        return
    needs = [_Need(line, e.quantity, bom.yield_rate) for line in bom.lines if line.quantity > 0]
    components = [need.line.component for need in needs]
    if len(set(components)) != len(components):
        book.problem(
            row,
            f"the BOM of {e.product} lists a component twice",
            "product",
            code="production.bom-repeats",
        )
        return
    for need in needs:
        try:
            need.draw = plan(book, need.line.component, statuses, need.consumed, e.date, e.lots)
        except Refused as refused:
            book.problem(
                row,
                f"component {need.line.component}: {refused.reason}",
                refused.field,
                code="production.cannot-allocate",
            )
            ok = False
    if not ok:
        return
    scrap_ids = {
        need.line.component: f"{lot_id}/SCRAP/{need.line.component}"
        for need in needs
        if need.scrap > 0
    }
    for scrap_id in scrap_ids.values():
        if book.lot(scrap_id) is not None:
            book.problem(
                row,
                f"scrap lot {scrap_id!r} already exists",
                "lot",
                code="production.lot-exists",
            )
            return
    for need in needs:
        if need.scrap > 0:
            long = too_long(scrap_ids[need.line.component], what="the scrap lot number") or (
                too_long(need.line.scrap_part_number, what="the scrap part number"))
            if long is not None:
                book.problem(
                    row,
                    f"component {need.line.component}: {long}",
                    "lot",
                    code="production.scrap-too-long",
                )
                return

    reference = f"CBP Form 216 {e.ref}"
    inputs: list[tuple[Composition, Decimal]] = []
    value_in = ZERO
    admissions: set[AdmissionRef] = set()
    for need in needs:
        scrap_parts: list[tuple[Composition, Decimal]] = []
        scrap_value = ZERO
        scrap_admissions: set[AdmissionRef] = set()
        scrap_domestic_only = True
        for lot, take in need.draw:
            rec = book.edit(lot.id)
            value = rec.share_of_value(take)
            incorporated = take * need.incorporated / need.consumed
            scrap = take * need.scrap / need.consumed
            inputs.append((rec.composition, incorporated))
            value_in += value * incorporated / take
            admissions.update(rec.admissions)
            if scrap > 0:
                scrap_parts.append((_as_scrap(rec.composition), scrap))
                scrap_value += value * scrap / take
                scrap_admissions.update(rec.admissions)
                scrap_domestic_only &= rec.status is D
            book.move(
                rec,
                seq=seq,
                row=row,
                kind=e.kind,
                date=e.date,
                movement=Movement.CONSUMED,
                quantity=-take,
                value=-value,
                reference=reference,
                waste=take - incorporated - scrap,
                scrap=scrap,
            )
        if need.scrap > 0:
            _make_scrap_lot(
                book,
                e,
                seq,
                row,
                lot_id=scrap_ids[need.line.component],
                part=need.line.scrap_part_number,
                quantity=need.scrap,
                value=scrap_value,
                composition=blend(scrap_parts, need.scrap),
                admissions=scrap_admissions,
                status=D if scrap_domestic_only else NPF,
                reference=reference,
            )
    composition = blend(inputs, e.quantity)
    finished = book.create(
        id=lot_id,
        part=e.product,
        description=product.description,
        status=product_status(composition),
        date=e.date,
        seq=seq,
        quantity=e.quantity,
        value=value_in,
        composition=composition,
        admissions=tuple(sorted(admissions, key=str)),
        reference=reference,
        hts=product.hts,
        origin=product.origin,
        produced=True,
    )
    book.move(
        finished,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.PRODUCED,
        quantity=e.quantity,
        value=value_in,
        reference=reference,
    )


def _as_scrap(composition: Composition) -> Composition:
    """Recoverable waste of PF merchandise is NPF (146.42(b)): PF value becomes NPF value."""
    if not composition.pf:
        return composition
    origins = set(composition.npf_origins)
    origins.update(c.origin for c in composition.pf if c.origin)
    return Composition(
        npf_value=composition.npf_value + composition.pf_value,
        domestic_value=composition.domestic_value,
        zr_value=composition.zr_value,
        npf_origins=tuple(sorted(origins)),
    )


def _make_scrap_lot(
    book: Book,
    e: Production,
    seq: int,
    row: int,
    *,
    lot_id: str,
    part: str,
    quantity: Decimal,
    value: Decimal,
    composition: Composition,
    admissions: set[AdmissionRef],
    status: ZoneStatus,
    reference: str,
) -> None:
    """A lot of recoverable scrap (146.23(b)(6): scrap, waste and by-products)."""
    master = book.state.master.part_on(part, e.date)
    rec = book.create(
        id=lot_id,
        part=part,
        description=master.description if master else f"recoverable scrap ({part})",
        status=status,
        date=e.date,
        seq=seq,
        quantity=quantity,
        value=value,
        composition=composition,
        admissions=tuple(sorted(admissions, key=str)),
        reference=reference,
        hts=master.hts if master else None,
        origin=master.origin if master else None,
        produced=True,
    )
    book.move(
        rec,
        seq=seq,
        row=row,
        kind=e.kind,
        date=e.date,
        movement=Movement.SCRAP,
        quantity=quantity,
        value=value,
        reference=reference,
    )
