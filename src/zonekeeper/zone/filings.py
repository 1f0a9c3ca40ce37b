"""What was filed with CBP: the `Filing` records of the books and what each one covers.

The ICRS must hold the CBP documents behind every movement (19 CFR 146.21(a)), and the
operator's deadlines end when a document is filed, not when the books move: the weekly
entry summary (146.63(c); 142.12(b)), a supplemental estimate before a removal over the
3461 (146.63(c)(1)), a Form 214 or entry for an overage within 5 days (146.53(d)), the
written report of a shortage (146.53(a)), the annual reconciliation (146.25(a)) and its
certification (146.25(c)), and the permit to transfer goods out of the zone (146.71(a)).
A `Filing` event records one of them in the hash-chained log like any other event; this
module checks it at posting (`record_filing`, the core handler) and turns the posted
filings into what the alerts read (`FiledDocuments`).

What each kind covers (`Filing.covers`):

- `entry_summary` covers a week `YYYY-Www`: the week's entry summary (7501) is filed;
- `supplemental_3461` covers a week: answers the week's estimate exceeded;
- `form_214_overage` covers a lot: overages of the lot found on or before it;
- `shortage_report` covers a lot: reportable shortages found on or before it;
- `reconciliation` covers a zone year `YYYY` (the year its end date falls in);
- `certification` covers a zone year: the reconciliation's certification letter;
- `transfer_permit` covers a shipment number (below).

A transfer permit is the other way round: its filing (dated the day the permit was issued)
starts the 5-working-day clock of 146.71, and the shipment with that number (any
disposition but destruction: the goods leave the zone) stops it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from zonekeeper.errors import InputError
from zonekeeper.zone.book import Book
from zonekeeper.zone.events import Filing
from zonekeeper.zone.weekly import Week

ENTRY_SUMMARY = "entry_summary"
SUPPLEMENTAL_3461 = "supplemental_3461"
FORM_214_OVERAGE = "form_214_overage"
SHORTAGE_REPORT = "shortage_report"
RECONCILIATION = "reconciliation"
CERTIFICATION = "certification"
TRANSFER_PERMIT = "transfer_permit"

# kind -> what `covers` names (for messages and docs/files.md)
FILING_KINDS: dict[str, str] = {
    ENTRY_SUMMARY: "week",
    SUPPLEMENTAL_3461: "week",
    FORM_214_OVERAGE: "lot",
    SHORTAGE_REPORT: "lot",
    RECONCILIATION: "year",
    CERTIFICATION: "year",
    TRANSFER_PERMIT: "shipment_no",
}


def parse_kind(text: str) -> str:
    """A filing kind as written (`Entry-Summary` -> `entry_summary`); ValueError if unknown."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in FILING_KINDS:
        raise ValueError(f"unknown filing kind {text!r}: one of {', '.join(FILING_KINDS)}")
    return key


def zone_year(covers: str) -> int | None:
    """The zone year a filing names (ASCII digits, 1900-9999), or None when it names none
    (`str.isdigit` alone would take "²" and crash `int`)."""
    text = covers.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if 1900 <= year <= 9999 else None


def covers_problem(document: str, covers: str) -> str | None:
    """Why `covers` is not what a filing of `document` covers (lots are checked by the
    handler against the books), or None."""
    what = FILING_KINDS.get(document)
    if what is None:
        return f"unknown filing kind {document!r}: one of {', '.join(FILING_KINDS)}"
    if not covers.strip():
        return f"a {document} filing must name the {what} it covers"
    if what == "week":
        try:
            Week.parse(covers)
        except InputError:
            return f"a {document} covers a week: {covers!r} is not YYYY-Www (e.g. 2026-W33)"
    if what == "year" and zone_year(covers) is None:
        return f"a {document} covers a zone year: {covers!r} is not a year (e.g. 2025)"
    return None


