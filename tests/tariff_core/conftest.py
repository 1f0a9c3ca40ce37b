"""Fixtures of the tariff core tests: the shipped schedule (built once, without the cache)
and every distinct rate string of both shipped revisions, read from the package data."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonekeeper.sources import revisions as store
from zonekeeper.sources.revisions import build_schedule, shipped_sources
from zonekeeper.tariff.schedule import Schedule


@pytest.fixture(scope="session")
def schedule() -> Schedule:
    return build_schedule(shipped_sources())


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tariff cache for the session's tests, so the shipped revisions are parsed once."""
    return tmp_path_factory.mktemp("tariff-cache")


@pytest.fixture
def tariff_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    """A fresh user store (`$ZONEKEEPER_HOME` under `tmp_path`, which is returned); the cache
    of the shipped revisions is shared by the session."""
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(shared_cache))
    monkeypatch.setattr(store, "_memo", {})
    return tmp_path


@pytest.fixture(scope="session")
def rate_strings(schedule: Schedule) -> dict[tuple[str, str], str]:
    """(column, text) -> the first HTS code printing it, over every loaded revision."""
    found: dict[tuple[str, str], str] = {}
    for revision in schedule.revisions:
        for column, text, digits in revision.rate_texts():
            found.setdefault((column, text), digits)
    return found
