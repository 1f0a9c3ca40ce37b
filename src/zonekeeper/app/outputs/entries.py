"""The documents of leaving the zone: weekly entry, 3461 estimate, consumption entry, Form
214 admission, the quarter's HMF and the open alerts (`zonekeeper entry|fees|alerts --json`).

Money is a cent string (`null` where it cannot be computed, never 0), quantities plain
decimal text (`10`, `2.5`), dates ISO. A document read from the books ends with `books`,
the chain head it was made from (19 CFR 146.21), and has no such key otherwise. The same
document feeds the printed HTML and PDF (`io.documents`) and the screen, so what a broker
prints and what a script reads cannot differ. Built with `model_construct` from the core's
results, which are typed already: nothing to validate twice; under the product's money
context, as every figure they derive (`money.in_money_context`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainSerializer

from zonekeeper.app.outputs import Money, Output
from zonekeeper.app.outputs.sparse import Sparse
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.io.documents import HMF_ON_WITHDRAWAL, admission_hmf
from zonekeeper.money import in_money_context
from zonekeeper.zone.admission_doc import AdmissionDocument
from zonekeeper.zone.alerts import Alert
from zonekeeper.zone.entries import MpfCharge
from zonekeeper.zone.hmf import HmfQuarter
from zonekeeper.zone.weekly import EstimatedEntry, WeeklyEntry
from zonekeeper.zone.withdrawal_duty import EntryLine, WithdrawalDuty


def _quantity(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


Quantity = Annotated[Decimal, PlainSerializer(_quantity, return_type=str)]
"""A quantity as plain decimal text: `10`, `2.5`."""
Day = Annotated[dt.date | None, PlainSerializer(_day, return_type=str | None)]
"""A date, ISO (`2026-05-04`), or null."""
Text = Annotated[Decimal, PlainSerializer(str, return_type=str)]
"""A decimal written with every digit it has (a rate, an unrounded amount)."""


Books = dict[str, Any]
"""The chain head a document was read at: `zone`, `head_seq`, `head_hash`."""


def _books(head: ChainHead | None) -> Books | None:
    return None if head is None else head.books_json()


class EntryComponent(Output):
    """One priced part of an entry line (base rate, a Chapter 99 measure, AD/CVD)."""

    program: str
    heading: str
    rate: str
    basis: str
    amount: Money
    source: str


class EntryLineDoc(Sparse):
    """One line of an entry, numbered by its summary and line inside a document."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"summary", "line"})

    summary: int | None = None
    line: int | None = None
    hts: str
    origin: str
    status: str
    spi: str | None
    pf_date: Day
    value: Money
    quantity: Quantity
    unit: str
    duty: Money
    components: list[EntryComponent]
    cannot_compute: list[str]
    warnings: list[str]
    basis: str
    shipments: list[str]
    lots: list[str]

    @classmethod
    @in_money_context
    def of(cls, line: EntryLine, *, summary: int | None = None,
           number: int | None = None) -> EntryLineDoc:  # fmt: skip
        return cls.model_construct(
            summary=summary, line=number, hts=line.hts, origin=line.origin,
            status=line.status, spi=line.key.spi, pf_date=line.key.pf_date, value=line.value,
            quantity=line.quantity, unit=line.unit, duty=line.duty,
            components=components(line), cannot_compute=list(line.cannot_compute),
            warnings=list(line.warnings), basis=line.basis_note,
            shipments=list(line.shipments), lots=list(line.lots),
        )  # fmt: skip


def components(line: EntryLine) -> list[EntryComponent]:
    return [EntryComponent.model_construct(program=c.program, heading=c.heading, rate=c.rate,
                                           basis=c.basis, amount=c.amount, source=c.source)
            for c in line.components]  # fmt: skip


class Mpf(Output):
    """MPF of one entry summary with its derivation (19 CFR 24.23(b)(1)(i))."""

    amount: Money
    foreign_value: Money
    rate_pct: str
    exact: Text
    minimum: Money
    maximum: Money
    fiscal_year: str
    bound: str
    derivation: str
    caveat: str  # empty, or why the fiscal year's floor and cap are not confirmed

    @classmethod
    @in_money_context
    def of(cls, charge: MpfCharge) -> Mpf:
        return cls.model_construct(
            amount=charge.amount, foreign_value=charge.foreign_value,
            rate_pct=str((charge.rate * 100).normalize()), exact=charge.exact,
            minimum=charge.minimum, maximum=charge.maximum, fiscal_year=charge.fiscal_year,
            bound=charge.bound, derivation=charge.derivation, caveat=charge.caveat,
        )  # fmt: skip


