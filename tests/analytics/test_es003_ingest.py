"""Reading ES-003 reports (CSV, XLSX) and the drawback import format: Chapter 98/99 rows
joined to their commodity line whatever their place in the file; a bad file refused whole,
each problem with its file, row, field and code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from es003_files import HEADER, WriteFile, row, write_xlsx

from zonekeeper.errors import InputError
from zonekeeper.io.cells import ace_date
from zonekeeper.io.es003 import read_entry_lines

CN_LINE = [  # CSMS order: 301 before IEEPA, the commodity last
    row("ZZ1000001", 1, "2025-09-04", "CN", 1, "9903.88.03", "", "250.00"),
    row("ZZ1000001", 1, "2025-09-04", "CN", 2, "9903.01.24", "", "100.00"),
    row("ZZ1000001", 1, "2025-09-04", "CN", 3, "8537.10.91.70", "1,000.00", "27.00",
        liquidated="03/01/2026", part="P-7"),
]


def test_chapter99_rows_join_their_commodity_line(es003: WriteFile) -> None:
    [line] = read_entry_lines(es003(CN_LINE))
    assert (line.entry, line.line, line.hts, line.value, line.duty) == (
        "ZZ1000001", 1, "8537109170", Decimal("1000.00"), Decimal("27.00"))
    assert [(c.heading, c.duty, c.row) for c in line.chapter99] == [
        ("9903880300"[:8], Decimal("250.00"), 2), ("99030124", Decimal("100.00"), 3)]
    assert line.total_duty == Decimal("377.00")
    assert (line.entry_date, line.liquidation_date, line.part, line.row) == (
        date(2025, 9, 4), date(2026, 3, 1), "P-7", 4)


def test_the_commodity_row_first_reads_the_same(es003: WriteFile) -> None:
    reordered = [CN_LINE[2], CN_LINE[1], CN_LINE[0]]
    [line] = read_entry_lines(es003(reordered))
    assert [c.heading for c in line.chapter99] == ["99038803", "99030124"]  # by ordinal


def test_xlsx_reads_as_the_csv(tmp_path: Path, es003: WriteFile) -> None:
    table = [HEADER.split(","), *(r.split(",") for r in (  # no comma inside a cell here
        row("ZZ1000001", 1, "2025-09-04", "CN", 1, "9903.01.24", "", "100.00"),
        row("ZZ1000001", 1, "2025-09-04", "CN", 2, "8537.10.91.70", "1000.00", "27.00")))]
    from_xlsx = read_entry_lines(write_xlsx(tmp_path / "es003.xlsx", table))
    from_csv = read_entry_lines(es003([",".join(r) for r in table[1:]]))
    assert [(x.entry, x.value, x.total_duty) for x in from_xlsx] == [
        (x.entry, x.value, x.total_duty) for x in from_csv] == [
        ("ZZ1000001", Decimal("1000.00"), Decimal("127.00"))]


def test_the_drawback_import_format_with_program_columns(tmp_path: Path) -> None:
    path = tmp_path / "imports.csv"
    path.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty,origin,"
                    "duty_ieepa,duty_301\n"
                    "E-1,1,2025-09-04,8537109170,10,NO,1000,27,CN,100,250\n")
    [line] = read_entry_lines(path)
    assert [(c.heading, c.program, c.duty) for c in line.chapter99] == [
        ("", "ieepa", Decimal("100")), ("", "section301", Decimal("250"))]


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as refused:
        read_entry_lines(path)
    assert all(p.file == str(path) for p in refused.value.problems)
    return [(p.row, p.field, p.code) for p in refused.value.problems]


def test_bad_cells_are_each_named_and_nothing_is_read(es003: WriteFile) -> None:
    path = es003([
        row("ZZ1", 1, "2025-13-40", "CN", 1, "8537109170", "1000", "27"),
        row("ZZ1", 2, "2025-09-04", "CN", 1, "85371", "1000", "27"),
        row("ZZ1", 3, "2025-09-04", "CN", 1, "8537109170", "1.000,50", "-3"),
        row("", 4, "2025-09-04", "CN", 1, "8537109170", "", "27"),
    ])
    assert sorted(_problems(path), key=str) == sorted([
        (2, "Entry Date", "es003.bad-value"), (3, "HTS Number - Full", "es003.bad-value"),
        (4, "Line Tariff Goods Value Amount", "es003.bad-value"),
        (4, "Line Tariff Duty Amount", "es003.bad-value"),
        (5, "Entry Summary Number", "es003.missing-value"),
        (5, "Line Tariff Goods Value Amount", "es003.missing-value"),
    ], key=str)


def test_a_line_number_too_large_for_an_integer_is_refused_with_its_row(
        es003: WriteFile) -> None:
    """A 20-digit line number (a damaged cell) made the Int64 cast of the line column
    raise; it is a problem naming its row and column, and a padded small one still reads."""
    path = es003([
        row("ZZ1", 1, "2025-09-04", "CN", 1, "8537109170", "1000", "27"),
        row("ZZ1", 12345678901234567890, "2025-09-04", "CN", 1, "8537109170", "1000", "27"),
    ])
    assert _problems(path) == [(3, "Entry Summary Line Number", "es003.bad-value")]
    padded = es003([row("ZZ1", 1, "2025-09-04", "CN", 1, "8537109170", "1000", "27")
                    .replace("ZZ1,1,", "ZZ1,00000000000000000001,")], name="padded.csv")
    assert [x.line for x in read_entry_lines(padded)] == [1]


def test_structure_problems(es003: WriteFile) -> None:
    path = es003([
        row("ZZ1", 1, "2025-09-04", "CN", 1, "8537109170", "1000", "27"),
        row("ZZ1", 1, "2025-09-04", "CN", 2, "8537109170", "1000", "27"),
        row("ZZ2", 1, "2025-09-04", "CN", 1, "9903.01.24", "", "100"),
    ])
    hts = "HTS Number - Full"
    assert _problems(path) == [(2, hts, "es003.line-twice"), (3, hts, "es003.line-twice"),
                               (4, hts, "es003.orphan-row")]


def test_a_missing_column_is_named(es003: WriteFile) -> None:
    header = HEADER.replace("Line Tariff Duty Amount,", "")
    assert _problems(es003([], header=header)) == [
        (1, "line tariff duty amount", "es003.missing-column")]


def test_an_empty_file_is_refused(es003: WriteFile) -> None:
    assert _problems(es003([])) == [(None, None, "es003.empty")]


@pytest.mark.parametrize(("written", "read"), [
    ("8537.10.91.00", "8537109100"),   # a dotted code's .00 is its statistical suffix
    ("8537.10.00", "85371000"),
    ("8537109170.0", "8537109170"),    # a spreadsheet's float
    ("101210010", "0101210010"),       # a leading zero a spreadsheet ate (as hts_digits)
])
def test_hts_numbers_read_as_every_reader_reads_them(es003: WriteFile, written: str,
                                                     read: str) -> None:
    [line] = read_entry_lines(es003([row("ZZ1", 1, "2026-02-10", "DE", 1, written,
                                         "100.00", "2.70")]))
    assert line.hts == read


@pytest.mark.parametrize("written", ["2025-09-04", "09/04/2025", "20250904"])
def test_an_entry_date_in_each_ace_form_reads_as_a_drawback_cell_reads_it(
    es003: WriteFile, written: str
) -> None:
    [line] = read_entry_lines(es003(
        [row("ZZ1000001", 1, written, "CN", 1, "8537.10.91.70", "1000.00", "27.00")]))
    assert line.entry_date == ace_date(written) == date(2025, 9, 4)


def test_equal_quantities_share_one_decimal_and_read_as_written(es003: WriteFile) -> None:
    """A report's quantities repeat; each distinct one is made once (memory on a million
    lines), and every line still reads its own."""
    lines = read_entry_lines(es003([
        row("ZZ1000002", 1, "2025-09-04", "DE", 1, "8537.10.91.70", "10.00", "0.27", qty="12"),
        row("ZZ1000002", 2, "2025-09-04", "DE", 1, "8537.10.91.70", "20.00", "0.54", qty="12"),
        row("ZZ1000002", 3, "2025-09-04", "DE", 1, "8537.10.91.70", "30.00", "0.81",
            qty="12.5"),
        row("ZZ1000002", 4, "2025-09-04", "DE", 1, "8537.10.91.70", "40.00", "1.08", qty=""),
    ]))
    assert [x.quantity for x in lines] == [Decimal(12), Decimal(12), Decimal("12.5"), None]
    assert lines[0].quantity is lines[1].quantity


def test_polars_gives_freed_memory_back_unless_told_otherwise() -> None:
    """The allocator setting is made before Polars loads, which appends it to its own
    (`polars/__init__.py`: the last setting wins), and a setting the user made is kept."""
    import os
    import subprocess
    import sys

    show = ("import zonekeeper.io.es003, os, sys; "
            "print(os.environ['_RJEM_MALLOC_CONF'], 'polars' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    ours = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True,
                          text=True, check=True).stdout.split()
    assert ours[0].endswith(",dirty_decay_ms:0,muzzy_decay_ms:0") and ours[1] == "True"
    theirs = subprocess.run([sys.executable, "-c", show],
                            env={**env, "_RJEM_MALLOC_CONF": "dirty_decay_ms:5000"},
                            capture_output=True, text=True, check=True).stdout.split()
    assert theirs[0].endswith(",dirty_decay_ms:5000") and "decay_ms:0" not in theirs[0]
