"""A claim from a plan: totals per duty, certifications per provision, files round-trip."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.app.outputs.drawback import DrawbackClaim, DrawbackPlan
from zonekeeper.drawback.amounts import line_bases
from zonekeeper.drawback.claim import (
    CERT_EXPORT,
    CERT_J2,
    CERT_UNUSED,
    build_claim,
    check_against_imports,
    check_plan,
)
from zonekeeper.drawback.measures import DefaultPolicy
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType, PriorDesignation
from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import plan_digest, read_plan, write_claim


def test_claim_totals_and_certifications_survive_the_plan_file(tmp_path):
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00", duty_301=D(50),
                   hmf=D("1.00"))]
    exports = [exp("X1", "2026-02-01", "9401710011", 6, value=60_000),
               exp("X2", "2026-02-02", "9401710011", 4, value=40_000)]
    # The exported article would owe HMF too (a vessel cargo), so HMF is limited by HMF.
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50", hmf_pct="0.125"))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(DrawbackPlan.of(plan).document()))
    again = read_plan(path)
    assert again.designations == plan.designations and again.refund == plan.refund
    claim = build_claim(again, claimant="12-3456789", port="2704",
                        descriptions={"9401710011": "Seats"})
    # 0.99 * (100 + 50 + 1) = 149.49 over 10 units, split 6/4, each component rounded down:
    # X1 duty 59.40 + 301 29.70 + HMF 0.594 -> 0.59 = 89.69; X2 39.60 + 19.80 + 0.396 -> 0.39
    # = 59.79. Refund 149.48; HMF 0.98, under its 0.99 (never a component above 99%).
    assert claim.header.refund == D("149.48")
    assert claim.header.refund_by_component == {"duty": D("99.00"), "duty_301": D("49.50"),
                                                "hmf": D("0.98")}
    assert claim.header.certifications[:2] == (CERT_UNUSED, CERT_J2)
    assert CERT_EXPORT in claim.header.certifications
    assert [ln.description for ln in claim.lines] == ["Seats", "Seats"]
    document = DrawbackClaim.of(claim).document()
    names = {p.name for p in write_claim(claim, document, tmp_path / "claim")}
    assert names == {"claim.json", "claim_header.csv", "claim_lines.csv", "claim.md",
                     "claim.html"}
    header = (tmp_path / "claim" / "claim_header.csv").read_text()
    assert "refund_duty_301,49.50" in header


def _plan_file(tmp_path):
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00"),
               imp("E2", 1, "2026-01-11", "9401710011", 10, "50.00")]
    exports = [exp("X1", "2026-02-01", "9401710011", 6, value=60_000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50"))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(DrawbackPlan.of(plan).document()))
    return imports, plan, path


def _edit(path, change, reseal=False):
    data = json.loads(path.read_text())
    change(data)
    if reseal:
        data["digest"] = plan_digest(data)
    path.write_text(json.dumps(data))


def _problems(path):
    with pytest.raises(InputError) as caught:
        read_plan(path)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_plan_file_round_trips_with_its_limits(tmp_path):
    _, plan, path = _plan_file(tmp_path)
    again = read_plan(path)
    assert again.designations == plan.designations
    assert again.available == {("E1", 1): D(10)}
    assert again.demand_quantity == {("X1", "", "9401710011"): D(6)}
    assert check_plan(again) == []


def test_an_edited_refund_is_refused_by_digest_and_by_arithmetic(tmp_path):
    _, _, path = _plan_file(tmp_path)
    _edit(path, lambda d: d["designations"][0].update(refund="99999.00"))
    found = _problems(path)
    assert any(f == "digest" and "edited since it was planned" in r for _, f, r in found)
    # 6 units x 9.90 = 59.40; the components and the plan's total no longer agree either.
    assert (1, "refund") in {(n, f) for n, f, _ in found}
    assert (1, "components") in {(n, f) for n, f, _ in found}
    assert (None, "refund") in {(n, f) for n, f, _ in found}


def test_a_plan_without_digest_is_refused(tmp_path):
    _, _, path = _plan_file(tmp_path)
    _edit(path, lambda d: d.pop("digest"))
    assert [f for _, f, _ in _problems(path)] == ["digest"]


def test_a_resealed_duplicate_designation_is_still_refused(tmp_path):
    # Someone who recomputes the digest still cannot designate one import twice.
    _, _, path = _plan_file(tmp_path)

    def duplicate(d):
        d["designations"].append(dict(d["designations"][0]))
        d["refund"] = "118.80"

    _edit(path, duplicate, reseal=True)
    reasons = [r for _, _, r in _problems(path)]
    assert any("E1 line 1 designated 12, more than the 10" in r for r in reasons), reasons
    assert any("X1 has 12 designated against it, more than its quantity 6" in r
               for r in reasons), reasons


def test_resealed_negative_quantity_and_blank_entry_are_refused(tmp_path):
    _, _, path = _plan_file(tmp_path)
    _edit(path, lambda d: d["designations"][0].update(quantity="-6", import_entry=" "),
          reseal=True)
    fields = {(n, f) for n, f, _ in _problems(path)}
    assert {(1, "quantity"), (1, "import_entry"), (1, "refund")} <= fields


def test_build_claim_refuses_an_inconsistent_plan(tmp_path):
    _, plan, _ = _plan_file(tmp_path)
    bad = replace(plan, refund=plan.refund + 1)
    with pytest.raises(InputError):
        build_claim(bad)


def test_designations_rechecked_against_imports_and_earlier_claims(tmp_path):
    imports, plan, _ = _plan_file(tmp_path)
    bases = line_bases(imports, ClaimType.J2, DefaultPolicy())
    assert check_against_imports(plan, imports, (), bases) == []
    # An earlier claim took 5 of E1 line 1: only 5 are left for the 6 designated.
    prior = (PriorDesignation("E1", 1, D(5), "OLD-1"),)
    [p] = check_against_imports(plan, imports, prior, bases)
    assert (p.row, p.field) == (1, "quantity") and "only 5 of its 10" in p.message
    # The line paid less than the plan says: the refund per unit is above 99% of it.
    cheaper = [replace(imports[0], duty=D("10.00")), imports[1]]
    cheap_bases = line_bases(cheaper, ClaimType.J2, DefaultPolicy())
    # (and its duty component above 99% of the duty paid on the 6 designated).
    problems = check_against_imports(plan, cheaper, (), cheap_bases)
    assert [p.field for p in problems] == ["refund_per_unit", "components"]
    # A line that is not in the imports at all.
    [p] = check_against_imports(plan, imports[1:], (), bases)
    assert p.field == "import_entry"
