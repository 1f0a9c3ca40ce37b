"""The API tests' helpers: the CLI run in-process on the same books (its `--json` is what
the API must answer), sample files of the zone and the head of the books."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner
from zk_web import Web

from zonekeeper.app.books import open_books
from zonekeeper.cli import application

PARTS = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
ADMISSIONS = ("admission_no,line,date,part,quantity,value,status\n"
              "A-1,1,2026-08-03,W,10,100,N\nA-1,2,2026-08-03,W,5,50,N\n")
SHIPMENTS = "shipment_no,date,part,quantity,disposition,value\nS1,2026-08-05,W,4,consumption,40\n"

_app = application()
_runner = CliRunner()


def cli(web: Web, tmp_path: Any, *args: str, files: dict[str, str] | None = None) -> str:
    """`zonekeeper --database-url URL ARGS...` (a file named in `files` written first under
    `tmp_path`, the argument `@NAME` standing for its path): its standard output; it must
    exit 0."""
    paths = {}
    for name, text in (files or {}).items():
        path = tmp_path / name
        path.write_text(text)
        paths[f"@{name}"] = str(path)
    argv = [paths.get(a, a) for a in args]
    url = web.context.database_url
    assert url is not None
    result = _runner.invoke(_app, ["--database-url", url, *argv])
    assert result.exit_code == 0, (args, result.output, result.exception)
    return str(result.stdout)


def cli_json(web: Web, tmp_path: Any, *args: str, files: dict[str, str] | None = None) -> Any:
    return json.loads(cli(web, tmp_path, *args, "--json", files=files))


def with_parts(web: Web, tmp_path: Any) -> None:
    """Zone 1 with its part master (the control board of HTS 8537.10.91.70)."""
    cli(web, tmp_path, "parts", "load", "--zone", "1", "@parts.csv", files={"parts.csv": PARTS})


def head(web: Web) -> tuple[int, str]:
    with open_books(web.context, "1") as books:
        found = books.head()
    return found.seq, found.hash


def csv_upload(name: str, text: str) -> dict[str, Any]:
    return {"file": (name, text.encode(), "text/csv")}
