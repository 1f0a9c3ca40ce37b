"""`zonekeeper tariff check|import|show|revisions` through the real command line app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.tariff import store

app = application()

runner = CliRunner()


@pytest.fixture(autouse=True)
def tariff_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(shared_cache))
    monkeypatch.setattr(store, "_memo", {})
    return tmp_path


def test_check_reports_the_parse_rate_as_json() -> None:
    result = runner.invoke(app, ["tariff", "check", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["revisions"] == ["HTS 2026 Basic Edition", "HTS 2026 Revision 3"]
    assert report["distinct"] > 2000
    assert report["parse_rate_pct"] >= 99.5
    assert report["parsed"] + len(report["unparsed"]) == report["distinct"]
    assert sum(report["kinds"].values()) >= report["distinct"]


def test_check_in_text() -> None:
    result = runner.invoke(app, ["tariff", "check"])
    assert result.exit_code == 0
    assert "Distinct rate texts:" in result.output


def test_show_a_statistical_line_as_json() -> None:
    result = runner.invoke(app, ["tariff", "show", "8414308030", "--date", "2026-03-01", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["hts"] == "8414.30.80.30"
    assert shown["revision"] == "HTS 2026 Revision 3"
    assert shown["rate_line"] == "8414.30.80"
    assert shown["general"]["kind"] == "free"
    assert shown["column2"]["ad_valorem_pct"] == "35"
    assert shown["path"][-1] == "For motor vehicles"


def test_show_before_revision_3_uses_the_basic_edition() -> None:
    result = runner.invoke(app, ["tariff", "show", "0101.30.00.00", "--date", "2026-01-10"])
    assert result.exit_code == 0
    assert "HTS 2026 Basic Edition" in result.output
    assert "6.8%" in result.output


def test_show_a_heading_is_an_input_error() -> None:
    result = runner.invoke(app, ["tariff", "show", "8414.30", "--date", "2026-03-01"])
    assert isinstance(result.exception, InputError)
    assert "not a rate line" in str(result.exception)


def test_import_then_revisions(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([
        {"htsno": "0101", "indent": "0", "description": "Live horses:", "units": [],
         "general": "", "special": "", "other": ""},
        {"htsno": "0101.21.00", "indent": "1", "description": "Breeding", "units": ["No."],
         "general": "1%", "special": "", "other": "Free"},
    ]), encoding="utf-8")
    result = runner.invoke(app, ["tariff", "import", str(path), "--effective", "2026-09-01",
                                 "--name", "Tiny"])
    assert result.exit_code == 0, result.output
    assert "imported Tiny: 2 HTS codes" in result.output
    listed = runner.invoke(app, ["tariff", "revisions", "--json"])
    assert [r["name"] for r in json.loads(listed.output)][-1] == "Tiny"
    shown = runner.invoke(app, ["tariff", "show", "0101.21.00", "--date", "2026-09-02",
                                "--json"])
    assert json.loads(shown.output)["general"]["text"] == "1%"


def test_bad_import_exits_2_with_file_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("HTS Number,Indent,Description,General Rate of Duty\n"
                    "0101,0,Horses,\n0101.2X,1,Bad,5%\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "zonekeeper", "tariff", "import", str(path), "--effective",
         "2026-09-01"], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"error: {path}:row 3:HTS Number: not an HTS number" in done.stderr
