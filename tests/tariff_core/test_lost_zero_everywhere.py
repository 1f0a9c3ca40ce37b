"""An HTS number whose leading zero a spreadsheet ate (`101210010` for 0101.21.00.10) is
read the same way by every reader: `tariff.codes.hts_digits` restores the zero for 7 or 9
digits (or a 3-digit first group), and every other length is refused, never guessed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from zonekeeper.cli import main
from zonekeeper.io import zone_files
from zonekeeper.io.drawback_files import read_exports, read_imports
from zonekeeper.io.entry_lines import read_entry_file
from zonekeeper.tariff.codes import HtsCode, hts_digits

LOST = "101210010"  # 0101.21.00.10, horses, as Excel stores it
RESTORED = "0101210010"


@pytest.mark.parametrize(
    ("text", "digits"),
    [("101210010", "0101210010"), ("1012100", "01012100"), ("101.21.00.10", "0101210010"),
     ("0101.21.00.10", "0101210010"), ("8414308030", "8414308030")],
)  # fmt: skip
def test_the_one_rule(text: str, digits: str) -> None:
    assert hts_digits(text) == digits == HtsCode.parse(text).digits


@pytest.mark.parametrize("text", ["84143080301", "841", "8414.3", "84x4"])
def test_other_lengths_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an HTS code"):
        hts_digits(text)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_reader_restores_the_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = _write(tmp_path / "parts.csv", f"part,hts,origin\nH,{LOST},DE\n")
    assert zone_files.read_parts(parts)[0]["hts"] == RESTORED
    admissions = _write(
        tmp_path / "a.csv",
        f"admission_no,line,date,part,quantity,value,status,hts\nA1,1,2026-03-02,H,1,9,P,{LOST}\n",
    )
    [event] = zone_files.admissions_from(zone_files.read_admissions(admissions))
    assert event.hts == RESTORED
    imports = _write(tmp_path / "i.csv", "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                     f"E1,1,2026-01-05,{LOST},10,No.,100,0\n")  # fmt: skip
    exports = _write(tmp_path / "x.csv", "export_ref,export_date,hts,quantity,unit,value\n"
                     f"X1,2026-02-01,{LOST},4,No.,100\n")  # fmt: skip
    assert read_imports(imports)[0].hts == RESTORED
    assert read_exports(exports)[0].hts == RESTORED
    entry = _write(tmp_path / "e.csv", f"hts,origin,value\n{LOST},DE,1000\n")
    [(_row, item)], problems = read_entry_file(entry)
    assert problems == []
    monkeypatch.setattr(sys, "argv", ["zonekeeper", "duty", "entry", str(entry),
                                      "--date", "2026-03-02", "--json"])  # fmt: skip
    with pytest.raises(SystemExit):
        main()
    assert json.loads(capsys.readouterr().out)["lines"][0]["hts"] == "0101.21.00.10"
    monkeypatch.setattr(sys, "argv", ["zonekeeper", "duty", "quote", "--hts", LOST,
                                      "--origin", "DE", "--value", "1000",
                                      "--date", "2026-03-02", "--json"])  # fmt: skip
    with pytest.raises(SystemExit):
        main()
    assert json.loads(capsys.readouterr().out)["hts"] == "0101.21.00.10"
