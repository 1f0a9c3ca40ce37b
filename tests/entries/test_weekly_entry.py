"""Weekly entry (19 CFR 146.63(c)): MPF once per entry, lines grouped, split at 998 lines.

scenarios.md §2 with the shipped fee table: FY2023 50 x $575.35 = $28,767.50 entered one by
one, $575.35 weekly, saving $28,192.15; the same in FY2026 with $33.58 / $651.50.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.errors import InputError
from zonekeeper.zone.entries import WhatIfQuoter, WhatIfRate, mpf_charge
from zonekeeper.zone.weekly import (
    EstimatedEntry,
    EstimateLine,
    Week,
    estimate_from_removals,
    overruns,
    summary_due,
    weekly_entry,
)
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    PfComponent,
    Removal,
    RemovalDisposition,
)

D = Decimal
FREE = WhatIfQuoter((WhatIfRate("", "base", "any", D("0")),))
THREE_PCT = WhatIfQuoter((WhatIfRate("", "base", "any", D("3")),))


def fifty_shipments(week: Week, npf_removal, value: str = "200000"):  # type: ignore[no-untyped-def]
    return [npf_removal(f"S{i:02d}", week.start + timedelta(days=i % 5), D(value))
            for i in range(50)]


@pytest.mark.parametrize(
    ("week", "cap", "single", "saving"),
    [
        ("2023-W10", D("575.35"), D("28767.50"), D("28192.15")),
        ("2026-W10", D("651.50"), D("32575.00"), D("31923.50")),
    ],
)
def test_scenario2_weekly_entry_pays_mpf_once(  # type: ignore[no-untyped-def]
    fees, npf_removal, week, cap, single, saving
) -> None:
    w = Week.parse(week)
    entry = weekly_entry(w, fifty_shipments(w, npf_removal), FREE, fees)
    assert entry.entry_type == "06"
    assert len(entry.summaries) == 1
    assert entry.mpf == cap
    assert entry.summaries[0].mpf.bound == "maximum"
    assert len(entry.single_entries.entries) == 50
    assert entry.single_entries.single_mpf == single
    assert entry.single_entries.saving == saving
    # 50 removals of the same article, origin and status are one entry-summary line
    assert len(entry.lines) == 1
    assert entry.lines[0].line.value == D("10000000")
    assert len(entry.lines[0].line.shipments) == 50


def test_fy2026_floor_applies_once_to_a_small_week(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    entry = weekly_entry(w, [npf_removal("S1", w.start, D("1000"))], FREE, fees)
    assert entry.mpf == D("33.58")
    assert entry.summaries[0].mpf.bound == "minimum"


@pytest.mark.parametrize(
    ("summary_date", "floor", "fy"),
    [(date(2025, 9, 30), D("32.71"), "FY2025"), (date(2025, 10, 1), D("33.58"), "FY2026")],
)
def test_mpf_fiscal_year_follows_the_entry_summary_date(  # type: ignore[no-untyped-def]
    fees, npf_removal, summary_date, floor, fy
) -> None:
    w = Week.parse("2025-W39")  # 2025-09-22 .. 2025-09-28
    entry = weekly_entry(w, [npf_removal("S1", w.start, D("1000"))], FREE, fees,
                         summary_date=summary_date)
    assert entry.summaries[0].mpf.fiscal_year == fy
    assert entry.mpf == floor


def test_mpf_is_on_foreign_value_only(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    entry = weekly_entry(w, [npf_removal("S1", w.start, D("50000"), domestic=D("100000"))],
                         FREE, fees)
    assert entry.summaries[0].mpf.foreign_value == D("50000")
    assert entry.mpf == D("173.20")  # 0.3464% of 50,000, not of 150,000
    assert entry.domestic_value == D("100000")


def test_998_line_split_each_summary_its_own_mpf(fees) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    removals = [
        Removal(f"S{i}", w.start, f"P{i}", "8418.69", "DE", D(1), "No.",
                RemovalDisposition.CONSUMPTION,
                Composition(pf=(PfComponent(f"C{i}", f"84{i:06d}", "CN", D("100"), D(1), "No.",
                                            date(2026, 1, 1) + timedelta(days=i % 40)),)))
        for i in range(999)
    ]
    entry = weekly_entry(w, removals, THREE_PCT, fees)
    assert [len(s.lines) for s in entry.summaries] == [998, 1]
    assert [s.lines[0].number for s in entry.summaries] == [1, 1]
    assert entry.summaries[0].lines[-1].number == 998
    assert entry.mpf == D("345.71") + D("33.58")  # 99,800 x 0.3464% = 345.7072; floor on the last
    assert entry.duty == D("2997.00")


def test_zone_restricted_content_is_refused(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    zr = Removal("S-ZR", w.start, "X", "8418.69", "DE", D(1), "No.", RemovalDisposition.CONSUMPTION,
                 Composition(zr_value=D("10")))
    with pytest.raises(InputError) as caught:
        weekly_entry(w, [npf_removal("S1", w.start, D("1")), zr], FREE, fees)
    assert "zone-restricted" in str(caught.value)
    assert "146.63(b)" in str(caught.value)


def test_exports_are_listed_apart_with_no_duty(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    entry = weekly_entry(
        w,
        [npf_removal("S1", w.start, D("1000")),
         npf_removal("X1", w.start, D("5000"), disposition=RemovalDisposition.EXPORT)],
        THREE_PCT, fees,
    )
    assert entry.foreign_value == D("1000")
    assert [n.shipment_no for n in entry.not_entered] == ["X1"]
    assert "no duty owed" in entry.not_entered[0].reason


def test_removals_outside_the_week_are_not_entered(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    entry = weekly_entry(w, [npf_removal("S1", w.end + timedelta(days=1), D("1000"))],
                         FREE, fees)
    assert entry.lines == () and entry.removals == 0


def test_summary_due_ten_business_days_after_the_week() -> None:
    # 2026-W27 ends Sunday 2026-07-05; 4 July is a Saturday, observed Friday 3 July.
    assert summary_due(Week.parse("2026-W27")) == date(2026, 7, 17)
    # 2026-W47 ends 2026-11-22; Thanksgiving 2026-11-26 does not count.
    assert summary_due(Week.parse("2026-W47")) == date(2026, 12, 7)


def test_bad_week_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Week.parse("2026-32")
    with pytest.raises(InputError):
        Week.parse("2026-W54")


def test_overrun_without_supplemental(npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    removals = [npf_removal(f"S{i}", w.start + timedelta(days=i), D("10"), quantity=D(3))
                for i in range(3)]
    est = EstimatedEntry(w, w.start, (EstimateLine("UNIT", "8418.69", D(5), "No.", D(0), D(0)),))
    [over] = overruns(w, [est], removals)
    assert (over.part, over.removed, over.excess, over.exceeded_on, over.covered) == (
        "UNIT", D(9), D(4), w.start + timedelta(days=1), False)
    extra = estimate_from_removals(w, removals[1:], w.start, supplemental=True)
    [covered] = overruns(w, [est, extra], removals)
    assert covered.covered



def test_an_estimate_line_with_a_removal_of_unknown_zone_value_is_not_known(  # type: ignore[no-untyped-def]
    npf_removal,
) -> None:
    w = Week.parse("2026-W10")
    known, unknown = (npf_removal(f"S{i}", w.start, D("10"), quantity=D(3)) for i in range(2))
    known = dataclasses.replace(known, zone_value=D("45.00"))
    [line] = estimate_from_removals(w, [known], w.start).lines
    assert line.zone_value == D("45.00")
    assert unknown.zone_value is None
    [line] = estimate_from_removals(w, [known, unknown], w.start).lines
    assert line.zone_value is None and line.quantity == D(6)  # not the known half as a total


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=60))
def test_weekly_mpf_never_exceeds_single_entries(fees, values) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    removals = [
        Removal(f"S{i}", w.start, "UNIT", "8418.69", "DE", D(1), "No.",
                RemovalDisposition.CONSUMPTION,
                Composition(pf=(PfComponent("C", "8414.30", "CN", D(v) / 100, D(1), "No.",
                                            date(2026, 1, 5)),)))
        for i, v in enumerate(values)
    ]
    entry = weekly_entry(w, removals, THREE_PCT, fees)
    terms = fees.mpf_terms(entry.summary_date)
    assert terms.minimum <= entry.mpf <= terms.maximum
    assert entry.mpf == mpf_charge(entry.foreign_value, terms).amount
    # rounding each single entry to the cent can lose at most half a cent per entry
    assert entry.single_entries.saving >= -D("0.005") * len(values)
    assert entry.foreign_value == sum((D(v) / 100 for v in values), D(0))


def test_supplemental_3461_for_the_units_beyond_the_estimate(fees, npf_removal) -> None:  # type: ignore[no-untyped-def]
    w = Week.parse("2026-W10")
    removals = [npf_removal(f"S{i}", w.start + timedelta(days=i), D("100"), quantity=D(2))
                for i in range(4)]  # 8 units, $100 dutiable each removal
    est = EstimatedEntry(w, w.start, (EstimateLine("UNIT", "8418.69", D(5), "No.", D(0), D(0)),))
    entry = weekly_entry(w, removals, FREE, fees, estimates=[est])
    assert entry.supplemental is not None and entry.supplemental.supplemental
    [line] = entry.supplemental.lines
    assert (line.quantity, line.dutiable_value) == (D(3), D("150"))  # 3 of 8 units of $400
    assert entry.supplemental.filed_on == w.start + timedelta(days=2)  # before the 6th unit


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=0, max_size=4),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
)
def test_split_keeps_foreign_value_and_drops_domestic(pf_values, npf_value, domestic) -> None:  # type: ignore[no-untyped-def]
    from zonekeeper.zone.withdrawal_duty import NpfInput, withdrawal_duty

    day = date(2026, 3, 2)
    comp = Composition(
        pf=tuple(PfComponent(f"C{i}", f"84{i:02d}.10", "CN", D(v), D(1), "No.", day)
                 for i, v in enumerate(pf_values)),
        npf=(NpfInput("N", "8418.69", "KR", D(npf_value), D(1), "No.", day),) if npf_value else (),
        domestic_value=D(domestic),
    )
    r = Removal("S", day, "U", "8418.69", "US", D(1), "No.", RemovalDisposition.CONSUMPTION, comp)
    result = withdrawal_duty(r, THREE_PCT, day, with_estimate=False)
    assert result.foreign_value == D(sum(pf_values) + npf_value)
    assert len([line for line in result.lines if line.status == "PF"]) == len(pf_values)
    assert result.duty == sum((line.duty or D(0) for line in result.lines), D(0))
    assert all(line.value <= result.foreign_value for line in result.lines)
