"""A claim from a plan: totals per duty, certifications per provision, files round-trip."""

from __future__ import annotations

import json
from datetime import date

from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.drawback.claim import CERT_EXPORT, CERT_J2, CERT_UNUSED, build_claim
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.io.drawback_files import plan_to_json, read_plan, write_claim


def test_claim_totals_and_certifications_survive_the_plan_file(tmp_path):
    imports = [imp("E1", 1, "2026-01-10", "9401710011", 10, "100.00", duty_301=D(50),
                   hmf=D("1.00"))]
    exports = [exp("X1", "2026-02-01", "9401710011", 6, value=60_000),
               exp("X2", "2026-02-02", "9401710011", 4, value=40_000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 1), Descriptions(),
                      FixedRate("50"))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_to_json(plan)))
    again = read_plan(path)
    assert again.designations == plan.designations and again.refund == plan.refund
    claim = build_claim(again, claimant="12-3456789", port="2704",
                        descriptions={"9401710011": "Seats"})
    # 0.99 * (100 + 50 + 1) = 149.49 over 10 units, split 6/4: 89.69 + 59.79 (rounded down).
    assert claim.header.refund == D("149.48")
    assert claim.header.refund_by_component == {"duty": D("98.99"), "duty_301": D("49.50"),
                                                "hmf": D("0.99")}
    assert claim.header.certifications[:2] == (CERT_UNUSED, CERT_J2)
    assert CERT_EXPORT in claim.header.certifications
    assert [ln.description for ln in claim.lines] == ["Seats", "Seats"]
    names = {p.name for p in write_claim(claim, tmp_path / "claim")}
    assert names == {"claim.json", "claim_header.csv", "claim_lines.csv", "claim.md",
                     "claim.html"}
    header = (tmp_path / "claim" / "claim_header.csv").read_text()
    assert "refund_duty_301,49.50" in header
