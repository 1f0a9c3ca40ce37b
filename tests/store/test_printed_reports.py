"""The printable reports: the annual reconciliation (19 CFR 146.25), the FTZ Board figures
(15 CFR 400.51(c)), the Form 214 data of an admission (19 CFR 146.32) and the quarter's HMF
(CBP Form 349, 19 CFR 24.24) each write HTML and a PDF through the command. The HTML holds
the figures the JSON holds, money as people read it; both carry the chain head the report
was read at, the zone and the citation; a part's text is escaped. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from zk_store_samples import cli_ok as _run
from zk_store_samples import pdf_streams

from zonekeeper.io.documents import BOARD_LABELS
from zonekeeper.money import usd

NASTY = "<script>alert(1)</script> & widget"
FILES = {
    "parts.csv": "part,description,hts,origin,unit\n"
    f"W,\"{NASTY}\",8537.10.91.70,DE,No.\nK,Kit,8537.10.91.70,DE,No.\n",
    "bom.csv": "product,component,quantity_per_unit,waste_pct\nK,W,2,0\n",
    "adm.csv": "admission_no,line,date,part,quantity,value,status,mode\n"
    "A1,1,2026-08-03,W,10,1000.00,NPF,vessel\nA1,2,2026-08-03,W,4,480.00,PF,vessel\n"
    "A2,1,2026-08-10,W,3,300.00,NPF,truck\n",
    "prod.csv": "production_no,date,product,quantity\nP1,2026-08-04,K,2\n",
    "ship.csv": "shipment_no,date,part,quantity,disposition,value\n"
    "S1,2026-08-05,W,3,consumption,400\nS2,2026-08-06,K,1,export,900\n",
    "count.csv": "date,part,counted_quantity\n2026-08-11,W,0\n",
}
LINE = re.compile(r"^books: zone (\S+) at event ([\d,]+) \(head ([0-9a-f]{64})\)$")


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> str:
    """Zone 49 posted from files: PF, NPF, vessel and truck admissions, a production, a
    consumption and an export, a count that finds a difference."""
    for name, body in FILES.items():
        (tmp_path / name).write_text(body)
    _run(database_url, "init", "--zone", "49")
    _run(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    _run(database_url, "bom", "load", str(tmp_path / "bom.csv"))
    for command, name in [("admit", "adm.csv"), ("produce", "prod.csv"), ("ship", "ship.csv"),
                          ("count", "count.csv")]:
        _run(database_url, command, str(tmp_path / name))
    return database_url


class _Rows(HTMLParser):
    """The text of every table row of a page, cell by cell (whitespace folded)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _rows(html: str) -> list[list[str]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's page content (`pdf_streams`), as text to search."""
    text = pdf_streams(pdf)
    # the words of a line drawn one by one joined again, and a string's \( \) unescaped
    text = re.sub(rb"\)\s*Tj\s*\(", b"", text)
    return text.replace(b"\\(", b"(").replace(b"\\)", b")")


def _printed(url: str, tmp_path: Path, *command: str) -> tuple[dict[str, Any], str, bytes]:
    """The report's JSON, and the HTML and PDF the same command writes; the command names
    the files and ends with the head the JSON carries."""
    data = json.loads(_run(url, *command, "--json").stdout)
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = _run(url, *command, "--html", str(html), "--pdf", str(pdf))
    assert f"wrote {pdf}, {html}" in result.stdout
    found = LINE.match(result.stdout.strip().splitlines()[-1])
    assert found, result.stdout
    zone, seq, head = found.groups()
    assert data["books"] == {"zone": zone, "head_seq": int(seq.replace(",", "")),
                             "head_hash": head}
    return data, html.read_text(encoding="utf-8"), pdf.read_bytes()


def _carries_the_head(data: dict[str, Any], html: str, pdf: bytes, citation: str) -> None:
    books = data["books"]
    assert f"<code>{books['head_hash']}</code>" in html
    assert f"Made from the books of zone 49 at event {books['head_seq']:,}," in html
    assert '<div class="cite">Zone 49 · ' in html and citation in html
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert books["head_hash"].encode() in text and citation.encode() in text


def test_the_reconciliation_prints_every_lot_with_its_quantities(
    books: str, tmp_path: Path
) -> None:
    data, html, pdf = _printed(books, tmp_path, "reconcile", "--year", "2026")
    _carries_the_head(data, html, pdf, "19 CFR 146.25")
    rows = _rows(html)
    keys = ("lot", "part", "description", "status", "opening", "receipts", "transfers_out",
            "adjustments_plus", "adjustments_minus", "closing")
    assert len(data["lots"]) >= 3
    for lot in data["lots"]:
        assert [str(lot[k]) for k in keys] in rows
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; widget" in html
    assert "<script>" not in html
    assert NASTY.encode() in _pdf_text(pdf).replace(b") Tj T* (", b" ")  # not read as markup


def test_the_board_report_prints_every_figure_in_dollars(books: str, tmp_path: Path) -> None:
    data, html, pdf = _printed(books, tmp_path, "report", "board", "--year", "2026")
    _carries_the_head(data, html, pdf, "15 CFR 400.51(c)")
    figures = {k: v for k, v in data.items() if k not in ("year", "books")}
    assert set(figures) == set(BOARD_LABELS)  # a new figure gets a label, and is printed
    rows = _rows(html)
    for key, value in figures.items():
        assert [BOARD_LABELS[key], usd(value)] in rows
    assert data["received_foreign"] == "1780.00" and "$1,780.00" in html
    assert b"$1,780.00" in _pdf_text(pdf)


def test_the_form_214_prints_each_line_its_duty_and_the_hmf(books: str, tmp_path: Path) -> None:
    data, html, pdf = _printed(books, tmp_path, "entry", "admission", "A1")
    _carries_the_head(data, html, pdf, "19 CFR 146.32")
    rows = _rows(html)
    for line in data["lines"]:
        row = next(r for r in rows if r[0] == str(line["line"]))
        assert row[2:4] == [line["part"], line["description"]]
        assert row[6:8] == [f"{line['quantity']} {line['unit']}", usd(line["value"])]
        assert row[-1] == (usd(line["duty"]) if line["duty"] is not None else "cannot compute")
        assert line["duty_note"] in row[-2]
    assert ["Value admitted", usd(data["value"])] in rows
    assert data["hmf"] == "1.85" and rows[-1][-1] == "$1.85"
    assert [r[-1] for r in rows[-3:-1]] == [usd(data["duty_owed_pf"]),
                                             usd(data["duty_estimate_npf"])]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; widget" in html
    assert "<script>" not in html
    assert b"$1,480.00" in _pdf_text(pdf)


def test_the_hmf_quarter_prints_each_vessel_admission_and_the_fee(
    books: str, tmp_path: Path
) -> None:
    data, html, pdf = _printed(books, tmp_path, "fees", "hmf", "--quarter", "2026Q3")
    _carries_the_head(data, html, pdf, "CBP Form 349")
    rows = _rows(html)
    assert [a["admission_no"] for a in data["admissions"]] == ["A1"]
    for a in data["admissions"]:
        assert [a["admission_no"], a["date"], usd(a["value"]), f"{a['rate_pct']}%",
                a["exact"]] in rows
    assert ["Quarter", "", usd(data["value"]), "", usd(data["fee"])] in rows
    assert data["not_vessel"] == ["A2"] and "(no HMF): A2." in html
    assert f"HMF owed for 2026Q3: {usd(data['fee'])}".encode() in _pdf_text(pdf)


def test_every_printed_page_shares_the_weekly_entrys_shell(books: str, tmp_path: Path) -> None:
    """One stylesheet and one footer note for every document (the page shell), not copies
    that drift apart."""
    pages = []
    for command in (["entry", "weekly", "--week", "2026-W32"], ["reconcile", "--year", "2026"],
                    ["report", "board", "--year", "2026"], ["entry", "admission", "A1"],
                    ["fees", "hmf", "--quarter", "2026Q3"]):
        html = tmp_path / "page.html"
        _run(books, *command, "--html", str(html))
        pages.append(html.read_text(encoding="utf-8"))
    styles = {re.sub(r"@page[^\n]*", "", p[p.index("<style>"):p.index("</style>")])
              for p in pages}
    assert len(styles) == 1
    notes = {p[p.index("<footer>"):] for p in pages}
    assert len(notes) == 1
