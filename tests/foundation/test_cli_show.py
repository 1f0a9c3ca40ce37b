"""The one way a command prints an amount, or that it has none (`cli.show.money_or`)."""

from decimal import Decimal

from zonekeeper.cli.show import money_or


def test_an_amount_from_a_model_or_a_document_prints_as_money() -> None:
    assert money_or(Decimal("59601.6")) == "$59,601.60"
    assert money_or("-12") == "-$12.00"
    assert money_or("0") == "$0.00"


def test_no_amount_prints_the_reason_never_zero() -> None:
    assert money_or(None) == "cannot compute"
    assert money_or(None, "not known") == "not known"