class EstimateLine(Output):
    part: str
    hts: str
    quantity: Quantity
    unit: str
    zone_value: Money
    dutiable_value: Money


class Estimate(Sparse):
    """CBP Form 3461 data: units of each article expected to leave in the week (146.63(c))."""

    form: str = "CBP Form 3461"
    entry_type: str = "06"
    week: str
    filed_on: Day
    supplemental: bool
    lines: list[EstimateLine]
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(cls, est: EstimatedEntry, head: ChainHead | None = None) -> Estimate:
        return cls.model_construct(
            form="CBP Form 3461", entry_type="06", week=str(est.week), filed_on=est.filed_on,
            supplemental=est.supplemental,
            lines=[EstimateLine.model_construct(
                part=line.part, hts=line.hts, quantity=line.quantity, unit=line.unit,
                zone_value=line.zone_value, dutiable_value=line.dutiable_value,
            ) for line in est.lines],
            books=_books(head),
        )  # fmt: skip


class Summary(Output):
    sequence: int
    lines: int
    foreign_value: Money
    duty: Money
    mpf: Mpf
    total: Money


class NotEntered(Output):
    shipment_no: str
    date: Day
    part: str
    quantity: Quantity
    disposition: str
    reason: str


class Overrun(Output):
    part: str
    estimated: Quantity
    removed: Quantity
    excess: Quantity
    exceeded_on: Day
    supplemental_filed: bool


class SingleEntry(Output):
    shipment_no: str
    entry_date: Day
    foreign_value: Money
    mpf: Money
    bound: str


class SingleEntries(Output):
    """What the week's shipments would pay in MPF entered one by one."""

    count: int
    mpf: Money
    weekly_mpf: Money
    saving: Money
    entries: list[SingleEntry]


class WeeklyEntryDoc(Sparse):
    """The week's type-06 entry (19 CFR 146.63(c)): lines by summary, duty, MPF once per
    summary, what single entries would have paid, estimate overruns, what was not entered."""

    entry_type: str
    zone: str
    week: str
    week_start: Day
    week_end: Day
    entry_date: Day
    summary_date: Day
    summary_due: Day
    removals: int
    lines: list[EntryLineDoc]
    foreign_value: Money
    domestic_value_excluded: Money
    waste_value_allowed: Money
    duty: Money
    mpf: Money
    hmf: str
    hmf_note: str
    total: Money
    cannot_compute: list[str]
    summaries: list[Summary]
    not_entered: list[NotEntered]
    estimate_overruns: list[Overrun]
    supplemental_estimate: Estimate | None
    single_entries: SingleEntries
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(cls, entry: WeeklyEntry, head: ChainHead | None = None) -> WeeklyEntryDoc:
        comparison = entry.single_entries
        return cls.model_construct(
            entry_type=entry.entry_type, zone=entry.zone, week=str(entry.week),
            week_start=entry.week.start, week_end=entry.week.end, entry_date=entry.entry_date,
            summary_date=entry.summary_date, summary_due=entry.summary_due,
            removals=entry.removals,
            lines=[EntryLineDoc.of(n.line, summary=s.sequence, number=n.number)
                   for s in entry.summaries for n in s.lines],
            foreign_value=entry.foreign_value, domestic_value_excluded=entry.domestic_value,
            waste_value_allowed=entry.waste_value, duty=entry.duty, mpf=entry.mpf,
            hmf="0.00", hmf_note=HMF_ON_WITHDRAWAL, total=entry.total,
            cannot_compute=list(entry.cannot_compute),
            summaries=[Summary.model_construct(
                sequence=s.sequence, lines=len(s.lines), foreign_value=s.foreign_value,
                duty=s.duty, mpf=Mpf.of(s.mpf), total=s.total) for s in entry.summaries],
            not_entered=[NotEntered.model_construct(
                shipment_no=n.shipment_no, date=n.date, part=n.part, quantity=n.quantity,
                disposition=str(n.disposition), reason=n.reason) for n in entry.not_entered],
            estimate_overruns=[Overrun.model_construct(
                part=o.part, estimated=o.estimated, removed=o.removed, excess=o.excess,
                exceeded_on=o.exceeded_on, supplemental_filed=o.covered)
                for o in entry.overruns],
            supplemental_estimate=(None if entry.supplemental is None
                                   else Estimate.of(entry.supplemental)),
            single_entries=SingleEntries.model_construct(
                count=len(comparison.entries), mpf=comparison.single_mpf,
                weekly_mpf=comparison.weekly_mpf, saving=comparison.saving,
                entries=[SingleEntry.model_construct(
                    shipment_no=e.shipment_no, entry_date=e.entry_date,
                    foreign_value=e.foreign_value, mpf=e.mpf, bound=e.bound)
                    for e in comparison.entries]),
            books=_books(head),
        )  # fmt: skip


