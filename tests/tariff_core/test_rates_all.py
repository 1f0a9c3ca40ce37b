"""Every distinct rate string of both shipped revisions, read from the package data."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.errors import CannotCompute
from zonekeeper.tariff.rates import Basis, Rate, SugarDegree, parse_rate, parse_special


def _rates(rate_strings: dict[tuple[str, str], str]) -> list[Rate]:
    out: list[Rate] = []
    for column, text in rate_strings:
        if column == "special":
            out.extend(parse_special(text).rates())
        else:
            out.append(parse_rate(text))
    return out


def test_at_least_99_5_percent_of_distinct_strings_parse(
        rate_strings: dict[tuple[str, str], str]) -> None:
    assert len(rate_strings) > 2000  # both revisions, three columns
    bad = [(column, text, code) for (column, text), code in rate_strings.items()
           if not (parse_special(text) if column == "special" else parse_rate(text)).computable]
    share = 1 - len(bad) / len(rate_strings)
    assert share >= 0.995, bad


def test_every_text_is_kept_verbatim(rate_strings: dict[tuple[str, str], str]) -> None:
    for column, text in rate_strings:
        parsed = parse_special(text) if column == "special" else parse_rate(text)
        assert parsed.text == text


def _full_basis(rate: Rate, scale: D = D(1)) -> Basis:
    """A basis that supplies every need of `rate` (degrees fixed at 96)."""
    quantities = {need: D(7) * scale for need in rate.needs if need != "degrees"}
    if "degrees" in rate.needs:
        quantities["degrees"] = D(96)
    content = {need: D(3) * scale for need in rate.needs}
    return Basis(D(1000) * scale, quantities, content)


def test_every_expression_computes_on_a_full_basis(
        rate_strings: dict[tuple[str, str], str]) -> None:
    counted = 0
    for rate in _rates(rate_strings):
        if rate.kind in ("expression", "additional", "free"):
            amount = rate.amount(_full_basis(rate))
            assert amount >= 0, rate.text
            counted += 1
        elif rate.kind == "reference":
            with pytest.raises(CannotCompute):
                rate.amount(_full_basis(rate))
    assert counted > 1800


def test_needs_are_exactly_what_the_amount_asks_for(
        rate_strings: dict[tuple[str, str], str]) -> None:
    """Drop any one need from a full basis and the amount must say it cannot compute."""
    for rate in _rates(rate_strings):
        if rate.kind not in ("expression", "additional"):
            continue
        full = _full_basis(rate)
        for need in rate.needs:
            basis = Basis(full.value,
                          {k: v for k, v in full.quantities.items() if k != need},
                          {k: v for k, v in full.content.items() if k != need})
            with pytest.raises(CannotCompute):
                rate.amount(basis)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), factor=st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2))
def test_duty_scales_with_the_goods(rate_strings: dict[tuple[str, str], str],
                                    data: st.DataObject, factor: D) -> None:
    """Twice the goods, twice the duty: every linear rate is homogeneous of degree one."""
    linear = sorted({r.text for r in _rates(rate_strings)
                     if r.kind in ("expression", "additional") and r.cap_key is None
                     and not any(isinstance(c, SugarDegree) or getattr(c, "over", None)
                                 for c in r.components)})
    rate = parse_rate(data.draw(st.sampled_from(linear)))
    one = rate.amount(_full_basis(rate))
    scaled = rate.amount(_full_basis(rate, factor))
    assert abs(scaled - one * factor) <= D("1e-18") * max(abs(scaled), D(1))


_RATE_ALPHABET = st.sampled_from(list("0123456789 .,/%$¢+()-AUSPE*") + ["1/0", "0/0",
    "kg", "each", "liter", "pf. liter", "Free", "See ", "on the case", "of total sugars",
    "less", "degrees", "\n", "The duty provided in the applicable subheading"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_RATE_ALPHABET, max_size=12).map("".join))
def test_parsing_never_raises_and_unreadable_text_never_computes_to_zero(text: str) -> None:
    rate = parse_rate(text)
    assert rate.text == text
    special = parse_special(text)
    assert special.text == text
    if not rate.computable:
        with pytest.raises(CannotCompute):
            rate.amount(Basis(D(100)))
