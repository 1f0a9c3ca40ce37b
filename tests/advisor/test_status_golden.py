"""Golden tests of the status election on the real 2026 tariff (19 CFR 146.41-146.42,
146.65): the seed's refrigeration example with the lawful answer, a product where NPF wins,
one where PF wins, one where the law forces PF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zonekeeper.advisor.election import Component, Product, annual, elect
from zonekeeper.tariff import Tariff

ON = dt.date(2026, 9, 1)  # after Section 122 (to 2026-07-24): no content value needed


def D(text: str) -> Decimal:
    return Decimal(text)


REFRIGERATION = [
    Component("compressor", "8414.30.80.20", "CN", D("1"), D("800")),
    Component("copper tubing", "7411.10.50.00", "CN", D("1"), D("120")),
    Component("control board", "8537.10.91.70", "CN", D("1"), D("200")),
]


def test_refrigeration_seed_lawful_answer_on_the_real_2026_tariff(tariff: Tariff) -> None:
    """Seed scenario 1: the article claims $0 a unit with NPF. Every component is Chinese
    and on a Section 301 list (9903.88.01 list 1, 9903.88.03 list 3), so PF is mandatory
    (U.S. note 20; 146.41): entered for consumption each pays its own 2026 rate plus 301
    (and the copper tubing the April 2026 Section 232 metals duty)."""
    advice = elect(tariff, Product("8418.69.01.20", "US"), REFRIGERATION, ON)
    by_part = {e.component.part: e for e in advice.components}
    assert all(e.recommended == "PF" for e in advice.components)
    assert all(e.duty_npf is None for e in advice.components)
    assert by_part["compressor"].duty_pf == D("200.00")  # Free + 25% of $800
    assert by_part["copper tubing"].duty_pf == D("93.60")  # 3% + 25% + 50% (232) of $120
    assert by_part["control board"].duty_pf == D("55.40")  # 2.7% + 25% of $200
    assert any("9903.88.01" in m for m in by_part["compressor"].mandatory_pf)
    assert any("9903.88.03" in m for m in by_part["control board"].mandatory_pf)
    assert any("9903.82.02" in m for m in by_part["copper tubing"].mandatory_pf)
    assert advice.duty_per_unit == advice.duty_per_unit_outside_zone == D("349.00")
    # the naive claim (components as NPF at the finished product's Free rate) is $0
    assert advice.naive_npf == D("0")
    assert "does not allow NPF" in " ".join(by_part["compressor"].reasons)
    year = annual(advice, D("5000"), D("0"))
    assert year.outside_zone == year.in_zone == D("1745000.00")
    assert year.saving == D("0.00")  # not the article's $1.6 million
    exported = annual(advice, D("5000"), D("0.2"))
    assert exported.saving == D("349000.00")  # only exported units escape the duty


def test_npf_wins_on_an_inverted_tariff(tariff: Tariff) -> None:
    """A German control board (2.7%) in a Free refrigerator: NPF at the finished rate."""
    parts = [Component("board", "8537.10.91.70", "DE", D("2"), D("100"))]
    advice = elect(tariff, Product("8418.50.00.80"), parts, ON)
    (e,) = advice.components
    assert e.recommended == "NPF" and not e.mandatory_pf
    assert (e.duty_pf, e.duty_npf) == (D("5.40"), D("0"))
    assert advice.duty_per_unit == D("0") < advice.duty_per_unit_all_pf == D("5.40")
    assert annual(advice, D("1000"), D("0")).saving == D("5400.00")


def test_pf_wins_when_the_component_is_free_and_the_product_is_not(tariff: Tariff) -> None:
    """A Free German compressor in a 3.3% product: PF keeps the component's Free rate."""
    parts = [Component("compressor", "8414.30.80.20", "DE", D("1"), D("500"))]
    advice = elect(tariff, Product("8501.40.20.40"), parts, ON)
    (e,) = advice.components
    assert e.recommended == "PF" and not e.mandatory_pf
    assert (e.duty_pf, e.duty_npf) == (D("0"), D("16.500"))
    assert advice.duty_per_unit == D("0")


def test_law_forces_pf_where_npf_would_be_cheaper(tariff: Tariff) -> None:
    """The same board from China: NPF would cost $0, but Section 301 list 3 requires PF."""
    parts = [
        Component("board", "8537.10.91.70", "CN", D("1"), D("200")),
        Component("board-de", "8537.10.91.70", "DE", D("1"), D("200")),
    ]
    advice = elect(tariff, Product("8418.50.00.80", "US"), parts, ON)
    cn, de = advice.components
    assert cn.recommended == "PF" and cn.duty_npf is None and cn.duty_npf_if_allowed == 0
    assert cn.duty_pf == D("55.40")
    assert de.recommended == "NPF" and de.duty_npf == 0
    assert advice.duty_per_unit == D("55.40")
    assert advice.duty_per_unit_all_pf == D("60.80")


def test_a_duty_that_cannot_be_computed_is_none_with_its_reason(tariff: Tariff) -> None:
    """In March 2026 the copper tubing's Section 232 copper duty needs the copper content
    value, which the components file does not give: no total, never 0."""
    advice = elect(tariff, Product("8418.69.01.20", "US"), REFRIGERATION, dt.date(2026, 3, 1))
    tubing = advice.components[1]
    assert tubing.duty_pf is None and tubing.recommended == "PF"
    assert any("copper" in r for r in tubing.reasons)
    assert advice.duty_per_unit is None and advice.duty_per_unit_outside_zone is None
    assert annual(advice, D("10"), D("0")).saving is None


def test_status_now_pf_cannot_be_abandoned(tariff: Tariff) -> None:
    parts = [Component("board", "8537.10.91.70", "DE", D("1"), D("100"), status_now="PF")]
    (e,) = elect(tariff, Product("8418.50.00.80"), parts, ON).components
    assert e.recommended == "NPF"
    assert any("146.41(e)" in r for r in e.reasons)


def test_a_finished_rate_that_needs_a_weight_leaves_npf_not_computed(tariff: Tariff) -> None:
    """The components file gives no weight: a finished product at 1¢/kg cannot be priced,
    so NPF is None with the reason and the election falls back to the computable PF."""
    parts = [Component("board", "8537.10.91.70", "DE", D("1"), D("100"))]
    advice = elect(tariff, Product("0102.29.40.24"), parts, ON)
    (e,) = advice.components
    assert e.duty_npf is None and e.recommended == "PF" and e.duty_pf == D("2.70")
    assert any("kg" in r for r in e.reasons)
    assert advice.finished_problems and "kg" in advice.finished_problems[0]
    assert advice.naive_npf is None
