"""Fixtures of the tariff core tests: the shipped schedule (built once, without the cache)
and every distinct rate string of both shipped revisions, read from the package data."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonekeeper.sources.revisions import build_schedule, shipped_sources
from zonekeeper.tariff.schedule import Schedule


@pytest.fixture(scope="session")
def schedule() -> Schedule:
    return build_schedule(shipped_sources())


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tariff cache for the session's tests, so the shipped revisions are parsed once."""
    return tmp_path_factory.mktemp("tariff-cache")


@pytest.fixture(scope="session")
def rate_strings(schedule: Schedule) -> dict[tuple[str, str], str]:
    """(column, text) -> the first HTS code printing it, over every loaded revision."""
    found: dict[tuple[str, str], str] = {}
    for revision in schedule.revisions:
        for column, text, digits in revision.rate_texts():
            found.setdefault((column, text), digits)
    return found
