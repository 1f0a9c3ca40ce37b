"""The kinds that rest on other use cases, golden, through `app.analytics.opportunities` on
hand-made ES-003 files and the shipped tariff: drawback (the optimal planner against the
exports), zone (the advisor's ROI on the entry lines), and what each says when it cannot
look or finds nothing."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from es003_files import HEADER, WriteFile, row, write_xlsx

from zonekeeper.app.analytics import opportunities
from zonekeeper.app.context import Context
from zonekeeper.errors import InputError
from zonekeeper.sources.tariff import default_tariff

AS_OF = date(2026, 9, 1)
MARCH = "2026-03-02"
# Men's cotton T-shirts by the dozen: ZZ1 paid 27.00 on 10 dozen (2.70 a dozen), ZZ2 27.00
# and 250.00 of Section 301 (27.70 a dozen).
TSHIRTS = [
    row("ZZ1", 1, MARCH, "DE", 1, "6109100012", "1000.00", "27.00", qty="10", unit="DOZ"),
    row("ZZ2", 1, MARCH, "CN", 1, "9903.88.03", "", "250.00"),
    row("ZZ2", 1, MARCH, "CN", 2, "6109100012", "1000.00", "27.00", qty="10", unit="DOZ"),
]
EXPORT_HEADER = "export_ref,export_date,hts,quantity,unit,value"


@pytest.fixture(scope="module")
def ctx() -> Context:
    tariff = default_tariff()
    return Context(load_tariff=lambda: tariff)


def _exports(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "exports.csv"
    path.write_text("\n".join([EXPORT_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_drawback_against_the_exports(ctx: Context, es003: WriteFile, tmp_path: Path) -> None:
    exports = _exports(tmp_path, "X1,2026-05-01,6109100012,15,DOZ,3000")
    report = opportunities(ctx, es003(TSHIRTS), exports=exports, as_of=AS_OF)
    [found] = [o for o in report.opportunities if o.kind == "drawback"]
    # 15 dozen exported (1313(j)(2), same 8-digit subheading): the optimum designates ZZ2's
    # 10 dozen at 99% of 27.70 (274.23) and 5 of ZZ1's at 99% of 2.70 rounded down (13.36);
    # first in, first out would have taken ZZ1's 10 first
    assert (found.amount, found.entries) == (Decimal("287.59"), ["ZZ1", "ZZ2"])
    assert found.deadline == date(2031, 3, 2)  # 5 years from importation (190.51(e))
    assert found.evidence[0].endswith("first-in first-out would give 163.84")
    assert found.evidence[2:] == [
        "ZZ1 line 1 (2026-03-02, HTS 6109100012) -> export X1 (2026-05-01): 5 DOZ, refund 13.36",
        "ZZ2 line 1 (2026-03-02, HTS 6109100012) -> export X1 (2026-05-01): 10 DOZ, refund "
        "274.23"]
    assert "1313(r)(1)" in found.risk and "190.15" in found.risk
    assert "--as-of 2026-09-01 --out plan.json" in found.action
    assert report.totals["drawback"] == Decimal("287.59")
    assert "drawback" not in report.not_looked_for


def test_drawback_needs_exports(ctx: Context, es003: WriteFile) -> None:
    report = opportunities(ctx, es003(TSHIRTS), as_of=AS_OF)
    assert not [o for o in report.opportunities if o.kind == "drawback"]
    assert report.not_looked_for["drawback"].startswith("needs exports: give --exports FILE")


def test_a_workbook_is_not_read_as_drawback_imports(ctx: Context, tmp_path: Path) -> None:
    table = [HEADER.split(","), *(next(csv.reader([line])) for line in TSHIRTS)]
    entries = write_xlsx(tmp_path / "es003.xlsx", table)
    exports = _exports(tmp_path, "X1,2026-05-01,6109100012,15,DOZ,3000")
    report = opportunities(ctx, entries, exports=exports, as_of=AS_OF)
    assert report.lines == 2 and "drawback" not in report.totals
    assert report.not_looked_for["drawback"].startswith("the drawback planner reads imports "
                                                        "as CSV or JSON, not .xlsx")


def test_exports_matching_no_import_find_no_refund(ctx: Context, es003: WriteFile,
                                                   tmp_path: Path) -> None:
    exports = _exports(tmp_path, "X1,2026-05-01,8537109170,15,NO,3000")
    report = opportunities(ctx, es003(TSHIRTS), exports=exports, as_of=AS_OF)
    assert "drawback" not in report.totals
    assert report.none_found["drawback"].startswith("the optimal plan finds no refund: "
                                                    "export X1")


def test_a_bad_exports_file_is_refused(ctx: Context, es003: WriteFile, tmp_path: Path) -> None:
    exports = _exports(tmp_path, "X1,2026-05-01,6109100012,15,DOZ,-3")
    with pytest.raises(InputError) as caught:
        opportunities(ctx, es003(TSHIRTS), exports=exports, as_of=AS_OF)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.field) == (str(exports), 2, "value")


def _zone_history(duty: str) -> list[str]:
    """Two entries of 1,000 dozen, 92 days apart (2026-01-05 to 2026-04-06)."""
    return [row("ZZ1", 1, "2026-01-05", "DE", 1, "6109100012", "400000.00", duty, qty="1000",
                unit="DOZ", mid="DESHIRT"),
            row("ZZ2", 1, "2026-04-06", "DE", 1, "6109100012", "400000.00", duty, qty="1000",
                unit="DOZ", mid="DESHIRT")]


def test_a_zone_that_pays(ctx: Context, es003: WriteFile, tmp_path: Path) -> None:
    exports = _exports(tmp_path, "X1,2026-04-20,6109100012,2000,DOZ,900000")
    report = opportunities(ctx, es003(_zone_history("50000.00")), exports=exports,
                           as_of=AS_OF)
    [zone] = [o for o in report.opportunities if o.kind == "zone"]
    # every unit exported: the 100,000.00 of duty a zone never collects, over 92 days, is
    # 396,739.13 a year; both entries paid the MPF cap (651.50) and would pay it again as
    # weekly entries in their two weeks; no duty left to defer; running costs 97,500.00
    assert zone.amount == Decimal("299239.13")
    assert zone.title == "a foreign-trade zone: pays, net $299,239.13 a year"
    assert zone.evidence[1].startswith("exports: 396739.13 a year")
    assert "15 CFR 400" in zone.risk and "advise roi" in zone.action
    assert zone.risk.endswith("drawback refunds 99% of it later): count one")
    assert zone.supplier == "DESHIRT"


def test_a_zone_that_does_not_pay(ctx: Context, es003: WriteFile) -> None:
    report = opportunities(ctx, es003(_zone_history("660.00")), as_of=AS_OF)
    assert "zone" not in report.totals
    assert report.none_found["zone"].startswith("the advisor's ROI finds the zone does not "
                                                "pay: net -$")


def test_a_short_history_is_not_annualized(ctx: Context, es003: WriteFile) -> None:
    report = opportunities(ctx, es003(TSHIRTS), as_of=AS_OF)
    assert "zone" not in report.totals
    assert report.not_looked_for["zone"].startswith("the entries cover 1 day(s) (2026-03-02 "
                                                    "to 2026-03-02), fewer than 90")
