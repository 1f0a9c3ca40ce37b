"""Refund per duty, tax and fee (190.51(a)(2)(vii)): none above 99% of what was paid for it
(190.51(b)(1)), and they add up to the designation's refund."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from drawback_helpers import D, Descriptions, exp, imp
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.app.outputs.drawback import DrawbackPlan
from zonekeeper.drawback.amounts import RATE, Allowed, line_bases, refund_ceiling
from zonekeeper.drawback.claim import build_claim, check_against_imports, check_plan
from zonekeeper.drawback.measures import DefaultPolicy, ImportCharge
from zonekeeper.drawback.plan import build_plan, refund_components
from zonekeeper.drawback.records import ClaimType
from zonekeeper.io.drawback_files import read_plan
from zonekeeper.money import CENT


def _audit_line() -> list:
    # 400 pumps: Section 301 28,000.00, MPF 457.25 (the entry's only line), HMF 140.00.
    return [imp("I-1", 1, "2025-03-04", "8414308030", 400, "0.00", value="112000.00",
                duty_301=D("28000"), mpf=D("457.25"), hmf=D("140"), origin="CN")]


def test_301_mpf_hmf_components_never_exceed_99_percent_and_sum_to_the_refund(tmp_path):
    imports = _audit_line()
    plan = build_plan(ClaimType.J1, imports, [exp("X-1", "2026-01-12", "8414308030", 250,
                                                  value="87500.00")],
                      date(2026, 1, 12), Descriptions(), None)
    [d] = plan.designations
    # Per unit: 301 0.99 x 28,000 / 400 = 69.30; HMF 0.99 x 140 / 400 = 0.3465; MPF
    # 0.99 x 457.25 / 400 = 1.13169375 -> 1.13 (two decimals, 190.51(b)(2)(iv)).
    assert d.refund_per_unit == D("70.7765")
    # 250 units: 301 17,325.00 (exactly 99%; was 17,324.99 when the rounding leftover went
    # onto the largest component); HMF 86.625 -> 86.62 (was 86.63, above 99%); MPF
    # 1.13 x 250 = 282.50. Refund = their sum = 17,694.12 = 250 x 70.7765 rounded down.
    assert d.components == {"duty": D("0.00"), "duty_301": D("17325.00"), "hmf": D("86.62"),
                            "mpf": D("282.50")}
    assert d.refund == plan.refund == plan.optimal_refund == D("17694.12")
    assert plan.objective == D("17694.125") and plan.refund <= plan.bound
    # The plan file checks itself and the claim carries the same figures.
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(DrawbackPlan.of(plan).document()))
    again = read_plan(path)
    assert check_plan(again) == []
    bases = line_bases(imports, ClaimType.J1, DefaultPolicy())
    assert check_against_imports(again, imports, (), bases) == []
    claim = build_claim(again)
    assert claim.header.refund == D("17694.12")
    assert claim.header.refund_by_component == {"duty": D("0.00"), "duty_301": D("17325.00"),
                                                "hmf": D("86.62"), "mpf": D("282.50")}


def test_mpf_per_unit_is_rounded_down_so_it_never_exceeds_99_percent():
    # MPF 100.00 on 400 units: 0.99 x 100 / 400 = 0.2475 -> 0.24 (0.25 would claim 100.00
    # for the whole line, more than was paid). All 400: MPF 96.00 <= 99.00.
    line = imp("E1", 1, "2026-01-10", "8414308030", 400, "0.00", mpf=D("100.00"))
    basis = line_bases([line], ClaimType.J1, DefaultPolicy())[line.key]
    assert basis.refund_per_unit == D("0.24")
    assert refund_components(basis, D(400)) == {"duty": D("0.00"), "mpf": D("96.00")}


def test_a_resealed_plan_claiming_a_component_above_99_percent_is_refused():
    imports = _audit_line()
    plan = build_plan(ClaimType.J1, imports, [exp("X-1", "2026-01-12", "8414308030", 250)],
                      date(2026, 1, 12), Descriptions(), None)
    [d] = plan.designations
    moved = dict(d.components, duty_301=D("17324.99"), hmf=D("86.63"))
    bad = replace(plan, designations=(replace(d, components=moved),))
    assert check_plan(bad) == []  # same sum: only the import lines can tell
    bases = line_bases(imports, ClaimType.J1, DefaultPolicy())
    [p] = check_against_imports(bad, imports, (), bases)
    assert p.field == "components" and "hmf refund 86.63 exceeds 86.625" in p.message


_cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=300, deadline=None)
@given(duty=_cents, s301=_cents, hmf=_cents, mpf=st.one_of(st.none(), _cents),
       line_qty=st.integers(min_value=1, max_value=100_000),
       take=st.fractions(min_value=0, max_value=1),
       cap=st.one_of(st.none(), st.fractions(min_value=0, max_value=1)))
def test_components_never_exceed_99_percent_and_sum_to_the_refund(
    duty: Decimal, s301: Decimal, hmf: Decimal, mpf: Decimal | None, line_qty: int,
    take: Fraction, cap: Fraction | None,
) -> None:
    line = imp("E1", 1, "2026-01-10", "8414308030", line_qty, duty, duty_301=s301, hmf=hmf,
               mpf=mpf)
    basis = line_bases([line], ClaimType.J1, DefaultPolicy())[line.key]
    qty = max(Decimal(1), Decimal(int(take * line_qty)))
    own = basis.refund_per_unit
    # A limit on the whole (a USMCA export's foreign duty) lowers the refund per unit below
    # the line's own.
    allowed = (None if cap is None
               else Allowed(basis.refund_by_class, own * cap.numerator / cap.denominator))
    per_unit = own if allowed is None else allowed.per_unit
    parts = refund_components(basis, qty, allowed)
    refund = sum(parts.values(), Decimal(0))
    for paid in basis.paid:
        if not paid.eligible:
            continue
        got = parts[paid.component.value]
        assert got == got.quantize(CENT) and got >= 0
        # 99% of its paid share of the designated quantity, in exact arithmetic.
        limit = Fraction(RATE) * Fraction(paid.amount) * Fraction(qty) / line_qty
        assert Fraction(got) <= limit, (paid.component, got, limit)
        if paid.component is ImportCharge.MPF:
            assert paid.amount == mpf  # one line: the whole entry's MPF
    ceiling = refund_ceiling(qty, per_unit)
    assert refund <= ceiling
    assert ceiling - refund < CENT * max(1, len(parts))


def test_a_component_that_is_exactly_whole_cents_keeps_its_last_cent():
    """0.99 x 1.00 x 7/7 is exactly 0.99: figured per unit first (0.1414285714...), it came
    out 0.98999... and lost a cent when rounded down, and then the claim refused the plan
    as short of quantity x refund per unit."""
    imports = [imp("I-7", 1, "2025-03-04", "8414308030", 7, "1.00", value="700.00")]
    plan = build_plan(ClaimType.J1, imports, [exp("X-7", "2026-01-12", "8414308030", 7,
                                                  value="900.00")],
                      date(2026, 1, 12), Descriptions(), None)
    [d] = plan.designations
    assert d.quantity == 7
    assert d.components["duty"] == D("0.99") and d.refund == D("0.99")
    assert check_plan(plan) == []
    bases = line_bases(imports, ClaimType.J1, DefaultPolicy())
    assert check_against_imports(plan, imports, (), bases) == []
    assert build_claim(plan).header.refund == D("0.99")


def test_a_cap_that_is_exactly_whole_cents_keeps_its_last_cent() -> None:
    """Duty 975.00 on 231 units refunds 0.99 x 975 / 231 = 4.178571428571... a unit (held
    rounded up in 28 digits); capped at 2.925 a unit, 120 units refund exactly 351.00. Scaled
    by the cap over the rounded own figure, it came out 350.99 (found by the property above)."""
    line = imp("E1", 1, "2026-01-10", "8414308030", 231, D("975.00"))
    basis = line_bases([line], ClaimType.J1, DefaultPolicy())[line.key]
    allowed = Allowed(basis.refund_by_class, D("2.925"))
    assert refund_components(basis, D(120), allowed) == {"duty": D("351.00")}


def test_the_ceiling_is_the_exact_product_rounded_down() -> None:
    """35 x 8.378857142857142857142857142 is 293.25999...97: in 28 digits it rounds up to
    293.26 before the cents are cut, a cent the components cannot reach."""
    assert refund_ceiling(D(35), D("8.378857142857142857142857142")) == D("293.25")
    assert refund_ceiling(D(7), D("0.1414285714285714285714285714")) == D("0.98")
    assert refund_ceiling(D(400), D("0.24")) == D("96.00")
