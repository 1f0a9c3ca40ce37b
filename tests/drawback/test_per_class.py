"""The substitution lesser-of compares each duty class with itself.

190.32(b) ((j)(2)) and 190.22(a)(1)(ii) ((b)) limit drawback to 99% of the lesser of what
the import paid and what the exported (or substituted) article would owe if imported;
190.51(b)(2)(v) applies that limit to the MPF per unit and 190.51(b)(4) to the duties,
taxes and fees per unit, each on its own: duties against duties, MPF against MPF. A fee
the export side would owe can never raise the limit on refunded duty.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from drawback_helpers import D, Descriptions, FixedRate, exp, imp
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from zonekeeper.drawback.amounts import RATE, mpf_unit_refund
from zonekeeper.drawback.measures import DutyClass, ImportCharge, duty_class
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType, ProductionInput

DESC = Descriptions()


def test_export_mpf_does_not_raise_the_limit_on_duty_on_the_real_tariff(
    descriptions, estimator, policy,  # type: ignore[no-untyped-def]
):
    # 2823.00.00.00 titanium oxides, General 5.5%. Import: 100 kg with 100.00 duty (1.00 a
    # kg) and no MPF. Export of the 100 kg worth $10 a kg on 2026-02-02 (before the Section
    # 122 surcharge; no origin): it would owe duty 0.55 a kg and MPF 0.3464% = 0.03464 a kg.
    # Duty against duty: 99% of 0.55 = 0.5445 a kg < 0.99: 100 kg -> 54.45. MPF against MPF:
    # the import paid none, so none is refunded. (Before, the export's MPF raised the
    # duty's limit to 99% of 0.58464 = 0.5787936: 57.87.)
    imports = [imp("E1", 1, "2026-01-05", "2823000000", 100, "100.00", value=1000,
                   unit="kg", origin="DE")]
    exports = [exp("X1", "2026-02-02", "2823000000", 100, value=1000, unit="kg")]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), descriptions,
                      estimator, policy=policy)
    [d] = plan.designations
    assert d.refund_per_unit == D("0.5445")
    assert d.components == {"duty": D("54.45")}
    assert d.refund == plan.refund == D("54.45")
    assert "Column 1 General 5.5%" in d.lesser_of and "the exported side is the lesser for " \
        "duty" in d.lesser_of


def test_export_mpf_does_not_raise_the_limit_on_duty():
    # The same comparison with a fixed 5.5% and MPF 0.3464%: 10 units at $10 a unit, the
    # import paid 10.00 duty (1.00 a unit), no MPF. 10 * 0.99 * 0.55 = 5.445 -> 5.44.
    imports = [imp("E1", 1, "2026-01-05", "8414308030", 10, "10.00")]
    exports = [exp("X1", "2026-02-02", "8414308030", 10, value=100)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), DESC,
                      FixedRate("5.5", mpf_pct="0.3464"))
    [d] = plan.designations
    assert d.refund_per_unit == D("0.5445")
    assert d.refund == D("5.44") and d.components == {"duty": D("5.44")}


def test_duty_and_mpf_each_capped_on_their_own():
    # Import: 10 units, value 1,000, duty 100.00 (0.99 * 10 = 9.90 a unit), MPF 2.00 on the
    # one-line entry (0.99 * 2.00 / 10 = 0.198 -> 0.19 a unit, 190.51(b)(2)(iv)).
    # Export: 10 units worth 1,000 would owe duty 5% = 50.00 (99%: 4.95 a unit, lower than
    # the import's 9.90) and MPF 1% = 10.00 (99%: 0.99 a unit, higher than the import's
    # 0.19). Each class its own lesser: duty 4.95, MPF 0.19: 10 * 5.14 = 51.40 (duty 49.50,
    # MPF 1.90). Compared in total, 0.99 * 6.00 = 5.94 a unit < 10.09 would have claimed
    # 59.40: the export's MPF surplus refunding duty the export would not owe.
    imports = [imp("E1", 1, "2026-01-05", "8414308030", 10, "100.00", value=1000,
                   mpf=D("2.00"))]
    exports = [exp("X1", "2026-02-02", "8414308030", 10, value=1000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), DESC,
                      FixedRate("5", mpf_pct="1"))
    [d] = plan.designations
    assert d.refund_per_unit == D("5.14")
    assert d.components == {"duty": D("49.50"), "mpf": D("1.90")}
    assert d.refund == plan.refund == plan.optimal_refund == D("51.40")
    assert "the exported side is the lesser for duty" in d.lesser_of
    assert plan.gap < D("0.000001")


def test_b_substitute_compared_class_by_class():
    # 1313(b): the substitute input (domestic, 40 kg, cost 400) would owe 3% = 12.00 duty
    # (0.297 a kg after 99%) and MPF 0.5% = 2.00 (0.0495 a kg). The import paid duty 3.00
    # and MPF 0.10 a kg (0.99 * 10.00 / 100 = 0.099 -> 0.09). Duty: 0.297; MPF: the
    # substitute's 0.0495 < 0.09. 40 * 0.3465 = 13.86 (duty 11.88, MPF 1.98).
    imports = [imp("E1", 1, "2026-01-05", "7606123000", 100, "300.00", unit="kg",
                   mpf=D("10.00"))]
    runs = [ProductionInput(production_ref="P1", date=date(2026, 2, 1), product_part="PANEL",
                            product_qty=D(10), input_part=None, input_hts="7606123000",
                            input_qty=D(40), input_value=D(400))]
    exports = [exp("X1", "2026-03-01", "8418690180", 10, part="PANEL")]
    plan = build_plan(ClaimType.B, imports, exports, date(2026, 4, 1), DESC,
                      FixedRate("3", mpf_pct="0.5"), production=runs)
    [d] = plan.designations
    assert d.components == {"duty": D("11.88"), "mpf": D("1.98")}
    assert d.refund == D("13.86")


_cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
_pct = st.sampled_from(["0", "0.125", "0.3464", "1", "2.5", "5.5", "17.6", "40"])


@seed(20261206)
@settings(max_examples=200, deadline=None)
@given(duty=_cents, s301=_cents, hmf=_cents, mpf=st.one_of(st.none(), _cents),
       line_qty=st.integers(min_value=1, max_value=5_000),
       value=st.integers(min_value=1, max_value=2_000_000),
       exports=st.lists(st.tuples(st.integers(min_value=1, max_value=3_000),
                                  st.integers(min_value=1, max_value=2_000_000)),
                        min_size=1, max_size=3),
       duty_pct=_pct, mpf_pct=st.one_of(st.none(), _pct), hmf_pct=st.one_of(st.none(), _pct))
def test_each_class_refund_never_exceeds_99_percent_of_its_lesser(
    duty: Decimal, s301: Decimal, hmf: Decimal, mpf: Decimal | None, line_qty: int,
    value: int, exports: list[tuple[int, int]], duty_pct: str, mpf_pct: str | None,
    hmf_pct: str | None,
) -> None:
    line = imp("E1", 1, "2026-01-05", "8414308030", line_qty, duty, value=value,
               duty_301=s301, hmf=hmf, mpf=mpf)
    estimator = FixedRate(duty_pct, mpf_pct=mpf_pct, hmf_pct=hmf_pct)
    exps = [exp(f"X{n}", (date(2026, 2, 1) + timedelta(days=n)).isoformat(), "8414308030",
                qty, value=v) for n, (qty, v) in enumerate(exports)]
    plan = build_plan(ClaimType.J2, [line], exps, date(2026, 3, 1), DESC, estimator)
    by_ref = {e.export_ref: e for e in exps}
    # What the import paid in each class, per unit (MPF at its two-place refund figure,
    # which is already 99%: 190.51(b)(2)(iv)).
    paid: dict[DutyClass, Fraction] = defaultdict(Fraction)
    for name, amount in (("duty", duty), ("duty_301", s301), ("hmf", hmf)):
        paid[duty_class(ImportCharge(name))] += Fraction(amount) / line_qty
    mpf_refund = Fraction(mpf_unit_refund(mpf, Decimal(line_qty))) if mpf else Fraction(0)
    for d in plan.designations:
        export = by_ref[d.export_ref]
        owed = estimator.would_owe(export.hts, export.value, export.quantity, export.unit,
                                   export.export_date, None)
        got: dict[DutyClass, Fraction] = defaultdict(Fraction)
        for name, amount in d.components.items():
            assert amount == amount.quantize(Decimal("0.01")) and amount >= 0
            got[duty_class(ImportCharge(name))] += Fraction(amount)
        q = Fraction(d.quantity)
        for cls in DutyClass:
            would = Fraction(owed.by_class.get(cls, Decimal(0))) / Fraction(export.quantity)
            if cls is DutyClass.MPF:
                # 99% of the import's MPF per unit is the two-place figure itself.
                limit = min(mpf_refund, Fraction(RATE) * would) * q
            else:
                limit = Fraction(RATE) * min(paid[cls], would) * q
            assert got[cls] <= limit, (cls, got[cls], limit)
