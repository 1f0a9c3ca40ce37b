"""Per-measure eligibility, MPF apportionment and no double designation across claims."""

from __future__ import annotations

from datetime import date

import pytest
from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.drawback.amounts import line_bases, mpf_shares
from zonekeeper.drawback.measures import DefaultPolicy, ImportCharge
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType, PriorDesignation
from zonekeeper.errors import InputError


def test_each_measure_refunds_as_the_law_says():
    # Eligible: duty 10 + 301 25 + 122 5 + IEEPA reciprocal 10 + HMF 1.25 = 51.25.
    # Not: 232 50 (conditional), AD/CVD 100 (190.3(b)), IEEPA fentanyl 20, IEEPA unsplit 7.
    line = imp("E1", 1, "2026-01-10", "7326908688", 10, "10.00",
               duty_301=D(25), duty_232=D(50), duty_122=D(5), duty_adcvd=D(100),
               duty_ieepa=D(7), duty_ieepa_reciprocal=D(10), duty_ieepa_fentanyl=D(20),
               hmf=D("1.25"))
    basis = line_bases([line], ClaimType.J1, DefaultPolicy())[line.key]
    verdicts = {p.component: p.eligible for p in basis.paid}
    assert verdicts == {
        ImportCharge.DUTY: True, ImportCharge.S301: True, ImportCharge.S232: False,
        ImportCharge.S122: True, ImportCharge.IEEPA: False, ImportCharge.IEEPA_RECIPROCAL: True,
        ImportCharge.IEEPA_FENTANYL: False, ImportCharge.ADCVD: False, ImportCharge.HMF: True,
    }
    assert basis.eligible_total == D("51.25")
    plan = build_plan(ClaimType.J1, [line], [exp("X1", "2026-02-01", "7326908688", 10)],
                      date(2026, 3, 1), Descriptions(), None)
    # 0.99 x each, rounded down to the cent so none exceeds 99% (190.51(b)(1)): duty 9.90,
    # 301 24.75, 122 4.95, reciprocal 9.90, HMF 1.2375 -> 1.23; refund = their sum 50.73
    # (0.99 x 51.25 = 50.7375).
    assert plan.refund == D("50.73")
    assert plan.designations[0].components == {
        "duty": D("9.90"), "duty_301": D("24.75"), "duty_122": D("4.95"),
        "duty_ieepa_reciprocal": D("9.90"), "hmf": D("1.23")}


def test_engine_measures_decide_where_they_can(policy):
    # A Chinese backpack in 2026-03: 9903.88.03 (301) and 9903.03.01 (122) are both marked
    # drawback-eligible in the shipped measures table.
    verdict = policy.eligibility(ImportCharge.S301, "4202923120", "CN", date(2026, 3, 1),
                                 ClaimType.J2)
    assert verdict.eligible and "9903.88.03" in verdict.reason
    assert not policy.eligibility(ImportCharge.ADCVD, "4202923120", "CN", date(2026, 3, 1),
                                  ClaimType.J2).eligible


def test_ieepa_column_mixing_fentanyl_and_reciprocal_is_not_claimed(policy):
    # A Chinese backpack entered 2025-06-01: 9903.01.24 (no drawback) and 9903.01.25
    # (reciprocal, eligible) all apply; one duty_ieepa amount cannot be split.
    verdict = policy.eligibility(ImportCharge.IEEPA, "4202923120", "CN", date(2025, 6, 1),
                                 ClaimType.J2)
    assert not verdict.eligible
    assert "no drawback on 9903.01.24" in verdict.reason


def test_mpf_apportioned_by_relative_value():
    # Entry MPF 100.00 over lines worth 300 and 700: ratios 0.3000 / 0.7000 (190.51(b)(2)).
    a = imp("E1", 1, "2026-01-10", "9401710011", 7, "0", value=300, mpf=D(100))
    b = imp("E1", 2, "2026-01-10", "9401710011", 10, "0", value=700, mpf=D(100))
    shares = mpf_shares([a, b])
    assert shares[a.key] == (D("0.3000"), D("30.0000"))
    assert shares[b.key] == (D("0.7000"), D("70.0000"))
    bases = line_bases([a, b], ClaimType.J1, DefaultPolicy())
    # 30 * 0.99 / 7 = 4.242857.. -> 4.24 per unit (190.51(b)(2)(iv)).
    assert bases[a.key].refund_per_unit == D("4.24")
    assert bases[b.key].refund_per_unit == D("6.93")


def test_ratio_is_rounded_to_four_places():
    a = imp("E1", 1, "2026-01-10", "9401710011", 1, "0", value=1, mpf=D(30))
    b = imp("E1", 2, "2026-01-10", "9401710011", 1, "0", value=2, mpf=D(30))
    assert mpf_shares([a, b])[a.key][0] == D("0.3333")


def test_prior_claims_leave_only_the_rest():
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00")]
    exports = [exp("X1", "2026-02-01", "9401710011", 10, value=10_000)]
    prior = [PriorDesignation("E1", 1, D(6), "CLAIM-1")]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50"), prior=prior)
    assert [d.quantity for d in plan.designations] == [D(4)]
    assert plan.refund == D("39.60")


def test_designating_beyond_the_quantity_across_claims_is_an_input_error():
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00")]
    prior = [PriorDesignation("E1", 1, D(6), "CLAIM-1", row=2),
             PriorDesignation("E1", 1, D(5), "CLAIM-2", row=3)]
    with pytest.raises(InputError) as caught:
        build_plan(ClaimType.J2, imports, [], date(2026, 3, 1), Descriptions(), None,
                   prior=prior)
    assert caught.value.problems[0].row == 3


def test_an_import_is_never_designated_beyond_its_quantity_in_a_plan():
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00")]
    exports = [exp(f"X{n}", "2026-02-01", "9401710011", 4, value=10_000) for n in range(5)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50"))
    assert sum(d.quantity for d in plan.designations) == D(10)


def test_a_line_keeps_the_basis_of_its_first_claim():
    # 190.51(a)(3): E1 line 1 was first designated on a direct identification claim, so its
    # remaining 6 units cannot go on a substitution claim; E2 can.
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00"),
               imp("E2", 1, "2026-01-10", "9401710011", 10, "100.00")]
    exports = [exp("X1", "2026-02-01", "9401710011", 20, value=100_000)]
    prior = [PriorDesignation("E1", 1, D(4), "C-1", claim_type=ClaimType.J1)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50"), prior=prior)
    assert {d.import_entry for d in plan.designations} == {"E2"}
    assert any("190.51(a)(3)" in n.message for n in plan.notes)
    assert "drawback.plan.other-basis" in {n.code for n in plan.notes}
    same_basis = build_plan(ClaimType.J1, imports, exports, date(2026, 3, 1), Descriptions(),
                            None, prior=prior)
    assert sum(d.quantity for d in same_basis.designations) == D(16)
