"""The CLI imports only the area a command needs; every command an area registers is routed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_first_post_imports_nothing_more(tmp_path: Path) -> None:
    """The first post of a zone imports no module the services did not import already (the
    zone core reaches the fee rules through the shared foundation, `zonekeeper.entry_fees`,
    and the mandatory-PF rule loads the tariff's data only when an admission needs it):
    importing the tariff package on the first post doubled its time, and a killed-writer
    test's worker posted nothing in 0.6 s."""
    code = (
        "import sys, datetime as dt\n"
        "from decimal import Decimal as D\n"
        "from zonekeeper.app.books import Ledger\n"
        "from zonekeeper.zone.events import Admission\n"
        "from zonekeeper.zone.master import Part\n"
        "from zonekeeper.zone.status import ZoneStatus\n"
        f"url = 'sqlite:///{tmp_path / 'z.db'}'\n"
        "day = dt.date(2026, 8, 3)\n"
        "with Ledger.init(url, '49', 'Dock', 'FIFO', pf_rule=None) as books:\n"
        "    books.load_master([Part('W', 'w', '8414308030', 'CN', 'No.', day)])\n"
        "    before = set(sys.modules)\n"
        "    books.post([Admission('A1', 1, day, 'W', D(1), D(10),\n"
        "                          ZoneStatus.NONPRIVILEGED_FOREIGN)])\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('zonekeeper')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"
