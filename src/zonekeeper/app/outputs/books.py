"""The books' JSON documents (docs/files.md, "Outputs for scripts"): a posting, a master
load, balances, a lot's history, `verify`'s answer, the annual reconciliation and the FTZ
Board report.

`--json` prints a model's `document()` with `json.dumps(..., indent=2)`, and the API will
serialize the same models, so the bytes a script reads do not depend on the interface:
quantities as plain decimal text without trailing zeros (`Quantity`), money as cent strings
(`Money`), dates as ISO text, and every report's `books` key naming the chain head its
figures come from (146.21: traceable to the records).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer

from zonekeeper.app.books import Posted, Trial
from zonekeeper.app.outputs import Amount, Money, Output
from zonekeeper.app.verify import Verification
from zonekeeper.errors import Problem
from zonekeeper.io.checkpoint import ChainHead, Checkpoint
from zonekeeper.store.projections import LotBalance
from zonekeeper.zone.keys import describe
from zonekeeper.zone.ledger import Lot, Posting
from zonekeeper.zone.records import Discrepancy
from zonekeeper.zone.reports import BoardReport, ReconciliationLine


def quantity_text(value: Decimal) -> str:
    """A quantity as plain decimal text without trailing zeros (`10`, `2.5`)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


Quantity = Annotated[Decimal, PlainSerializer(quantity_text, return_type=str)]
"""A quantity of goods: written as plain decimal text without trailing zeros."""



class BooksHead(Output):
    """The `books` key every report carries: the chain head its figures come from."""

    zone: str
    head_seq: int
    head_hash: str

    @classmethod
    def of(cls, head: ChainHead) -> BooksHead:
        return cls(zone=head.zone, head_seq=head.seq, head_hash=head.hash)


class PostedEvent(Output):
    """One event of a posting: its ledger position (null in a dry run: nothing holds one
    yet), kind and natural key in words (`zone.keys.describe`)."""

    seq: int | None
    kind: str
    key: str | None


class DiscrepancyOut(Output):
    """A count's shortage or overage (146.53)."""

    kind: str
    date: dt.date
    lot: str
    part: str
    status: str
    book: Quantity
    counted: Quantity
    difference: Quantity
    value: Amount
    duty: Money
    report_to_cbp: bool
    reasons: list[str]
    deadline: dt.date | None

    @classmethod
    def of(cls, d: Discrepancy) -> DiscrepancyOut:
        return cls(
            kind=d.kind.value,
            date=d.date,
            lot=d.lot,
            part=d.part,
            status=d.status.value,
            book=d.book,
            counted=d.counted,
            difference=d.difference,
            value=d.value,
            duty=d.duty,
            report_to_cbp=d.report_to_cbp,
            reasons=list(d.reasons),
            deadline=d.deadline,
        )


class PostingDocument(Output):
    """What a posting did (or a dry run would do), so a script can tie its rows to the
    books without parsing the text; `warnings`: the command's and the posting's."""

    dry_run: bool
    what: str
    posted: int
    events: list[PostedEvent]
    postings: int
    skipped: int
    discrepancies: list[DiscrepancyOut]
    warnings: list[str]
    books: BooksHead

    @classmethod
    def of(
        cls, what: str, posted: Posted | Trial, head: ChainHead, warnings: Sequence[Problem]
    ) -> PostingDocument:
        dry = isinstance(posted, Trial)
        first = 0 if isinstance(posted, Trial) else posted.first_seq
        return cls(
            dry_run=dry,
            what=what,
            posted=posted.events,
            events=[
                PostedEvent(
                    seq=None if dry else first + i,
                    kind=kind,
                    key=describe(key) if key is not None else None,
                )
                for i, (kind, key) in enumerate(zip(posted.kinds, posted.keys, strict=True))
            ],
            postings=posted.postings,
            skipped=posted.skipped,
            discrepancies=[DiscrepancyOut.of(d) for d in posted.discrepancies],
            warnings=[w.message for w in warnings],
            books=BooksHead.of(head),
        )


