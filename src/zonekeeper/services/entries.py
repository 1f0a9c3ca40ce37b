"""Use cases of leaving the zone: read the books, run the entries core, hand back documents.

The shell side of `zone.withdrawal_duty`, `zone.weekly`, `zone.admission_doc`, `zone.hmf`
and `zone.alerts`: it reads the zone's state, events and postings through the ledger
service (`services.ledger.Ledger`) and the store, turns shipment postings into `Removal`s
(status composition x quantity, 19 CFR 146.65), admissions into Form 214 lines and counts
into findings, and prices them with the real tariff (`duty.quote.quote_line`) through a
`TariffQuoter`. Nothing here writes: entries are documents built from the books.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import ZERO
from zonekeeper.store import codec
from zonekeeper.store.schema import discrepancies, events
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.units import unit_key
from zonekeeper.zone.admission_doc import AdmissionDocument, AdmissionLine, admission_document
from zonekeeper.zone.alerts import Alert, AlertInputs, CountFinding, SuspenseHold, alerts
from zonekeeper.zone.entries import DutyRequest, MpfCharge, Quoted, mpf_charge
from zonekeeper.zone.events import Admission, Shipment, from_record
from zonekeeper.zone.hmf import HmfQuarter, Quarter, ZoneAdmission, hmf_quarter
from zonekeeper.zone.ledger import DutyRule, Lot, Movement, Posting, ZoneState
from zonekeeper.zone.records import Discrepancy
from zonekeeper.zone.status import ZoneStatus
from zonekeeper.zone.weekly import (
    EstimatedEntry,
    Week,
    WeeklyEntry,
    estimate_from_removals,
    weekly_entry,
)
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    Disposition,
    NpfInput,
    PfComponent,
    Removal,
    WithdrawalDuty,
    withdrawal_duty,
)

# ----------------------------------------------------------------------- the quoter


@dataclass(frozen=True)
class _Refused:
    """A line the duty engine refused (unknown HTS, bad unit): reported, not dutied as 0."""

    components: tuple[Any, ...]
    duty: Decimal | None
    cannot_compute: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class TariffQuoter:
    """The real tariff behind the zone core's `Quoter` seam, with a per-request cache.

    Units are mapped to the duty engine's canonical keys (`No.` -> `each`); a request the
    engine refuses (e.g. an HTS not in the schedule) becomes a line that cannot be computed,
    with the engine's reasons, so the rest of the entry still prices.
    """

    tariff: Tariff
    cache: dict[tuple[Any, ...], Quoted] = field(default_factory=dict)

    def __call__(self, request: DutyRequest, on: dt.date, frozen_on: dt.date | None) -> Quoted:
        quantities = {}
        for unit, qty in request.quantities.items():
            key = unit_key(unit)
            if key is not None:
                quantities[key] = qty
        slot = (request.hts, request.origin, request.value, tuple(sorted(quantities.items())),
                request.spi, on, frozen_on)
        found = self.cache.get(slot)
        if found is not None:
            return found
        item = LineItem(request.hts, request.origin, request.value, quantities, request.spi)
        quoted: Quoted
        try:
            quoted = quote_line(self.tariff, item, on, frozen_on=frozen_on)
        except InputError as error:
            quoted = _Refused((), None, tuple(f"{request.hts}: {p.reason}" for p in error.problems))
        self.cache[slot] = quoted
        return quoted

    def pf_required(self, hts: str, origin: str, on: dt.date) -> list[str]:
        """Reasons goods admitted on `on` must be PF (`MeasureBook.pf_required`)."""
        return [
            f"{m.heading} ({m.title}) requires PF from {m.pf_required_from}"
            for m in self.tariff.measures.pf_required(hts, origin, on)
        ]


# ------------------------------------------------------------------ reading the books


@dataclass(frozen=True)
class Books:
    """What the entries read from one zone: its state, events by kind, shipment postings."""

    zone: str
    state: ZoneState
    admissions: tuple[tuple[int, Admission], ...]
    shipments: Mapping[int, Shipment]
    postings: tuple[Posting, ...]
    findings: tuple[Discrepancy, ...]
    opened: dt.date | None


def _events_of(connection: Any, zone: str, kinds: Sequence[str]) -> Iterator[tuple[int, Any]]:
    query = (
        select(events.c.seq, events.c.kind, events.c.payload)
        .where(events.c.zone == zone, events.c.kind.in_(kinds))
        .order_by(events.c.seq)
        .execution_options(yield_per=10_000)
    )
    for seq, kind, payload in connection.execute(query):
        yield seq, from_record(kind, json.loads(payload))


def read_books(url: str, zone: str | None = None) -> Books:
    """Load what the entries need in a handful of bulk reads (no per-row round trips)."""
    from zonekeeper.services.ledger import Ledger

    with Ledger.open(url, zone, pf_rule=None) as ledger:
        state = ledger.state()
        postings = tuple(ledger.all_postings())
        with ledger.engine.connect() as connection:
            admissions = tuple(
                (seq, e) for seq, e in _events_of(connection, ledger.zone, ["admission"])
                if isinstance(e, Admission)
            )
            shipments = {
                seq: e for seq, e in _events_of(connection, ledger.zone, ["shipment"])
                if isinstance(e, Shipment)
            }
            findings = tuple(
                codec.loads(Discrepancy, data)
                for (data,) in connection.execute(
                    select(discrepancies.c.data)
                    .where(discrepancies.c.zone == ledger.zone)
                    .order_by(discrepancies.c.seq, discrepancies.c.n)
                )
            )
            first = connection.execute(
                select(events.c.date).where(events.c.zone == ledger.zone)
                .order_by(events.c.seq).limit(1)
            ).scalar_one_or_none()
        return Books(ledger.zone, state, admissions, shipments, postings, findings, first)


# ------------------------------------------------------------ postings -> removals


def _dotted(hts: str | None) -> str:
    """The code as the entry prints it (8537.10.91.70); left as given when it does not parse."""
    if not hts:
        return ""
    try:
        return HtsCode.parse(hts).dotted
    except (InputError, ValueError):
        return hts


class _Tracer:
    """Turns shipment postings into removals with their status composition (146.65).

    A produced lot's NPF content is traced one production back to the NPF lots consumed,
    so the estimate made at their admission can be recomputed at exit; foreign inputs lost
    as waste in that production are shown as the 19 USC 81c(a) allowance.
    """

    def __init__(self, books: Books) -> None:
        self.books = books
        self.by_seq: dict[int, list[Posting]] = defaultdict(list)
        for p in books.postings:
            self.by_seq[p.seq].append(p)

    def unit_of(self, part: str, on: dt.date) -> str:
        found = self.books.state.master.part_on(part, on)
        return found.unit if found is not None else ""

    def npf_inputs(self, lot: Lot, per_unit_qty: Decimal, depth: int = 0) -> list[NpfInput]:
        """NPF inputs in `per_unit_qty` units of `lot`, at their admission classification."""
        comp = lot.composition
        if comp.npf_value <= ZERO:
            return []
        if not lot.produced or depth > 8:
            return [NpfInput(lot.part, _dotted(lot.hts), lot.origin or "",
                             comp.npf_value * per_unit_qty, per_unit_qty,
                             self.unit_of(lot.part, lot.date), lot.date, lot.id)]
        made = sum((p.quantity for p in self.by_seq[lot.seq]
                    if p.lot == lot.id and p.movement is Movement.PRODUCED), ZERO)
        if made <= ZERO:
            return []
        found: list[NpfInput] = []
        for p in self.by_seq[lot.seq]:
            if p.movement is not Movement.CONSUMED:
                continue
            source = self.books.state.lots.get(p.lot)
            if source is None:
                continue
            used = -p.quantity - (p.waste or ZERO) - (p.scrap or ZERO)
            found.extend(self.npf_inputs(source, used / made * per_unit_qty, depth + 1))
        return found

    def waste_value(self, lot: Lot, qty: Decimal) -> Decimal:
        if not lot.produced:
            return ZERO
        made = sum((p.quantity for p in self.by_seq[lot.seq]
                    if p.lot == lot.id and p.movement is Movement.PRODUCED), ZERO)
        if made <= ZERO:
            return ZERO
        lost = sum(
            ((p.waste or ZERO) * p.composition.dutiable_value for p in self.by_seq[lot.seq]
             if p.movement is Movement.CONSUMED),
            ZERO,
        )
        return lost * qty / made

    def removal(self, p: Posting, shipment: Shipment | None) -> Removal:
        lot = self.books.state.lots[p.lot]
        qty = -p.quantity
        comp = p.composition
        part = self.books.state.master.part_on(p.part, p.date)
        hts = _dotted(lot.hts or (part.hts if part else None))
        origin = lot.origin or (part.origin if part else None)
        if not origin and len(comp.npf_origins) == 1:
            origin = comp.npf_origins[0]
        pf = tuple(
            PfComponent(c.part, _dotted(c.hts), c.origin or "", c.value * qty, c.quantity * qty,
                        self.unit_of(c.part, c.pf_date), c.pf_date, c.lot)
            for c in comp.pf
        )
        npf = tuple(self.npf_inputs(lot, qty))
        traced = sum((n.value for n in npf), ZERO)
        untraced = comp.npf_value * qty - traced
        if untraced > ZERO:
            npf += (NpfInput(p.part, "", "", untraced, qty, "", lot.date, lot.id),)
        return Removal(
            shipment_no=shipment.ref if shipment else p.reference,
            date=p.date,
            part=p.part,
            hts=hts,
            origin=origin or "",
            quantity=qty,
            unit=part.unit if part else "",
            disposition=Disposition(str(p.disposition or "consumption")),
            composition=Composition(
                pf=pf,
                npf=npf,
                domestic_value=comp.domestic_value * qty,
                zr_value=comp.zr_value * qty,
                waste_value=self.waste_value(lot, qty),
            ),
            zone_value=p.zone_value,
            description=lot.description,
        )


def removals(books: Books, *, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Removal]:
    """Every shipment posting (not reversed by a correction) as a `Removal`."""
    tracer = _Tracer(books)
    corrected = books.state.corrected
    out = []
    for p in books.postings:
        if p.movement is not Movement.SHIPPED or p.kind != "shipment" or p.seq in corrected:
            continue
        if (since and p.date < since) or (until and p.date > until):
            continue
        out.append(tracer.removal(p, books.shipments.get(p.seq)))
    return out


def shortage_duty_rule(tariff: Tariff) -> DutyRule:
    """The ledger's `duty_rule` for shortages (146.53(a)(3)): duty the missing goods owe.

    Priced as a removal for consumption on the count date: PF content at its frozen rate,
    NPF content at the lot's own classification. Raises CannotCompute with the reasons when
    any part cannot be priced, so the ledger flags the shortage conservatively.
    """
    quoter = TariffQuoter(tariff)

    def rule(lot: Lot, quantity: Decimal, on: dt.date) -> Decimal:
        comp = lot.composition
        pf = tuple(
            PfComponent(c.part, _dotted(c.hts), c.origin or "", c.value * quantity,
                        c.quantity * quantity, "", c.pf_date, c.lot)
            for c in comp.pf
        )
        npf: tuple[NpfInput, ...] = ()
        if comp.npf_value > ZERO:
            npf = (NpfInput(lot.part, _dotted(lot.hts), lot.origin or "",
                            comp.npf_value * quantity, quantity, "", lot.date, lot.id),)
        removal = Removal(
            "shortage", on, lot.part, _dotted(lot.hts), lot.origin or "", quantity, "",
            Disposition.CONSUMPTION, Composition(pf=pf, npf=npf),
        )
        result = withdrawal_duty(removal, quoter, on, with_estimate=False)
        duty = result.duty
        if duty is None:
            raise CannotCompute("; ".join(result.cannot_compute) or "duty cannot be computed")
        return duty

    return rule


# --------------------------------------------------------------------------- use cases


def weekly(
    url: str,
    week: Week,
    *,
    tariff: Tariff | None = None,
    entry_date: dt.date | None = None,
    summary_date: dt.date | None = None,
    estimates: Sequence[EstimatedEntry] = (),
    zone: str | None = None,
) -> WeeklyEntry:
    """The week's type-06 entry from the books (19 CFR 146.63(c))."""
    tariff = tariff or Tariff.default()
    books = read_books(url, zone)
    found = removals(books, since=week.start, until=week.end)
    return weekly_entry(week, found, TariffQuoter(tariff), tariff.fees,
                        entry_date=entry_date, summary_date=summary_date, estimates=estimates,
                        zone=books.zone)


