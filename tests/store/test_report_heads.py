"""Every report and filing prints the chain head it was made from, and it is the head the
posting before it left: the `books` key in JSON, the `books:` line at the end of text, the
weekly entry's HTML and PDF. A report is then itself a checkpoint an auditor can check
(19 CFR 146.21). On SQLite and PostgreSQL, through the commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from zk_store_samples import SET_UP, admission
from zk_store_samples import cli_ok as _run
from zk_store_samples import pdf_streams as _pdf_text

from zonekeeper.app.books import Ledger

FILES = {
    "parts.csv": "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
    "K,Kit,8537.10.91.70,DE,No.\n",
    "bom.csv": "product,component,quantity_per_unit,waste_pct\nK,W,2,0\n",
    "adm.csv": "admission_no,line,date,part,quantity,value,status,mode\n"
    "A1,1,2026-08-03,W,10,100.00,NPF,vessel\nA1,2,2026-08-04,W,4,48.00,N,vessel\n",
    "prod.csv": "production_no,date,product,quantity\nP1,2026-08-04,K,2\n",
    "ship.csv": "shipment_no,date,part,quantity,disposition,value\n"
    "S1,2026-08-05,W,7,consumption,20\n",
    "count.csv": "date,part,counted_quantity\n2026-08-06,W,2\n",
}
LINE = re.compile(r"^books: zone (\S+) at event ([\d,]+) \(head ([0-9a-f]{64})\)$")

# Each report command, with the books key where its JSON has one.
REPORTS = [
    ["balance"],
    ["balance", "--by", "part"],
    ["history", "A1/1"],
    ["reconcile", "--year", "2026"],
    ["report", "board", "--year", "2026"],
    ["entry", "weekly", "--week", "2026-W32"],
    ["entry", "estimate", "--week", "2026-W33"],
    ["entry", "consumption", "S1"],
    ["entry", "admission", "A1"],
    ["fees", "hmf", "--quarter", "2026Q3"],
    ["alerts", "--as-of", "2026-08-10"],
    ["verify"],
]


def _books_line(text: str) -> dict[str, Any]:
    """The head a text output ends with, as the JSON `books` key holds it."""
    last = text.strip().splitlines()[-1]
    found = LINE.match(last)
    assert found, last
    zone, seq, head = found.groups()
    return {"zone": zone, "head_seq": int(seq.replace(",", "")), "head_hash": head}


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """Zone 49 posted from files; the head the last posting printed."""
    for name, body in FILES.items():
        (tmp_path / name).write_text(body)
    _run(database_url, "init", "--zone", "49")
    _run(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    _run(database_url, "bom", "load", str(tmp_path / "bom.csv"))
    printed = {}
    for command, name in [("admit", "adm.csv"), ("produce", "prod.csv"), ("ship", "ship.csv"),
                          ("count", "count.csv")]:
        printed = _books_line(_run(database_url, command, str(tmp_path / name)).stdout)
    printed = _books_line(
        _run(database_url, "filed", "shortage_report", "LTR-1", "--date", "2026-08-07",
             "--covers", "A1/2").stdout
    )
    return database_url, printed


def test_the_posting_summary_ends_with_the_head_it_left(
    books: tuple[str, dict[str, Any]]
) -> None:
    url, printed = books
    with Ledger.open(url) as ledger:
        assert tuple(ledger.head()) == ("49", printed["head_seq"], printed["head_hash"])
    # init, the parts and the BOM loaded (master events), then 2 admissions, a production, a
    # shipment, a count and a filing
    assert printed["head_seq"] == 3 + 6


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: " ".join(r[:2]))
def test_each_report_prints_the_head_of_the_last_posting(
    books: tuple[str, dict[str, Any]], report: list[str]
) -> None:
    url, printed = books
    assert _books_line(_run(url, *report).stdout) == printed
    result = _run(url, *report, "--json")
    data = json.loads(result.stdout)
    if isinstance(data, list):  # the balance's rows: a list has no key, the line is on stderr
        assert _books_line(result.stderr) == printed
    else:
        assert data["books"] == printed


def test_the_weekly_entry_documents_carry_the_head(
    books: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    url, printed = books
    html, pdf = tmp_path / "w.html", tmp_path / "w.pdf"
    result = _run(url, "entry", "weekly", "--week", "2026-W32", "--html", str(html),
                  "--pdf", str(pdf))
    assert _books_line(result.stdout) == printed
    assert f"<code>{printed['head_hash']}</code>" in html.read_text()
    assert f"zone 49 at event {printed['head_seq']}," in html.read_text()
    assert printed["head_hash"].encode() in _pdf_text(pdf.read_bytes())


def test_a_report_after_another_posting_prints_the_new_head(
    books: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    url, printed = books
    more = tmp_path / "more.csv"
    more.write_text("admission_no,line,date,part,quantity,value,status\n"
                    "A2,1,2026-08-10,W,1,10.00,NPF\n")
    after = _books_line(_run(url, "admit", str(more)).stdout)
    assert after["head_seq"] == printed["head_seq"] + 1
    assert json.loads(_run(url, "history", "A2/1", "--json").stdout)["books"] == after


def test_a_report_reads_its_head_and_its_figures_in_one_snapshot(
    ledger: Ledger, database_url: str
) -> None:
    """A clerk posting while a report reads does not make the report's figures newer than
    the head it prints (PostgreSQL reads each statement afresh unless told otherwise)."""
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    with ledger.snapshot() as books:
        assert books.head.seq == SET_UP + 1
        with Ledger.open(database_url) as clerk:
            clerk.post([admission("A2", 4, "W", "4", "48")])
        assert [b.lot.id for b in books.balances()] == ["A1/1"]
        assert [p.seq for p in books.postings()] == [SET_UP + 1]
    assert ledger.head().seq == SET_UP + 2
