"""Root fixtures any area may use: `database_url`, one fresh database per test, run once on
SQLite and once on PostgreSQL (docs/internals.md, store section).

PostgreSQL is the server at 127.0.0.1:5432 (trust auth, user `postgres` or `root`, database
`test`); each test gets its own schema (a `search_path` in the URL), created here and dropped
after, so tests run in parallel under `pytest -n 2`. If the server is not reachable the
PostgreSQL tests FAIL (CI starts it); set ZONEKEEPER_SKIP_PG=1 to skip them locally.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

# The fuzz of every file reader (tests/fuzz): `fuzz-ci` in the normal run, `fuzz` (many more
# examples) with ZONEKEEPER_FUZZ_PROFILE=fuzz, as `make fuzz` runs it. Not loaded globally:
# the other property tests keep their own settings.
_FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow,
                                                     HealthCheck.data_too_large]}
settings.register_profile("fuzz-ci", max_examples=100, **_FUZZ)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=5000, **_FUZZ)  # type: ignore[arg-type]

# Helper modules of the whole suite (`zk_cli`) import from any area.
sys.path.insert(0, str(Path(__file__).parent))

PG_SERVER = os.environ.get("ZONEKEEPER_TEST_PG", "127.0.0.1:5432")
PG_USERS = ("postgres", "root")


def _pg_base_url() -> str:
    errors = []
    for user in PG_USERS:
        url = f"postgresql+psycopg://{user}@{PG_SERVER}/test"
        engine = create_engine(url)
        try:
            with engine.connect():
                return url
        except OperationalError as error:
            errors.append(str(error.orig).strip())
        finally:
            engine.dispose()
    raise ConnectionError("; ".join(errors))


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    """The URL of the test database on the PostgreSQL server (fails if unreachable)."""
    if os.environ.get("ZONEKEEPER_SKIP_PG") == "1":
        pytest.skip("ZONEKEEPER_SKIP_PG=1")
    try:
        return _pg_base_url()
    except ConnectionError as error:
        pytest.fail(f"PostgreSQL at {PG_SERVER} is not reachable ({error}); "
                    "start it or set ZONEKEEPER_SKIP_PG=1", pytrace=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of its own: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'zone.db'}"
        return
    base = request.getfixturevalue("pg_base_url")
    schema = f"zk_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
