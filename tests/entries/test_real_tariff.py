"""Scenarios 1 and 4 on the shipped 2026 tariff (not the illustrative rates).

The real rates differ from the article's (8414.30.80 is Free, 7411.10.50 is 3%, the
components sit on Section 301 lists 1 and 3, and Section 232 reaches some of them), so these
tests check the law's shape and the derivation, not the article's amounts: the NPF claim at
the unit's Free rate is $0, the lawful PF answer is each component's own frozen duty, and the
explanation names the measures that require PF.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.bindings.quoter import TariffQuoter
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff
from zonekeeper.zone.weekly import Week, weekly_entry
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    Input,
    NpfInput,
    PfComponent,
    Removal,
    RemovalDisposition,
    compare_npf_claim,
    withdrawal_duty,
)

D = Decimal
ADMITTED = date(2026, 8, 3)  # after the Section 122 surcharge ended (2026-07-24)
ENTERED = date(2026, 8, 20)


@pytest.fixture(scope="module")
def tariff() -> Tariff:
    return default_tariff()


INPUTS = (
    Input("compressor", "8414.30.80.30", "CN", D("800"), D(1), "No."),
    Input("copper tubing", "7411.10.50.00", "CN", D("120"), D(1), "No."),
    Input("control board", "8537.10.91.70", "CN", D("200"), D(1), "No."),
)


def test_scenario1_real_tariff_naive_zero_lawful_pf_with_reasons(tariff) -> None:  # type: ignore[no-untyped-def]
    quoter = TariffQuoter(tariff)
    unit = Removal("R1", ENTERED, "FRIDGE", "8418.69.01.80", "US", D(1), "No.",
                   RemovalDisposition.CONSUMPTION, Composition())
    result = compare_npf_claim(unit, INPUTS, ADMITTED, ENTERED, quoter, quoter.pf_required)

    assert result.naive.duty == D("0.00")  # 8418.69.01 is Free for a US-made unit
    assert all(result.pf_reasons[i.part] for i in INPUTS)  # every component must be PF
    assert "9903.88" in result.explanation  # the Section 301 headings are named

    lawful = {line.hts: line for line in result.lawful.lines}
    assert set(lawful) == {i.hts for i in INPUTS}
    assert lawful["8414.30.80.30"].components[0].rate == "Free"  # scenarios.md: Free
    assert lawful["7411.10.50.00"].components[0].rate == "3%"  # scenarios.md: 3%
    for i in INPUTS:
        line = lawful[i.hts]
        assert line.status == "PF" and line.key.pf_date == ADMITTED
        headings = {c.heading for c in line.components if c.program == "section301"}
        assert headings & {"9903.88.01", "9903.88.03"}, i.part
        direct = quote_line(tariff, LineItem(i.hts, "CN", i.value, {"each": D(1)}),
                            ENTERED, frozen_on=ADMITTED)
        assert line.duty == direct.duty
    assert result.lawful.duty is not None and result.lawful.duty > D(0)
    assert result.lawful.duty == sum((line.duty or D(0) for line in lawful.values()), D(0))


def test_scenario4_real_tariff_car_lines(tariff) -> None:  # type: ignore[no-untyped-def]
    quoter = TariffQuoter(tariff)
    pf_on = date(2026, 3, 2)
    car = Removal(
        "S-CAR", date(2026, 8, 20), "CAR", "8703.23.01.90", "DE", D(1), "No.",
        RemovalDisposition.CONSUMPTION,
        Composition(
            pf=(PfComponent("ENGINE", "8407.34.48.00", "DE", D(3000), D(1), "No.", pf_on),
                PfComponent("CHASSIS", "8706.00.15.40", "JP", D(2000), D(1), "No.", pf_on)),
            npf=(NpfInput("TIRE", "4011.10.10.10", "KR", D(400), D(4), "No.", pf_on),),
            domestic_value=D(900),
        ),
    )
    first = withdrawal_duty(car, quoter, date(2026, 8, 20))
    lines = {(line.status, line.hts): line for line in first.lines}
    assert set(lines) == {("PF", "8407.34.48.00"), ("PF", "8706.00.15.40"),
                          ("NPF", "8703.23.01.90")}
    for (status, hts), line in lines.items():
        if status == "PF":
            origin = "DE" if hts.startswith("8407") else "JP"
            value = D(3000) if hts.startswith("8407") else D(2000)
            direct = quote_line(tariff, LineItem(hts, origin, value, {"each": D(1)}),
                                date(2026, 8, 20), frozen_on=pf_on)
            assert line.duty == direct.duty, hts
    car_line = lines[("NPF", "8703.23.01.90")]
    assert car_line.value == D(400)  # the tires' value; the $900 domestic content excluded
    assert car_line.components[0].heading.startswith("8703.23")
    assert first.foreign_value == D(5400)
    # filed on another date, only the NPF (car) line may change: PF lines stay frozen
    later = withdrawal_duty(car, quoter, date(2026, 2, 20))
    again = {(line.status, line.hts): line.duty for line in later.lines}
    assert again[("PF", "8407.34.48.00")] == lines[("PF", "8407.34.48.00")].duty
    assert again[("PF", "8706.00.15.40")] == lines[("PF", "8706.00.15.40")].duty


def test_weekly_entry_on_the_real_tariff_prices_each_line_once(tariff, npf_removal) -> None:  # type: ignore[no-untyped-def]
    quoter = TariffQuoter(tariff)
    w = Week.parse("2026-W32")
    removals = [npf_removal(f"S{i}", w.start, D("1000"), hts="8418.69.01.80", origin="KR")
                for i in range(20)]
    entry = weekly_entry(w, removals, quoter, tariff.fees)
    assert len(entry.lines) == 1 and len(quoter.cache) == 1
    assert entry.lines[0].line.value == D("20000")
    assert entry.mpf == D("69.28")  # 0.3464% of 20,000, FY2026 (summary due 2026-08-21)
