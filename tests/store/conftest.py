"""Fixtures of the storage tests: a zone's books on each database (the root `database_url`
fixture runs each test on SQLite and on PostgreSQL) with a small real master loaded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from zk_store_samples import BOMS, PARTS  # noqa: E402

from zonekeeper.app.books import Ledger  # noqa: E402


@pytest.fixture(scope="module")
def empty_zone(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite file holding zone 49 and nothing else, one per test module: books
    for commands that must refuse a file before they post anything."""
    url = f"sqlite:///{tmp_path_factory.mktemp('books') / 'zone.db'}"
    with Ledger.init(url, "49", None, "FIFO"):
        pass
    return url


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    """Zone 49's books (FIFO) with the small master loaded."""
    with Ledger.init(database_url, "49", "Dock 3", "FIFO") as books:
        books.load_master(PARTS, BOMS)
        yield books
