"""Drawback tests: the real HTS schedule and tariff (loaded once), and small builders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from zonekeeper.bindings.drawback import (  # noqa: E402
    MeasureBookPolicy,
    ScheduleDescriptions,
    TariffEstimator,
)
from zonekeeper.sources.tariff import default_tariff  # noqa: E402
from zonekeeper.tariff import Tariff  # noqa: E402


@pytest.fixture(scope="session")
def tariff() -> Tariff:
    return default_tariff()


@pytest.fixture(scope="session")
def descriptions(tariff: Tariff) -> ScheduleDescriptions:
    return ScheduleDescriptions(tariff.schedule)


@pytest.fixture(scope="session")
def estimator(tariff: Tariff) -> TariffEstimator:
    return TariffEstimator(tariff)


@pytest.fixture(scope="session")
def policy(tariff: Tariff) -> MeasureBookPolicy:
    return MeasureBookPolicy(tariff)