def record_filing(book: Book, e: Filing, seq: int, row: int) -> None:
    """Core handler of a `Filing`: it moves no goods; it must name a known kind, a
    reference and what it covers (an existing lot for overages and shortages, dated on or
    after the lot came into the zone)."""
    del seq
    if not e.ref.strip():
        book.problem(
            row,
            "a filing needs its document reference (entry, 214, permit no.)",
            "ref",
            code="filing.ref",
        )
    problem = covers_problem(e.document, e.covers)
    if problem is not None:
        book.problem(
            row,
            problem,
            "document" if e.document not in FILING_KINDS else "covers",
            code="filing.kind" if e.document not in FILING_KINDS else "filing.covers",
        )
        return
    if FILING_KINDS[e.document] == "lot":
        lot = book.lot(e.covers)
        if lot is None:
            book.problem(row, f"no lot {e.covers!r} in the zone", "covers", code="filing.no-lot")
        elif e.date < lot.date:
            book.problem(
                row, f"dated {e.date}, before lot {e.covers} came into the zone ({lot.date})",
                "date", code="filing.before-lot",
            )


def normalized(e: Filing) -> Filing:
    """The filing as stored: kind in canonical spelling, a week as `2026-W03`, trimmed."""
    covers = e.covers.strip()
    if FILING_KINDS.get(e.document) == "week":
        try:
            covers = str(Week.parse(covers))
        except InputError:
            pass
    return Filing(e.date, e.document, e.ref.strip(), covers, e.note.strip())


@dataclass(frozen=True)
class FiledDocuments:
    """The posted filings as of a date, arranged for the alerts."""

    weeks_summarized: frozenset[Week] = frozenset()
    weeks_supplemented: dict[Week, dt.date] = field(default_factory=dict)  # earliest filing
    overage_214: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)  # lot -> dates
    shortage_reports: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)
    reconciliations: frozenset[int] = frozenset()
    certifications: frozenset[int] = frozenset()
    permits: tuple[Filing, ...] = ()

    @staticmethod
    def of(filings: Iterable[Filing], as_of: dt.date) -> FiledDocuments:
        summarized: set[Week] = set()
        supplemented: dict[Week, dt.date] = {}
        overage: dict[str, list[dt.date]] = {}
        shortage: dict[str, list[dt.date]] = {}
        recon: set[int] = set()
        cert: set[int] = set()
        permits: list[Filing] = []
        for f in filings:
            if f.date > as_of:
                continue
            if f.document == ENTRY_SUMMARY:
                summarized.add(Week.parse(f.covers))
            elif f.document == SUPPLEMENTAL_3461:
                week = Week.parse(f.covers)
                supplemented[week] = min(f.date, supplemented.get(week, f.date))
            elif f.document == FORM_214_OVERAGE:
                overage.setdefault(f.covers, []).append(f.date)
            elif f.document == SHORTAGE_REPORT:
                shortage.setdefault(f.covers, []).append(f.date)
            elif f.document == RECONCILIATION:
                recon.add(int(f.covers))
            elif f.document == CERTIFICATION:
                cert.add(int(f.covers))
            elif f.document == TRANSFER_PERMIT:
                permits.append(f)
        return FiledDocuments(
            frozenset(summarized),
            supplemented,
            {k: tuple(sorted(v)) for k, v in overage.items()},
            {k: tuple(sorted(v)) for k, v in shortage.items()},
            frozenset(recon),
            frozenset(cert),
            tuple(permits),
        )

    def overage_documented(self, lot: str, found_on: dt.date) -> bool:
        """A Form 214 (or entry) for the lot filed on or after the overage was found."""
        return any(d >= found_on for d in self.overage_214.get(lot, ()))

    def shortage_reported(self, lot: str, found_on: dt.date) -> bool:
        """A written report for the lot's shortage made on or after it was found."""
        return any(d >= found_on for d in self.shortage_reports.get(lot, ()))
