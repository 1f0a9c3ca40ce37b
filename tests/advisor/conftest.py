"""Fixtures for the advisor tests: the real shipped tariff, loaded once per session."""

from __future__ import annotations

import pytest

from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff


@pytest.fixture(scope="session")
def tariff() -> Tariff:
    return default_tariff()
