"""`zonekeeper tariff check|import|show|revisions` through the real command line app."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.sources import revisions as store

app = application()

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("tariff_home")  # every test: a fresh user store


def test_check_reports_the_parse_rate_as_json() -> None:
    result = runner.invoke(app, ["tariff", "check", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["revisions"][-9:-7] == ["HTS 2026 Revision 2", "HTS 2026 Revision 3"]
    assert len(report["revisions"]) == 49
    assert report["distinct"] > 2000
    assert report["parse_rate_pct"] >= 99.5
    assert report["parsed"] + len(report["unparsed"]) == report["distinct"]
    assert sum(report["kinds"].values()) >= report["distinct"]


def test_check_in_text() -> None:
    result = runner.invoke(app, ["tariff", "check"])
    assert result.exit_code == 0
    assert "Distinct rate texts:" in result.output


def test_show_a_statistical_line_as_json() -> None:
    result = runner.invoke(app, ["tariff", "show", "8414308030", "--date", "2026-02-20", "--json"])
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


def _tiny(path: Path, general: str = "1%") -> Path:
    path.write_text(json.dumps([
        {"htsno": "0101", "indent": "0", "description": "Live horses:", "units": [],
         "general": "", "special": "", "other": ""},
        {"htsno": "0101.21.00", "indent": "1", "description": "Breeding", "units": ["No."],
         "general": general, "special": "", "other": "Free"},
    ]), encoding="utf-8")
    return path


def _zonekeeper(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zonekeeper", *args], capture_output=True,
                          text=True)


def test_import_on_a_taken_date_is_refused_unless_replace(tmp_path: Path) -> None:
    path = _tiny(tmp_path / "tiny.json")
    first = runner.invoke(app, ["tariff", "import", str(path), "--effective", "2026-09-01",
                                "--name", "Tiny"])
    assert first.exit_code == 0, first.output
    again = _zonekeeper("tariff", "import", str(_tiny(tmp_path / "tiny2.json", "2%")),
                        "--effective", "2026-09-01", "--name", "Tiny two")
    assert again.returncode == 2
    assert ("error: --effective: a revision is already in force from 2026-09-01 (Tiny)"
            in again.stderr)
    store._memo.clear()
    listed = runner.invoke(app, ["tariff", "revisions", "--json"])
    assert [r["name"] for r in json.loads(listed.output)][-1] == "Tiny"  # nothing changed
    replaced = runner.invoke(app, ["tariff", "import", str(tmp_path / "tiny2.json"),
                                   "--effective", "2026-09-01", "--name", "Tiny two",
                                   "--replace"])
    assert replaced.exit_code == 0, replaced.output
    loaded = json.loads(runner.invoke(app, ["tariff", "revisions", "--json"]).output)
    assert [r["name"] for r in loaded if r["effective"] == "2026-09-01"] == ["Tiny two"]
    shown = runner.invoke(app, ["tariff", "show", "0101.21.00", "--date", "2026-09-02",
                                "--json"])
    assert json.loads(shown.output)["general"]["text"] == "2%"


def test_import_on_a_shipped_date_is_refused(tmp_path: Path) -> None:
    done = _zonekeeper("tariff", "import", str(_tiny(tmp_path / "t.json")), "--effective",
                       "2026-01-01")
    assert done.returncode == 2
    assert "(HTS 2026 Basic Edition)" in done.stderr and "--replace" in done.stderr


def test_a_taken_date_is_listed_with_the_files_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("HTS Number,Indent,Description,General Rate of Duty\n"
                    "0101,0,Horses,\n0101.2X,1,Bad,5%\n", encoding="utf-8")
    done = _zonekeeper("tariff", "import", str(path), "--effective", "2026-02-13")
    assert done.returncode == 2
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "row 3:HTS Number" in errors[0] and "error: --effective:" in errors[1]


def test_import_lists_rate_texts_that_do_not_parse(tmp_path: Path) -> None:
    path = _tiny(tmp_path / "odd.json", "3¢/furlong")
    result = runner.invoke(app, ["tariff", "import", str(path), "--effective", "2026-10-01",
                                 "--name", "Odd"])
    assert result.exit_code == 0, result.output
    assert "warning: 1 rate text(s) do not parse" in result.output
    assert "0101.21.00 general: '3¢/furlong'" in result.output
    report = json.loads(runner.invoke(app, ["tariff", "check", "--json"]).output)
    assert {"text": "3¢/furlong", "column": "general", "hts": "0101.21.00",
            "revision": "Odd", "reason": None} in report["unparsed"]


def test_import_of_parsable_rates_prints_no_warning(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tariff", "import", str(_tiny(tmp_path / "t.json")),
                                 "--effective", "2026-10-01"])
    assert result.exit_code == 0 and "warning" not in result.output


def test_show_before_every_revision_exits_2_with_the_reason() -> None:
    done = _zonekeeper("tariff", "show", "0101.21.00", "--date", "2021-01-01")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == (
        "error: --date: no tariff for 2021-01-01: the earliest loaded revision "
        "(HTS 2021 Revision 12) is in force from 2021-12-07")


def test_show_without_a_date_asks_the_clock_of_the_root_options_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every command takes its `Context` from the root options (`cli.app.context`), so a
    test's clock reaches it: 'today' is 2026-01-10 here, before Revision 1."""
    from zonekeeper.app.context import Context
    from zonekeeper.cli.app import Settings

    monkeypatch.setattr(Settings, "context", lambda self: Context(
        self.database_url, clock=lambda: dt.date(2026, 1, 10)))
    result = runner.invoke(app, ["tariff", "show", "0101.30.00.00"])
    assert result.exit_code == 0, result.output
    assert "HTS 2026 Basic Edition" in result.output
