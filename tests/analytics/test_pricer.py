"""The analytics' pricer (one quote per HTS, origin, claim and tariff period) gives the duty
engine's own figure for every line: checked on each side of every date the shipped tariff
changes, for ad valorem, Section 301/232/IEEPA and preference cases, and a specific rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zonekeeper.analytics.records import EntryLine
from zonekeeper.bindings.analytics import TariffPricer, change_dates
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.errors import InputError

CASES = [("8537109170", "CN", None), ("8537109170", "MX", "S"), ("8537109170", "MX", None),
         ("6109100012", "KR", "KR"), ("8708295160", "DE", None), ("7318158066", "VN", None),
         ("8414308030", "JP", None), ("6109100012", "CN", None)]


def _dates(pricer: TariffPricer) -> list[date]:
    edges = [d for d in change_dates(pricer.tariff) if date(2026, 1, 1) < d < date(2027, 1, 1)]
    return sorted({x for d in edges for x in (d - timedelta(days=1), d)})


@pytest.mark.parametrize(("hts", "origin", "spi"), CASES)
def test_the_pricer_matches_the_duty_engine(pricer: TariffPricer, hts: str, origin: str,
                                            spi: str | None) -> None:
    fresh = TariffPricer(pricer.tariff)  # its cards made on the first date of each period
    for n, day in enumerate(_dates(pricer)):
        value = Decimal(1234) + Decimal(n) / 7  # odd cents: the rounding per component
        value = value.quantize(Decimal("0.01"))
        line = EntryLine("E", 1, day, hts, value, Decimal(0), origin=origin, spi=spi or "")
        expected = quote_line(pricer.tariff, LineItem(hts, origin, value, {}, spi), day).duty
        assert fresh.price(line, spi).duty == expected, (day, value)


def test_a_specific_rate_is_quoted_line_by_line(pricer: TariffPricer) -> None:
    """0201.10.05 carcasses of beef: 4.4 cents/kg, the line's quantity in kg."""
    day = date(2026, 8, 4)
    line = EntryLine("E", 1, day, "0201100510", Decimal(5000), Decimal(0), origin="AR",
                     quantity=Decimal(1000), unit="KG")
    try:
        expected = quote_line(pricer.tariff, LineItem("0201100510", "AR", Decimal(5000),
                                                      {"kg": Decimal(1000)}), day).duty
    except InputError:  # pragma: no cover - the schedule has no such line
        pytest.skip("0201.10.05.10 not in the shipped schedule")
    assert expected is not None and pricer.price(line, None).duty == expected