class MasterLoadDocument(Output):
    """A part or BOM load: how many versions were read and changed (null: a dry run)."""

    dry_run: bool
    read: int
    changed: int | None
    warnings: list[str]
    books: BooksHead

    @classmethod
    def of(
        cls, read: int, changed: int | None, head: ChainHead, warnings: Sequence[Problem]
    ) -> MasterLoadDocument:
        return cls(
            dry_run=changed is None,
            read=read,
            changed=changed,
            warnings=[w.message for w in warnings],
            books=BooksHead.of(head),
        )


class LotBalanceOut(Output):
    """A lot on hand (146.23(a)(1)): the Form 214 line it came from (none for a lot made
    in the zone), its quantity and dutiable value."""

    lot: str
    admission_no: str | None
    line: int | None
    part: str
    description: str
    status: str
    quantity: Quantity
    value: Amount
    hts: str | None
    origin: str | None
    date: dt.date
    pf_date: dt.date | None

    @classmethod
    def of(cls, b: LotBalance) -> LotBalanceOut:
        lot = b.lot
        first = lot.admissions[0] if lot.admissions and not lot.produced else None
        return cls(
            lot=lot.id,
            admission_no=first.admission_no if first else None,
            line=first.line if first else None,
            part=lot.part,
            description=lot.description,
            status=lot.status.value,
            quantity=b.quantity,
            value=b.value,
            hts=lot.hts,
            origin=lot.origin,
            date=lot.date,
            pf_date=lot.pf_date,
        )


class PartBalanceOut(Output):
    """The quantity and value on hand of a part in one zone status (146.25(b))."""

    part: str
    status: str
    quantity: Quantity
    value: Amount


def part_balances(found: Sequence[LotBalance]) -> list[PartBalanceOut]:
    """The lots on hand summed by part and zone status, in that order."""
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for b in found:
        acc = sums.setdefault((b.lot.part, b.lot.status.value), [Decimal(0), Decimal(0)])
        acc[0] += b.quantity
        acc[1] += b.value
    return [
        PartBalanceOut(part=p, status=st, quantity=q, value=v)
        for (p, st), (q, v) in sorted(sums.items())
    ]


class PostingOut(Output):
    """One movement of a lot (146.23, 146.24): the event, what moved and its CBP forms."""

    seq: int
    date: dt.date
    kind: str
    movement: str
    status: str
    quantity: Quantity
    value: Amount
    reference: str
    disposition: str | None
    admissions: list[str]

    @classmethod
    def of(cls, p: Posting) -> PostingOut:
        return cls(
            seq=p.seq,
            date=p.date,
            kind=p.kind,
            movement=p.movement.value,
            status=p.status.value,
            quantity=p.quantity,
            value=p.value,
            reference=p.reference,
            disposition=p.disposition.value if p.disposition else None,
            admissions=[str(a) for a in p.admissions],
        )


class HistoryDocument(Output):
    """A lot and every posting of it, in ledger order."""

    lot: str
    part: str
    status: str
    balance: Quantity
    postings: list[PostingOut]
    books: BooksHead

    @classmethod
    def of(cls, lot: Lot, moves: Sequence[Posting], head: ChainHead) -> HistoryDocument:
        return cls(
            lot=lot.id,
            part=lot.part,
            status=lot.status.value,
            balance=lot.balance,
            postings=[PostingOut.of(p) for p in moves],
            books=BooksHead.of(head),
        )


class MismatchOut(Output):
    """The first thing `verify` found wrong: the event (null: the projections) and why."""

    seq: int | None
    kind: str | None
    reason: str
    code: str  # docs/problems.md: verify.mismatch, verify.totals


class CheckpointCheck(Output):
    """The checkpoint `verify --since-checkpoint` checked, and whether the books extend it."""

    zone: str
    head_seq: int
    head_hash: str
    written_at: str
    extends: bool


