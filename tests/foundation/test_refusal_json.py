"""A refused command asked for `--json` prints its problems as one document a script can read
(code, severity, where, message), beside the lines on standard error people read."""

from __future__ import annotations

import json

import pytest

from zk_cli import run_main


def test_refused_quote_lists_its_problems_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(
        monkeypatch, capsys, "duty", "quote", "--hts", "9999.99.99.99", "--origin", "DE",
        "--value", "100", "--date", "2026-03-01", "--json",
    )  # fmt: skip
    assert code == 2 and err.startswith("error: ")
    document = json.loads(out)
    assert document["status"] == "refused"
    [problem] = document["problems"]
    assert set(problem) == {"code", "severity", "where", "message"}
    assert problem["severity"] == "error" and "9999.99.99.99" in err
    assert set(problem["where"]) == {"file", "row", "field"}


def test_refusal_without_json_prints_nothing_on_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(
        monkeypatch, capsys, "duty", "quote", "--hts", "9999.99.99.99", "--origin", "DE",
        "--value", "100", "--date", "2026-03-01",
    )  # fmt: skip
    assert code == 2 and out == ""