class NpfRecompute(Output):
    """NPF duty recomputed at exit against the estimate made at admission (146.65(a)(2))."""

    estimate_at_admission: Money
    at_exit: Money
    difference: Money
    cannot_compute: list[str]


class RemovalEntry(Output):
    """One removal entered on its own (type 06), or the no-duty record of an export etc."""

    entry_type: str | None
    shipment_no: str
    date: Day
    entry_date: Day
    part: str
    hts: str
    origin: str
    quantity: Quantity
    disposition: str
    lines: list[EntryLineDoc]
    foreign_value: Money
    domestic_value_excluded: Money
    waste_value_allowed: Money
    duty: Money
    mpf: Mpf | None
    total: Money
    notes: list[str]
    npf_recompute: NpfRecompute | None
    cannot_compute: list[str]

    @classmethod
    @in_money_context
    def of(cls, result: WithdrawalDuty, mpf: MpfCharge | None = None) -> RemovalEntry:
        removal, recompute, duty = result.removal, result.npf_recompute, result.duty
        return cls.model_construct(
            entry_type="06" if result.lines else None, shipment_no=removal.shipment_no,
            date=removal.date, entry_date=result.entry_date, part=removal.part,
            hts=removal.hts, origin=removal.origin, quantity=removal.quantity,
            disposition=str(removal.disposition),
            lines=[EntryLineDoc.of(line, number=i) for i, line in enumerate(result.lines, 1)],
            foreign_value=result.foreign_value, domestic_value_excluded=result.domestic_value,
            waste_value_allowed=result.waste_value, duty=duty,
            mpf=None if mpf is None else Mpf.of(mpf),
            total=None if duty is None else duty + (mpf.amount if mpf else Decimal(0)),
            notes=list(result.notes),
            npf_recompute=None if recompute is None else NpfRecompute.model_construct(
                estimate_at_admission=recompute.estimate, at_exit=recompute.at_exit,
                difference=recompute.difference,
                cannot_compute=list(recompute.cannot_compute)),
            cannot_compute=list(result.cannot_compute),
        )  # fmt: skip


class ConsumptionEntryDoc(Sparse):
    """One shipment as its own consumption entry: its removals and the entry's MPF."""

    shipment_no: str
    entry_type: str | None
    removals: list[RemovalEntry]
    duty: Money
    mpf: Mpf | None
    total: Money
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(
        cls, shipment_no: str, results: Sequence[WithdrawalDuty], mpf: MpfCharge | None,
        head: ChainHead | None = None,
    ) -> ConsumptionEntryDoc:
        duties = [r.duty for r in results]
        duty = None if None in duties else sum((d for d in duties if d is not None), Decimal(0))
        return cls.model_construct(
            shipment_no=shipment_no, entry_type="06" if mpf is not None else None,
            removals=[RemovalEntry.of(r) for r in results], duty=duty,
            mpf=None if mpf is None else Mpf.of(mpf),
            total=None if duty is None else duty + (mpf.amount if mpf else Decimal(0)),
            books=_books(head),
        )  # fmt: skip


