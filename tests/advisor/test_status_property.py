"""Property: whatever the components, the recommended duty is never above the all-PF or the
outside-the-zone duty, and a component the law requires in PF is never elected NPF
(19 CFR 146.41; the measures' FTZ clauses)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.advisor.election import Component, Product, elect
from zonekeeper.sources.tariff import default_tariff

TARIFF = default_tariff()
CODES = ["8414.30.80.20", "7411.10.50.00", "8537.10.91.70", "8501.40.40.40", "8481.80.10.20",
         "8708.99.81.05", "7318.15.20.65", "8544.42.90.90", "3926.90.99.89", "7326.90.86.88"]
PRODUCTS = ["8418.50.00.80", "8418.69.01.20", "8501.40.20.40", "8481.80.10.20"]
ORIGINS = ["CN", "DE", "MX", "JP", "VN", "IN"]
DATES = [dt.date(2026, 9, 1), dt.date(2026, 6, 15), dt.date(2026, 1, 15)]

component = st.builds(
    Component,
    part=st.text("abcdefgh", min_size=1, max_size=4),
    hts=st.sampled_from(CODES),
    origin=st.sampled_from(ORIGINS),
    quantity_per_unit=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(50), places=2),
    unit_value=st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=2),
)


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(component, min_size=1, max_size=6),
    product=st.sampled_from(PRODUCTS),
    finished=st.sampled_from([None, "US", "CN", "DE"]),
    on=st.sampled_from(DATES),
)
def test_recommended_never_costs_more_and_never_breaks_mandatory_pf(
    parts: list[Component], product: str, finished: str | None, on: dt.date
) -> None:
    advice = elect(TARIFF, Product(product, finished), parts, on)
    for e in advice.components:
        if e.mandatory_pf:
            assert e.recommended == "PF" and e.duty_npf is None
        if e.recommended == "NPF" and e.duty_pf is not None:
            assert e.duty_npf is not None and e.duty_npf <= e.duty_pf
        if e.recommended == "PF" and e.duty_npf is not None and e.duty_pf is not None:
            assert e.duty_pf <= e.duty_npf
    if advice.duty_per_unit is not None:
        assert advice.duty_per_unit_all_pf is not None
        assert advice.duty_per_unit <= advice.duty_per_unit_all_pf
        assert advice.duty_per_unit_outside_zone is not None
        assert advice.duty_per_unit <= advice.duty_per_unit_outside_zone
