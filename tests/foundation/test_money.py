"""Money rounds once, half up, to the cent; parsing accepts what users type and refuses the rest."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonekeeper.money import cents, fmt, parse_decimal


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("229.595", "229.60"),
        ("-0.005", "-0.01"),
        ("1", "1.00"),
    ],
)
def test_cents_rounds_half_up(raw: str, rounded: str) -> None:
    assert cents(Decimal(raw)) == Decimal(rounded)
    assert fmt(Decimal(raw)) == rounded


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.50", "1234.50"), (" 12 ", "12"), ("$7", "7"), ("-3.5", "-3.5"), (".5", "0.5"),
     ("1.", "1"), ("$-1,000", "-1000")],
)
def test_parse_decimal_accepts_user_forms(text: str, value: str) -> None:
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1.2.3", "NaN", "Infinity", "1e3", "1.23457E+11",
     # a decimal comma would be read as thousands (15), and what Decimal() alone takes
     "1,5", "1,2345", "1_000", "1$2", "\uff11\uff12", "٣", "-", "."],
)
def test_parse_decimal_refuses_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6))
def test_rounding_moves_less_than_half_a_cent(amount: Decimal) -> None:
    assert abs(cents(amount) - amount) <= Decimal("0.005")


@pytest.mark.parametrize(
    "text",
    [
        "10000000000000000000000000000",
        "1000000000000000",
        "-1000000000000000",
        "0.0000001",
        "1.1234567",
        "1.00000000000000000000000000000001",
    ],
)
def test_parse_decimal_refuses_numbers_outside_the_bounds(text: str) -> None:
    with pytest.raises(ValueError, match="too large|decimal places"):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text",
    [
        "999999999999999.999999",
        "0.000001",
        "1.5000000000",
        "2.000000000000000000000000000000000",
        "0.000000000000000000000000000000",
    ],
)
def test_parse_decimal_accepts_numbers_inside_the_bounds(text: str) -> None:
    assert parse_decimal(text) == Decimal(text)


def test_parse_decimal_bounds_integers_too() -> None:
    with pytest.raises(ValueError, match="too large"):
        parse_decimal(10**15)


def test_parse_whole_takes_digits_as_parse_decimal_does() -> None:
    from zonekeeper.money import parse_whole

    assert [parse_whole(t) for t in ("12", " 7 ", "1,200", "+3", "-4", "3.0", "3.")] == [
        12, 7, 1200, 3, -4, 3, 3]
    assert parse_whole(5) == 5
    for bad in ("1_0", "٣", "１２", "²", "1.5", "$3", "1e3", "", "1,20", "0x10", "NaN"):
        with pytest.raises(ValueError, match="not a whole number"):
            parse_whole(bad)
    with pytest.raises(ValueError, match="too large"):
        parse_whole(str(2**64))
    with pytest.raises(ValueError):
        parse_whole(True)


def test_an_entry_point_inside_the_money_context_does_not_switch_again() -> None:
    """Inside `money_context()` (or another entry point) a decorated call runs on in the
    same context object; outside, it gets the product's context whatever the thread's."""
    import decimal

    from zonekeeper.money import CONTEXT, in_money_context, money_context

    @in_money_context
    def current() -> decimal.Context:
        return decimal.getcontext()

    saved = decimal.getcontext().copy()
    try:
        decimal.getcontext().prec = 5
        outside = current()
        assert outside.prec == CONTEXT.prec and outside is not decimal.getcontext()
        with money_context() as context:
            assert current() is context
            assert in_money_context(current)() is context
        assert decimal.getcontext().prec == 5
    finally:
        decimal.setcontext(saved)
