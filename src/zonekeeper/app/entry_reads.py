"""The books read for leaving the zone: the state, events and postings an entry needs, run
through the entries core (`app.entries` offers them as use cases).

The shell side of `zone.withdrawal_duty`, `zone.weekly`, `zone.admission_doc`, `zone.hmf`
and `zone.alerts`: it reads the zone's state, events and postings through the books
(`app.books.Ledger`) and the store, turns shipment postings into `Removal`s
(status composition x quantity, 19 CFR 146.65), admissions into Form 214 lines and counts
into findings, and prices them with the real tariff (`duty.quote.quote_line`) through a
`TariffQuoter`. Nothing here writes: entries are documents built from the books, each
read in one snapshot and handed back `Stamped` with the chain head it was read at (19 CFR
146.21: a filing traceable to the records it came from; the head is what a checkpoint keeps).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson

from zonekeeper.app import filings as filing_service
from zonekeeper.app.books import Ledger, Snapshot
from zonekeeper.bindings.quoter import TariffQuoter, dotted
from zonekeeper.errors import InputError, Problem
from zonekeeper.heap import collector_paused
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.money import ZERO, in_money_context
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.store import codec, projections, reads
from zonekeeper.store.engine import Connection
from zonekeeper.tariff import Tariff
from zonekeeper.zone.admission_doc import AdmissionDocument, AdmissionLine, admission_document
from zonekeeper.zone.alerts import Alert, AlertInputs, CountFinding, SuspenseHold, alerts
from zonekeeper.zone.composition import AdmissionRef
from zonekeeper.zone.composition import Composition as Composition_
from zonekeeper.zone.entries import MpfCharge, mpf_charge
from zonekeeper.zone.events import Admission, Shipment, from_record
from zonekeeper.zone.filings import FiledDocuments
from zonekeeper.zone.hmf import HmfQuarter, Quarter, ZoneAdmission, admissions_of, hmf_quarter
from zonekeeper.zone.ledger import Movement, Posting, ZoneState
from zonekeeper.zone.records import Discrepancy
from zonekeeper.zone.removals import removals as trace_removals
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus
from zonekeeper.zone.weekly import (
    EstimatedEntry,
    Week,
    WeeklyEntry,
    estimate_from_removals,
    weekly_entry,
)
from zonekeeper.zone.withdrawal_duty import Removal, WithdrawalDuty, withdrawal_duty

T = TypeVar("T")


@dataclass(frozen=True)
class Stamped(Generic[T]):
    """A document and the chain head of the books it was made from (read together)."""

    value: T
    head: ChainHead

# ------------------------------------------------------------------ reading the books


@dataclass(frozen=True)
class Books:
    """What the entries read from one zone: its state (master data, suspense account,
    corrections, and only the lots the period's shipments trace to: `_read`), the shipment
    postings of a period (with the production postings their lots came from), shipment and
    admission events, count findings, and the chain head all of it was read at (one
    snapshot)."""

    zone: str
    state: ZoneState
    admissions: tuple[tuple[int, Admission], ...]
    shipments: Mapping[int, str]  # ledger position -> shipment number
    postings: tuple[Posting, ...]  # shipments in the period
    productions: Mapping[int, tuple[Posting, ...]]  # of the producing events (no admissions)
    findings: tuple[Discrepancy, ...]
    opened: dt.date | None
    head: ChainHead


def _events_of(
    connection: Connection, zone: str, kind: str, since: dt.date | None, until: dt.date | None
) -> Iterator[tuple[int, Any]]:
    for seq, _, payload in reads.event_payloads(connection, zone, kind, since=since, until=until):
        yield seq, from_record(kind, json.loads(payload))


# The enums by stored value: a dict lookup, not the enum's own call (a third of the cost of
# reading a posting).
_STATUS = {s.value: s for s in ZoneStatus}
_MOVEMENT = {m.value: m for m in Movement}
_DISPOSITION = {d.value: d for d in ShipmentDisposition}


class _PostingReader:
    """Postings without the generic decoder's cost per row.

    Only the scalar fields are read per row, not the admissions (no removal reads them); a
    composition (a lot's per-unit make-up, the same for every posting of the lot until its
    status changes) is rebuilt by the store codec once per distinct value and shared.
    """

    def __init__(self) -> None:
        self.compositions: dict[bytes, Composition_] = {}

    def composition(self, data: Any) -> Composition_:
        # the codec writes fields in declaration order, so equal compositions serialize equally
        key = orjson.dumps(data)
        found = self.compositions.get(key)
        if found is None:
            found = self.compositions[key] = codec.build(Composition_, data)
        return found

    def shipment(self, data: str) -> Posting | None:
        """A shipment's posting (its admissions left out: no removal reads them); None
        for any other posting."""
        d = orjson.loads(data)
        if d.get("movement") != Movement.SHIPPED.value or d.get("kind") != "shipment":
            return None
        return self._posting(d, Movement.SHIPPED, ())

    def traced(self, data: str) -> Posting:
        """A posting of a production as tracing a removal reads it (`zone.removals`: its
        lots, quantities, waste and compositions), its admissions left out."""
        d = orjson.loads(data)
        return self._posting(d, _MOVEMENT[d["movement"]], ())

    def _posting(
        self, d: dict[str, Any], movement: Movement, admissions: tuple[AdmissionRef, ...]
    ) -> Posting:
        def number(key: str) -> Decimal | None:
            return None if d.get(key) is None else Decimal(d[key])

        return Posting(
            seq=int(d["seq"]),
            row=int(d["row"]),
            kind=d["kind"],
            date=dt.date.fromisoformat(d["date"]),
            movement=movement,
            lot=d["lot"],
            part=d["part"],
            status=_STATUS[d["status"]],
            quantity=Decimal(d["quantity"]),
            value=Decimal(d["value"]),
            composition=self.composition(d["composition"]),
            admissions=admissions,
            reference=d.get("reference", ""),
            disposition=(None if d.get("disposition") is None
                         else _DISPOSITION[d["disposition"]]),
            zone_value=number("zone_value"),
            waste=number("waste"),
            scrap=number("scrap"),
        )


@contextmanager
def _snapshot(url: str, zone: str | None) -> Iterator[Snapshot]:
    """The zone's books at one moment (`Ledger.snapshot`): what a document reads and the
    head it prints agree."""
    with Ledger.open(url, zone, pf_rule=None) as ledger, ledger.snapshot() as books:
        yield books


@in_money_context
def read_books(
    url: str,
    zone: str | None = None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    with_admissions: bool = False,
    with_shipments: bool = True,
) -> Books:
    """Load what the entries need in a handful of bulk reads (no per-row round trips):
    the state, the period's shipment postings and events, the productions behind them.
    The cyclic collector is paused meanwhile: what is read is acyclic, and tens of thousands
    of new objects would set it off again and again over the process's whole heap."""
    with collector_paused(), _snapshot(url, zone) as snapshot:
        return _read(snapshot, since, until, with_admissions, with_shipments)


def _read(
    snapshot: Snapshot,
    since: dt.date | None,
    until: dt.date | None,
    with_admissions: bool = False,
    with_shipments: bool = True,
) -> Books:
    """`read_books` inside a snapshot the caller holds (the alerts read filings in it too).

    Only what the documents read is read: the period's shipment postings (through the
    index of events by kind and date), the lots they were drawn from and, for a produced
    lot, the postings of the production that made it and the lots it consumed (`zone.
    removals` looks one production back), each by key; with the master data, the
    suspense account and the corrections. The state handed back holds those lots, not
    the zone's every lot: reading and building all of them took most of a document's
    time on large books (a week's entry on a million-event zone read 557,589 lots to
    trace 22,000 removals), and no document reads another lot."""
    name, connection, row = snapshot.head.zone, snapshot.connection, snapshot.row
    reader = _PostingReader()
    texts = reads.shipment_posting_texts(connection, name, since=since, until=until)
    shipped = tuple(
        p for p in (reader.shipment(data) for data in texts) if p is not None
    ) if with_shipments else ()
    held = {lot.id: lot for lot in reads.lots_named(connection, name, {p.lot for p in shipped})}
    producing = {lot.seq for lot in held.values() if lot.produced}
    productions: dict[int, list[Posting]] = defaultdict(list)
    for text in reads.posting_texts_of_events(connection, name, producing):
        posting = reader.traced(text)
        productions[posting.seq].append(posting)
    inputs = {p.lot for run in productions.values() for p in run} - held.keys()
    held.update((lot.id, lot) for lot in reads.lots_named(connection, name, inputs))
    state = ZoneState.with_lots(
        name, projections.method_of(row.method), projections.load_master(connection, name),
        held.values(), reads.open_suspense(connection, name), seq=row.head_seq,
        corrected=reads.corrected_events(connection, name),
    )
    shipments = _shipment_numbers(connection, name, since, until) if with_shipments else {}
    admissions = tuple(
        (seq, e) for seq, e in _events_of(connection, name, "admission", None, until)
        if isinstance(e, Admission)
    ) if with_admissions else ()
    findings = tuple(reads.all_discrepancies(connection, name))
    first = reads.first_event_date(connection, name)
    return Books(name, state, admissions, shipments, shipped,
                 {k: tuple(v) for k, v in productions.items()}, findings, first, snapshot.head)


def _shipment_numbers(
    connection: Connection, zone: str, since: dt.date | None, until: dt.date | None
) -> dict[int, str]:
    """Shipment number of each shipment event (its `ref` field, `zone.events.to_record`)."""
    shipments = reads.event_payloads(
        connection, zone, Shipment.kind, ordered=False, since=since, until=until
    )
    return {seq: str(orjson.loads(payload)["ref"]) for seq, _, payload in shipments}


def _shipment_days(snapshot: Snapshot, shipment_no: str) -> list[dt.date]:
    """The dates of the shipment events numbered `shipment_no` (its `ref`, as the canonical
    payload writes it), so that a single entry reads its own days, not the whole books."""
    ref = f'"ref":{json.dumps(shipment_no, ensure_ascii=False)}'
    return [day for _, day in reads.event_dates_containing(
        snapshot.connection, snapshot.head.zone, Shipment.kind, ref, until=dt.date.max)]


# ------------------------------------------------------------ postings -> removals


def removals(books: Books, *, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Removal]:
    """Every shipment posting read (not reversed by a correction) as a `Removal`, traced by
    the zone core (`zone.removals`, 19 CFR 146.65)."""
    return trace_removals(books, books.postings, dotted, since=since, until=until)


# --------------------------------------------------------------------------- use cases


@in_money_context
def weekly(
    url: str,
    week: Week,
    *,
    tariff: Tariff | None = None,
    entry_date: dt.date | None = None,
    summary_date: dt.date | None = None,
    estimates: Sequence[EstimatedEntry] = (),
    zone: str | None = None,
) -> Stamped[WeeklyEntry]:
    """The week's type-06 entry from the books (19 CFR 146.63(c))."""
    tariff = tariff or default_tariff()
    books = read_books(url, zone, since=week.start, until=week.end)
    with collector_paused():  # a week's removals and lines: many objects, no cycles
        found = removals(books, since=week.start, until=week.end)
        entry = weekly_entry(week, found, TariffQuoter(tariff), tariff.fees,
                             entry_date=entry_date, summary_date=summary_date,
                             estimates=estimates, zone=books.zone)
    return Stamped(entry, books.head)


@in_money_context
def weekly_history(
    url: str, weeks: Sequence[Week], *, tariff: Tariff | None = None, zone: str | None = None,
) -> Stamped[list[WeeklyEntry]]:
    """Several weeks' type-06 entries (146.63(c)) from one read of the books over their
    span, as `weekly` makes each with its defaults (the MPF each week saves, week by
    week: one read, not one per week)."""
    tariff = tariff or default_tariff()
    since, until = min(w.start for w in weeks), max(w.end for w in weeks)
    books = read_books(url, zone, since=since, until=until)
    quoter = TariffQuoter(tariff)
    found = [weekly_entry(w, removals(books, since=w.start, until=w.end), quoter, tariff.fees,
                          zone=books.zone) for w in weeks]
    return Stamped(found, books.head)


@in_money_context
def estimate(
    url: str, week: Week, like: Week, *, filed_on: dt.date | None = None,
    zone: str | None = None,
) -> Stamped[EstimatedEntry]:
    """3461 data for `week` from the removals of a week `like` it (e.g. the week before).

    Filed on or before the week's first day (146.63(c)(1)); adjust the units to the plan.
    """
    books = read_books(url, zone, since=like.start, until=like.end)
    found = removals(books, since=like.start, until=like.end)
    return Stamped(estimate_from_removals(week, found, filed_on or week.start), books.head)


@dataclass(frozen=True)
class ConsumptionEntry:
    """One shipment entered on its own: its removals' duty and the entry's MPF."""

    shipment_no: str
    results: tuple[WithdrawalDuty, ...]
    mpf: MpfCharge | None


@in_money_context
def consumption(
    url: str, shipment_no: str, *, tariff: Tariff | None = None,
    entry_date: dt.date | None = None, zone: str | None = None,
) -> Stamped[ConsumptionEntry]:
    """Duty on one shipment as a single type-06 entry (default entry date: the removal)."""
    tariff = tariff or default_tariff()
    with _snapshot(url, zone) as snapshot:
        days = _shipment_days(snapshot, shipment_no)
        books = _read(snapshot, min(days), max(days)) if days else None
    found = [r for r in removals(books) if r.shipment_no == shipment_no] if books else []
    if books is None or not found:
        raise InputError(Problem(
            f"there is no shipment {shipment_no!r} in zone {snapshot.head.zone}",
            field="SHIPMENT_NO", code="entries.unknown-shipment"))
    quoter = TariffQuoter(tariff)
    results = tuple(withdrawal_duty(r, quoter, entry_date or r.date) for r in found)
    foreign = sum((res.foreign_value for res in results), ZERO)
    mpf = None
    if any(res.lines for res in results):
        mpf = mpf_charge(foreign, tariff.fees.mpf_terms(entry_date or found[0].date))
    return Stamped(ConsumptionEntry(shipment_no, results, mpf), books.head)


def _admission_line(books: Books, e: Admission) -> AdmissionLine:
    part = books.state.master.part_on(e.part, e.date)
    return AdmissionLine(
        admission_no=e.admission_no,
        line=e.line,
        date=e.date,
        part=e.part,
        description=part.description if part else "",
        hts=dotted(e.hts or (part.hts if part else None)) or None,
        origin=e.origin or (part.origin if part else None),
        quantity=e.quantity,
        unit=part.unit if part else "",
        value=e.value,
        status=str(e.status),
        pf_date=(e.pf_date or e.date) if e.status is ZoneStatus.PRIVILEGED_FOREIGN else None,
        mode=e.mode,
        lot=e.lot or "",
    )


@in_money_context
def admission(
    url: str, admission_no: str, *, tariff: Tariff | None = None, zone: str | None = None
) -> Stamped[AdmissionDocument]:
    """Form 214 data of one admission with the duty of each line at admission."""
    tariff = tariff or default_tariff()
    books = read_books(url, zone, with_admissions=True, with_shipments=False)
    lines = [_admission_line(books, e) for _, e in books.admissions
             if e.admission_no == admission_no]
    if not lines:
        raise InputError(Problem(f"there is no admission {admission_no!r} in zone {books.zone}",
                                 field="ADMISSION_NO", code="entries.unknown-admission"))
    document = admission_document(books.zone, lines, TariffQuoter(tariff), tariff.fees.hmf_rate)
    return Stamped(document, books.head)


@in_money_context
def hmf(
    url: str, quarter: Quarter, *, tariff: Tariff | None = None, zone: str | None = None
) -> Stamped[HmfQuarter]:
    """The quarter's HMF on vessel admissions (CBP Form 349, 19 CFR 146.22(e))."""
    tariff = tariff or default_tariff()
    books = read_books(url, zone, with_admissions=True, with_shipments=False)
    lines = (ZoneAdmission(e.admission_no, e.date, e.value, e.mode) for _, e in books.admissions)
    return Stamped(hmf_quarter(quarter, admissions_of(lines), tariff.fees.hmf_rate), books.head)


# Removals older than this are not read for the estimate checks of their week; the weeks
# that owe an entry summary come from the whole books (`app.filings.consumption_weeks`).
ALERT_LOOKBACK = dt.timedelta(days=90 + 7 + 16)


def _findings(
    found: Iterable[Discrepancy], as_of: dt.date, corrected: frozenset[int],
    filed: FiledDocuments,
) -> list[CountFinding]:
    """Count findings up to `as_of` (a corrected count found nothing), each marked with
    what the books record as filed for its lot since it was found (146.53(a), (d))."""
    return [
        CountFinding(
            lot=d.lot, part=d.part, kind=str(d.kind), difference=d.difference,
            found_on=d.date, duty=d.duty, reportable=d.report_to_cbp, reasons=d.reasons,
            resolved=filed.overage_documented(d.lot, d.date),
            reported=filed.shortage_reported(d.lot, d.date),
            deadline=d.deadline,
        )
        for d in found
        if d.date <= as_of and d.seq not in corrected
    ]


@in_money_context
def open_alerts(
    url: str, as_of: dt.date, *, estimates: Sequence[EstimatedEntry] = (),
    zone: str | None = None,
) -> Stamped[list[Alert]]:
    """Every open alert of the zone as of a date (never "today" inside the core); an alert
    clears when the books record the filing that answers it (`zone.filings`)."""
    with _snapshot(url, zone) as snapshot:
        # The removals are read for the estimates only: the weeks that owe a summary come
        # from the whole books (`consumption_weeks`), which hold every week a removal
        # could add, so without estimates they would change no alert.
        books = _read(snapshot, as_of - ALERT_LOOKBACK, as_of, with_shipments=bool(estimates))
        corrected = books.state.corrected
        c = snapshot.connection
        recorded = filing_service.read_filings(c, books.zone, corrected)
        filed = FiledDocuments.of(recorded, as_of)
        permits = filing_service.transfer_permits(c, books.zone, filed.permits, corrected)
        weeks = filing_service.consumption_weeks(c, books.zone, as_of, corrected)
    suspense = [SuspenseHold(s.ref, s.date, s.part, s.quantity, s.reason)
                for s in books.state.suspense.values() if s.date <= as_of]
    found = alerts(AlertInputs(
        as_of=as_of,
        removals=removals(books, until=as_of),
        estimates=estimates,
        summaries_filed=filed.weeks_summarized,
        supplementals_filed=filed.weeks_supplemented,
        consumption_weeks=weeks,
        permits=permits,
        findings=_findings(books.findings, as_of, corrected, filed),
        suspense=suspense,
        zone_opened=books.opened,
        reconciliations_done=filed.reconciliations,
        certifications_done=filed.certifications,
        filings_tracked=True,
    ))
    return Stamped(found, books.head)
