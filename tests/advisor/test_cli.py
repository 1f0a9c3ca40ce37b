"""`zonekeeper advise status|roi` end to end: the JSON keys of issue 13, refusals with their
codes, the ACE ES-003 history, the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zk_cli import run_main

COMPONENTS = ("part,hts,origin,quantity_per_unit,unit_value,spi,status_now\n"
              "compressor,8414.30.80.20,CN,1,800,,\n"
              "board,8537.10.91.70,DE,1,200,,PF\n")


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_status_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "c.csv", COMPONENTS)
    code, out, err = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                              "8418.50.00.80", "--components", f, "--date", "2026-09-01",
                              "--finished-origin", "US", "--volume", "100", "--export-share",
                              "0.5", "--json")
    assert code == 0, err
    doc = json.loads(out)
    compressor, board = doc["components"]
    assert compressor["recommended"] == "PF" and compressor["mandatory_pf"] is True
    assert compressor["duty_per_unit_npf"] is None and compressor["duty_per_unit_pf"] == "200.00"
    assert board["recommended"] == "NPF" and board["duty_per_unit_npf"] == "0.00"
    assert (doc["duty_per_unit"], doc["duty_per_unit_all_pf"]) == ("200.00", "205.40")
    assert doc["duty_per_unit_outside_zone"] == "205.40"
    # outside: 100 x 205.40; in the zone: 50 units entered x 200.00
    assert doc["annual_saving"] == "10540.00"


def test_status_without_volume_has_no_annual_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _write(tmp_path, "c.csv", COMPONENTS)
    code, out, _ = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                            "8418.50.00.80", "--components", f, "--date", "2026-09-01", "--json")
    assert code == 0 and json.loads(out)["annual_saving"] is None
    code, out, _ = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                            "8418.50.00.80", "--components", f, "--date", "2026-09-01")
    assert code == 0 and "compressor" in out


def test_status_refuses_a_bad_file_with_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _write(tmp_path, "c.csv", "part,hts,origin,unit_value\nA,8414.30.80.20,CN,-1\n")
    code, out, err = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                              "8418.50.00.80", "--components", f, "--date", "2026-09-01",
                              "--json")
    assert code == 2
    codes = {p["code"] for p in json.loads(out)["problems"]}
    assert "file.missing-column" in codes  # the zone files' reader's codes
    assert "quantity_per_unit" in err
    f = _write(tmp_path, "d.csv", "part,hts,origin,quantity_per_unit,unit_value\n"
                                  "A,9999.99.99.99,CN,1,1\nB,8414.30.80.20,XX,1,1\n"
                                  "A,8414.30.80.20,DE,1,1\n")
    code, out, err = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                              "8418.50.00.80", "--components", f, "--date", "2026-09-01",
                              "--json")
    assert code == 2
    problems = json.loads(out)["problems"]
    assert {(p["where"]["row"], p["code"]) for p in problems} >= {
        (3, "file.bad-cell"), (4, "file.repeated-row")}
    code, out, _ = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                            "8418.50.00.80", "--components", _write(tmp_path, "e.csv",
                            "part,hts,origin,quantity_per_unit,unit_value\n"
                            "A,9999.99.99.99,CN,1,1\n"),
                            "--date", "2026-09-01", "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.components.unknown-hts"
    code, out, _ = run_main(monkeypatch, capsys, "advise", "status", "--product-hts",
                            "8418.50.00.80", "--components", _write(tmp_path, "f.csv",
                            COMPONENTS), "--date", "2026-09-01", "--export-share", "2", "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.status.bad-export-share"


def test_roi_json_and_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "roi.csv", "entry_no,line,import_date,hts,quantity,unit,value,duty,mpf\n"
               "E1,1,2026-08-04,8537.10.91.70,10,No.,2000,54.00,33.58\n"
               "E2,1,2026-08-05,8537.10.91.70,10,No.,2000,54.00,33.58\n")
    html = tmp_path / "roi.html"
    code, out, err = run_main(monkeypatch, capsys, "advise", "roi", "--imports", f,
                              "--html", str(html), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["period"] == {"start": "2026-08-04", "end": "2026-08-05", "days": 2}
    kinds = [s["kind"] for s in doc["savings"]]
    assert kinds == ["exports", "inverted_tariff", "waste_scrap", "mpf_weekly_entry", "deferral"]
    mpf = doc["savings"][3]
    assert mpf["amount"] == "33.58"  # two entries at the floor; one weekly entry at the floor
    assert doc["savings"][1]["amount"] is None and doc["verdict"] == "does not pay"
    assert doc["payback_months"] is None
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<script" not in page and "does not pay" in page


def test_roi_reads_ace_es003_and_prices_the_inverted_tariff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ("Entry Summary Number,Entry Summary Line Number,Entry Date,Country of Origin Code,"
              "Tariff Ordinal Number,HTS Number - Full,Line Tariff Quantity (1),"
              "Line Tariff UOM (1) Code,Line Tariff Goods Value Amount,Line Tariff Duty Amount")
    f = _write(tmp_path, "es003.csv", header + "\n"
               "ZZ1,1,2026-08-04,DE,1,8537109170,1,NO,200.00,5.40\n"
               "ZZ2,1,2026-08-04,CN,1,8537109170,1,NO,200.00,5.40\n"
               "ZZ2,1,2026-08-04,CN,2,9903880300,,,,50.00\n")
    code, out, err = run_main(monkeypatch, capsys, "advise", "roi", "--imports", f,
                              "--product-hts", "8418.50.00.80", "--json")
    assert code == 0, err
    inverted = json.loads(out)["savings"][1]
    # the German board saves its $5.40 as NPF of a Free product; the Chinese one is PF
    assert inverted["amount"] == "5.40"
    assert "$55.40 of duty is on goods a measure requires" in inverted["derivation"]


def test_roi_refuses_a_bad_history_with_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _write(tmp_path, "roi.csv", "entry_no,line,import_date,hts,quantity,unit,value\n"
               "E1,1,2026-13-04,8537.10.91.70,10,No.,2000\n")
    code, out, _ = run_main(monkeypatch, capsys, "advise", "roi", "--imports", f, "--json")
    assert code == 2
    codes = {p["code"] for p in json.loads(out)["problems"]}
    assert codes <= {"drawback.cell.invalid", "drawback.cell.missing"} and codes  # its reader's
    empty = _write(tmp_path, "empty.csv",
                   "entry_no,line,import_date,hts,quantity,unit,value,duty\n")
    code, out, _ = run_main(monkeypatch, capsys, "advise", "roi", "--imports", empty, "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.imports.empty"


def test_roi_matches_exported_products_through_the_bom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    imports = _write(tmp_path, "roi.csv",
                     "entry_no,line,import_date,hts,quantity,unit,value,duty,part\n"
                     "E1,1,2026-08-04,8537.10.91.70,10,No.,2000,54.00,BOARD\n")
    exports = _write(tmp_path, "exports.csv",
                     "export_ref,export_date,hts,quantity,unit,value,part\n"
                     "X1,2026-08-20,8418.50.00.80,4,No.,8000,FRIDGE\n")
    bom = _write(tmp_path, "bom.csv", "product,part,quantity_per_unit\nFRIDGE,BOARD,2\n")
    code, out, err = run_main(monkeypatch, capsys, "advise", "roi", "--imports", imports,
                              "--exports", exports, "--bom", bom, "--json")
    assert code == 0, err
    saving = json.loads(out)["savings"][0]
    assert saving["amount"] == "43.20"  # 4 refrigerators carry 8 of the 10 boards (5.40 each)
    assert "matched through the bill of materials" in saving["derivation"]
    bad = _write(tmp_path, "bad.csv", "product,part,quantity_per_unit\nFRIDGE,BOARD,0\n"
                 "FRIDGE,CASE,1\nFRIDGE,CASE,1\n")
    code, out, _ = run_main(monkeypatch, capsys, "advise", "roi", "--imports", imports,
                            "--exports", exports, "--bom", bad, "--json")
    assert code == 2
    problems = json.loads(out)["problems"]
    assert [(p["where"]["row"], p["where"]["field"]) for p in problems] == [
        (2, "quantity_per_unit"), (4, "part")]
    assert problems[1]["code"] == "file.repeated-row"
