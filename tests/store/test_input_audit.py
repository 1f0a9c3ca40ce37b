"""The input audit: every reader reports a file that is not UTF-8, a repeated column, a
broken structure (every bad row, not the first), an unknown country, a number out of
bounds and a bad bill of materials as problems with file, row and column — exit 2, nothing
posted — and the problems of master data name their file row. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from zk_store_samples import app, runner
from zk_store_samples import cli_ok as _ok
from zk_store_samples import cli_problems as _problems
from zk_store_samples import run_cli as _run

from zonekeeper.errors import InputError
from zonekeeper.io import zone_files
from zonekeeper.io.drawback_files import read_exports, read_imports
from zonekeeper.io.tabular import read_table

PARTS = ("part,description,hts,origin,unit\nV2,Valve,8481.80.50.90,KR,No.\n"
         "W,Widget,8537.10.91.70,DE,No.\n")
ADM = "admission_no,line,date,part,quantity,value,status\n"


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> str:
    _ok(database_url, "init", "--zone", "9")
    (tmp_path / "parts.csv").write_text(PARTS)
    _ok(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    return database_url


def test_a_file_that_is_not_utf8_is_a_problem_naming_row_and_byte(
    books: str, tmp_path: Path
) -> None:
    bad = tmp_path / "cp.csv"
    bad.write_bytes(b"part,description,hts,origin,unit\nV3,Cr\xe8me,8481.80.50.90,KR,No.\n")
    [(file, row, _, reason)] = _problems(books, "parts", "load", str(bad))
    assert (file, row) == (str(bad), 2)
    assert "0xE8" in reason and "byte 39" in reason and "UTF-8" in reason
    adm = tmp_path / "adm.csv"
    adm.write_bytes(ADM.encode() + b"A-1,1,2026-03-02,V2,5,100,P\nA-1,2,2026-03-02,V2,5,1\xff0,P\n")
    found = _problems(books, "admit", str(adm))
    assert [(row, "save the file as UTF-8" in reason) for _, row, _, reason in found] == [(3, True)]
    assert _run(books, "balance", "--json").stdout.strip() == "[]"


def test_entry_and_drawback_readers_report_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    entry = tmp_path / "e.csv"
    entry.write_bytes(b"hts,origin,value\n8481.80.50.90,KR,100\n8481.80.50.90,K\xe9,100\n")
    result = runner.invoke(app, ["duty", "entry", str(entry), "--date", "2026-03-01"])
    assert isinstance(result.exception, InputError)
    assert [(p.file, p.row) for p in result.exception.problems if p.file] == [(str(entry), 3)]
    imports = tmp_path / "i.csv"
    imports.write_bytes(b"entry_no,line,import_date,hts,quantity,unit,value,duty,part\n"
                        b"E1,1,2026-01-05,4202.92.31.20,10,No.,100,17.60,Cr\xe8me\n")
    with pytest.raises(InputError) as caught:
        read_imports(imports)
    assert [(p.row, "UTF-8" in p.message) for p in caught.value.problems] == [(2, True)]


def test_huge_numbers_are_refused_at_read_time(books: str, tmp_path: Path) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM + "A-1,1,2026-03-02,V2,10000000000000000000000000000,100,P\n"
                   "A-1,2,2026-03-02,V2,5,10000000000000000000000000000,P\n"
                   "A-1,3,2026-03-02,V2,5.0000001,100,P\n")
    found = _problems(books, "admit", str(adm))
    assert [(row, field) for _, row, field, _ in found] == [
        (2, "quantity"), (3, "value"), (4, "quantity"),
    ]
    assert "too large" in found[0][3] and "decimal places" in found[2][3]
    _ok(books, "balance")
    _ok(books, "report", "board", "--year", "2026")


def test_a_repeated_column_is_refused(books: str, tmp_path: Path) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text("admission_no,admission_no,line,date,part,quantity,value,status\n"
                   "A-1,A-2,1,2026-03-02,V2,5,100,P\n")
    found = _problems(books, "admit", str(adm))
    assert [(row, field) for _, row, field, _ in found] == [(1, "admission_no")]
    assert "twice" in found[0][3]
    jsonl = tmp_path / "adm.jsonl"
    jsonl.write_text('{"admission_no":"A-1","Admission_No":"A-2","line":1,"date":"2026-03-02",'
                     '"part":"V2","quantity":5,"value":100,"status":"P"}\n')
    found = _problems(books, "admit", str(jsonl))
    assert [(row, field) for _, row, field, _ in found] == [(1, "admission_no")]
    assert _run(books, "balance", "--json").stdout.strip() == "[]"


def test_unknown_countries_are_refused_by_the_books_and_drawback_readers(
    books: str, tmp_path: Path
) -> None:
    parts = tmp_path / "p.csv"
    parts.write_text("part,description,hts,origin,unit\nQ,Q,8481.80.50.90,QQ,No.\n")
    assert [(r, f) for _, r, f, _ in _problems(books, "parts", "load", str(parts))] == [
        (2, "origin")
    ]
    adm = tmp_path / "adm.csv"
    adm.write_text("admission_no,line,date,part,quantity,value,status,origin\n"
                   "A-1,1,2026-03-02,V2,5,100,P,QQ\n")
    assert [(r, f) for _, r, f, _ in _problems(books, "admit", str(adm))] == [(2, "origin")]
    imports = tmp_path / "i.csv"
    imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty,origin\n"
                       "E1,1,2026-01-05,4202.92.31.20,10,No.,100,17.60,QQ\n"
                       "E1,2,2026-01-05,4202.92.31.20,10,No.,100,17.60,cn\n")
    with pytest.raises(InputError) as caught:
        read_imports(imports)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "origin")]
    exports = tmp_path / "x.csv"
    exports.write_text("export_ref,export_date,hts,quantity,unit,value,origin\n"
                       "X1,2026-02-01,4202.92.31.20,4,No.,400,QQ\n")
    with pytest.raises(InputError) as caught:
        read_exports(exports)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "origin")]


def test_bom_load_refuses_unknown_and_self_referencing_lines_listing_all(
    books: str, tmp_path: Path
) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_text("product,component,quantity_per_unit\nW,NOPE,1\nV2,V2,1\nGHOST,V2,1\n")
    found = _problems(books, "bom", "load", str(bom))
    assert [(row, field) for _, row, field, _ in found] == [
        (2, "component"), (3, "component"), (4, "product"),
    ]
    assert all(file == str(bom) for file, *_ in found)
    good = tmp_path / "good.csv"
    good.write_text("product,component,quantity_per_unit\nW,V2,1\n")
    _ok(books, "bom", "load", str(good))
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM + "A-1,1,2026-03-02,V2,5,100,P\n")
    _ok(books, "admit", str(adm))
    changed = tmp_path / "changed.csv"
    changed.write_text("product,component,quantity_per_unit\nW,V2,2\nW,NOPE,1\n")
    found = _problems(books, "bom", "load", str(changed))
    assert [(file, row, field) for file, row, field, _ in found] == [
        (str(changed), 2, "effective_from"), (str(changed), 3, "component"),
    ]


def test_a_changed_part_after_postings_names_the_file_row(books: str, tmp_path: Path) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM + "A-1,1,2026-03-02,V2,5,100,P\n")
    _ok(books, "admit", str(adm))
    parts = tmp_path / "p2.csv"
    parts.write_text(PARTS.replace("Valve", "Ball valve"))
    found = _problems(books, "parts", "load", str(parts))
    assert [(file, row, field) for file, row, field, _ in found] == [
        (str(parts), 2, "valid_from")
    ]


def test_structure_problems_are_all_reported_with_their_rows(tmp_path: Path) -> None:
    csv_file = tmp_path / "adm.csv"
    csv_file.write_text(ADM + "A-1,1,2026-03-02,V2,5,100,P,extra\n"
                        "A-1,2,2026-03-02,V2,5,100,P\n"
                        "A-1,3,2026-03-02,V2,5,100,P,x,y\n")
    with pytest.raises(InputError) as caught:
        zone_files.read_admissions(csv_file)
    assert [p.row for p in caught.value.problems] == [2, 4]
    jsonl = tmp_path / "adm.jsonl"
    jsonl.write_text('{"admission_no":"A-1"\n[1,2]\n\n"text"\n{"admission_no":"A-1","line":1,'
                     '"date":"2026-03-02","part":"V2","quantity":5,"value":100,"status":"P"}\n')
    with pytest.raises(InputError) as caught:
        zone_files.read_admissions(jsonl)
    assert [p.row for p in caught.value.problems] == [1, 2, 4]
    unclosed = tmp_path / "q.csv"
    unclosed.write_text(ADM + 'A-1,1,2026-01-02,"V2,5,100,P\nA-2,1,2026-01-02,V2,5,100,P\n')
    with pytest.raises(InputError) as caught:
        zone_files.read_admissions(unclosed)
    [problem] = caught.value.problems
    assert problem.row == 2 and "never closed" in problem.message


def test_short_rows_are_checked_not_filled_with_nothing(tmp_path: Path) -> None:
    short = tmp_path / "adm.csv"
    short.write_text(ADM + "A-1,1,2026-03-02,V2\n")
    with pytest.raises(InputError) as caught:
        zone_files.read_admissions(short)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (2, "quantity"), (2, "value"), (2, "status"),
    ]


def test_the_shared_reader_drops_the_bom_and_normalises_names(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(b"\xef\xbb\xbf Part ,HTS\nA,1\n")
    table = read_table(f)
    assert table.header == ("part", "hts") and table.rows == [(2, {"part": "A", "hts": "1"})]
    assert table.problems == []


def test_correct_names_the_event_not_a_fake_row(books: str, tmp_path: Path) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM + "A-1,1,2026-03-02,V2,5,100,P\n")
    _ok(books, "admit", str(adm))
    # event 3: after the zone's settings (init) and the parts loaded
    _ok(books, "correct", "3", "--reason", "typo")
    [(file, row, field, reason)] = _problems(books, "correct", "3", "--reason", "again")
    assert (file, row, field) == (None, None, "EVENT")
    assert reason.startswith("correcting event 3: ") and "already been corrected" in reason


def test_a_reconciliation_for_a_year_the_books_cannot_have_is_refused(
    books: str, tmp_path: Path
) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM + "A-1,1,2026-03-02,V2,5,100,P\n")
    _ok(books, "admit", str(adm))
    for covers, on, why in (("1999", "2027-01-10", "before the books began"),
                            ("2028", "2027-01-10", "has not ended")):
        [(_, _, field, reason)] = _problems(
            books, "filed", "reconciliation", "R1", "--date", on, "--covers", covers
        )
        assert field == "--covers" and why in reason
    _ok(books, "filed", "reconciliation", "R1", "--date", "2027-01-10", "--covers", "2026")


def test_form_214_says_hmf_cannot_be_determined_without_a_mode(
    books: str, tmp_path: Path
) -> None:
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM.strip() + ",mode\nA-3,1,2026-03-02,V2,5,100,P,\n"
                   "A-4,1,2026-03-02,V2,5,100,P,air\n")
    _ok(books, "admit", str(adm))
    result = _run(books, "entry", "admission", "A-3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["hmf"] is None and "cannot be determined" in data["hmf_note"]
    assert "HMF 0.00" not in _run(books, "entry", "admission", "A-3").stdout
    data = json.loads(_run(books, "entry", "admission", "A-4", "--json").stdout)
    assert data["hmf"] == "0.00" and "not vessel cargo (air)" in data["hmf_note"]


def test_an_admission_whose_lines_disagree_on_the_mode_owes_no_guessed_hmf(
    books: str, tmp_path: Path
) -> None:
    """One admission, one line by vessel and one by truck: the Form 214 took the first
    line's mode and the quarter the last line's; both now say HMF cannot be decided."""
    adm = tmp_path / "adm.csv"
    adm.write_text(ADM.strip() + ",mode\nA-5,1,2026-03-02,V2,5,100,P,vessel\n"
                   "A-5,2,2026-03-02,V2,5,100,P,truck\n")
    _ok(books, "admit", str(adm))
    data = json.loads(_run(books, "entry", "admission", "A-5", "--json").stdout)
    assert data["hmf"] is None
    assert "different modes of transport (vessel, truck)" in data["hmf_note"]
    quarter = json.loads(_run(books, "fees", "hmf", "--quarter", "2026Q1", "--json").stdout)
    assert quarter["admissions"] == [] and quarter["fee"] == "0.00"
    assert quarter["mode_conflict"] == [{"admission_no": "A-5", "modes": ["vessel", "truck"]}]
    text = _run(books, "fees", "hmf", "--quarter", "2026Q1").stdout
    assert "lines disagree on the mode (cannot decide HMF): A-5 (vessel, truck)" in text


def test_a_plan_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    from zonekeeper.io.drawback_files import read_plan

    plan = tmp_path / "plan.json"
    plan.write_bytes(b'{"note": "Cr\xe8me"}')
    with pytest.raises(InputError) as caught:
        read_plan(plan)
    assert [(p.file, p.row) for p in caught.value.problems] == [(str(plan), 1)]
