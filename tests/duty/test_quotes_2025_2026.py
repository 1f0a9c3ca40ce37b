"""Quotes end to end on the real tariff for dates across 2025 and 2026, per country: the
schedule revision in force (from the shipped history) and the Chapter 99 measures of the day,
each cited by its heading. One real line, 8537.10.91.70 (programmable controllers, General
2.7%, on Section 301 list 3), $1,000, so every figure reads as a percentage.

The law of each case: the IEEPA fentanyl duties (China 20% from 2025-03-04, 9903.01.24,
10% from 2025-11-10; Mexico 25% on goods not claimed under USMCA, 9903.01.01); the
reciprocal baseline (10%, 9903.01.25, from 2025-04-05) and the country rates of
2025-08-07 (Vietnam 20%, 9903.02.69; the EU's 15% all-in floor, 9903.02.20; Brazil 10%,
9903.02.09, beside its own 40%, 9903.01.77; India 25%, 9903.02.26, and 25% more for Russian
oil from 2025-08-27, 9903.01.84); Section 301 list 3 (25%, 9903.88.03); after the IEEPA
duties ended (goods entered from 2026-02-24, CSMS # 67834313) the Section 122 surcharge
(10%, 9903.03.01)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.money import money_context
from zonekeeper.tariff import Tariff

HTS = "8537.10.91.70"

CASES = [
    ("DE", date(2025, 6, 1), "HTS 2025 Revision 15", {
        "8537.10.91": "27.00",
        "9903.01.25": "100.00",
    }),
    ("DE", date(2025, 9, 1), "HTS 2025 Revision 21", {
        "8537.10.91": "27.00",
        "9903.02.20": "123.00",
    }),
    ("VN", date(2025, 9, 1), "HTS 2025 Revision 21", {
        "8537.10.91": "27.00",
        "9903.02.69": "200.00",
    }),
    ("CN", date(2025, 3, 10), "HTS 2025 Revision 5", {
        "8537.10.91": "27.00",
        "9903.01.24": "200.00",
        "9903.88.03": "250.00",
    }),
    ("CN", date(2025, 12, 1), "HTS 2025 Revision 32", {
        "8537.10.91": "27.00",
        "9903.01.24": "100.00",
        "9903.01.25": "100.00",
        "9903.88.03": "250.00",
    }),
    ("MX", date(2025, 6, 1), "HTS 2025 Revision 15", {
        "8537.10.91": "27.00",
        "9903.01.01": "250.00",
    }),
    ("BR", date(2025, 9, 1), "HTS 2025 Revision 21", {
        "8537.10.91": "27.00",
        "9903.01.77": "400.00",
        "9903.02.09": "100.00",
    }),
    ("IN", date(2025, 9, 1), "HTS 2025 Revision 21", {
        "8537.10.91": "27.00",
        "9903.01.84": "250.00",
        "9903.02.26": "250.00",
    }),
    ("VN", date(2026, 3, 1), "HTS 2026 Revision 4", {
        "8537.10.91": "27.00",
        "9903.03.01": "100.00",
    }),
]


@pytest.mark.parametrize(("origin", "on", "revision", "components"), CASES)
def test_quote_names_the_revision_and_each_heading(
    tariff: Tariff, origin: str, on: date, revision: str, components: dict[str, str]
) -> None:
    with money_context():
        quoted = quote_line(tariff, LineItem(HTS, origin, Decimal(1000)), on)
    assert quoted.revision == revision
    assert {c.heading: str(c.amount) for c in quoted.components} == components
    assert quoted.duty == sum((Decimal(a) for a in components.values()), Decimal(0))
