"""The root command: where the books are, and how problems reach the user."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import zonekeeper.cli
from zonekeeper.cli.app import Settings


def test_default_database_is_a_sqlite_file_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZONEKEEPER_DATABASE_URL", raising=False)
    assert Settings.from_options(None, None).database_url == f"sqlite:///{tmp_path}/zonekeeper.db"


def test_explicit_options_win_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONEKEEPER_DATABASE_URL", "postgresql+psycopg://h/env")
    assert Settings.from_options(None, None).database_url == "postgresql+psycopg://h/env"
    assert Settings.from_options(tmp_path / "z.db", None).database_url.endswith("/z.db")
    assert Settings.from_options(None, "sqlite://").database_url == "sqlite://"


def test_help_runs_and_unknown_command_is_a_usage_error() -> None:
    ok = subprocess.run([sys.executable, "-m", "zonekeeper", "--help"], capture_output=True)
    assert ok.returncode == 0 and b"zonekeeper" in ok.stdout.lower()
    bad = subprocess.run(
        [sys.executable, "-m", "zonekeeper", "no-such-command"], capture_output=True
    )
    assert bad.returncode == 2


def test_every_command_takes_the_context_of_the_root_options() -> None:
    """Only `cli.app` makes a `Context` (from `--db`/`--database-url`); a command that made
    its own would ignore those options and a test's clock."""
    folder = Path(zonekeeper.cli.__file__).parent
    # `demo` makes its own books and judges them on a fixed day: it takes neither.
    makers = [p.name for p in folder.glob("*.py")
              if p.name not in ("app.py", "demo.py") and re.search(r"\bContext\(", p.read_text())]
    assert makers == []
