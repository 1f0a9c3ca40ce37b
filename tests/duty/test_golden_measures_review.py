"""Golden quotes from the 2026-11 review of the Chapter 99 measure data (issues #2, #4, #5).

Every expectation below was worked by hand from the law, not read off the engine:
- U.S. note 16(c) to subch. III (HTSUS 2026 rev. 6): from 2026-04-06 headings 9903.82.02
  (+50%, lists (c)(i)-(v): articles of aluminum, of steel, of copper and derivatives),
  9903.82.09 (+25%, (c)(vi)-(viii)) and 9903.82.10 (15% floor, (c)(ix)-(x)), full value;
- headings 9903.81.87 / 9903.81.94 / 9903.85.02 (rev. 3 text): steel and aluminum articles
  +25% from 2025-03-12 (Proclamations 10895/10896), +50% from 2025-06-04, UK kept at 25%;
- U.S. note 33(f)-(h): Section 232 auto parts only for parts of passenger vehicles and light
  trucks; other goods in the listed provisions take 9903.94.06 (no duty);
- U.S. note 2(aa): Section 122 +10% from 2026-02-24 through 12:01 a.m. 2026-07-24, not on
  goods under the 232 headings ((aa)(v)), not on 9903.03.03 articles ((aa)(ii)), not on USMCA
  goods entered free ((aa)(vi)-(vii)); Section 301 stacks on it;
- the FTZ clause of each action reaches goods "subject to the duty" (domain.md §1; e.g.
  Proclamation of 2026-02-20 cl. 6), so PF is required only when the duty applies;
- the 2026-04-02 metals proclamation cl. 13: manufacturing drawback (1313(a)/(b)) only.
Dates before the first shipped HTS revision (2026-01-01) are checked on the measure book.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.bindings.drawback import MeasureBookPolicy
from zonekeeper.bindings.pf_rule import TariffPfRule
from zonekeeper.drawback.measures import ImportCharge
from zonekeeper.drawback.records import ClaimType

pytestmark = pytest.mark.xdist_group("tariff")


def parts(q):
    return {c.heading: c.amount for c in q.components}


def headings(book, code, origin, on, spi=None):
    return sorted(m.heading for m in book.applicable(code, origin, on, spi=spi)[0])


# -- quotes on the shipped 2026 schedule: (hts, origin, date, spi, components, duty) ----------

GOLDEN = [
    # 1. issue: a laptop is not an auto part (note 33(h)(ii)); 8471.30.01 is 122-exempt, Free.
    ("8471.30.01.00", "JP", date(2026, 3, 1), None, {"8471.30.01.00": "0.00"}, "0.00"),
    # 2. issue: flat-rolled steel (7208.10.00 does not exist; 7208.10.15 is the real line)
    ("7208.10.15.00", "DE", date(2026, 5, 1), None,
     {"7208.10.15.00": "0.00", "9903.82.02": "500.00"}, "500.00"),
    # 3. same steel from Canada: no USMCA relief from 232 metals (note 16(b))
    ("7208.10.15.00", "CA", date(2026, 5, 1), None,
     {"7208.10.15.00": "0.00", "9903.82.02": "500.00"}, "500.00"),
    # 4. steel in the Section 122 window before the April metals annex: 232 not in the book
    #    for 2026 dates before 2026-04-06 except via 9903.81.87 (ended 2026-04-05)
    ("7208.10.15.00", "DE", date(2026, 3, 2), None,
     {"7208.10.15.00": "0.00", "9903.81.87": "500.00"}, "500.00"),
    # 5. unwrought aluminum 2.6% + 50%
    ("7601.10.30.00", "CA", date(2026, 5, 1), None,
     {"7601.10.30.00": "26.00", "9903.82.02": "500.00"}, "526.00"),
    # 6. copper tube (scenario 1) from China: 3% + 301 list 3 + 232 copper article 50%
    ("7411.10.50.00", "CN", date(2026, 5, 1), None,
     {"7411.10.50.00": "30.00", "9903.88.03": "250.00", "9903.82.02": "500.00"}, "780.00"),
    # 7. insulated copper conductor (note 16(c)(vi)/(viii)): 2.6% + 25%
    ("8544.42.90.10", "MX", date(2026, 5, 1), None,
     {"8544.42.90": "26.00", "9903.82.09": "250.00"}, "276.00"),
    # 8. same under USMCA: base Free, 232 metals still due (note 16(b))
    ("8544.42.90.10", "MX", date(2026, 5, 1), "S",
     {"8544.42.90": "0.00", "9903.82.09": "250.00"}, "250.00"),
    # 9. auto part from China: 2.5% + 25% + 301 list 3; 122 not stacked on 9903.94.05 ((aa)(v)(3))
    ("8708.99.55.00", "CN", date(2026, 3, 1), None,
     {"8708.99.55.00": "25.00", "9903.94.05": "250.00", "9903.88.03": "250.00"}, "525.00"),
    # ...but from Japan 15% all-in (9903.94.43, note 33(l)-(m)): 15% less the 2.5% base
    ("8708.99.55.00", "JP", date(2026, 3, 1), None,
     {"8708.99.55.00": "25.00", "9903.94.43": "125.00"}, "150.00"),
    # 10. USMCA-qualifying auto part: no 232, no 122 ((aa)(vii)), Free
    ("8708.99.55.00", "MX", date(2026, 3, 1), "S", {"8708.99.55.00": "0.00"}, "0.00"),
    # 11. control board of scenario 1: not an auto part by classification; 122 + 301 list 3
    ("8537.10.91.70", "CN", date(2026, 3, 1), None,
     {"8537.10.91": "27.00", "9903.03.01": "100.00", "9903.88.03": "250.00"}, "377.00"),
    # 12. compressor of scenario 1: Free + 122 + 301 list 1 (stacks on 122)
    ("8414.30.80.60", "CN", date(2026, 3, 1), None,
     {"8414.30.80": "0.00", "9903.03.01": "100.00", "9903.88.01": "250.00"}, "350.00"),
    # 13. solar cells: four-year review 9903.91.02 +50% replaces list 3; + 122
    ("8541.43.00.10", "CN", date(2026, 3, 1), None,
     {"8541.43.00": "0.00", "9903.03.01": "100.00", "9903.91.02": "500.00"}, "600.00"),
    # 14. toys: list 4B suspended; only the 122 surcharge
    ("9503.00.00.73", "CN", date(2026, 3, 1), None,
     {"9503.00.00": "0.00", "9903.03.01": "100.00"}, "100.00"),
    # 15-17. Section 122 window edges on a T-shirt from Viet Nam (16.5%); on 2026-02-23 the
    #    IEEPA country rate 9903.02.69 (+20%) is still collected (CSMS # 67834313: not on goods
    #    entered on or after 12:00 a.m. ET 2026-02-24)
    ("6109.10.00.12", "VN", date(2026, 2, 23), None,
     {"6109.10.00": "165.00", "9903.02.69": "200.00"}, "365.00"),
    ("6109.10.00.12", "VN", date(2026, 7, 23), None,
     {"6109.10.00": "165.00", "9903.03.01": "100.00"}, "265.00"),
    ("6109.10.00.12", "VN", date(2026, 7, 24), None, {"6109.10.00": "165.00"}, "165.00"),
    # 18. IEEPA collected through 2026-02-23 (CSMS # 67834313), the Supreme Court's ruling of
    #    2026-02-20 notwithstanding: China's 9903.01.24 (+10% from 2025-11-10, EO 14357) and
    #    the reciprocal 9903.01.25 (+10%); Section 122 from 2026-02-24
    ("9503.00.00.73", "CN", date(2026, 2, 21), None,
     {"9503.00.00": "0.00", "9903.01.24": "100.00", "9903.01.25": "100.00"}, "200.00"),
]


@pytest.mark.parametrize(("hts", "origin", "on", "spi", "components", "duty"), GOLDEN)
def test_golden_quote(quote, hts, origin, on, spi, components, duty):
    q = quote(hts, origin, "1000", on, spi=spi) if spi else quote(hts, origin, "1000", on)
    assert q.cannot_compute == ()
    assert parts(q) == {k: Decimal(v) for k, v in components.items()}
    assert q.duty == Decimal(duty)


def test_laptop_says_why_auto_parts_duty_is_not_applied(quote):
    q = quote("8471.30.01.00", "JP", "1000", date(2026, 3, 1))
    note = next(w for w in q.warnings if "9903.94.05" in w)
    assert "9903.94.06" in note and "passenger vehicles" in note
    assert q.pf_required == ()


def test_auto_part_by_classification_stays_covered(quote):
    """8708 is a part of a motor vehicle by its own terms: no end-use condition."""
    q = quote("8708.99.55.00", "BR", "1000", date(2026, 3, 1))
    assert "9903.94.05" in parts(q)
    assert not any("only for parts" in w for w in q.warnings)


# -- history on the measure book (before the shipped HTS revisions) ---------------------------


def test_steel_articles_history(tariff):
    book = tariff.measures
    code = "7208101500"
    assert headings(book, code, "DE", date(2018, 3, 22)) == []
    assert [m.pct for m in book.applicable(code, "DE", date(2018, 3, 23))[0]] == [25]
    assert headings(book, code, "CA", date(2024, 6, 1)) == []  # exempt before 2025-03-12
    rates = {
        d: [(m.heading, m.pct) for m in book.applicable(code, "DE", d)[0]]
        for d in (date(2025, 3, 12), date(2025, 6, 4), date(2026, 4, 6))
    }
    assert rates == {
        date(2025, 3, 12): [("9903.81.87", 25)],
        date(2025, 6, 4): [("9903.81.87", 50)],
        date(2026, 4, 6): [("9903.82.02", 50)],
    }
    assert [(m.heading, m.pct) for m in book.applicable(code, "GB", date(2025, 7, 1))[0]] == [
        ("9903.81.94", 25)
    ]


def test_steel_not_stacked_with_reciprocal_or_canada_ieepa(tariff):
    book = tariff.measures
    assert headings(book, "7208101500", "DE", date(2025, 7, 1)) == ["9903.81.87"]
    found, warnings = book.applicable("7208101500", "CA", date(2025, 3, 20))
    assert [m.heading for m in found] == ["9903.81.87"]
    assert any("9903.01.10" in w and "not stacked" in w for w in warnings)


def test_aluminum_2025_with_china_measures(tariff):
    found = headings(tariff.measures, "7601103000", "CN", date(2025, 7, 1))
    # 9903.01.24 carries China's whole 20% from 2025-03-04 (9903.01.20 ended 2025-03-03); it
    # stacks on Section 232 (EO 14289 sec. 3 spares 232 goods only from the CA/MX duties)
    assert found == ["9903.01.24", "9903.85.02", "9903.91.01"]


def test_ieepa_history_before_the_ruling(tariff):
    book = tariff.measures
    assert headings(book, "6109100012", "VN", date(2025, 6, 1)) == ["9903.01.25"]
    assert headings(book, "6109100012", "VN", date(2026, 2, 20)) == ["9903.02.69"]
    assert headings(book, "6109100012", "VN", date(2026, 2, 23)) == ["9903.02.69"]
    assert headings(book, "6109100012", "VN", date(2026, 2, 24)) == ["9903.03.01"]


def test_annex_coverage_follows_note_16c(tariff):
    """Yale's annex file widened 10-digit entries to whole headings (e.g. `8471` in annex
    1b); the shipped annex now lists exactly the provisions of U.S. note 16(c)."""
    book = tariff.measures
    on = date(2026, 5, 1)
    found = book.applicable("8471300100", "JP", on)[0]
    assert not [m for m in found if m.heading.startswith("9903.82")]
    assert headings(book, "8501640110", "DE", on) == ["9903.82.09"]  # listed at 10 digits
    assert "9903.82.09" not in headings(book, "8501640120", "DE", on)  # its sibling is not


# -- mandatory PF follows the duty ------------------------------------------------------------


def test_pf_not_forced_on_goods_a_granted_claim_exempts(tariff):
    book = tariff.measures
    on = date(2026, 3, 1)
    assert [m.heading for m in book.pf_required("8708995500", "MX", on)] == ["9903.94.05"]
    assert book.pf_required("8708995500", "MX", on, spi="S") == []
    assert book.pf_exemptible("8708995500", "MX", on) == {"s232-auto-parts": frozenset({"S", "S+"})}


def test_pf_rule_at_admission_warns_instead_of_refusing_usmca_origin(tariff):
    rule = TariffPfRule(lambda: tariff.measures, lambda: tariff.programs)
    on = date(2026, 3, 1)
    # Section 122 decides PF on HTS and origin alone, but a Mexican good may be USMCA-exempt
    assert rule("6109100012", "MX", on) == []
    assert any("unless the goods qualify for S/S+" in w for w in rule.warnings)
    # the same good from Viet Nam cannot claim USMCA: refused
    assert any("9903.03.01" in r for r in rule("6109100012", "VN", on))
    strict = TariffPfRule(lambda: tariff.measures, lambda: tariff.programs, strict=True)
    assert any("9903.03.01" in r for r in strict("6109100012", "MX", on))


# -- drawback by claim type -------------------------------------------------------------------


def test_april_2026_metals_drawback_only_for_manufacturing_claims(tariff):
    policy = MeasureBookPolicy(tariff)
    on = date(2026, 5, 1)
    verdicts = {
        claim: policy.eligibility(ImportCharge.S232, "7208101500", "DE", on, claim).eligible
        for claim in ClaimType
    }
    assert verdicts == {
        ClaimType.A: True, ClaimType.B: True,
        ClaimType.J1: False, ClaimType.J2: False, ClaimType.C: False,
    }  # fmt: skip
    refused = policy.eligibility(ImportCharge.S232, "7208101500", "DE", on, ClaimType.J1)
    assert "1313(j)(1)" in refused.reason


def test_2025_steel_duty_not_refundable_for_any_claim(tariff):
    policy = MeasureBookPolicy(tariff)
    for claim in ClaimType:
        found = policy.eligibility(ImportCharge.S232, "7208101500", "DE", date(2025, 7, 1), claim)
        assert found.eligible is False
