"""HTS codes: every way users write one, and the errors for what is not one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonekeeper.errors import InputError
from zonekeeper.tariff.codes import HtsCode


@pytest.mark.parametrize(
    "text",
    ["8414.30.80.30", "8414308030", " 8414 30 8030 ", "8414.30.8030", "8414-30-80-30"],
)
def test_spellings_of_one_statistical_line(text: str) -> None:
    code = HtsCode.parse(text)
    assert code.digits == "8414308030"
    assert code.dotted == "8414.30.80.30"
    assert code.hts8 == "84143080"
    assert code.hts10 == "8414308030"
    assert code.level == "statistical line"


def test_levels_and_dotted_forms() -> None:
    assert HtsCode.parse("8414.30.80").dotted == "8414.30.80"
    assert HtsCode.parse("8414.30.80").hts10 is None
    assert HtsCode.parse("841430").dotted == "8414.30"
    assert HtsCode.parse("8414").level == "heading"
    assert HtsCode.parse("84").level == "chapter"


def test_leading_zero_eaten_by_a_spreadsheet_is_restored() -> None:
    assert HtsCode.parse("101210010").digits == "0101210010"
    assert HtsCode.parse("101.21.00").dotted == "0101.21.00"


@pytest.mark.parametrize("text", ["", "84143", "8414.3", "abcd", "84143080301", "８４１４"])
def test_not_a_code_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as error:
        HtsCode.parse(text)
    assert error.value.problems[0].field == "hts"


@given(st.sampled_from([2, 4, 6, 8, 10]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)))
def test_dotted_and_digit_forms_round_trip(digits: str) -> None:
    code = HtsCode(digits)
    assert HtsCode.parse(code.dotted) == code
    assert HtsCode.parse(code.digits) == code
    assert code.dotted.replace(".", "") == digits


def test_codes_order_like_the_schedule() -> None:
    codes = [HtsCode.parse(c) for c in ("8414.30.80.30", "0101.21.00", "8414.30")]
    assert [c.dotted for c in sorted(codes)] == ["0101.21.00", "8414.30", "8414.30.80.30"]
