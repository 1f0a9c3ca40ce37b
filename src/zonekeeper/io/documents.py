"""Entry documents out: JSON, CSV, printable HTML and PDF a broker could file from.

The pure core builds the weekly entry (7501 data, type 06), the single consumption entry,
the Form 214 data, the quarterly HMF (Form 349) figure and the alerts; this module writes
them. The JSON documents of the entries are typed models (`app.outputs.entries`); the
HTML and PDF here render the same documents, so print and `--json` cannot differ (the
reconciliation and Board report documents are still built here). CSV follows the ACE
ES-003 layout: one row per tariff ordinal, so each Chapter 99 heading is its own row of the
same line. HTML comes from the
Jinja2 templates in `zonekeeper/templates/`; the PDF is drawn with ReportLab (pure Python,
pinned) so a broker gets a paginated document without a browser. Each document made from
the books carries the chain head it was read at (`books`; `io.checkpoint.ChainHead`), so the
filing names exactly the events it reports (19 CFR 146.21) and can anchor a checkpoint.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, PackageLoader, select_autoescape

from zonekeeper.errors import InputError
from zonekeeper.io import csv_out
from zonekeeper.io.cells import hts, iso_date, positive_decimal, text, yes_no
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.io.zone_files import Column, read_file
from zonekeeper.money import fmt, in_money_context, usd
from zonekeeper.zone.admission_doc import AdmissionDocument
from zonekeeper.zone.reports import BoardReport, ReconciliationLine
from zonekeeper.zone.weekly import EstimatedEntry, EstimateLine, Week, WeeklyEntry

HMF_ON_WITHDRAWAL = (
    "HMF is not charged on a zone withdrawal: it was owed on admission of vessel cargo "
    "(19 CFR 146.22(e), 24.24) and is paid quarterly on CBP Form 349"
)

Document = Mapping[str, Any]
"""A document as JSON holds it (`app.outputs`' `document()`): what the printed HTML and PDF
show, so that they and `--json` cannot differ."""

# The legal citation each printed document carries under its title.
WEEKLY_CITATION = "19 CFR 146.63(c); 19 USC 1484(i) (weekly entry, type 06)"
RECONCILIATION_CITATION = (
    "19 CFR 146.25 (annual reconciliation of the inventory control and recordkeeping system)"
)
BOARD_CITATION = "15 CFR 400.51(c) (the zone grantee's annual report to the FTZ Board)"
ADMISSION_CITATION = (
    "19 CFR 146.32 (admission on CBP Form 214); duty at admission 19 CFR 146.65; "
    "HMF 19 CFR 24.24"
)
HMF_CITATION = "CBP Form 349, class code 505; 19 CFR 24.24, 146.22(e)"

# The Board report's figures as a person reads them (`report board` JSON key -> label).
BOARD_LABELS = {
    "received_foreign": "Received in foreign status (PF, NPF, ZR)",
    "received_domestic": "Received in domestic status",
    "forwarded_us_market": "Forwarded to the US market (entered for consumption)",
    "forwarded_export": "Exported",
    "forwarded_zone_transfer": "Transferred to other zones",
    "us_market_zone_value": "To the US market: transaction value out",
    "export_zone_value": "Exported: transaction value out",
    "destroyed": "Destroyed in the zone",
    "produced": "Produced in the zone (input value)",
}
RECONCILIATION_QUANTITIES = (
    "opening", "receipts", "transfers_out", "adjustments_plus", "adjustments_minus", "closing",
)


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _qty(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return text


# ------------------------------------------------------------------------------- JSON


def mode_conflicts(q: Document) -> str:
    """`A7 (vessel, truck), A9 (air, not recorded)`: the admissions of an HMF quarter whose
    lines disagree on the mode, as the printed quarter and the terminal name them."""
    return ", ".join(f"{c['admission_no']} ({', '.join(c['modes'])})"
                     for c in q["mode_conflict"])


def admission_hmf(doc: AdmissionDocument) -> tuple[Decimal | None, str]:
    """HMF of a Form 214 and its note: owed on vessel cargo only (19 CFR 24.24), so with no
    mode of transport recorded it cannot be determined — None then, never 0."""
    if doc.modes:
        return None, (f"HMF cannot be determined: the admission's lines record different "
                      f"modes of transport ({', '.join(doc.modes)}), and HMF applies to vessel "
                      f"cargo only (19 CFR 24.24); correct the lines' `mode`")
    if doc.hmf_rate is not None:
        return doc.hmf, ("vessel cargo: HMF owed on admission, paid with the quarter's CBP "
                         "Form 349 (19 CFR 146.22(e), 24.24)")
    if not (doc.mode or "").strip():
        return None, ("HMF cannot be determined: the admission's mode of transport was not "
                      "recorded, and HMF applies to vessel cargo only (19 CFR 24.24); record "
                      "the mode (the admission file's `mode` column)")
    return Decimal(0), (f"not vessel cargo ({doc.mode}): no HMF on this admission "
                        "(19 CFR 24.24 applies to vessel cargo only)")


def with_books(data: dict[str, Any], head: ChainHead | None) -> dict[str, Any]:
    """A document's JSON with the `books` key (the chain head it was made from) added last."""
    return data if head is None else {**data, "books": head.books_json()}


def _count(value: Any) -> Any:
    """A reconciliation cell as JSON holds it: quantities as plain decimal text (`10`,
    `2.5`, never `-0`), dates ISO, a status its code."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return value


@in_money_context
def reconciliation_json(
    lines: Sequence[ReconciliationLine], year: int, start: date, end: date,
    head: ChainHead | None = None,
) -> dict[str, Any]:
    """The annual reconciliation (19 CFR 146.25(b)): `year`, `start`, `end` and `lots`, one
    row per lot and status with its quantities; `books` when the head is given."""
    rows = [{k: _count(getattr(line, k)) for k in line.__dataclass_fields__} for line in lines]
    return with_books(
        {"year": year, "start": start.isoformat(), "end": end.isoformat(), "lots": rows}, head
    )


@in_money_context
def board_report_json(report: BoardReport, head: ChainHead | None = None) -> dict[str, Any]:
    """The FTZ Board annual report figures (15 CFR 400.51(c)): `year` and each figure as a
    cent string; `books` when the head is given."""
    data = {
        k: (fmt(v) if isinstance(v, Decimal) else v)
        for k, v in ((k, getattr(report, k)) for k in report.__dataclass_fields__)
    }
    return with_books(data, head)


@in_money_context
def board_figures(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The money figures of `board_report_json`, labelled, in its order (every one of them:
    a figure added to the report is printed too)."""
    return [(BOARD_LABELS.get(k, k.replace("_", " ")), v) for k, v in data.items()
            if k not in ("year", "books")]


# ---------------------------------------------------------------------- estimates in

def _week(value: str) -> Week:
    try:
        return Week.parse(value)
    except InputError as error:
        raise ValueError("; ".join(p.message for p in error.problems)) from None


ESTIMATES = (
    Column("week", _week),
    Column("filed_on", iso_date),
    Column("part", text),
    Column("quantity", positive_decimal),
    Column("supplemental", yes_no, required=False),
    Column("hts", hts, required=False),
)


@in_money_context
def read_estimates(path: Path) -> list[EstimatedEntry]:
    """Filed 3461 estimates: week, filed_on, part, quantity[, supplemental, hts], read by
    the zone files' reader (every bad cell located, an unknown column refused). One
    estimate per (week, filed_on, supplemental). The file carries units only: the lines'
    values are None (not known here), never 0."""
    grouped: dict[tuple[Week, date, bool], list[EstimateLine]] = {}
    for r in read_file(path, ESTIMATES):
        key = (r["week"], r["filed_on"], r.get("supplemental", False))
        line = EstimateLine(r["part"], r.get("hts", ""), r["quantity"], "", None, None)
        grouped.setdefault(key, []).append(line)
    return [EstimatedEntry(week, filed, tuple(lines), supplemental)
            for (week, filed, supplemental), lines in grouped.items()]


# -------------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "Entry Summary Sequence",
    "Entry Type Code",
    "Entry Summary Line Number",
    "Tariff Ordinal Number",
    "HTS Number - Full",
    "Country of Origin Code",
    "Zone Status",
    "Privileged Status Date",
    "Line SPI Code",
    "Line Tariff Goods Value Amount",
    "Line Tariff Quantity (1)",
    "Line Tariff UOM (1) Code",
    "Program",
    "Rate",
    "Line Tariff Duty Amount",
    "Cannot Compute",
)


