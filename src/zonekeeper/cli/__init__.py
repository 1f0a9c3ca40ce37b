"""The `zonekeeper` command: a thin Typer shell over the use cases.

Each area registers its commands from its own module; this module only assembles them and
turns every `InputError` into exit code 2 with one line per problem on standard error.

The areas are imported lazily: a run imports only the module that owns the command it was
asked for (a duty quote need not import SQLAlchemy, Alembic and the drawback solver), so the
first answer comes fast. `--help`, or a command no area claims, loads everything so Click can
list or refuse it.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Sequence

import typer

from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.money import money_context

# The top-level command name -> the module under zonekeeper.cli that registers it.
AREAS: dict[str, str] = {
    "advise": "advise",
    "classify": "classify",
    "db": "db",
    "demo": "demo",
    "drawback": "drawback",
    "duty": "duty",
    "tariff": "tariff",
    "entry": "entry",
    "fees": "entry",
    "alerts": "entry",
    "filed": "filings",
    "file": "filings",
    "suspense": "filings",
    "opportunities": "opportunities",
    "refunds": "opportunities",
    "serve": "serve",
    "users": "users",
    **dict.fromkeys(
        "init parts bom admit produce ship count status-change correct balance history "
        "verify checkpoint reconcile report".split(),
        "ledger",
    ),
}

# Root options that take a value (so the word after them is not the command).
_VALUED_ROOT_OPTIONS = {"--db", "--database-url"}


def command_name(argv: Sequence[str]) -> str | None:
    """The top-level command in `argv` (without the program name), skipping root options."""
    words = iter(argv)
    for word in words:
        if word in _VALUED_ROOT_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def application(argv: Sequence[str] | None = None) -> typer.Typer:
    """The root app with the commands `argv` needs registered; all of them when `argv` is None."""
    name = None if argv is None else command_name(argv)
    modules = {AREAS[name]} if name in AREAS else set(AREAS.values())
    for module in sorted(modules):
        importlib.import_module(f"zonekeeper.cli.{module}")
    from zonekeeper.cli.app import app

    return app


def refusal_json(error: InputError) -> str:
    """A refused command's `--json` document: every problem with its code, severity, where
    and message (docs/problems.md), so a script need not parse standard error."""
    return json.dumps(
        {"status": "refused", "problems": [p.as_json() for p in error.problems]}, indent=2
    )


def main() -> None:
    """Console entry point: run the app; bad input is exit 2, nothing partially done.

    Click's standalone mode already turns its own usage errors into exit 2; our errors
    pass through it and are reported here, one line per problem. Every command runs under
    the product's decimal context (`money.CONTEXT`), whatever the interpreter's default.
    """
    try:
        with money_context():
            application(sys.argv[1:])()
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        if "--json" in sys.argv[1:]:
            print(refusal_json(error))
        sys.exit(2)
    except CannotCompute as error:
        print(f"cannot compute: {error.reason}", file=sys.stderr)
        sys.exit(2)
