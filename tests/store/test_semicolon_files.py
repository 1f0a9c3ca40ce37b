"""A CSV saved by Excel where ',' is the decimal mark has ';' between its columns and decimal
commas (`A-1;1;2026-08-03;W;10;1.234,50;N`). Every reader of a user's CSV refuses it in ONE
line naming the separator and how to save the file, before anything is read: its numbers
must never be guessed at (a decimal comma read as a thousands separator makes 1,5 into 15).
A decimal comma in a comma-separated file stays refused as a number. Exit 2, nothing
changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from zk_store_samples import FILE_READERS

from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.io.tabular import SEMICOLON_HELP, read_table, separator_problem

app = application()
runner = CliRunner()
EUROPEAN = (
    "admission_no;line;date;part;quantity;value;status\n"
    "A-1;1;2026-08-03;W;10;1.234,50;N\n"
    "A-1;2;2026-08-03;W;2,5;99,99;N\n"
)

# Every command that reads a user's CSV (the drawback claim reads JSON), and the dry run of
# one posting command (its checks read the file the same way, and write nothing).
CSV_READERS = [
    *(argv for argv in FILE_READERS if argv[:2] != ["drawback", "claim"]),
    ["admit", "--dry-run", "--json", "{f}"],
]


def _refused(books: str, args: list[str]) -> list[Any]:
    result = runner.invoke(app, ["--database-url", books, *args])
    assert isinstance(result.exception, InputError), (args, result.output, result.exception)
    return list(result.exception.problems)


@pytest.mark.parametrize("command", CSV_READERS, ids=lambda c: " ".join(c[:3]))
def test_every_csv_reader_refuses_a_semicolon_file_in_one_line(
    empty_zone: str, tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "european.csv"
    path.write_text(EUROPEAN)
    args = [a.replace("{f}", str(path)) for a in command]
    [problem] = _refused(empty_zone, args)
    assert (problem.file, problem.row, problem.field) == (str(path), 1, None)
    assert problem.message == SEMICOLON_HELP
    assert "';' between columns" in problem.message
    assert "CSV UTF-8 (Comma delimited)" in problem.message


def test_a_latin1_semicolon_file_is_one_line_too(tmp_path: Path) -> None:
    """Excel's "CSV (Semicolon)" is often not UTF-8 either: the one line says how to save it
    as UTF-8 and with commas at once."""
    path = tmp_path / "latin1.csv"
    path.write_bytes(EUROPEAN.replace("W;", "Crème;").encode("latin-1"))
    table = read_table(path)
    assert table.unreadable
    assert [p.message for p in table.problems] == [SEMICOLON_HELP]


def test_excel_sep_line_and_blank_lines_before_the_header_are_seen(tmp_path: Path) -> None:
    for text, row in (("sep=;\n" + EUROPEAN, 1), ("\n\n" + EUROPEAN, 3)):
        path = tmp_path / "x.csv"
        path.write_text(text)
        [problem] = read_table(path).problems
        assert (problem.message, problem.row) == (SEMICOLON_HELP, row)
        assert separator_problem(text, "x.csv") is not None


def test_a_comma_file_with_semicolons_inside_cells_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("admission_no,line,date,part,quantity,value,status,description\n"
                    'A-1,1,2026-08-03,W,10,"1,234.50",N,"bolts; nuts; washers"\n')
    table = read_table(path)
    assert not table.problems and not table.unreadable
    assert table.rows[0][1]["description"] == "bolts; nuts; washers"
    assert separator_problem(path.read_text(), "ok.csv") is None


@pytest.mark.parametrize("value", ["1,5", "1.234,50", "99,99"])
def test_a_decimal_comma_in_a_comma_file_is_never_a_thousands_separator(
    empty_zone: str, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "adm.csv"
    path.write_text("admission_no,line,date,part,quantity,value,status\n"
                    f'A-1,1,2026-08-03,W,10,"{value}",N\n')
    problems = _refused(empty_zone, ["admit", str(path)])
    assert any(p.row == 2 and p.field == "value" and "not a number" in p.message
               for p in problems), problems
