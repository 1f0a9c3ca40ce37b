"""The README's tour runs as written: every `zonekeeper` command in it exits 0.

Paths the tour writes (`zone.db`, `plan.json`, `claim/`, `week.html`, `head.json` and the
printed reports) go to a temporary directory; everything else — the shipped demo files and
the examples — is used as is.
"""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.cli import application

ROOT = Path(__file__).resolve().parents[2]
# A placeholder the reader supplies; `tariff import` has its own tests.
NOT_RUN = ("hts_2026_revision_4.csv",)


def tour() -> list[list[str]]:
    """The tour's commands, in order, with continuation lines joined and `$D` expanded."""
    commands, variables, in_block, pending = [], {}, False, ""
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("```"):
            in_block = line == "```sh"
            continue
        if not in_block:
            continue
        pending += line.rstrip("\\")
        if line.endswith("\\"):
            continue
        words = shlex.split(pending, comments=True)
        pending = ""
        if len(words) == 1 and "=" in words[0]:
            name, value = words[0].split("=", 1)
            variables[name] = value
        elif words and words[0] == "zonekeeper" and not any(w in NOT_RUN for w in words):
            commands.append([_expand(word, variables) for word in words[1:]])
    return commands


def _expand(word: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        word = word.replace(f"${name}", value)
    return word


def test_the_tour_has_the_main_jobs() -> None:
    firsts = {c[2] if c[0] == "--db" else c[0] for c in tour()}
    assert {"duty", "init", "admit", "balance", "verify", "entry", "drawback"} <= firsts


@pytest.mark.xdist_group("readme")
def test_every_tour_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    written = {
        "zone.db": "zone.db",
        "plan.json": "plan.json",
        "claim/": "claim",
        "week.html": "w.html",
        "head.json": "head.json",
        "reconciliation.pdf": "reconciliation.pdf",
        "board.html": "board.html",
        "form214.pdf": "form214.pdf",
        "hmf.html": "hmf.html",
    }
    app, runner = application(), CliRunner()
    for words in tour():
        argv = [str(tmp_path / written[w]) if w in written else w for w in words]
        result = runner.invoke(app, argv)
        shown = f"zonekeeper {' '.join(words)}\n{result.output}{result.exception!r}"
        assert result.exit_code == 0, shown
    assert (tmp_path / "claim").is_dir() and (tmp_path / "w.html").is_file()
    for printed in ("reconciliation.pdf", "board.html", "form214.pdf", "hmf.html"):
        assert (tmp_path / printed).is_file(), printed


def test_the_drawback_figures_the_readme_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = " ".join((ROOT / "README.md").read_text().split())
    j2 = re.search(r"1313\(j\)\(2\) \(the default\) recovers \$([\d,.]+)", text)
    j1 = re.search(r"recovers \$([\d,.]+) against \$([\d,.]+) for the usual", text)
    assert j2 and j1, "the README no longer quotes the example's refunds"
    monkeypatch.chdir(ROOT)
    examples = "examples/drawback"
    for claim, found in (("j2", j2), ("j1", j1)):
        argv = (f"drawback plan --imports {examples}/imports.csv --exports "
                f"{examples}/exports.csv --as-of 2026-06-30 --type {claim} "
                f"--out {tmp_path / 'plan.json'}")
        result = CliRunner().invoke(application(), argv.split())
        assert result.exit_code == 0, result.output
        plan = json.loads((tmp_path / "plan.json").read_text())
        quoted = [Decimal(value.replace(",", "")) for value in found.groups()]
        figures = [Decimal(plan["refund"]), Decimal(plan["fifo_refund"])]
        assert figures[:len(quoted)] == quoted, claim
