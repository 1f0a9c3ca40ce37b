"""The suite's shared way to run the `zonekeeper` console entry point in-process (a module,
not a fixture, so tests keep their own arguments; `tests/conftest.py` puts this folder on
the import path, as the areas' conftests do for their helpers)."""

from __future__ import annotations

import sys

import pytest

from zonekeeper.cli import main


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """`zonekeeper ARGS...` through `zonekeeper.cli.main`, which turns InputError into exit 2
    with one line per problem: (exit status, stdout, stderr) of this run only."""
    monkeypatch.setattr(sys, "argv", ["zonekeeper", *args])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
