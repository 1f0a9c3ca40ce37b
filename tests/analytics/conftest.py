"""Analytics tests: hand-made ES-003 files (`es003_files`) and the real tariff."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from es003_files import WriteFile, es003_writer  # noqa: E402

from zonekeeper.bindings.analytics import TariffPricer  # noqa: E402
from zonekeeper.sources.tariff import default_tariff  # noqa: E402


@pytest.fixture
def es003(tmp_path: Path) -> WriteFile:
    """Write an ES-003 CSV from rows (`es003_files.row`) and return its path."""
    return es003_writer(tmp_path)


@pytest.fixture(scope="session")
def pricer() -> TariffPricer:
    """The duty engine on the shipped tariff behind the analytics' seam."""
    return TariffPricer(default_tariff())
