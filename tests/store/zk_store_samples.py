"""Sample master data and events of the storage tests (real HTS numbers from the shipped 2026
tariff), and the helpers the storage tests share to drive the command line (`run_cli`, ...)
and read a printed PDF (`pdf_streams`). A module of its own so tests can import it under
--import-mode=importlib."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zonekeeper.app.books import Ledger, upgrade_books
from zonekeeper.app.context import Context
from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.zone.events import Admission, Production, Shipment
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

BEGIN = dt.date(1900, 1, 1)
D = Decimal
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
PF = ZoneStatus.PRIVILEGED_FOREIGN

PARTS = [
    Part("W", "Control board", "8537109170", "DE", "No.", BEGIN),
    Part("K", "Control kit", "8537109170", "DE", "No.", BEGIN),
    Part("C", "Compressor", "8414308030", "CN", "No.", BEGIN),
]
BOMS = [Bom("K", BEGIN, (BomLine("W", D(2)),))]
# Events a zone's chain holds before its first posting when set up as the `ledger` fixture
# does: its settings (`init`) and the master data loaded (`load_master`), one event each.
SET_UP = 2


def admission(
    no: str, day: int, part: str, qty: str, value: str, status: ZoneStatus = NPF
) -> Admission:
    return Admission(no, 1, dt.date(2026, 8, day), part, D(qty), D(value), status)


def shipment(ref: str, day: int, part: str, qty: str, value: str = "1") -> Shipment:
    consumption = ShipmentDisposition.CONSUMPTION
    return Shipment(dt.date(2026, 8, day), ref, part, D(qty), consumption, D(value))


def production(ref: str, day: int, product: str, qty: str) -> Production:
    return Production(dt.date(2026, 8, day), ref, product, D(qty))


def post_as_before_keys(ledger: Any, batch: list[Any]) -> None:
    """Post as Zonekeeper did before natural keys were kept (no lookup, no key rows),
    before events named who posted them (no `actor` column) and before the inventory by
    status was kept (no `zone_totals`): how books of an older schema revision, which has
    none of them, were written."""
    from zonekeeper.store import event_log, keys, totals
    from zonekeeper.store.bulk import bulk_write
    from zonekeeper.store.schema import events

    def without_actor(connection: Any, rows: list[tuple[Any, ...]]) -> None:
        assert all(r[-1] is None for r in rows)
        columns = event_log.COLUMNS[:-1]
        bulk_write(connection, events, columns, [r[:-1] for r in rows], prepared=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "holders", lambda *_: {})
        patch.setattr(keys, "write", lambda *_: None)
        patch.setattr(event_log, "write", without_actor)
        patch.setattr(totals, "write", lambda *_: None)
        ledger.post(batch)


# ------------------------------------------------------------------ the command line, in-process

app = application()
runner = CliRunner()


def upgraded(url: str) -> None:
    """Books written by an older version: opening them is refused, naming `zonekeeper db
    upgrade` (it never migrates on its own), and the upgrade brings them to this schema."""
    with pytest.raises(InputError) as refused:
        Ledger.open(url)
    [problem] = refused.value.problems
    assert problem.code == "books.schema-behind" and "zonekeeper db upgrade" in problem.message
    done = upgrade_books(Context(url))
    assert done.changed


def run_cli(url: str, *args: str) -> Any:
    """`zonekeeper --database-url URL ARGS...` through Typer's runner: its result. An
    InputError stays in `result.exception` (the entry point would print it and exit 2)."""
    return runner.invoke(app, ["--database-url", url, *args])


def cli_ok(url: str, *args: str) -> Any:
    """`run_cli`, which must exit 0: its result."""
    result = run_cli(url, *args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def cli_out(url: str, *args: str) -> str:
    """`cli_ok`'s standard output."""
    return str(cli_ok(url, *args).stdout)


def cli_problems(url: str, *args: str) -> list[tuple[str | None, int | None, str | None, str]]:
    """The (file, row, field, reason) of every problem of a command that must be refused."""
    result = run_cli(url, *args)
    assert isinstance(result.exception, InputError), result.output  # the shell: exit 2
    return [(p.file, p.row, p.field, p.message) for p in result.exception.problems]


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF's page content: its streams decoded (ReportLab writes ASCII85 over Flate),
    as text to search."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)~>\s*endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(base64.a85decode(stream.strip())))
        except (ValueError, zlib.error):
            continue
    return b"\n".join(parts)


# Example drawback files, for commands whose other file is the one under test.
_EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "drawback"
IMPORTS = str(_EXAMPLES / "imports.csv")
EXPORTS = str(_EXAMPLES / "exports.csv")

# Every command that reads a user's file, with {f} where the file goes.
FILE_READERS = [
    ["parts", "load", "{f}"],
    ["bom", "load", "{f}"],
    ["admit", "{f}"],
    ["produce", "{f}"],
    ["ship", "{f}"],
    ["count", "{f}"],
    ["status-change", "{f}"],
    ["suspense", "{f}"],
    ["file", "{f}"],
    ["alerts", "--estimates", "{f}"],
    ["entry", "weekly", "--week", "2026-W32", "--estimates", "{f}"],
    ["duty", "entry", "{f}", "--date", "2026-08-03"],
    ["duty", "quote", "--hts", "8414.30.80.30", "--origin", "CN", "--value", "1",
     "--date", "2026-08-03", "--fees", "{f}"],
    ["drawback", "plan", "--imports", "{f}", "--exports", EXPORTS],
    ["drawback", "plan", "--imports", IMPORTS, "--exports", "{f}"],
    ["drawback", "plan", "--imports", IMPORTS, "--exports", EXPORTS, "--claimed", "{f}"],
    ["drawback", "claim", "{f}", "--out", "{out}"],
    ["tariff", "import", "{f}", "--effective", "2031-01-01"],
    ["advise", "status", "--product-hts", "8418.50.00.80", "--components", "{f}",
     "--date", "2026-09-01"],
    ["advise", "whatif", "--product-hts", "8418.50.00.80", "--components", "{f}",
     "--admitted", "2026-09-01"],
    ["advise", "roi", "--imports", "{f}"],
    ["advise", "roi", "--imports", IMPORTS, "--exports", "{f}"],
    ["opportunities", "--entries", "{f}", "--as-of", "2026-09-01"],
    ["refunds", "ieepa", "--entries", "{f}", "--as-of", "2026-09-01"],
]
