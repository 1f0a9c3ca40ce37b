"""scenarios.md §1 — the inverted-tariff claim for refrigeration units, with illustrative rates.

The article's rates are a what-if override (they are not the published 2026 tariff): the
components pay base + 25% Section 301; the finished unit (8418.69) enters at 0%. Treated as
NPF the unit would owe $0 — the article's claim. Chinese components under Section 301 must
be PF, so each unit entered for consumption owes $320.20; 5,000 units owe $1,601,000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.zone.entries import WhatIfQuoter, WhatIfRate
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    Input,
    Removal,
    RemovalDisposition,
    compare_npf_claim,
)

D = Decimal
ADMITTED = date(2026, 3, 2)
ENTERED = date(2026, 8, 20)

ILLUSTRATIVE = WhatIfQuoter(
    (
        WhatIfRate("8414.30", "base", "8414.30", D("3.7")),
        WhatIfRate("8414.30", "section301", "9903.88.01", D("25")),
        WhatIfRate("7411.10", "base", "7411.10", D("3")),
        WhatIfRate("7411.10", "section301", "9903.88.01", D("25")),
        WhatIfRate("8537.10", "base", "8537.10", D("3.5")),
        WhatIfRate("8537.10", "section301", "9903.88.01", D("25")),
        WhatIfRate("8418.69", "base", "8418.69", D("0")),
    )
)
INPUTS = (
    Input("compressor", "8414.30", "CN", D("800"), D(1), "No."),
    Input("copper tubing", "7411.10", "CN", D("120"), D(1), "No."),
    Input("control board", "8537.10", "CN", D("200"), D(1), "No."),
)


def section301_requires_pf(hts: str, origin: str, on: date) -> list[str]:
    """The article's premise: every component is Chinese and on a Section 301 list."""
    if origin == "CN" and on >= date(2018, 9, 24):
        return [f"Section 301 (9903.88.01) covers {hts} from CN: PF required"]
    return []


def unit_removal(quantity: int) -> Removal:
    return Removal("R1", ENTERED, "FRIDGE", "8418.69", "CN", D(quantity), "No.",
                   RemovalDisposition.CONSUMPTION, Composition())


def test_one_unit_naive_claim_is_zero_but_lawful_duty_is_320_20() -> None:
    result = compare_npf_claim(unit_removal(1), INPUTS, ADMITTED, ENTERED, ILLUSTRATIVE,
                               section301_requires_pf)
    assert result.naive.duty == D("0.00")
    assert [line.status for line in result.naive.lines] == ["NPF"]
    assert result.naive.lines[0].value == D("1120")

    by_hts = {line.hts: line for line in result.lawful.lines}
    assert {h: by_hts[h].duty for h in by_hts} == {
        "8414.30": D("229.60"),
        "7411.10": D("33.60"),
        "8537.10": D("57.00"),
    }
    assert all(line.status == "PF" and line.key.pf_date == ADMITTED for line in by_hts.values())
    assert result.lawful.duty == D("320.20")
    assert "Section 301" in result.explanation
    assert "must be admitted PF" in result.explanation


def test_5000_units_a_year_owe_1_601_000_not_zero() -> None:
    result = compare_npf_claim(unit_removal(5000), INPUTS, ADMITTED, ENTERED, ILLUSTRATIVE,
                               section301_requires_pf)
    assert result.lawful.duty == D("1601000.00")
    assert result.naive.duty == D("0.00")
    # each PF component carries its base and 301 components separately
    compressor = next(line for line in result.lawful.lines if line.hts == "8414.30")
    assert sorted(c.program for c in compressor.components) == ["base", "section301"]


def test_without_a_pf_requiring_measure_the_npf_claim_stands() -> None:
    result = compare_npf_claim(unit_removal(1), INPUTS, ADMITTED, ENTERED, ILLUSTRATIVE,
                               lambda hts, origin, on: [])
    assert result.lawful.duty == result.naive.duty == D("0.00")
    assert "available" in result.explanation
