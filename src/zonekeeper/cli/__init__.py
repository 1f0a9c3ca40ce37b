"""The `zonekeeper` command: a thin Typer shell over the use cases.

Each area registers its commands from its own module; this module only assembles them and
turns every `InputError` into exit code 2 with one line per problem on standard error.
"""

from __future__ import annotations

import sys

# Importing the area modules registers their commands on `app`.
from zonekeeper.cli import demo, drawback, duty, entry, ledger, tariff  # noqa: F401
from zonekeeper.cli.app import app
from zonekeeper.errors import CannotCompute, InputError


def main() -> None:
    """Console entry point: run the app; bad input is exit 2, nothing partially done.

    Click's standalone mode already turns its own usage errors into exit 2; our errors
    pass through it and are reported here, one line per problem.
    """
    try:
        app()
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
    except CannotCompute as error:
        print(f"cannot compute: {error.reason}", file=sys.stderr)
        sys.exit(2)
