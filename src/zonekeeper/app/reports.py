"""Use cases of the zone's annual reports: the reconciliation and the FTZ Board figures.

Each reads the books of an open `Ledger` in one snapshot (the figures and the chain head
they come from, 19 CFR 146.21: traceable to the records) and returns the core's result with
that head, so the CLI (`zonekeeper reconcile`, `zonekeeper report board`) and the web pages
print, download and serve the same figures: `document()` is the `--json` document, `html()`
and `pdf()` the printable ones (`io.documents`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zonekeeper.app.books import Ledger
from zonekeeper.app.outputs.books import BoardReportDocument, ReconciliationDocument
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import documents
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.zone.reports import (
    BoardReport,
    ReconciliationLine,
    annual_reconciliation,
    board_report,
)


def year_dates(year: int, field: str = "--year") -> tuple[dt.date, dt.date]:
    """The first and last day of a zone year (a calendar year); InputError naming `field`
    for a year no books can have."""
    if not 1900 <= year <= 9999:
        raise InputError(Problem(f"not a year: {year}", field=field, code="report.year"))
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class Reconciliation:
    """The annual reconciliation of a zone year (19 CFR 146.25(b)) as read at `head`."""

    lines: Sequence[ReconciliationLine]
    year: int
    start: dt.date
    end: dt.date
    head: ChainHead

    def document(self) -> dict[str, Any]:
        return ReconciliationDocument.of(
            self.lines, self.year, self.start, self.end, self.head).document()

    def html(self) -> str:
        return documents.reconciliation_html(self.lines, self.year, self.start, self.end,
                                             self.head)

    def pdf(self) -> bytes:
        return documents.reconciliation_pdf(self.lines, self.year, self.start, self.end,
                                            self.head)


@dataclass(frozen=True)
class Board:
    """The FTZ Board annual report figures of a calendar year (15 CFR 400.51(c))."""

    report: BoardReport
    head: ChainHead

    def document(self) -> dict[str, Any]:
        return BoardReportDocument.of(self.report, self.head).document()

    def figures(self) -> list[tuple[str, str]]:
        """The labelled money figures, in the document's order (`io.documents`)."""
        return documents.board_figures(self.document())

    def html(self) -> str:
        return documents.board_report_html(self.report, self.head)

    def pdf(self) -> bytes:
        return documents.board_report_pdf(self.report, self.head)


def reconciliation(ledger: Ledger, year: int, field: str = "--year") -> Reconciliation:
    """Per lot and status: on hand at the start, received, transferred out, adjusted and on
    hand at the end of the zone year (19 CFR 146.25)."""
    start, end = year_dates(year, field)
    with ledger.snapshot() as books:
        lines = annual_reconciliation(books.postings(), books.state().lots, start, end)
    return Reconciliation(lines, year, start, end, books.head)


def board(ledger: Ledger, year: int, field: str = "--year") -> Board:
    """The figures of the grantee's annual report to the FTZ Board (15 CFR 400.51(c))."""
    year_dates(year, field)
    with ledger.snapshot() as books:
        figures = board_report(books.postings(), year)
    return Board(figures, books.head)
