"""The zone file readers: typed rows from CSV and JSON lines, every problem located."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonekeeper.errors import InputError
from zonekeeper.io import cells, zone_files


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_admissions_read_with_optional_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a.csv",
        "\ufeffAdmission_No,line,date,part,quantity,value,status,"
        "hts,origin,mode,pf_date\n"
        'A1,1,2026-08-03,W,"1,000",$12.50,P,8537.10.91.70,de,Vessel,2026-08-02\n',
    )
    [event] = zone_files.admissions_from(zone_files.read_admissions(path))
    assert event.quantity == Decimal(1000) and event.value == Decimal("12.50")
    assert event.status.value == "PF" and event.hts == "8537109170" and event.origin == "DE"
    assert event.mode == "vessel" and event.pf_date == dt.date(2026, 8, 2)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s.csv",
        "shipment_no,date,part,quantity,disposition\nS1,2026-08-05,W,0,sideways\nS1,,W,2,export\n",
    )
    with pytest.raises(InputError) as error:
        zone_files.read_shipments(path)
    found = {(p.row, p.field) for p in error.value.problems}
    assert found == {(None, "value"), (2, "quantity"), (2, "disposition"), (3, "date")}


def test_json_lines_and_duplicate_admission_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a.jsonl",
        '{"admission_no":"A1","line":1,"date":"2026-08-03","part":"W","quantity":2,'
        '"value":"10","status":"NPF"}\n\n'
        '{"admission_no":"A1","line":1,"date":"2026-08-03","part":"W","quantity":0.1,'
        '"value":"1","status":"NPF"}\n',
    )
    with pytest.raises(InputError) as error:
        zone_files.read_admissions(path)
    assert [(p.row, p.field) for p in error.value.problems] == [(3, "line")]


def test_boms_group_lines_by_product_and_date(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "b.csv",
        "product,component,quantity_per_unit,waste_pct,effective_from\n"
        "K,W,2,5,\nK,S,1,,\nK,W,3,,2026-09-01\n",
    )
    boms = {(b.product, b.valid_from): b for b in zone_files.boms_from(zone_files.read_boms(path))}
    first = boms[("K", zone_files.BEGINNING)]
    assert [(line.component, line.quantity, line.waste) for line in first.lines] == [
        ("W", Decimal(2), Decimal("0.05")),
        ("S", Decimal(1), Decimal(0)),
    ]
    assert boms[("K", dt.date(2026, 9, 1))].lines[0].quantity == Decimal(3)


def test_a_status_change_names_a_lot_or_an_admission_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c.csv",
        "date,admission_no,line,to_status\n2026-08-04,A1,2,PF\n2026-08-04,A1,,ZR\n",
    )
    with pytest.raises(InputError) as error:
        zone_files.read_status_changes(path)
    assert [p.row for p in error.value.problems] == [3]


def test_a_nul_character_is_refused_where_it_is(tmp_path: Path) -> None:
    """PostgreSQL text cannot hold U+0000: the reader names the cell, in CSV and in JSON
    lines (where it arrives as an escape), instead of a database error at posting."""
    csv_path = _write(
        tmp_path,
        "p.csv",
        "part,description,hts,origin,unit\nW,board\x00x,8537109170,DE,No.\n",
    )
    json_path = _write(
        tmp_path,
        "p.jsonl",
        '{"part": "W", "description": "board\\u0000x", "hts": "8537109170", '
        '"origin": "DE", "unit": "No."}\n',
    )
    for path in (csv_path, json_path):
        with pytest.raises(InputError) as refused:
            zone_files.read_parts(path)
        [problem] = refused.value.problems
        assert (problem.row, problem.field) == (2 if path is csv_path else 1, "description")
        assert "NUL" in problem.message


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        zone_files.read_counts(tmp_path / "nowhere.csv")
    with pytest.raises(InputError):
        zone_files.read_counts(_write(tmp_path, "e.csv", ""))
    with pytest.raises(InputError):
        zone_files.read_counts(_write(tmp_path, "h.csv", "date,part,counted_quantity\n"))


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1e9"), places=3))
def test_quantities_are_read_exactly(quantity: Decimal) -> None:
    assert cells.positive_decimal(str(quantity)) == quantity


def test_a_windows_1252_export_is_refused_in_one_line_naming_it(tmp_path: Path) -> None:
    """Every line of an Excel 'CSV (Comma delimited)' export holds a byte that is not UTF-8:
    the file is refused in one line that names the encoding it is in and how to save it
    (not 40,000 problems, not its letters guessed), read in one pass."""
    lines = ["part,description,hts,origin,unit"] + [
        f"P{i},Cr\xe8me {i},8537109170,DE,No." for i in range(40_000)
    ]
    path = tmp_path / "latin1.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    with pytest.raises(InputError) as refused:
        zone_files.read_parts(path, [])
    [problem] = refused.value.problems
    assert (problem.code, problem.file, problem.row) == ("file.windows-1252", str(path), 2)
    assert "Windows-1252" in problem.message and "CSV UTF-8 (Comma delimited)" in problem.message
    assert "byte 0xE8 at byte 39 of the file is 'è'" in problem.message
    assert "39,999 more lines" in problem.message


def test_stray_bytes_in_a_utf8_file_get_a_problem_per_line_in_one_pass(tmp_path: Path) -> None:
    """A UTF-8 file (it holds UTF-8 letters) with a byte that is not: damaged, not another
    encoding; each line holding such a byte gets its problem, the rest is still checked, in
    time proportional to the file (it used to re-decode the rest after every bad byte)."""
    head = "part,description,hts,origin,unit\nP,Crème,8537109170,DE,No.\n".encode()
    body = b"".join(b"P%d,Cr\xe8me %d,8537109170,DE,No.\n" % (i, i) for i in range(40_000))
    path = tmp_path / "damaged.csv"
    path.write_bytes(head + body)
    problems: list = []
    zone_files.read_parts(path, problems)
    not_utf8 = [p for p in problems if "not UTF-8" in p.message]
    assert [p.row for p in not_utf8] == list(range(3, 40_003))
    assert "byte 0xE8" in not_utf8[0].message and "character 6 of the line" in not_utf8[0].message


def test_a_bad_byte_is_placed_by_its_offset_in_the_file_byte_order_mark_included() -> None:
    from zonekeeper.io.tabular import decoded

    _, [problem], _ = decoded(b"\xef\xbb\xbf ab\xff", "f.csv")  # the 0xFF is byte 7
    assert "at byte 7 of the file" in problem.message
    assert "character 4 of the line" in problem.message  # the mark is not a character


def test_a_json_line_may_hold_a_line_separator_inside_a_string(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "p.jsonl",
        '{"part": "W", "description": "board\u2028rev B", "hts": "8537109170", '
        '"origin": "DE", "unit": "No."}\n',
    )
    [part] = zone_files.parts_from(zone_files.read_parts(path))
    assert part.description == "board\u2028rev B"


@pytest.mark.parametrize(
    "name", ["PARTS", "ADMISSIONS", "PRODUCTION", "SHIPMENTS", "SUSPENSE", "FILINGS"]
)
def test_each_format_is_declared_once(name: str) -> None:
    """The columns of a format say both what the header must hold and which field of the
    record each fills: every mapped field is the record's, and every field the record
    needs is filled by a column (no mapper of its own to fall out of step)."""
    import dataclasses

    fmt = getattr(zone_files, name)
    fields = {f.name: f for f in dataclasses.fields(fmt.record)}
    mapped = {c.field for c in fmt.columns if c.field is not None}
    assert mapped <= set(fields)
    needed = {n for n, f in fields.items()
              if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
              and f.init}
    assert needed <= mapped
    for column in fmt.columns:
        if column.required:
            assert column.default is None  # a required cell is never blank
