"""One parser per kind of cell and one date message: every reader refuses alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.cli import application
from zonekeeper.dates import ACE_FORMATS, date_option, parse_date
from zonekeeper.errors import InputError
from zonekeeper.io import cells, drawback_files, entry_lines, zone_files


def test_iso_dates_and_the_one_message() -> None:
    assert parse_date(" 2026-08-03 ") == date(2026, 8, 3)
    with pytest.raises(ValueError, match=r"^not a date \(YYYY-MM-DD\): '2026-13-01'$"):
        parse_date("2026-13-01")
    assert date_option(None, "--as-of") is None
    with pytest.raises(InputError) as caught:
        date_option("3/8/2026", "--as-of")
    assert [str(p) for p in caught.value.problems] == [
        "--as-of: not a date (YYYY-MM-DD): '3/8/2026'"
    ]


def test_ace_forms_only_where_asked() -> None:
    assert parse_date("08/03/2026", formats=ACE_FORMATS) == date(2026, 8, 3)
    assert parse_date("20260803", formats=ACE_FORMATS) == date(2026, 8, 3)
    with pytest.raises(ValueError, match=r"^not a date \(YYYY-MM-DD or MM/DD/YYYY or "
                                         r"YYYYMMDD\): '2026/08/03'$"):
        parse_date("2026/08/03", formats=ACE_FORMATS)
    with pytest.raises(ValueError, match="not a date"):
        parse_date("08/03/2026")


@pytest.mark.parametrize(
    "argv",
    [
        ["duty", "quote", "--hts", "0101.21.00", "--origin", "DE", "--value", "1",
         "--date", "2026-02-30"],
        ["tariff", "show", "0101.21.00", "--date", "2026-02-30"],
        ["entry", "weekly", "--week", "2026-W32", "--entry-date", "2026-02-30"],
        ["alerts", "--as-of", "2026-02-30"],
    ],
    ids=["duty quote", "tariff show", "entry weekly", "alerts"],
)
def test_every_command_says_it_the_same_way(argv: list[str], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "none.db")]
    result = CliRunner().invoke(application(argv), [*db, *argv])
    assert isinstance(result.exception, InputError)
    assert any(p.message == "not a date (YYYY-MM-DD): '2026-02-30'"
               for p in result.exception.problems)


def test_file_cells_say_it_the_same_way(tmp_path: Path) -> None:
    zone = tmp_path / "counts.csv"
    zone.write_text("date,lot,counted\n2026-02-30,L1,3\n")
    with pytest.raises(InputError) as caught:
        zone_files.read_counts(zone)
    assert "not a date (YYYY-MM-DD): '2026-02-30'" in {p.message for p in caught.value.problems}
    imports = tmp_path / "imports.csv"
    imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                       "E1,1,2026-02-30,4202923120,10,No.,1000,176.00\n")
    with pytest.raises(InputError) as caught:
        drawback_files.read_imports(imports)
    reasons = {p.message for p in caught.value.problems}
    assert "not a date (YYYY-MM-DD or MM/DD/YYYY or YYYYMMDD): '2026-02-30'" in reasons


def test_zone_and_drawback_files_refuse_a_cell_alike(tmp_path: Path) -> None:
    """`io.cells` is the one set of cell parsers: the same bad quantity or value gets the
    same reason in a zone file and in a drawback file."""
    admissions = tmp_path / "admissions.csv"
    admissions.write_text("admission_no,line,date,part,quantity,value,status\n"
                          "A1,1,2026-08-03,P1,0,-5,P\n")
    with pytest.raises(InputError) as caught:
        zone_files.read_admissions(admissions)
    zone = {p.field: p.message for p in caught.value.problems}
    imports = tmp_path / "imports.csv"
    imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                       "E1,1,2026-01-15,4202923120,0,No.,-5,176.00\n")
    with pytest.raises(InputError) as caught:
        drawback_files.read_imports(imports)
    drawback = {p.field: p.message for p in caught.value.problems}
    entry = tmp_path / "entry.csv"
    entry.write_text("hts,origin,value,mode\n0101.21.00,DE,-5,boat\n")
    _, found = entry_lines.read_entry_file(entry)
    duty = {p.field: p.message for p in found}
    assert zone["quantity"] == drawback["quantity"] == "must be greater than 0, got '0'"
    assert zone["value"] == drawback["value"] == duty["value"] == "must not be negative, got '-5'"
    assert duty["mode"] == cells_refusal(cells.mode, "boat")


def cells_refusal(parse: Callable[[str], object], text: str) -> str:
    with pytest.raises(ValueError) as caught:
        parse(text)
    return str(caught.value)


def test_one_hts_cell_for_every_file() -> None:
    """`io.cells.hts` reads every file's HTS number; a drawback file's line needs 8 digits,
    a Chapter 99 heading of 6 is let through only where an import row may hold one."""
    assert cells.hts("8537.10") == "853710"
    assert drawback_files.hts_line("101.21.00") == "01012100"  # the eaten zero restored
    assert drawback_files.hts_or_heading("9903.88") == "990388"
    assert cells_refusal(drawback_files.hts_line, "8537.10") == (
        "not an HTS number (8 to 10 digits, e.g. 8537.10.91.70): '8537.10'")
    for parse, written in ((drawback_files.hts_line, "9903.88"),
                           (drawback_files.hts_or_heading, "9903"),
                           (drawback_files.hts_or_heading, "8537.10")):
        assert cells_refusal(parse, written).startswith("not an HTS number (8 to 10 digits")
    assert cells_refusal(cells.hts, "85") == (
        "not an HTS number (4 to 10 digits, e.g. 8537.10.91.70): '85'")
