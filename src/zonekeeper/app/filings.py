"""Use cases of the books' filing records: record what was filed with CBP, read it back.

A `Filing` is posted like any other event (one transaction, hash-chained, 19 CFR 146.21):
`record` normalizes the filings, refuses one already recorded (same kind, reference and
coverage) and posts the batch whole or not at all. `read_filings`, `transfer_permits` and
`consumption_weeks` give the alerts (`open_alerts` of the entries) what was filed, which
permitted goods left and which weeks had removals for consumption (146.63(c)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import orjson

from zonekeeper.app.books import Ledger, Posted, Trial
from zonekeeper.dates import parse_date
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import in_money_context
from zonekeeper.store.engine import Connection
from zonekeeper.store.reads import event_payloads, first_event_date, first_events_containing
from zonekeeper.zone.alerts import Alert, TransferPermit
from zonekeeper.zone.events import Filing, Shipment
from zonekeeper.zone.filings import (
    CERTIFICATION,
    ENTRY_SUMMARY,
    FILING_KINDS,
    FORM_214_OVERAGE,
    RECONCILIATION,
    SHORTAGE_REPORT,
    SUPPLEMENTAL_3461,
    TRANSFER_PERMIT,
    normalized,
    parse_kind,
    zone_year,
)
from zonekeeper.zone.status import ShipmentDisposition
from zonekeeper.zone.weekly import Week

_CONSUMPTION = f'"disposition":"{ShipmentDisposition.CONSUMPTION.value}"'


def filing_of(
    kind: str, ref: str, on: str, covers: str, note: str = "", *,
    kind_field: str = "kind", date_field: str = "date",
) -> Filing:
    """One filing as a person typed it (`zonekeeper filed`, the alerts page's form): the
    kind as written (`Entry-Summary`) and the date ISO; InputError with both problems, each
    naming the field it was typed in."""
    problems = []
    document = kind
    try:
        document = parse_kind(kind)
    except ValueError as error:
        problems.append(Problem(str(error), field=kind_field, code="filing.kind"))
    day: dt.date | None = None
    try:
        day = parse_date(on)
    except ValueError as error:
        problems.append(Problem(str(error), field=date_field, code="filing.date"))
    if problems or day is None:
        raise InputError(problems)
    return Filing(day, document, ref, covers, note)


# The filing that clears each kind of alert (`zone.alerts`), and how to read what it covers
# from the alert's subject: a week (`2026-W32`, `2026-W32 part X`), a lot (`lot L (P)`) or
# a zone year (`zone year ended 2025-12-31`). Other alerts (goods in suspense, a permit
# whose goods have not left) clear by a posting, not by a filing.
_ANSWERS: dict[str, str] = {
    "entry_summary_due": ENTRY_SUMMARY,
    "estimate_exceeded": SUPPLEMENTAL_3461,
    "overage_undocumented": FORM_214_OVERAGE,
    "shortage_reportable": SHORTAGE_REPORT,
    "reconciliation_due": RECONCILIATION,
    "certification_due": CERTIFICATION,
}


def answering(alert: Alert) -> tuple[str, str] | None:
    """The filing kind that clears `alert` and what it covers (a suggestion the person
    recording it may change), or None when no filing clears it."""
    kind = _ANSWERS.get(alert.kind)
    if kind is None:
        return None
    words = alert.subject.split()
    covers = {"week": words[0] if words else "",
              "lot": words[1] if len(words) > 1 and words[0] == "lot" else alert.subject,
              "year": words[-1][:4] if words else ""}[FILING_KINDS[kind]]
    return kind, covers


@in_money_context
def record(
    ledger: Ledger,
    filings: Sequence[Filing],
    *,
    source: str | None = None,
    rows: Sequence[int] | None = None,
    skip_posted: bool = False,
) -> Posted:
    """Post `filings` to the books of `ledger`; InputError with every problem (a filing
    recorded before, or one the core refuses), nothing posted. `skip_posted`: a filing the
    books hold with identical content is left out instead (`Ledger.post`)."""
    batch = [normalized(f) for f in filings]
    problems = _problems(ledger, batch, source, rows, skip_posted)
    if problems:
        raise InputError(problems)
    return ledger.post(batch, source=source, rows=rows, skip_posted=skip_posted)


@in_money_context
def trial(
    ledger: Ledger,
    filings: Sequence[Filing],
    *,
    source: str | None = None,
    rows: Sequence[int] | None = None,
    skip_posted: bool = False,
) -> Trial:
    """What `record` would do, nothing written (`--dry-run`): the problems it would refuse
    the filings for (its own checks first, as `record` makes them, then the posting's:
    `Ledger.trial`), or the events it would post."""
    batch = [normalized(f) for f in filings]
    problems = _problems(ledger, batch, source, rows, skip_posted)
    if problems:
        return Trial(tuple(problems), ledger.head())
    return ledger.trial(batch, source=source, rows=rows, skip_posted=skip_posted)


def _problems(
    ledger: Ledger,
    batch: Sequence[Filing],
    source: str | None,
    rows: Sequence[int] | None,
    skip_posted: bool,
) -> list[Problem]:
    """What `record` refuses before posting: a zone year the books cannot have, a filing
    recorded before (unless `skip_posted`) or given twice."""
    with ledger.engine.connect() as connection:
        known = {
            (f.document, f.ref, f.covers)
            for f in read_filings(connection, ledger.zone, ledger.state().corrected)
        }
        began = first_event_date(connection, ledger.zone)
    problems = []
    for i, f in enumerate(batch):
        reason = _year_problem(f, began)
        if reason is not None:
            problems.append(Problem(
                reason,
                source,
                rows[i] if rows is not None else None,
                "covers" if source is not None else "--covers",
                code="filing.year",
            ))
    seen: dict[tuple[str, str, str], int] = {}
    for i, f in enumerate(batch):
        key = (f.document, f.ref, f.covers)
        row = rows[i] if rows is not None else i + 1
        if key in known and not skip_posted:
            problems.append(
                Problem(
                    f"{f.document} {f.ref} for {f.covers} is already recorded",
                    source,
                    row,
                    "ref",
                    code="filing.recorded",
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    f"{f.document} {f.ref} for {f.covers} is already on row {seen[key]}",
                    source,
                    row,
                    "ref",
                    code="filing.repeated",
                )
            )
        seen.setdefault(key, row)
    return problems


def _year_problem(f: Filing, began: dt.date | None) -> str | None:
    """Why a filing covering a zone year (reconciliation, certification) names a year the
    books cannot have: before the first event of the books, or after the filing's own date
    (a zone year is reconciled after it ends, 19 CFR 146.25). None when the year is fine or
    not a year (the core says why)."""
    year = zone_year(f.covers) if FILING_KINDS.get(f.document) == "year" else None
    if year is None:
        return None
    if began is not None and year < began.year:
        return (f"a {f.document} covers zone year {year}, before the books began "
                f"(first event {began}): name a zone year of these books")
    if year > f.date.year:
        return (f"a {f.document} covers zone year {year}, which has not ended by its filing "
                f"date {f.date}: name the zone year it reconciles")
    return None


def read_filings(
    connection: Connection, zone: str, corrected: Collection[int] = ()
) -> list[Filing]:
    """Every filing of the zone, in ledger order."""
    out = []
    for seq, _, payload in event_payloads(connection, zone, Filing.kind):
        if seq in corrected:
            continue
        d = orjson.loads(payload)
        out.append(
            Filing(dt.date.fromisoformat(d["date"]), d["document"], d["ref"], d["covers"],
                   d.get("note") or "")
        )
    return out


def transfer_permits(
    connection: Connection, zone: str, filings: Sequence[Filing], corrected: Collection[int] = ()
) -> list[TransferPermit]:
    """Transfer permits (146.71) with the date the goods left: the first shipment numbered
    as the permit's `covers`, on or after its issue, that is not a destruction."""
    permits = [f for f in filings if f.document == TRANSFER_PERMIT]
    if not permits:
        return []
    wanted = {p.covers for p in permits}
    first = min(p.date for p in permits)
    left: dict[str, list[dt.date]] = {}
    shipments = event_payloads(connection, zone, Shipment.kind, ordered=False, since=first)
    for seq, day, payload in shipments:
        if seq in corrected:
            continue
        d = orjson.loads(payload)
        if d["ref"] in wanted and d["disposition"] != ShipmentDisposition.DESTRUCTION.value:
            left.setdefault(d["ref"], []).append(day)
    out = []
    for p in permits:
        gone = [day for day in left.get(p.covers, ()) if day >= p.date]
        out.append(TransferPermit(p.ref, p.covers, p.date, min(gone) if gone else None))
    return out


def consumption_weeks(
    connection: Connection, zone: str, until: dt.date, corrected: Collection[int] = ()
) -> frozenset[Week]:
    """The weeks with a removal for consumption up to `until` (each owes a weekly entry
    summary, 146.63(c)), over the whole books: an unfiled summary never drops off.

    Found week by week through the index of events by kind and date: the first
    consumption shipment on or after a day (one that no correction reversed) names a
    week, and the search goes on from the day after that week; so each week with
    removals costs a probe, not a read of its every shipment."""
    weeks: set[Week] = set()
    since = dt.date.min
    skip = len(corrected) + 1  # among that many matches one at least is not reversed
    while since <= until:
        found = first_events_containing(connection, zone, Shipment.kind, _CONSUMPTION,
                                        since=since, until=until, limit=skip)
        day = next((day for seq, day in found if seq not in corrected), None)
        if day is None:  # fewer matches than `skip`, every one reversed: no more weeks
            break
        week = Week.of(day)
        weeks.add(week)
        if week.end >= dt.date.max - dt.timedelta(days=1):
            break
        since = week.end + dt.timedelta(days=1)
    return frozenset(weeks)