def estimate(
    url: str, week: Week, like: Week, *, filed_on: dt.date | None = None,
    zone: str | None = None,
) -> EstimatedEntry:
    """3461 data for `week` from the removals of a week `like` it (e.g. the week before).

    Filed on or before the week's first day (146.63(c)(1)); adjust the units to the plan.
    """
    books = read_books(url, zone)
    found = removals(books, since=like.start, until=like.end)
    return estimate_from_removals(week, found, filed_on or week.start)


@dataclass(frozen=True)
class ConsumptionEntry:
    """One shipment entered on its own: its removals' duty and the entry's MPF."""

    shipment_no: str
    results: tuple[WithdrawalDuty, ...]
    mpf: MpfCharge | None


def consumption(
    url: str, shipment_no: str, *, tariff: Tariff | None = None,
    entry_date: dt.date | None = None, zone: str | None = None,
) -> ConsumptionEntry:
    """Duty on one shipment as a single type-06 entry (default entry date: the removal)."""
    tariff = tariff or Tariff.default()
    books = read_books(url, zone)
    found = [r for r in removals(books) if r.shipment_no == shipment_no]
    if not found:
        raise InputError(Problem(f"there is no shipment {shipment_no!r} in zone {books.zone}",
                                 field="SHIPMENT_NO"))
    quoter = TariffQuoter(tariff)
    results = tuple(withdrawal_duty(r, quoter, entry_date or r.date) for r in found)
    foreign = sum((res.foreign_value for res in results), ZERO)
    mpf = None
    if any(res.lines for res in results):
        mpf = mpf_charge(foreign, tariff.fees.mpf_terms(entry_date or found[0].date))
    return ConsumptionEntry(shipment_no, results, mpf)


