"""Golden tests, one per claim type, with every figure worked by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.drawback.plan import Method, build_plan
from zonekeeper.drawback.records import ClaimType, ProductionInput

DESC = Descriptions()


def test_j2_lesser_of_on_the_real_tariff(descriptions, estimator, policy):
    # Import: 10 backpacks 4202.92.31.20, value 1000, duty 176.00 (17.6%), MPF 3.46 on a
    # one-line entry (ratio 1.0000). Per unit: 0.99 * 17.60 = 17.424; MPF 0.99*3.46/10 =
    # 0.34254 -> 0.34 (190.51(b)(2)(iv)). Refund per unit 17.764.
    imports = [imp("E1", 1, "2026-01-15", "4202923120", 10, "176.00", value=1000, mpf=D("3.46"))]
    # Each class against itself (190.51(b)(2)(v), (b)(4)). With no origin the export owes the
    # Column 1 rate and the Section 122 surcharge, which applies whatever the origin (10%,
    # 2026-02-24 to 2026-07-23), and MPF 0.3464%.
    # X1: 4 backpacks worth 200 would owe duty 17.6% * 200 + 10% * 200 = 55.20, 99% per
    # unit 13.662 < 17.424: the export is the lesser; MPF 0.3464% * 200 = 0.6928, 99% per
    # unit 0.171468 < 0.34: the export again. 4 * 13.662 = 54.648 -> 54.64; 4 * 0.171468 =
    # 0.685872 -> 0.68. Refund 55.32.
    # X2: 6 worth 3000 would owe far more in each class: the import is the lesser.
    # 6 * 17.764 = 106.58.
    exports = [exp("X1", "2026-03-02", "4202923120", 4, value=200),
               exp("X2", "2026-03-10", "4202923120", 6, value=3000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 4, 1), descriptions,
                      estimator, policy=policy)
    by_export = {d.export_ref: d for d in plan.designations}
    assert by_export["X1"].refund == D("55.32")
    assert by_export["X1"].components == {"duty": D("54.64"), "mpf": D("0.68")}
    assert "limited by" in by_export["X1"].lesser_of
    assert "9903.03.01" in by_export["X1"].lesser_of
    assert by_export["X2"].refund == D("106.58")
    assert "import is the lesser" in by_export["X2"].lesser_of
    assert plan.refund == D("161.90")
    assert by_export["X2"].components == {"duty": D("104.54"), "mpf": D("2.04")}
    assert plan.bound >= plan.objective - D("0.000001") and plan.gap < D("0.00001")


def test_j1_direct_identification_by_part():
    imports = [imp("E1", 1, "2026-01-10", "8471300100", 5, "50.00", part="LAPTOP-1"),
               imp("E2", 1, "2026-01-11", "8471300100", 5, "80.00", part="LAPTOP-2")]
    # Only E1 is the exported part: 3 * 0.99 * 10.00 = 29.70.
    exports = [exp("X1", "2026-02-01", "8471300100", 3, part="LAPTOP-1")]
    plan = build_plan(ClaimType.J1, imports, exports, date(2026, 3, 1), DESC, None)
    [d] = plan.designations
    assert (d.import_entry, d.quantity, d.refund) == ("E1", D(3), D("29.70"))
    assert d.rule == "1313(j)(1) part"


def test_c_rejected_same_part_and_subheading_within_one_year():
    imports = [imp("E1", 1, "2025-01-10", "6109100012", 10, "165.00", part="TEE-M")]
    # 1313(c): 99% of the duty paid: 0.99 * 16.50 * 4 = 65.34; a day too late gets nothing.
    on_time = exp("R1", "2026-01-09", "6109100012", 4, part="TEE-M")
    late = exp("R2", "2026-01-10", "6109100012", 4, part="TEE-M")
    other_part = exp("R3", "2025-06-01", "6109100012", 4, part="TEE-L")
    plan = build_plan(ClaimType.C, imports, [on_time, late, other_part], date(2026, 2, 1),
                      DESC, None)
    assert [(d.export_ref, d.refund) for d in plan.designations] == [("R1", D("65.34"))]


def _production(ref: str, day: str, product: str, pqty: int, **inp: object) -> ProductionInput:
    return ProductionInput(
        production_ref=ref, date=date.fromisoformat(day), product_part=product,
        product_qty=D(pqty), input_part=inp.get("part"),  # type: ignore[arg-type]
        input_hts=inp.get("hts"), input_qty=D(str(inp["qty"])),  # type: ignore[arg-type]
        input_value=inp.get("value"),  # type: ignore[arg-type]
    )


def test_a_manufacturing_direct_identification_through_the_bill_of_materials():
    # 10 widgets used 20 bolts (2 per widget). 5 widgets exported need 10 bolts.
    # Bolts: 50 imported with 100.00 duty = 2.00 per unit; 0.99 * 2.00 * 10 = 19.80.
    imports = [imp("E1", 1, "2026-01-05", "7318156500", 50, "100.00", part="BOLT")]
    runs = [_production("P1", "2026-02-01", "WIDGET", 10, part="BOLT", qty=20)]
    exports = [exp("X1", "2026-03-01", "8479899599", 5, part="WIDGET")]
    plan = build_plan(ClaimType.A, imports, exports, date(2026, 4, 1), DESC, None,
                      production=runs)
    [d] = plan.designations
    assert (d.quantity, d.refund, d.production_ref) == (D(10), D("19.80"), "P1")
    assert d.rule == "1313(a) part"


def test_b_manufacturing_substitution_lesser_of_the_substitute():
    # Import: 100 kg of 7606.12.30 with 300.00 duty = 3.00/kg (0.99 * 3 = 2.97).
    # Substitute (domestic) aluminium of the same 8-digit, cost 400 for the 40 kg used in
    # 10 products; at 3% it would owe 12.00 = 0.30/kg, 99% = 0.297. 40 * 0.297 = 11.88.
    imports = [imp("E1", 1, "2026-01-05", "7606123000", 100, "300.00", unit="kg")]
    runs = [_production("P1", "2026-02-01", "PANEL", 10, hts="7606123000", qty=40,
                        value=D(400))]
    exports = [exp("X1", "2026-03-01", "8418690180", 10, part="PANEL")]
    plan = build_plan(ClaimType.B, imports, exports, date(2026, 4, 1), DESC, FixedRate("3"),
                      production=runs)
    [d] = plan.designations
    assert (d.quantity, d.refund) == (D(40), D("11.88"))
    assert d.rule == "1313(b) hts8"
    # Without the substitute's cost the limit cannot be computed: nothing is claimed.
    runs_no_value = [_production("P1", "2026-02-01", "PANEL", 10, hts="7606123000", qty=40)]
    plan = build_plan(ClaimType.B, imports, exports, date(2026, 4, 1), DESC, FixedRate("3"),
                      production=runs_no_value)
    assert plan.designations == () and "190.11(d)" in plan.unpriced[0]


def test_optimal_beats_fifo_where_fifo_wastes_the_dear_import():
    # A: 10 units at 1.00 duty each; B: 10 units at 5.00. X1 (uncapped) could take either;
    # X2 would owe only 1.00 per unit (lesser-of). FIFO gives X1 the earliest import A
    # (9.90) and leaves B to X2, capped at 0.99/unit (9.90): 19.80. Optimal: X1<-B (49.50),
    # X2<-A (9.90): 59.40.
    imports = [imp("A", 1, "2026-01-05", "9401710011", 10, "10.00"),
               imp("B", 1, "2026-01-06", "9401710011", 10, "50.00")]
    exports = [exp("X1", "2026-02-01", "9401710011", 10, value=10_000),
               exp("X2", "2026-02-02", "9401710011", 10, value=100)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), DESC, FixedRate("10"))
    assert plan.refund == D("59.40") and plan.fifo_refund == D("19.80")
    assert plan.uplift == D("39.60")
    fifo = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), DESC, FixedRate("10"),
                      method=Method.FIFO)
    assert fifo.refund == D("19.80") and fifo.method is Method.FIFO
    assert {(d.export_ref, d.import_entry) for d in fifo.designations} == {("X1", "A"),
                                                                          ("X2", "B")}


@pytest.mark.parametrize("disposition", ["destruction", "zone_restricted"])
def test_destruction_and_zone_restricted_admission_count_as_exports(disposition):
    from zonekeeper.drawback.records import ExportDisposition

    imports = [imp("E1", 1, "2026-01-05", "9401710011", 10, "10.00")]
    exports = [exp("Z1", "2026-02-01", "9401710011", 10, value=1000,
                   disposition=ExportDisposition(disposition))]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), DESC, FixedRate("10"))
    assert plan.refund == D("9.90")
    assert plan.designations[0].disposition == disposition
