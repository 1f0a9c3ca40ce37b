"""Fixtures of the web application's tests: books with users of every role and a client.

`web` builds the application over a fresh database (SQLite and PostgreSQL, as every storage
test) with one zone ("1") and a user per role, each with an API token (`tokens[role]`).
Argon2 runs with its cheapest parameters here: the hashing cost is not what these test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from zk_web import PASSWORD, Web  # noqa: E402

from zonekeeper.app.books import init_books  # noqa: E402
from zonekeeper.app.context import Context  # noqa: E402
from zonekeeper.app.users import Directory, Role  # noqa: E402
from zonekeeper.web.server import create_app  # noqa: E402


@pytest.fixture
def web(database_url: str) -> Iterator[Web]:
    context = Context(database_url=database_url)
    init_books(context, "1", "Dock 1", "FIFO").close()
    directory = Directory.open(context)
    directory.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    tokens = {}
    for role in Role:
        directory.add(role.value, role, PASSWORD)
        tokens[role] = directory.issue_token(role.value)
    app = create_app(context, directory)
    with TestClient(app) as client:
        yield Web(client, directory, context, tokens)
    directory.close()
