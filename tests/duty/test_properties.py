"""Invariants of quotes and fees over real lines, origins, dates and values (hypothesis).

The tariff is taken from `default_tariff()` (cached per process) rather than a fixture so
that hypothesis failure reports stay short.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.duty import LineItem, quote_entry, quote_line
from zonekeeper.duty.entry import mpf_fee
from zonekeeper.money import CENT, cents
from zonekeeper.sources.tariff import default_tariff

# Real ad valorem / free lines that sit on Section 301, 232 and 122 lists.
CODES = ["8414.30.80.60", "8537.10.91.70", "8708.29.51.60", "0101.21.00", "8541.21.00",
         "7326.90.86.88", "8414.30.80.30"]  # fmt: skip
ORIGINS = ["CN", "DE", "MX", "CA", "VN", "JP", "RU", "HK"]
DAYS = st.integers(min_value=0, max_value=364).map(lambda d: date(2026, 1, 1) + timedelta(d))
VALUES = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
FY_DAYS = st.integers(min_value=0, max_value=4 * 365 - 1).map(
    lambda d: date(2022, 10, 1) + timedelta(d)
)
NO_METAL = {"steel": Decimal(0), "aluminum": Decimal(0), "copper": Decimal(0)}


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(CODES), st.sampled_from(ORIGINS), VALUES, DAYS)
def test_duty_is_the_sum_of_cent_rounded_components(code, origin, value, on):
    content = {"steel": value / 2, "aluminum": value / 4, "copper": Decimal(0)}
    q = quote_line(default_tariff(), LineItem(code, origin, value, content=content), on)
    assert q.duty is not None
    assert q.duty == sum((c.amount for c in q.components), Decimal(0))
    for c in q.components:
        assert c.amount == cents(c.exact) and c.amount >= 0 and c.source


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(CODES), st.sampled_from(ORIGINS), VALUES, VALUES, DAYS)
def test_duty_never_falls_as_value_rises(code, origin, a, b, on):
    tariff = default_tariff()
    low, high = sorted((a, b))
    q_low = quote_line(tariff, LineItem(code, origin, low, content=NO_METAL), on)
    q_high = quote_line(tariff, LineItem(code, origin, high, content=NO_METAL), on)
    assert q_low.duty is not None and q_high.duty is not None
    assert q_low.duty <= q_high.duty


@settings(max_examples=200, deadline=None)
@given(VALUES, FY_DAYS)
def test_mpf_within_floor_and_cap(value, on):
    tariff = default_tariff()
    terms = tariff.fees.mpf_terms(on)
    fee = mpf_fee(tariff, value, on)
    assert fee.amount is not None
    if value == 0:  # no foreign value: no MPF (19 CFR 24.23(b)(1)(i); entry_fees.mpf_due)
        assert (fee.amount, fee.bound) == (0, "no foreign value")
    else:
        assert terms.minimum <= fee.amount <= terms.maximum


@settings(max_examples=60, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=8), FY_DAYS)
def test_one_entry_never_costs_more_mpf_than_separate_entries(values, on):
    tariff = default_tariff()
    together = mpf_fee(tariff, sum(values, Decimal(0)), on).amount
    apart = sum((mpf_fee(tariff, v, on).amount or Decimal(0) for v in values), Decimal(0))
    # each entry rounds once to the cent, so splitting can gain at most a cent per entry
    assert together is not None and together <= apart + CENT * len(values)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(CODES), st.sampled_from(ORIGINS), VALUES),
        min_size=1,
        max_size=6,
    ),
    DAYS,
)
def test_entry_duty_is_the_sum_of_its_lines(rows, on):
    items = [LineItem(c, o, v, content=NO_METAL) for c, o, v in rows]
    entry = quote_entry(default_tariff(), items, on)
    assert entry.duty == sum((line.duty or Decimal(0) for line in entry.lines), Decimal(0))