def _admission_line(books: Books, e: Admission) -> AdmissionLine:
    part = books.state.master.part_on(e.part, e.date)
    return AdmissionLine(
        admission_no=e.admission_no,
        line=e.line,
        date=e.date,
        part=e.part,
        description=part.description if part else "",
        hts=_dotted(e.hts or (part.hts if part else None)) or None,
        origin=e.origin or (part.origin if part else None),
        quantity=e.quantity,
        unit=part.unit if part else "",
        value=e.value,
        status=str(e.status),
        pf_date=(e.pf_date or e.date) if e.status is ZoneStatus.PRIVILEGED_FOREIGN else None,
        mode=e.mode,
        lot=e.lot or "",
    )


def admission(
    url: str, admission_no: str, *, tariff: Tariff | None = None, zone: str | None = None
) -> AdmissionDocument:
    """Form 214 data of one admission with the duty of each line at admission."""
    tariff = tariff or Tariff.default()
    books = read_books(url, zone)
    lines = [_admission_line(books, e) for _, e in books.admissions
             if e.admission_no == admission_no]
    if not lines:
        raise InputError(Problem(f"there is no admission {admission_no!r} in zone {books.zone}",
                                 field="ADMISSION_NO"))
    return admission_document(books.zone, lines, TariffQuoter(tariff), tariff.fees.hmf_rate)


