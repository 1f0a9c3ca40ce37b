"""The CLI imports only the area a command needs; every command an area registers is routed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zonekeeper.cli import AREAS, application, command_name


def test_every_registered_command_has_an_area() -> None:
    app = application()
    names = {group.name for group in app.registered_groups}
    for command in app.registered_commands:
        assert command.callback is not None
        names.add(command.name or command.callback.__name__.replace("_", "-"))
    assert names == set(AREAS), "a command is missing from, or stale in, zonekeeper.cli.AREAS"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["duty", "quote"], "duty"),
        (["--db", "x.db", "balance", "--json"], "balance"),
        (["--database-url", "postgresql://h/db", "verify"], "verify"),
        (["--db=x.db", "init", "--zone", "9"], "init"),
        (["--help"], None),
        ([], None),
    ],
)
def test_command_name_skips_root_options(argv: list[str], expected: str | None) -> None:
    assert command_name(argv) == expected


def test_a_duty_quote_does_not_import_the_books() -> None:
    code = (
        "import sys; from zonekeeper.cli import application; application(['duty', 'quote']); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'highspy', 'zonekeeper.cli.ledger') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