class VerifyDocument(Output):
    """`verify`'s answer: how many events and lots it checked (null where it stopped before
    counting), the first mismatch; `checkpoint` and `books` only when there is one."""

    ok: bool
    events: int | None
    lots: int | None
    head_hash: str
    mismatch: MismatchOut | None
    checkpoint: CheckpointCheck | None = None
    books: BooksHead | None = None

    @classmethod
    def of(cls, result: Verification, kept: Checkpoint | None) -> VerifyDocument:
        bad = result.mismatch
        return cls(
            ok=result.ok,
            events=result.events,
            lots=result.lots,
            head_hash=result.head_hash,
            mismatch=None
            if bad is None
            else MismatchOut(seq=bad.seq, kind=bad.kind, reason=bad.reason, code=bad.code),
            checkpoint=None
            if kept is None
            else CheckpointCheck(
                zone=kept.head.zone,
                head_seq=kept.head.seq,
                head_hash=kept.head.hash,
                written_at=kept.written_at,
                extends=result.ok,
            ),
            books=BooksHead.of(result.head) if result.head is not None else None,
        )

    def document(self) -> dict[str, Any]:
        """As `Output.document`, without the `checkpoint` and `books` keys it has none of."""
        found = super().document()
        for name in ("checkpoint", "books"):
            if found[name] is None:
                del found[name]
        return found


class ReconciliationRow(Output):
    """One lot in one zone status over the zone year (146.25(b)): on hand at the start,
    receipts, transfers out, adjustments either way, on hand at the end."""

    lot: str
    part: str
    description: str
    status: str
    opening: Quantity
    receipts: Quantity
    transfers_out: Quantity
    adjustments_plus: Quantity
    adjustments_minus: Quantity
    closing: Quantity

    @classmethod
    def of(cls, line: ReconciliationLine) -> ReconciliationRow:
        return cls(
            lot=line.lot,
            part=line.part,
            description=line.description,
            status=line.status.value,
            opening=line.opening,
            receipts=line.receipts,
            transfers_out=line.transfers_out,
            adjustments_plus=line.adjustments_plus,
            adjustments_minus=line.adjustments_minus,
            closing=line.closing,
        )


class ReconciliationDocument(Output):
    """The annual reconciliation (19 CFR 146.25(b)) of a zone year."""

    year: int
    start: dt.date
    end: dt.date
    lots: list[ReconciliationRow]
    books: BooksHead

    @classmethod
    def of(
        cls,
        lines: Sequence[ReconciliationLine],
        year: int,
        start: dt.date,
        end: dt.date,
        head: ChainHead,
    ) -> ReconciliationDocument:
        return cls(
            year=year,
            start=start,
            end=end,
            lots=[ReconciliationRow.of(line) for line in lines],
            books=BooksHead.of(head),
        )


class BoardReportDocument(Output):
    """The FTZ Board annual report figures (15 CFR 400.51(c)), each to the cent."""

    year: int
    received_foreign: Amount
    received_domestic: Amount
    forwarded_us_market: Amount
    forwarded_export: Amount
    forwarded_zone_transfer: Amount
    us_market_zone_value: Amount
    export_zone_value: Amount
    destroyed: Amount
    produced: Amount
    books: BooksHead

    @classmethod
    def of(cls, report: BoardReport, head: ChainHead) -> BoardReportDocument:
        return cls(
            year=report.year,
            received_foreign=report.received_foreign,
            received_domestic=report.received_domestic,
            forwarded_us_market=report.forwarded_us_market,
            forwarded_export=report.forwarded_export,
            forwarded_zone_transfer=report.forwarded_zone_transfer,
            us_market_zone_value=report.us_market_zone_value,
            export_zone_value=report.export_zone_value,
            destroyed=report.destroyed,
            produced=report.produced,
            books=BooksHead.of(head),
        )
