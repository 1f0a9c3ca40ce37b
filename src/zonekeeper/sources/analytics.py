"""The analytics' shipped data: the quarterly overpayment interest rates (19 U.S.C. 1505(c),
26 U.S.C. 6621), read from `zonekeeper/data/analytics/` (provenance in its PROVENANCE.md) and
parsed by the core (`analytics.interest.parse_rates`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from zonekeeper.analytics.interest import QuarterRate, parse_rates

RATES_FILE = "overpayment_rates.csv"


@cache
def overpayment_rates() -> tuple[QuarterRate, ...]:
    """The shipped rate table, parsed once per process."""
    text = resources.files("zonekeeper").joinpath(f"data/analytics/{RATES_FILE}")
    return parse_rates(text.read_text("utf-8"), RATES_FILE)
