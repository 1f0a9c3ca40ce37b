"""Fixtures for the duty tests: the real shipped tariff, loaded once per test session."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.duty import LineItem, LineQuote, quote_line
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff


@pytest.fixture(scope="session")
def tariff() -> Tariff:
    return default_tariff()


@pytest.fixture(scope="session")
def quote(tariff: Tariff):  # type: ignore[no-untyped-def]
    """quote(hts, origin, value, on, **item fields) -> LineQuote on the real tariff."""

    def run(hts: str, origin: str, value: str, on: date, **fields: object) -> LineQuote:
        return quote_line(tariff, LineItem(hts, origin, Decimal(value), **fields), on)  # type: ignore[arg-type]

    return run
