"""The lesser-of limit on the real tariff: what the exported article "would owe if imported".

19 CFR 190.32(b)(1)(ii) (and 190.22(a)(1)(ii)(A)(2) for 1313(b)): 99% of "the amount of
duties, taxes, and fees that would apply to the exported article if the exported article
were imported". Every duty that would apply counts, refundable or not; MPF is the ad valorem
fee up to the per-entry cap of 19 CFR 24.23(b)(1)(i) (FY2026: 0.3464%, cap 651.50).
"""

from __future__ import annotations

from datetime import date

from drawback_helpers import D, exp, imp

from zonekeeper.drawback.measures import DutyClass
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.duty import LineItem, quote_line

ON = date(2026, 3, 2)


def test_mpf_in_the_limit_stops_at_the_per_entry_cap(estimator):
    # 4202.92.31.20: General 17.6%, and on 2026-03-02 the Section 122 surcharge (10%, every
    # origin) would apply too. On $1,000,000: duty 176,000 + 100,000; MPF 0.3464% would be
    # 3,464.00 but one entry pays at most 651.50 (24.23(b)(1)(i)).
    owed = estimator.would_owe("4202923120", D(1_000_000), D(1000), "No.", ON, None)
    assert owed.by_class == {DutyClass.DUTY: D("276000.00"), DutyClass.MPF: D("651.50")}
    assert "9903.03.01" in owed.derivation and "Column 1 General 17.6%" in owed.derivation
    # Below the cap the fee is ad valorem: 0.3464 (no floor added: conservative).
    small = estimator.would_owe("4202923120", D(100), D(1), "No.", ON, None)
    assert small.by_class == {DutyClass.DUTY: D("27.60"), DutyClass.MPF: D("0.3464")}


def test_without_an_origin_only_measures_of_every_origin_apply(estimator):
    # Before the Section 122 surcharge (2026-02-24) the article owes its Column 1 rate only;
    # country measures (301 on China, IEEPA) never apply without an origin.
    owed = estimator.would_owe("4202923120", D(100), D(1), "No.", date(2026, 2, 1), None)
    assert owed.by_class[DutyClass.DUTY] == D("17.60")
    assert "9903.03.01" not in owed.derivation
    with_origin = estimator.would_owe("4202923120", D(100), D(1), "No.", ON, "CN")
    assert with_origin.by_class[DutyClass.DUTY] > D("27.60")
    assert "origin CN" in with_origin.derivation and "9903.88" in with_origin.derivation


def test_duties_drawback_would_not_refund_still_would_apply(tariff, estimator):
    # Flat-rolled steel of China: the quote carries a Section 232 duty, which drawback does
    # not refund (drawback_eligible False); it still "would apply" to the article.
    value = D(100_000)
    quote = quote_line(tariff, LineItem(hts="7208390030", origin="CN", value=value,
                                        quantities={"kg": D(1000)}), ON)
    assert quote.duty is not None
    refused = [c for c in quote.components if c.drawback_eligible is False and c.amount > 0]
    assert refused, quote.components
    owed = estimator.would_owe("7208390030", value, D(1000), "kg", ON, "CN")
    assert owed.by_class == {DutyClass.DUTY: D(quote.duty),
                             DutyClass.MPF: value * D("0.003464")}
    eligible_only = sum((c.amount for c in quote.components if c.drawback_eligible), D(0))
    assert owed.by_class[DutyClass.DUTY] > eligible_only


def test_golden_j2_claim_limited_by_the_capped_mpf(descriptions, estimator, policy):
    # Import: 100 bags, $100,000, duty 17,600 + Section 301 25,000, MPF 346.40 (one line).
    # Per unit: duties 0.99 * 42,600 / 100 = 421.74; MPF 0.99 * 346.40 / 100 = 3.42936
    # -> 3.42 (190.51(b)(2)(iv)).
    # Export: 1,000 bags at $1,000,000 (no origin) on 2026-03-02 would owe duties 176,000
    # (17.6%) + 100,000 (Section 122, 10%) = 276,000: 99% per unit 273.24 < 421.74; and MPF
    # 651.50 (capped, 24.23(b)(1)(i)): 99% per unit 0.644985 < 3.42. (Uncapped, 3,464.00
    # would give 3.42936 and the import's 3.42 would be the lesser.)
    # 100 units: duties 27,324.00, split over the duty classes' components as paid:
    # duty 0.99 * 17,600 * 276/426 = 11,288.788... -> 11,288.78; 301 0.99 * 25,000 *
    # 276/426 = 16,035.211... -> 16,035.21; MPF 64.4985 -> 64.49. Refund 27,388.48.
    imports = [imp("E1", 1, "2026-01-15", "4202923120", 100, "17600.00", value=100_000,
                   origin="VN", duty_301=D("25000.00"), mpf=D("346.40"))]
    exports = [exp("X1", "2026-03-02", "4202923120", 1000, value=1_000_000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 31), descriptions,
                      estimator, policy=policy)
    [d] = plan.designations
    assert d.quantity == 100
    assert d.refund_per_unit == D("273.884985")
    assert d.components == {"duty": D("11288.78"), "duty_301": D("16035.21"),
                            "mpf": D("64.49")}
    assert d.refund == D("27388.48") == plan.refund
    assert "651.50" in d.lesser_of and "the exported side is the lesser for duty, mpf" in (
        d.lesser_of)