def hmf(
    url: str, quarter: Quarter, *, tariff: Tariff | None = None, zone: str | None = None
) -> HmfQuarter:
    """The quarter's HMF on vessel admissions (CBP Form 349, 19 CFR 146.22(e))."""
    tariff = tariff or Tariff.default()
    books = read_books(url, zone)
    by_admission: dict[str, ZoneAdmission] = {}
    for _, e in books.admissions:
        prev = by_admission.get(e.admission_no)
        value = e.value + (prev.value if prev else ZERO)
        by_admission[e.admission_no] = ZoneAdmission(e.admission_no, e.date, value, e.mode)
    return hmf_quarter(quarter, by_admission.values(), tariff.fees.hmf_rate)


def _findings(found: Iterable[Discrepancy]) -> list[CountFinding]:
    return [
        CountFinding(
            lot=d.lot, part=d.part, kind=str(d.kind), difference=d.difference,
            found_on=d.date, duty=d.duty, reportable=d.report_to_cbp, reasons=d.reasons,
            deadline=d.deadline,
        )
        for d in found
    ]


def open_alerts(
    url: str, as_of: dt.date, *, estimates: Sequence[EstimatedEntry] = (),
    zone: str | None = None,
) -> list[Alert]:
    """Every open alert of the zone as of a date (never "today" inside the core)."""
    books = read_books(url, zone)
    suspense = [SuspenseHold(s.ref, s.date, s.part, s.quantity, s.reason)
                for s in books.state.suspense.values()]
    return alerts(AlertInputs(
        as_of=as_of,
        removals=removals(books, until=as_of),
        estimates=estimates,
        findings=_findings(books.findings),
        suspense=suspense,
        zone_opened=books.opened,
    ))