@in_money_context
def weekly_entry_csv(entry: WeeklyEntry) -> str:
    """ES-003-style rows: the line's own HTS first, then one row per Chapter 99 heading."""
    out = io.StringIO()
    writer = csv_out.writer(out)
    writer.writerow(CSV_COLUMNS)
    for summary in entry.summaries:
        for numbered in summary.lines:
            line = numbered.line
            head = [summary.sequence, entry.entry_type, numbered.number]
            tail = [line.origin, line.status, _day(line.key.pf_date) or "", line.key.spi or ""]
            components = line.components or ()
            if not components:
                writer.writerow([*head, 1, line.hts, *tail, fmt(line.value),
                                 _qty(line.quantity), line.unit, "", "", "",
                                 "; ".join(line.cannot_compute)])
            for ordinal, c in enumerate(components, start=1):
                hts = line.hts if c.program == "base" else c.heading
                writer.writerow([
                    *head, ordinal, hts, *tail,
                    fmt(line.value) if ordinal == 1 else "",
                    _qty(line.quantity) if ordinal == 1 else "",
                    line.unit if ordinal == 1 else "",
                    c.program, c.rate, fmt(c.amount),
                    "; ".join(line.cannot_compute) if ordinal == 1 else "",
                ])
    return out.getvalue()


