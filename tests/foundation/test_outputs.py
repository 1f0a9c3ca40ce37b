"""The output contract's base: money is a cent string rounded under the product's context
(half up, 19 CFR 159.3's nearest cent), null where it cannot be computed; no unknown keys."""

from __future__ import annotations

from decimal import Decimal

import pydantic
import pytest

from zonekeeper.app.outputs import Money, Output


class _Line(Output):
    duty: Money
    lines: int


def test_money_is_a_cent_string_or_null() -> None:
    assert _Line(duty=Decimal("1.005"), lines=2).document() == {"duty": "1.01", "lines": 2}
    assert _Line(duty=None, lines=1).document() == {"duty": None, "lines": 1}


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        _Line(duty=Decimal(1), lines=1, extra=3)  # type: ignore[call-arg]