class AdmissionLineDoc(Output):
    line: int
    status_requested: str
    status: str
    part: str
    description: str
    hts: str | None
    origin: str | None
    quantity: Quantity
    unit: str
    value: Money
    pf_date: Day
    duty_kind: str
    duty: Money
    duty_note: str
    components: list[EntryComponent]
    cannot_compute: list[str]


class AdmissionDoc(Sparse):
    """CBP Form 214 data of one admission, each line with its duty at admission (146.32,
    146.65); HMF on vessel cargo only (24.24): null when the mode was not recorded."""

    form: str
    zone: str
    admission_no: str
    date: Day
    mode: str | None
    value: Money
    lines: list[AdmissionLineDoc]
    duty_owed_pf: Money
    duty_estimate_npf: Money
    hmf: Money
    hmf_note: str
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(cls, doc: AdmissionDocument, head: ChainHead | None = None) -> AdmissionDoc:
        hmf, note = admission_hmf(doc)
        return cls.model_construct(
            form="CBP Form 214", zone=doc.zone, admission_no=doc.admission_no, date=doc.date,
            mode=doc.mode, value=doc.value,
            lines=[AdmissionLineDoc.model_construct(
                line=d.line.line, status_requested=d.form_status, status=d.line.status,
                part=d.line.part, description=d.line.description, hts=d.line.hts,
                origin=d.line.origin, quantity=d.line.quantity, unit=d.line.unit,
                value=d.line.value, pf_date=d.line.pf_date, duty_kind=d.duty.kind,
                duty=d.duty.duty, duty_note=d.duty.note,
                components=components(d.duty.line) if d.duty.line else [],
                cannot_compute=list(d.duty.line.cannot_compute) if d.duty.line else [],
            ) for d in doc.lines],
            duty_owed_pf=doc.duty_owed, duty_estimate_npf=doc.duty_estimate, hmf=hmf,
            hmf_note=note, books=_books(head),
        )  # fmt: skip


class HmfAdmission(Output):
    admission_no: str
    date: Day
    value: Money
    rate_pct: str
    exact: Text


class HmfModeConflict(Output):
    """An admission whose lines record different modes of transport: HMF not decided."""

    admission_no: str
    modes: list[str]


class HmfDoc(Sparse):
    """The quarter's HMF on vessel admissions, for CBP Form 349 (19 CFR 24.24, 146.22(e))."""

    form: str
    class_code: str
    quarter: str
    from_: Day = Field(serialization_alias="from")
    to: Day
    due: Day
    value: Money
    fee: Money
    admissions: list[HmfAdmission]
    not_vessel: list[str]
    mode_unknown: list[str]
    mode_conflict: list[HmfModeConflict]
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(cls, q: HmfQuarter, head: ChainHead | None = None) -> HmfDoc:
        return cls.model_construct(
            form="CBP Form 349", class_code=q.class_code, quarter=str(q.quarter),
            from_=q.quarter.start, to=q.quarter.end, due=q.due, value=q.value, fee=q.fee,
            admissions=[HmfAdmission.model_construct(
                admission_no=line.admission_no, date=line.date, value=line.value,
                rate_pct=str((line.rate * 100).normalize()), exact=line.exact)
                for line in q.lines],
            not_vessel=list(q.not_vessel), mode_unknown=list(q.mode_unknown),
            mode_conflict=[HmfModeConflict.model_construct(
                admission_no=c.admission_no, modes=list(c.modes)) for c in q.mode_conflict],
            books=_books(head),
        )  # fmt: skip

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class AlertDoc(Output):
    kind: str
    subject: str
    message: str
    due: Day
    overdue: bool
    citation: str


class AlertsDoc(Sparse):
    """Every open alert of the zone as of a date (19 CFR 146: filings, counts, permits)."""

    as_of: Day
    alerts: list[AlertDoc]
    books: Books | None = None

    @classmethod
    @in_money_context
    def of(cls, found: Sequence[Alert], as_of: dt.date,
           head: ChainHead | None = None) -> AlertsDoc:  # fmt: skip
        return cls.model_construct(
            as_of=as_of,
            alerts=[AlertDoc.model_construct(kind=a.kind, subject=a.subject, message=a.message,
                                             due=a.due, overdue=a.overdue, citation=a.citation)
                    for a in found],
            books=_books(head),
        )  # fmt: skip
