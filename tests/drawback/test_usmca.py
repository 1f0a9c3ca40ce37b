"""Exports to Canada and Mexico: 19 CFR part 182 subpart E and 19 U.S.C. 4534.

- 182.42(c): no 1313(j)(2) drawback on goods exported to Canada or Mexico.
- 4534 and 182.44: (j)(1), (a) and (b) drawback on such an export may not exceed the duty
  paid to Canada or Mexico on the exported good (the exports file's `foreign_duty`; the
  foreign entry's duty of 190.51(a)(2)(xv)); 99% of it, as 190.32(b) words a lesser-of.
  Without it the export is not designated, and the plan says why.
- 4534(a)(2) (182.45): a good exported in the same condition as imported is not a "good
  subject to USMCA drawback": full drawback for a (j)(1) export so certified.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from drawback_helpers import D, Descriptions, ExportDisposition, FixedRate, exp, imp

from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType, ProductionInput
from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import read_exports

DESC = Descriptions()
DAY = date(2026, 4, 1)
HTS = "8414308030"


def test_j2_to_canada_or_mexico_is_refused_with_the_reason():
    # 10 imported at 10.00 duty a unit. X1 to Canada and X2 to Mexico (even with the duty
    # paid there) get nothing under (j)(2); X3 to Germany and X4, destroyed (not an export
    # to a country), are designated: 99% of 10.00 (50% would-owe is higher) = 9.90 a unit.
    imports = [imp("E1", 1, "2026-01-05", HTS, 10, "100.00", value=1000)]
    exports = [exp("X1", "2026-02-01", HTS, 3, value=300, destination="CA"),
               exp("X2", "2026-02-02", HTS, 3, value=300, destination="MX",
                   foreign_duty=D("30.00")),
               exp("X3", "2026-02-03", HTS, 2, value=200, destination="DE"),
               exp("X4", "2026-02-04", HTS, 2, value=200, destination="MX",
                   disposition=ExportDisposition.DESTRUCTION)]
    plan = build_plan(ClaimType.J2, imports, exports, DAY, DESC, FixedRate("50"))
    assert sorted((d.export_ref, d.refund) for d in plan.designations) == [
        ("X3", D("19.80")), ("X4", D("19.80"))]
    assert plan.refund == plan.optimal_refund == plan.fifo_refund == D("39.60")
    assert plan.not_designated == (
        "export X1: 3 No. without a designation: exported to Canada: no 1313(j)(2) (unused "
        "merchandise substitution) drawback on goods exported to Canada or Mexico "
        "(19 CFR 182.42(c))",
        "export X2: 3 No. without a designation: exported to Mexico: no 1313(j)(2) (unused "
        "merchandise substitution) drawback on goods exported to Canada or Mexico "
        "(19 CFR 182.42(c))",
    )
    assert plan.unpriced == ()


def test_j1_to_mexico_is_capped_at_the_duty_paid_in_mexico():
    # Import: 30 units, duty 600.00 (20.00 a unit, 99%: 19.80), part P1.
    # X1: 10 to Mexico, 50.00 duty paid there: 99% of the lesser (600 x 10/30 = 200.00 in
    #     the US, 50.00 in Mexico) = 49.50.
    # X2: 10 to Canada, 1,000.00 paid there: the US duty is the lesser: 10 x 19.80 = 198.00.
    # X3: 10 to Mexico in the same condition as imported (certified), no foreign duty
    #     given: not a good subject to USMCA drawback (4534(a)(2)): full, 198.00.
    imports = [imp("E1", 1, "2026-01-05", HTS, 30, "600.00", part="P1")]
    exports = [exp("X1", "2026-02-01", HTS, 10, part="P1", destination="MX",
                   foreign_duty=D("50.00")),
               exp("X2", "2026-02-02", HTS, 10, part="P1", destination="CA",
                   foreign_duty=D("1000.00")),
               exp("X3", "2026-02-03", HTS, 10, part="P1", destination="MX",
                   same_condition=True)]
    plan = build_plan(ClaimType.J1, imports, exports, DAY, DESC, None)
    by_ref = {d.export_ref: d for d in plan.designations}
    assert by_ref["X1"].refund == D("49.50") and by_ref["X1"].refund_per_unit == D("4.95")
    assert "the USMCA limit binds" in by_ref["X1"].lesser_of
    assert "duty paid to Mexico, 50.00" in by_ref["X1"].lesser_of
    assert by_ref["X2"].refund == D("198.00")
    assert "below the USMCA limit" in by_ref["X2"].lesser_of
    assert by_ref["X3"].refund == D("198.00")
    assert "4534(a)(2)" in by_ref["X3"].lesser_of
    assert plan.refund == D("445.50") and plan.not_designated == ()


def test_the_foreign_duty_limit_splits_over_the_components_as_paid():
    # Import: 10 units, duty 100.00 (9.90 a unit) and MPF 20.00 on a one-line entry
    # (0.99 x 20.00 / 10 = 1.98 a unit): 11.88 a unit. To Mexico, 59.40 paid there: 99% =
    # 58.806 for the 10 units (5.8806 a unit), less than 118.80. Each component scaled by
    # 5.8806 / 11.88 = 0.495: duty 99.00 x 0.495 = 49.005 -> 49.00; MPF 19.80 x 0.495 =
    # 9.801 -> 9.80. Refund 58.80.
    imports = [imp("E1", 1, "2026-01-05", HTS, 10, "100.00", mpf=D("20.00"))]
    exports = [exp("X1", "2026-02-01", HTS, 10, destination="MX", foreign_duty=D("59.40"))]
    plan = build_plan(ClaimType.J1, imports, exports, DAY, DESC, None)
    [d] = plan.designations
    assert d.components == {"duty": D("49.00"), "mpf": D("9.80")}
    assert d.refund == D("58.80") and d.refund_per_unit == D("5.8806")


def test_without_the_foreign_duty_the_export_is_not_designated_and_says_why():
    imports = [imp("E1", 1, "2026-01-05", HTS, 10, "100.00", part="P1")]
    exports = [exp("X1", "2026-02-01", HTS, 4, part="P1", destination="MX"),
               exp("X2", "2026-02-02", HTS, 4, part="P1", destination="US")]
    plan = build_plan(ClaimType.J1, imports, exports, DAY, DESC, None)
    assert [(d.export_ref, d.refund) for d in plan.designations] == [("X2", D("39.60"))]
    assert plan.not_designated == (
        "export X1: 4 No. without a designation: exported to Mexico: 19 U.S.C. 4534 and "
        "19 CFR 182.44 limit the refund to the duty paid to Mexico on the good, and the "
        "export gives none: give it in the foreign_duty column (190.51(a)(2)(xv)) or "
        "certify it left in the same condition as imported (same_condition)",
    )


def _run(ref: str, part: str, qty: int, value: int | None) -> ProductionInput:
    return ProductionInput(production_ref="P1", date=date(2026, 2, 1), product_part="WIDGET",
                           product_qty=D(10), input_part=part, input_hts=None,
                           input_qty=D(qty), input_value=None if value is None else D(value))


def test_a_to_canada_shares_the_foreign_duty_among_the_inputs_by_cost():
    # 10 widgets used 10 A (cost 300) and 20 B (cost 100); all 10 exported to Canada with
    # 40.00 duty paid there. Shares by cost (190.11(d)): A 30.00, B 10.00.
    # A: imported 10 at 100.00 (9.90 a unit after 99%); limit 0.99 x 30.00 = 29.70 < 99.00.
    # B: imported 20 at 60.00 (2.97 a unit); limit 0.99 x 10.00 = 9.90 < 59.40.
    # Refund 39.60 = 99% of the 40.00 paid in Canada.
    imports = [imp("EA", 1, "2026-01-05", "7318156500", 10, "100.00", part="A"),
               imp("EB", 1, "2026-01-05", "7318156500", 20, "60.00", part="B")]
    runs = [_run("P1", "A", 10, 300), _run("P1", "B", 20, 100)]
    exports = [exp("X1", "2026-03-01", "8479899599", 10, part="WIDGET", destination="CA",
                   foreign_duty=D("40.00"))]
    plan = build_plan(ClaimType.A, imports, exports, DAY, DESC, None, production=runs)
    by_entry = {d.import_entry: d.refund for d in plan.designations}
    assert by_entry == {"EA": D("29.70"), "EB": D("9.90")}
    assert plan.refund == D("39.60")
    # Without a cost for every input the shares are equal: 20.00 each, so A 19.80 and B
    # 19.80 (B's own 59.40 is more).
    runs = [_run("P1", "A", 10, 300), _run("P1", "B", 20, None)]
    plan = build_plan(ClaimType.A, imports, exports, DAY, DESC, None, production=runs)
    assert {d.import_entry: d.refund for d in plan.designations} == {
        "EA": D("19.80"), "EB": D("19.80")}


def test_a_to_mexico_without_the_foreign_duty_names_each_input():
    imports = [imp("EA", 1, "2026-01-05", "7318156500", 10, "100.00", part="A")]
    runs = [_run("P1", "A", 10, 300)]
    exports = [exp("X1", "2026-03-01", "8479899599", 10, part="WIDGET", destination="MX")]
    plan = build_plan(ClaimType.A, imports, exports, DAY, DESC, None, production=runs)
    assert plan.designations == ()
    [why] = plan.not_designated
    assert why.startswith("export X1 input A: 10 each without a designation: exported to "
                          "Mexico: 19 U.S.C. 4534 and 19 CFR 182.44")
    assert "same_condition" not in why  # a manufactured good is not in the same condition


def test_b_to_mexico_takes_the_lesser_of_both_limits():
    # 1313(b): the substitute (40 kg, cost 400) would owe 3%: 0.297 a kg after 99%, 11.88
    # for the 40 kg; the 10 panels went to Mexico with 5.00 duty paid there: 99% = 4.95.
    imports = [imp("E1", 1, "2026-01-05", "7606123000", 100, "300.00", unit="kg")]
    runs = [ProductionInput(production_ref="P1", date=date(2026, 2, 1), product_part="PANEL",
                            product_qty=D(10), input_part=None, input_hts="7606123000",
                            input_qty=D(40), input_value=D(400))]
    exports = [exp("X1", "2026-03-01", "8418690180", 10, part="PANEL", destination="MX",
                   foreign_duty=D("5.00"))]
    plan = build_plan(ClaimType.B, imports, exports, DAY, DESC, FixedRate("3"),
                      production=runs)
    [d] = plan.designations
    assert d.refund == D("4.95")


def test_the_exports_file_reads_destination_foreign_duty_and_same_condition(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_text(
        "export_ref,export_date,hts,quantity,unit,value,destination,foreign_duty,"
        "same_condition\n"
        "X1,2026-02-01,8414.30.80.30,10,No.,1000,mx,12.50,\n"
        "X2,2026-02-01,8414.30.80.30,10,No.,1000,CA,,yes\n"
        "X3,2026-02-01,8414.30.80.30,10,No.,1000,DE,,no\n", encoding="utf-8")
    got = {e.export_ref: (e.destination, e.foreign_duty, e.same_condition, e.usmca)
           for e in read_exports(path)}
    assert got == {"X1": ("MX", D("12.50"), False, True), "X2": ("CA", None, True, True),
                   "X3": ("DE", None, False, False)}


def test_a_bad_destination_foreign_duty_or_same_condition_is_a_problem(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_text(
        "export_ref,export_date,hts,quantity,unit,value,destination,foreign_duty,"
        "same_condition\n"
        "X1,2026-02-01,8414.30.80.30,10,No.,1000,Canada,-1,maybe\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_exports(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (2, "destination"), (2, "foreign_duty"), (2, "same_condition")]


def test_a_plan_with_usmca_designations_says_to_claim_them_apart():
    # 190.0a: part 182 claims are filed separately from part 190 claims; 190.51(a)(2)(xv)
    # asks for the foreign entry's data, which the claim files do not carry.
    imports = [imp("E1", 1, "2026-01-05", HTS, 20, "200.00", part="P1")]
    exports = [exp("X1", "2026-02-01", HTS, 10, part="P1", destination="MX",
                   foreign_duty=D("50.00")),
               exp("X2", "2026-02-02", HTS, 10, part="P1", destination="DE")]
    plan = build_plan(ClaimType.J1, imports, exports, DAY, DESC, None)
    [coded] = [n for n in plan.notes if n.code == "drawback.plan.usmca"]
    note = coded.message
    assert "USMCA" in note and coded.severity == "warning"
    assert note.startswith("export(s) X1 went to Canada or Mexico: claim them apart")
    assert "190.0a" in note and "190.51(a)(2)(xv)" in note
    plan = build_plan(ClaimType.J1, imports, exports[1:], DAY, DESC, None)
    assert not [n for n in plan.notes if n.code == "drawback.plan.usmca"]
