"""The options the commands share are declared once (`zonekeeper.cli.options`): every posting
command the README lists takes `--zone`, `--json` and `--dry-run` with the shared declaration,
the file-posting ones the FILE argument and `--skip-posted` too, and no command declares a
shared option's name with a help of its own."""

from __future__ import annotations

from typing import Any, get_args

import pytest
import typer

from zonekeeper.cli import application
from zonekeeper.cli import options as shared

POSTING = ["admit", "produce", "ship", "count", "status-change", "suspense", "file", "filed",
           "correct", "parts load", "bom load"]
FILE_POSTING = ["admit", "produce", "ship", "count", "status-change", "suspense", "file"]


def _commands() -> dict[str, Any]:
    """Every command by its words (`parts load`), as Click sees it."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: list[str]) -> None:
        found[" ".join(path)] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(application()), [])
    return found


def _declared(alias: Any) -> Any:
    """The typer.Option or typer.Argument an Annotated alias carries."""
    return get_args(alias)[1]


def _param(command: Any, name: str) -> Any:
    matches = [p for p in command.params if name in getattr(p, "opts", ())]
    assert len(matches) == 1, (command.name, name)
    return matches[0]


@pytest.mark.parametrize("name", POSTING)
def test_every_posting_command_takes_the_shared_options(name: str) -> None:
    command = _commands()[name]
    for alias, option in ((shared.ZoneOption, "--zone"), (shared.PostJsonOption, "--json"),
                          (shared.DryRunOption, "--dry-run")):
        assert _param(command, option).help == _declared(alias).help, (name, option)
    if name in FILE_POSTING:
        assert _param(command, "--skip-posted").help == _declared(shared.SkipPostedOption).help
        [file] = [p for p in command.params if p.name == "file"]
        assert file.help == _declared(shared.FileArgument).help


def test_a_shared_option_name_has_one_help_per_meaning() -> None:
    """`--zone`, `--dry-run`, `--skip-posted` and `--strict-pf` mean one thing everywhere:
    one help text for each across every command that takes it."""
    helps: dict[str, set[str]] = {}
    for command in _commands().values():
        for param in command.params:
            for option in getattr(param, "opts", ()):
                if option in ("--zone", "--dry-run", "--skip-posted", "--strict-pf"):
                    helps.setdefault(option, set()).add(param.help)
    assert helps.pop("--zone") == {_declared(shared.ZoneOption).help,
                                   "FTZ number (e.g. 49) or subzone (49A)."}  # init's own
    assert helps == {"--dry-run": {_declared(shared.DryRunOption).help},
                     "--skip-posted": {_declared(shared.SkipPostedOption).help},
                     "--strict-pf": {_declared(shared.StrictOption).help}}
