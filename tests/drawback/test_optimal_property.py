"""Property: the optimal refund is >= FIFO and equals an independent LP on the full arc set.

The independent LP (scipy.optimize.linprog, HiGHS) is built from every (import, export)
pair that `rules.check_pair` accepts — not from the windowed arc generator the planner
uses — so a missed or spurious arc would show up as a different optimum.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from drawback_helpers import D, Descriptions, FixedRate, exp, imp
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from zonekeeper.drawback.amounts import line_bases
from zonekeeper.drawback.demands import build_demands
from zonekeeper.drawback.measures import DefaultPolicy
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.drawback.rules import check_pair

START = date(2020, 1, 1)
CODES = ("4202923120", "4202923131", "4202920805", "4202920809", "9401710011")
DESC = Descriptions({"42029208": "Other", "4202920805": "Of cotton",
                     "4202920809": "Other (870)"})
CLAIM_DAY = date(2026, 6, 1)


@st.composite
def instances(draw):
    n_imp = draw(st.integers(1, 7))
    n_exp = draw(st.integers(1, 7))
    imports = [
        imp(f"E{k}", 1, (START + timedelta(days=draw(st.integers(0, 2200)))).isoformat(),
            draw(st.sampled_from(CODES)), draw(st.integers(1, 40)),
            str(Decimal(draw(st.integers(0, 50_000))) / 100),
            unit=draw(st.sampled_from(["No.", "No.", "kg"])),
            part=draw(st.sampled_from([None, "P1", "P2"])),
            mpf=draw(st.sampled_from([None, None, D("12.34"), D("250.00")])))
        for k in range(n_imp)
    ]
    exports = [
        exp(f"X{k}", (START + timedelta(days=draw(st.integers(0, 2300)))).isoformat(),
            draw(st.sampled_from(CODES)), draw(st.integers(1, 40)),
            value=draw(st.integers(1, 5_000)),
            schedule_b=draw(st.sampled_from([None, None, "4202920800", "9401710000"])),
            part=draw(st.sampled_from([None, "P1", "P2"])),
            destination=draw(st.sampled_from([None, "DE", "MX", "CA"])),
            foreign_duty=draw(st.sampled_from([None, D("0"), D("7.50"), D("500")])))
        for k in range(n_exp)
    ]
    return imports, exports


def independent_optimum(imports, exports, estimator, claim=ClaimType.J2) -> float:
    bases = line_bases(imports, claim, DefaultPolicy())
    demands = build_demands(claim, exports, imports, (), estimator).demands
    cols, values = [], []
    for i, line in enumerate(imports):
        for j, demand in enumerate(demands):
            if demand.refusal is not None or not demand.priced:
                continue  # 182.42(c), or a USMCA export without its foreign duty
            if check_pair(claim, line, demand, DESC, CLAIM_DAY).ok:
                # Each duty class against itself (190.51(b)(2)(v), (b)(4)).
                own = bases[line.key].refund_by_class
                cap = demand.cap_by_class
                per_unit = sum((v if cap is None else min(v, cap.get(c, Decimal(0)))
                                for c, v in own.items()), Decimal(0))
                if demand.foreign_cap is not None:  # 19 U.S.C. 4534; 19 CFR 182.44
                    per_unit = min(per_unit, demand.foreign_cap)
                cols.append((i, j))
                values.append(float(per_unit))
    if not cols:
        return 0.0
    a = np.zeros((len(imports) + len(demands), len(cols)))
    for k, (i, j) in enumerate(cols):
        a[i, k] = 1
        a[len(imports) + j, k] = 1
    b = [float(x.quantity) for x in imports] + [float(d.quantity) for d in demands]
    result = linprog(-np.asarray(values), A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    assert result.status == 0
    return float(-result.fun)


@seed(20260220)
@settings(max_examples=60, deadline=None)
@given(instances(), st.sampled_from(["5", "12.5", "30"]),
       st.sampled_from([None, "0.3464", "2"]))
def test_optimal_at_least_fifo_and_equal_to_independent_lp(instance, pct, mpf_pct):
    imports, exports = instance
    estimator = FixedRate(pct, mpf_pct=mpf_pct)
    plan = build_plan(ClaimType.J2, imports, exports, CLAIM_DAY, DESC, estimator)
    assert plan.optimal_refund >= plan.fifo_refund
    reference = independent_optimum(imports, exports, estimator)
    assert abs(float(plan.objective) - reference) < 1e-6 * max(1.0, reference)
    assert plan.bound >= plan.objective.quantize(Decimal("0.000001"))
    assert float(plan.bound) <= reference + 1e-5  # the bound is tight: gap 0
    used: dict[str, Decimal] = {}
    for d in plan.designations:
        used[d.import_entry] = used.get(d.import_entry, Decimal(0)) + d.quantity
    for line in imports:
        assert used.get(line.entry_no, Decimal(0)) <= line.quantity


@seed(11)
@settings(max_examples=40, deadline=None)
@given(instances(), st.sampled_from([ClaimType.J1, ClaimType.C]))
def test_direct_identification_types_match_the_independent_lp(instance, claim):
    imports, exports = instance
    plan = build_plan(claim, imports, exports, CLAIM_DAY, DESC, None)
    assert plan.optimal_refund >= plan.fifo_refund
    reference = independent_optimum(imports, exports, None, claim)
    assert abs(float(plan.objective) - reference) < 1e-6 * max(1.0, reference)


@seed(7)
@settings(max_examples=25, deadline=None)
@given(instances())
def test_fractional_quantities_stay_exact(instance):
    imports, exports = instance
    imports = [type(i)(**{**i.__dict__, "quantity": i.quantity / 4}) for i in imports]
    plan = build_plan(ClaimType.J2, imports, exports, CLAIM_DAY, DESC, FixedRate("20"))
    reference = independent_optimum(imports, exports, FixedRate("20"))
    assert abs(float(plan.objective) - reference) < 1e-6 * max(1.0, reference)
