"""`zonekeeper users`: add (password from standard input), token, list, revoke, disable —
and refusals that name what is wrong (exit 2), with nothing changed."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from zk_cli import run_main
from zonekeeper.app.books import init_books
from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory


def _books(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'z.db'}"
    init_books(Context(database_url=url), "1", None, "FIFO").close()
    return url


def test_add_token_list_revoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _books(tmp_path)
    db = ["--database-url", url]
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\n"))
    assert run_main(monkeypatch, capsys, *db, "users", "add", "ann", "--role", "Broker")[:2] == (
        0, "added ann (broker)\n")
    code, token, _ = run_main(monkeypatch, capsys, *db, "users", "token", "ann")
    assert code == 0 and token.startswith("zk_")
    directory = Directory.open(Context(database_url=url))
    try:
        user = directory.by_token(token.strip())
        assert user is not None and user.name == "ann"
        code, listed, _ = run_main(monkeypatch, capsys, *db, "users", "list")
        assert code == 0 and listed.startswith("ann\tbroker, tokens " + token[3:11])
        assert run_main(monkeypatch, capsys, *db, "users", "revoke", "ann")[0] == 0
        # this Directory trusts the token it found live for TOKEN_RECHECK seconds (the
        # server's workers do); one that has not seen it asks the database
        assert Directory(directory.engine).by_token(token.strip()) is None
        code, _, said = run_main(monkeypatch, capsys, *db, "users", "revoke", "ann")
        assert code == 2 and "no live token" in said
    finally:
        directory.close()


def test_refusals_name_the_problem_and_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _books(tmp_path)
    db = ["--database-url", url]
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\n"))
    code, _, said = run_main(monkeypatch, capsys, *db, "users", "add", "ann", "--role", "boss")
    assert code == 2 and "unknown role 'boss'" in said
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, said = run_main(monkeypatch, capsys, *db, "users", "add", "ann", "--role", "viewer")
    assert code == 2 and "at least 10 characters" in said
    code, _, said = run_main(monkeypatch, capsys, *db, "users", "token", "nobody")
    assert code == 2 and "no user 'nobody'" in said
    directory = Directory.open(Context(database_url=url))
    try:
        assert directory.users() == []
    finally:
        directory.close()
