"""Each drawback file format is declared once (`io.drawback_files`): the columns the docs
list, the cells a reader checks and the record a row makes all come from that declaration."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import (
    CHAPTER99_ROWS,
    CLAIMED,
    EXPORTS,
    IMPORTS,
    PRODUCTION,
    Format,
    read_claimed,
    read_exports,
    read_imports,
    read_production,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "drawback.md"
FORMATS: dict[str, tuple[Format, Callable[[Path], Any]]] = {
    "imports": (IMPORTS, read_imports),
    "exports": (EXPORTS, read_exports),
    "manufacturing": (PRODUCTION, read_production),
    "claimed": (CLAIMED, read_claimed),
}


def _documented() -> dict[str, tuple[list[str], list[str]]]:
    """docs/drawback.md's "Files" table: per file, its required (bold) and other columns."""
    found = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| (\w+) \| \*\*(.+?)\*\*(.*) \|", line)
        if match and match[1] in FORMATS:
            required = [n.strip() for n in match[2].split(",")]
            rest = match[3]
            while "(" in rest:  # "(a, b, c, j1, j2)", "(cost ..., 190.11(d); ...)"
                rest = re.sub(r"\([^()]*\)", "", rest)
            others = [n.strip() for n in rest.split(",") if n.strip()]
            found[match[1]] = (required, others)
    return found


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_docs_list_the_declared_columns(name: str) -> None:
    required, others = _documented()[name]
    fmt = FORMATS[name][0]
    declared_required = [c.name for c in fmt.columns if c.required]
    declared_optional = {c.name for c in fmt.columns if not c.required}
    one_of = [n for n in required if " or " in n]  # "input_part or input_hts"
    assert {n for n in required if " or " not in n} == set(declared_required)
    assert set(others) | {a for n in one_of for a in n.split(" or ")} == declared_optional


@pytest.mark.parametrize("name", list(FORMATS))
def test_a_blank_row_is_missing_exactly_the_required_columns(name: str, tmp_path: Path):
    fmt, read = FORMATS[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(",".join(c.name for c in fmt.columns) + "\n" + "," * (len(fmt.columns) - 1)
                    + "x\n")  # one cell filled, or the row would be blank
    with pytest.raises(InputError) as caught:
        read(path)
    missing = [p.field for p in caught.value.problems if p.code == "drawback.cell.missing"]
    assert missing == [c.name for c in fmt.columns if c.required]
    assert all(p.row == 2 and p.file == str(path) for p in caught.value.problems)


def test_a_chapter99_row_shares_the_key_of_an_import_line() -> None:
    assert CHAPTER99_ROWS.columns[:3] == IMPORTS.columns[:3]
    assert [c.name for c in CHAPTER99_ROWS.columns[3:]] == ["duty", "quantity", "value"]


def test_a_row_with_a_refused_optional_cell_still_meets_its_repeat(tmp_path: Path) -> None:
    """A refused optional cell does not hide the row from the checks across rows: the
    repeat is reported in the same pass."""
    path = tmp_path / "exp.csv"
    path.write_text("export_ref,export_date,hts,quantity,unit,value,same_condition\n"
                    "X1,2026-03-02,4202.92.31.20,4,No.,200,maybe\n"
                    "X1,2026-03-02,4202.92.31.20,4,No.,200,no\n")
    with pytest.raises(InputError) as caught:
        read_exports(path)
    assert [(p.row, p.field, p.code) for p in caught.value.problems] == [
        (2, "same_condition", "drawback.cell.invalid"),
        (3, "export_ref", "drawback.exports.repeated-ref"),
    ]


def test_the_record_of_a_row_comes_from_the_declaration(tmp_path: Path) -> None:
    path = tmp_path / "prod.csv"
    path.write_text("production_ref,date,product_part,product_qty,input_hts,input_qty\n"
                    "P1,03/02/2026,W,10,4202923120,5\n")
    (made,) = read_production(path)
    assert (made.production_ref, made.date.isoformat(), made.input_part, made.input_hts,
            made.input_value, made.row) == ("P1", "2026-03-02", None, "4202923120", None, 2)


def test_every_problem_of_a_broken_imports_file_has_a_drawback_code(tmp_path: Path) -> None:
    path = tmp_path / "imp.csv"
    path.write_text(
        "entry_no,line,import_date,hts,quantity,unit,value,duty,mpf,origin\n"
        "E1,1,2026-02-30,4202923120,10,No.,1000,176.00,3,VN\n"
        "E1,x,2026-01-15,42029231,0,furlongs,-1,x,,QQ\n"
        "E2,1,2026-01-15,4202923120,10,No.,1000,1,3,\n"
        "E2,2,2026-01-15,4202923120,10,No.,1000,1,4,\n"
        "E2,2,2026-01-15,4202923120,10,No.,1000,1,,\n"
        "E3,1,2026-01-15,99038803,,,,5,,\n"
        "E2,1,2026-01-15,99039999,,,,5,,\n"
        "E2,1,2026-01-15,420292,,,,5,,\n")
    with pytest.raises(InputError) as caught:
        read_imports(path)
    codes = [(p.row, p.code) for p in caught.value.problems]
    assert codes == [
        (2, "drawback.cell.invalid"),  # 30 February
        (3, "drawback.cell.invalid"),  # line x
        (3, "drawback.cell.invalid"),  # quantity 0
        (3, "drawback.cell.unit-unknown"),
        (3, "drawback.cell.invalid"),  # value -1
        (3, "drawback.cell.invalid"),  # duty x
        (3, "drawback.cell.invalid"),  # origin QQ
        (5, "drawback.imports.mpf-differs"),
        (6, "drawback.imports.repeated-line"),
        (9, "drawback.cell.hts-invalid"),  # a 6-digit code that is no 9903 heading:
        *[(9, "drawback.cell.missing")] * 3,  # so read as a line (no date, quantity, unit)
        (7, "drawback.imports.chapter99-orphan"),
        (8, "drawback.imports.chapter99-program-unknown"),
    ]
