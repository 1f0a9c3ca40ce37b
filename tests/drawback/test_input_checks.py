"""Units compared by their HTSUS meaning, unknown units and codes refused, reasons in order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.drawback.rules import normalize_unit, same_unit, unit_of
from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import read_exports, read_imports

DESC = Descriptions()


@pytest.mark.parametrize(("a", "b"), [
    ("No.", "pcs"), ("prs.", "pr."), ("NO", "each"), ("PRS", "pairs"), ("kg", "KG"),
    ("doz. prs.", "DPR"), ("liters", "l"), ("m²", "m2"),
])
def test_spellings_of_one_unit_match(a: str, b: str):
    assert same_unit(a, b)


@pytest.mark.parametrize(("a", "b"), [("No.", "kg"), ("pr.", "doz. prs."), ("furlongs", "No.")])
def test_different_units_do_not_match(a: str, b: str):
    assert not same_unit(a, b)


def test_unknown_unit_has_no_key():
    assert unit_of("furlongs") is None
    assert normalize_unit("furlongs") != normalize_unit("No.")


def test_no_and_pcs_designate_with_a_refund():
    # 10 units paid 20.00 duty: 99% = 1.98 each; the export of 4 "pcs" at 10% would owe 40.
    plan = build_plan(ClaimType.J2, [imp("E1", 1, "2026-01-05", "4202923120", 10, 20,
                                         unit="No.")],
                      [exp("X1", "2026-02-01", "4202923120", 4, value=400, unit="pcs")],
                      date(2026, 3, 1), DESC, FixedRate("10"))
    [d] = plan.designations
    assert (d.quantity, d.refund) == (D(4), D("7.92"))
    assert plan.not_designated == ()


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_readers_refuse_an_unknown_unit_naming_file_row_field(tmp_path: Path):
    imports = _write(tmp_path / "i.csv",
                     "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                     "E1,1,2026-01-05,4202.92.31.20,10,No.,100,17.60\n"
                     "E1,2,2026-01-05,4202.92.31.20,10,furlongs,100,17.60\n")
    exports = _write(tmp_path / "x.csv",
                     "export_ref,export_date,hts,quantity,unit,value\n"
                     "X1,2026-02-01,4202.92.31.20,4,cubits,100\n")
    with pytest.raises(InputError) as caught:
        read_imports(imports)
    [p] = caught.value.problems
    assert (p.file, p.row, p.field) == (str(imports), 3, "unit") and "furlongs" in p.message
    with pytest.raises(InputError) as caught:
        read_exports(exports)
    [p] = caught.value.problems
    assert (p.file, p.row, p.field) == (str(exports), 2, "unit") and "cubits" in p.message


def test_ace_uom_codes_are_read(tmp_path: Path):
    imports = _write(tmp_path / "i.csv",
                     "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                     "E1,1,2026-01-05,6403.99.90.65,10,DPR,100,17.60\n"
                     "E1,2,2026-01-05,4202.92.31.20,10,NO,100,17.60\n")
    assert [i.unit for i in read_imports(imports)] == ["DPR", "NO"]


def test_a_99_code_that_is_not_9903_is_an_ordinary_row_with_its_errors(tmp_path: Path):
    # Once, any code beginning 99 was taken for an ES-003 Chapter 99 row: the row's other
    # errors went unreported and it was refused only as "no line of its own".
    imports = _write(tmp_path / "i.csv",
                     "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                     "E1,1,2026-01-05,9999.99.99,-5,No.,abc,17.60\n")
    with pytest.raises(InputError) as caught:
        read_imports(imports)
    fields = {p.field for p in caught.value.problems}
    assert {"quantity", "value"} <= fields
    assert not any("Chapter 99" in p.message for p in caught.value.problems)


def test_a_9903_row_still_adds_to_its_line_and_its_bad_cells_are_reported(tmp_path: Path):
    good = _write(tmp_path / "g.csv",
                  "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                  "E1,1,2026-01-05,4202.92.31.20,10,No.,100,17.60\n"
                  "E1,1,,9903.88.03,,,,25.00\n")
    [line] = read_imports(good)
    assert line.duty_301 == D("25.00")
    bad = _write(tmp_path / "b.csv",
                 "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                 "E1,1,2026-01-05,4202.92.31.20,10,No.,100,17.60\n"
                 "E1,1,,9903.88.03,,,abc,25.00\n")
    with pytest.raises(InputError) as caught:
        read_imports(bad)
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "value")]


def test_a_six_digit_code_is_only_a_chapter_99_heading(tmp_path: Path):
    imports = _write(tmp_path / "i.csv",
                     "entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                     "E1,1,2026-01-05,4202.92,10,No.,100,17.60\n")
    with pytest.raises(InputError) as caught:
        read_imports(imports)
    assert [p.field for p in caught.value.problems] == ["hts"]


def test_export_before_every_import_is_explained_by_the_dates_first():
    # The export date has no loaded tariff either (the lesser-of cannot be priced); the
    # user must hear first that no import precedes the export.
    class NoTariff:
        def would_owe(self, *args: object) -> D:
            from zonekeeper.errors import CannotCompute
            raise CannotCompute("no tariff for 2024-02-03")

    plan = build_plan(ClaimType.J2, [imp("E1", 1, "2026-01-05", "4202923120", 10, 20)],
                      [exp("X0", "2024-02-03", "4202923120", 4)],
                      date(2026, 3, 1), DESC, NoTariff())
    assert plan.unpriced == ()
    [why] = plan.not_designated
    assert why.index("before every import") < why.index("no tariff for 2024-02-03")
    assert "earliest 2026-01-05" in why


def test_unpriced_export_with_a_qualifying_import_keeps_the_price_reason():
    class NoTariff:
        def would_owe(self, *args: object) -> D:
            from zonekeeper.errors import CannotCompute
            raise CannotCompute("no tariff for 2026-02-01")

    plan = build_plan(ClaimType.J2, [imp("E1", 1, "2026-01-05", "4202923120", 10, 20)],
                      [exp("X1", "2026-02-01", "4202923120", 4)],
                      date(2026, 3, 1), DESC, NoTariff())
    [why] = plan.unpriced
    assert "no tariff for 2026-02-01" in why and plan.not_designated == ()