# ------------------------------------------------------------------------------- HTML

_env = Environment(
    loader=PackageLoader("zonekeeper", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def usd_filter(amount: str | Decimal | None, missing: str = "cannot compute") -> str:
    """`{{ x | usd }}` in a template: money as every screen shows it (`money.usd`), or why
    there is none (never `$0`)."""
    return missing if amount is None else usd(amount)


_env.filters["usd"] = usd_filter


def render_html(template: str, **context: Any) -> str:
    """Render one of the package's templates (e.g. `weekly_entry.html`)."""
    return _env.get_template(template).render(**context)


@in_money_context
def render_page(
    template: str, *, zone: str, citation: str, books: dict[str, Any] | None, **context: Any
) -> str:
    """A printed document: `template` extends `base.html`, the shell every page shares
    (stylesheet, header with the zone and the legal citation, footer note with the chain
    head the document was read at, `books`)."""
    return render_html(template, zone=zone, citation=citation, books=books, **context)


def _zone(zone: str, head: ChainHead | None) -> str:
    return zone or (head.zone if head is not None else "")


@in_money_context
def weekly_entry_html(e: Document, zone: str = "") -> str:
    """The weekly entry summary for the broker (19 CFR 146.63(c)), from its document."""
    return render_page("weekly_entry.html", zone=zone or e["zone"], citation=WEEKLY_CITATION,
                       books=e.get("books"), e=e)


@in_money_context
def reconciliation_html(
    lines: Sequence[ReconciliationLine], year: int, start: date, end: date,
    head: ChainHead | None = None, zone: str = "",
) -> str:
    """The annual reconciliation the operator keeps and certifies (19 CFR 146.25)."""
    r = reconciliation_json(lines, year, start, end, head)
    return render_page("reconciliation.html", zone=_zone(zone, head),
                       citation=RECONCILIATION_CITATION, books=r.get("books"), r=r)


@in_money_context
def board_report_html(report: BoardReport, head: ChainHead | None = None, zone: str = "") -> str:
    """The figures of the grantee's annual report to the FTZ Board (15 CFR 400.51(c))."""
    b = board_report_json(report, head)
    return render_page("board_report.html", zone=_zone(zone, head), citation=BOARD_CITATION,
                       books=b.get("books"), b=b, figures=board_figures(b))


@in_money_context
def admission_html(a: Document) -> str:
    """CBP Form 214 data of one admission with the duty of each line (19 CFR 146.32)."""
    return render_page("admission.html", zone=a["zone"], citation=ADMISSION_CITATION,
                       books=a.get("books"), a=a)


@in_money_context
def hmf_html(q: Document, zone: str = "") -> str:
    """The quarter's HMF for CBP Form 349 (19 CFR 24.24, 146.22(e))."""
    books = q.get("books")
    return render_page("hmf_quarter.html", zone=zone or (books["zone"] if books else ""),
                       citation=HMF_CITATION, books=books, q=q)


# -------------------------------------------------------------------------------- PDF


class _PdfPage:
    """The shell every PDF shares (US Letter, ReportLab, pure Python): the title, the zone
    and the legal citation at the top; the chain head the document was read at in a closing
    note and in every page's footer, so each printed page names the events it reports
    (19 CFR 146.21). A document adds its paragraphs and tables, then `render()`s it."""

    def __init__(
        self, title: str, heading: str, meta: str, *, citation: str, zone: str,
        head: ChainHead | None, wide: bool = True,
    ) -> None:
        from reportlab.lib.styles import getSampleStyleSheet  # type: ignore[import-untyped]
        from reportlab.lib.units import inch  # type: ignore[import-untyped]

        self.title, self.head, self.wide, self.inch = title, head, wide, inch
        styles = getSampleStyleSheet()
        self.body = styles["BodyText"]
        self.small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
        self.story: list[Any] = []
        self.markup(escape(heading), style=styles["Title"])
        self.text(meta)
        self.text(f"Zone {zone} · {citation}" if zone else citation)
        self.space(0.15)

    def markup(self, markup: str, *, small: bool = False, style: Any = None) -> None:
        """A paragraph of ReportLab markup the caller escaped (`<b>` is the caller's own)."""
        from reportlab.platypus import Paragraph  # type: ignore[import-untyped]

        self.story.append(Paragraph(markup, style or (self.small if small else self.body)))

    def text(self, text: str, *, small: bool = False) -> None:
        """A paragraph of plain text (escaped: ReportLab reads `<` as markup)."""
        self.markup(escape(text), small=small)

    def cell(self, *texts: str) -> Any:
        """A table cell that wraps: lines of plain text, escaped."""
        from reportlab.platypus import Paragraph

        return Paragraph("<br/>".join(escape(t) for t in texts if t), self.small)

    def space(self, inches: float = 0.2) -> None:
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, inches * self.inch))

    def table(self, rows: Sequence[Sequence[Any]], *, numeric: Sequence[int] = (),
              totals: bool = False, header: bool = True) -> None:
        """A gridded table, the header row repeated on each page; `numeric` columns right
        aligned; `totals`: the last row bold."""
        from reportlab.lib import colors  # type: ignore[import-untyped]
        from reportlab.platypus import Table, TableStyle

        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            style += [("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
                      ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]
        style += [("ALIGN", (c, 1 if header else 0), (c, -1), "RIGHT") for c in numeric]
        if totals:
            style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 7.5))
        table = Table([list(r) for r in rows], repeatRows=1 if header else 0)
        table.setStyle(TableStyle(style))
        self.story.append(table)
        self.space()

    def render(self) -> bytes:
        from reportlab.lib.pagesizes import landscape, letter  # type: ignore[import-untyped]
        from reportlab.platypus import SimpleDocTemplate

        if self.head is not None:
            self.text(books_note(self.head), small=True)
        footer = self.title + (f" · {self.head.books_line()}" if self.head is not None else "")

        def page_footer(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont("Helvetica", 6.5)
            canvas.drawString(doc.leftMargin, 0.3 * self.inch, f"{footer} · page {doc.page}")
            canvas.restoreState()

        out = io.BytesIO()
        margin = 0.5 * self.inch
        doc = SimpleDocTemplate(
            out, pagesize=landscape(letter) if self.wide else letter, title=self.title,
            leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
            invariant=True,
        )
        doc.build(self.story, onFirstPage=page_footer, onLaterPages=page_footer)
        return out.getvalue()


def books_note(head: ChainHead) -> str:
    """The note a printed document ends with: the chain head it was read at."""
    return (f"Made from the books of zone {head.zone} at event {head.seq:,}, chain head "
            f"{head.hash} (19 CFR 146.21; check with zonekeeper verify --since-checkpoint).")


def _usd(amount: str | None) -> str:
    """A dollar amount, or why there is none (a line that cannot be priced), never '$0'."""
    return "cannot compute (see the lines)" if amount is None else usd(amount)


def _components(line: dict[str, Any]) -> list[str]:
    """A priced line's components as printed, or why it cannot be priced."""
    return ([f"{c['program']} {c['heading']} {c['rate']} on {c['basis']}: {usd(c['amount'])}"
             for c in line["components"]]
            + [f"cannot compute: {r}" for r in line["cannot_compute"]])


@in_money_context
def weekly_entry_pdf(e: Document, zone: str = "", head: ChainHead | None = None) -> bytes:
    """A paginated PDF of the weekly entry summary (US Letter, landscape), from its document."""
    zone = zone or e["zone"]
    page = _PdfPage(
        f"Weekly entry {e['week']}",
        f"Weekly entry summary — entry type {e['entry_type']} (FTZ consumption), "
        f"week {e['week']}" + (f", zone {zone}" if zone else ""),
        f"Removals {e['week_start']} to {e['week_end']}; entry date {e['entry_date']}; "
        f"entry summary date {e['summary_date']} (due {e['summary_due']}); {e['removals']} "
        "removals for consumption.",
        citation=WEEKLY_CITATION, zone=zone, head=head,
    )
    rows: list[list[Any]] = [["Sum.", "Line", "HTS", "Origin", "Status", "PF date", "SPI",
                              "Value", "Qty", "Program / heading / rate", "Duty"]]
    for line in e["lines"]:
        rows.append([
            line["summary"], line["line"], line["hts"], line["origin"], line["status"],
            line["pf_date"] or "", line["spi"] or "", usd(line["value"]),
            f"{line['quantity']} {line['unit']}", page.cell(*_components(line)),
            usd_filter(line["duty"]),
        ])
    page.table(rows, numeric=(7, 10))
    for s in e["summaries"]:
        page.text(f"Entry summary {s['sequence']}: {s['lines']} lines, foreign value "
                  f"{usd(s['foreign_value'])}, duty {_usd(s['duty'])}, "
                  f"MPF {usd(s['mpf']['amount'])} — {s['mpf']['derivation']}")
    single = e["single_entries"]
    page.markup(f"<b>Duty {_usd(e['duty'])} + MPF {usd(e['mpf'])} = total "
                f"{_usd(e['total'])}</b>. {escape(e['hmf_note'])}.")
    page.text(f"Entered one by one, the week's {single['count']} shipments would pay MPF "
              f"{usd(single['mpf'])}; the weekly entry pays {usd(single['weekly_mpf'])}: "
              f"saving {usd(single['saving'])}.")
    if e["not_entered"]:
        page.text("Not entered: " + "; ".join(
            f"{n['shipment_no']} ({n['disposition']}): {n['reason']}" for n in e["not_entered"]
        ), small=True)
    return page.render()


@in_money_context
def reconciliation_pdf(
    lines: Sequence[ReconciliationLine], year: int, start: date, end: date,
    head: ChainHead | None = None, zone: str = "",
) -> bytes:
    """The annual reconciliation as a paginated PDF (19 CFR 146.25)."""
    r = reconciliation_json(lines, year, start, end, head)
    zone = _zone(zone, head)
    page = _PdfPage(
        f"Annual reconciliation {year}",
        f"Annual reconciliation {year}" + (f", zone {zone}" if zone else ""),
        f"Zone year {r['start']} to {r['end']}; {len(r['lots'])} lot and status lines; "
        "quantities in each part's unit, per lot and zone status.",
        citation=RECONCILIATION_CITATION, zone=zone, head=head,
    )
    rows: list[list[Any]] = [["Lot", "Part", "Description", "Status", "At start", "Receipts",
                              "Transfers out", "Adj. +", "Adj. -", "At end"]]
    for lot in r["lots"]:
        rows.append([page.cell(lot["lot"]), page.cell(lot["part"]),
                     page.cell(lot["description"]), lot["status"],
                     *(lot[k] for k in RECONCILIATION_QUANTITIES)])
    page.table(rows, numeric=range(4, 10))
    page.text("Receipts: admissions, production, scrap, manipulation and status changes in. "
              "Transfers out: shipments, consumption in production, manipulation and status "
              "changes out. Adjustments: count differences (19 CFR 146.53(a)). Net of "
              "corrections.", small=True)
    return page.render()


@in_money_context
def board_report_pdf(report: BoardReport, head: ChainHead | None = None, zone: str = "") -> bytes:
    """The FTZ Board annual report figures as a PDF (15 CFR 400.51(c))."""
    b = board_report_json(report, head)
    zone = _zone(zone, head)
    page = _PdfPage(
        f"FTZ Board annual report {b['year']}",
        f"FTZ Board annual report figures {b['year']}" + (f", zone {zone}" if zone else ""),
        f"Calendar year {b['year']}; US dollars at input value (transaction value out where "
        "marked).",
        citation=BOARD_CITATION, zone=zone, head=head, wide=False,
    )
    page.table([["Figure", "USD"], *([label, usd(value)] for label, value in board_figures(b))],
               numeric=(1,))
    return page.render()


@in_money_context
def admission_pdf(a: Document, head: ChainHead | None = None) -> bytes:
    """CBP Form 214 data of one admission as a PDF (19 CFR 146.32), from its document."""
    page = _PdfPage(
        f"CBP Form 214 {a['admission_no']}",
        f"CBP Form 214 data — admission {a['admission_no']}, zone {a['zone']}",
        f"Admitted {a['date']}; mode of transport {a['mode'] or 'not recorded'}; "
        f"{len(a['lines'])} lines; value {usd(a['value'])}.",
        citation=ADMISSION_CITATION, zone=a["zone"], head=head,
    )
    rows: list[list[Any]] = [["Line", "Status", "Part", "Description", "HTS", "Origin",
                              "Quantity", "Value", "PF date", "Duty at admission", "Duty"]]
    for line in a["lines"]:
        rows.append([
            line["line"], f"{line['status_requested']} ({line['status']})",
            page.cell(line["part"]), page.cell(line["description"]), line["hts"] or "",
            line["origin"] or "", f"{line['quantity']} {line['unit']}", usd(line["value"]),
            line["pf_date"] or "",
            page.cell(f"{line['duty_kind']}: {line['duty_note']}", *_components(line)),
            usd_filter(line["duty"]),
        ])
    page.table(rows, numeric=(6, 7, 10))
    page.table([
        ["Value admitted", usd(a["value"])],
        ["Duty owed on privileged foreign lines (19 CFR 146.65(a)(1))",
         _usd(a["duty_owed_pf"])],
        ["Duty estimate on non-privileged foreign lines (19 CFR 146.65(a)(2))",
         _usd(a["duty_estimate_npf"])],
        [page.cell(f"Harbor maintenance fee: {a['hmf_note']}"),
         usd_filter(a["hmf"], "cannot be determined")],
    ], numeric=(1,), header=False)
    return page.render()


@in_money_context
def hmf_pdf(q: Document, head: ChainHead | None = None, zone: str = "") -> bytes:
    """The quarter's HMF for CBP Form 349 as a PDF (19 CFR 24.24, 146.22(e)), from its
    document."""
    zone = _zone(zone, head)
    page = _PdfPage(
        f"HMF {q['quarter']}",
        f"Harbor maintenance fee {q['quarter']} — CBP Form 349"
        + (f", zone {zone}" if zone else ""),
        f"Vessel admissions {q['from']} to {q['to']}; class code {q['class_code']}; payment "
        f"due {q['due']}.",
        citation=HMF_CITATION, zone=zone, head=head, wide=False,
    )
    page.table([
        ["Admission", "Date", "Value", "Rate", "Fee (unrounded)"],
        *([a["admission_no"], a["date"], usd(a["value"]), f"{a['rate_pct']}%", a["exact"]]
          for a in q["admissions"]),
        ["Quarter", "", usd(q["value"]), "", usd(q["fee"])],
    ], numeric=(2, 3, 4), totals=True)
    page.markup(f"<b>HMF owed for {escape(q['quarter'])}: {usd(q['fee'])}</b>, rounded once "
                f"for the quarter, due {q['due']}.")
    if q["not_vessel"]:
        page.text("Admissions in the quarter not by vessel (no HMF): "
                  + ", ".join(q["not_vessel"]) + ".")
    if q["mode_unknown"]:
        page.text("Mode of transport not recorded, so HMF cannot be decided (not taken as "
                  "zero): " + ", ".join(q["mode_unknown"]) + ".")
    if q["mode_conflict"]:
        page.text("Lines of one admission record different modes of transport, so HMF "
                  "cannot be decided (not taken as zero): " + mode_conflicts(q) + ".")
    return page.render()
