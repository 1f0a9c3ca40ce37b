"""The lesser-of limit on the real tariff: what the exported article "would owe if imported".

19 CFR 190.32(b)(1)(ii) (and 190.22(a)(1)(ii)(A)(2) for 1313(b)): 99% of "the amount of
duties, taxes, and fees that would apply to the exported article if the exported article
were imported". Every duty that would apply counts, refundable or not; MPF is the ad valorem
fee up to the per-entry cap of 19 CFR 24.23(b)(1)(i) (FY2026: 0.3464%, cap 651.50).
"""

from __future__ import annotations

from datetime import date

from drawback_helpers import D, exp, imp

from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.duty import LineItem, quote_line

ON = date(2026, 3, 2)


def test_mpf_in_the_limit_stops_at_the_per_entry_cap(estimator):
    # 4202.92.31.20: General 17.6%. On $1,000,000: 176,000 duty; MPF 0.3464% would be
    # 3,464.00 but one entry pays at most 651.50 (24.23(b)(1)(i)).
    owed = estimator.would_owe("4202923120", D(1_000_000), D(1000), "No.", ON, None)
    assert owed == D("176651.50")
    # Below the cap the fee is ad valorem: 17.60 + 0.3464 (no floor added: conservative).
    assert estimator.would_owe("4202923120", D(100), D(1), "No.", ON, None) == D("17.9464")


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
    assert owed == D(quote.duty) + value * D("0.003464")
    eligible_only = sum((c.amount for c in quote.components if c.drawback_eligible), D(0))
    assert owed > eligible_only + value * D("0.003464")


def test_golden_j2_claim_limited_by_the_capped_mpf(descriptions, estimator, policy):
    # Import: 1,000 bags, $1,000,000, duty 176,000 + Section 301 250,000: refund per unit
    # 0.99 * 426 = 421.74. Export of the 1,000 bags at $1,000,000 (no origin): would owe
    # 176,000 + 651.50 (MPF capped) = 176,651.50; 99% per unit = 174.884985. The limit is
    # the lesser: 1,000 * 174.884985 = 174,884.985 -> 174,884.98 (rounded down).
    # (With MPF uncapped the limit was 0.99 * 179,464 = 177,669.36: above the law.)
    imports = [imp("E1", 1, "2026-01-15", "4202923120", 1000, "176000.00", value=1_000_000,
                   origin="VN", duty_301=D("250000.00"))]
    exports = [exp("X1", "2026-03-02", "4202923120", 1000, value=1_000_000)]
    plan = build_plan(ClaimType.J2, imports, exports, date(2026, 3, 31), descriptions,
                      estimator, policy=policy)
    [d] = plan.designations
    assert d.refund_per_unit == D("174.884985")
    assert d.refund == D("174884.98") == plan.refund
    assert "176651.50" in d.lesser_of
