"""`zonekeeper classify suggest`: candidate HTSUS lines for product descriptions.

A thin shell: reads the description (or the `sku,description` file), asks
`zonekeeper.app.classify` for candidates and prints them (`app.outputs.classify` for
`--json`). The suggestions are research for a licensed customs broker's decision (19 CFR
111: classification advice is customs business; the importer's reasonable care, 19 U.S.C.
1484(a)); the product never applies them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.app.classify import MAX_TOP, NOTICE
from zonekeeper.app.classify import suggest as suggest_lines
from zonekeeper.app.outputs.classify import ClassifySuggest
from zonekeeper.classify.core import Candidate
from zonekeeper.cli.app import app

classify_app = typer.Typer(help="Classification suggestions for a licensed broker's review.")
app.add_typer(classify_app, name="classify")


def _dotted(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:8]}.{digits[8:]}"


def _table(title: str, candidates: tuple[Candidate, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("#", "HTS", "Description", "General rate", "Score", "Evidence"):
        table.add_column(column, overflow="fold")
    for n, c in enumerate(candidates, 1):
        rulings = [e.reference for e in c.evidence if e.kind == "ruling"]
        table.add_row(str(n), _dotted(c.hts), c.description, c.general or "-",
                      f"{c.score:.3f}", ", ".join(rulings) or "schedule text")
    return table


@classify_app.command("suggest")
def suggest(
    description: Annotated[
        str | None, typer.Option("--description", help="The product, in plain words")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="CSV with columns sku,description")
    ] = None,
    top: Annotated[int, typer.Option("--top", help=f"Candidates per product (1-{MAX_TOP})")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Suggest 10-digit HTS lines for a description (or each row of a file), with the general
    rate and the evidence (CBP rulings, schedule text). For a broker's review only."""
    found = suggest_lines(description, file, top)
    if as_json:
        typer.echo(json.dumps(ClassifySuggest.of(found).document(), indent=2,
                              ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{NOTICE}[/bold]")
    console.print(f"Schedule: {found.revision}.")
    for product in found.products:
        sku, text = product.sku, product.description
        title = f"{sku}: {text}" if sku else text
        if product.candidates:
            console.print(_table(title, product.candidates))
        else:
            console.print(f"{title}: no candidates (no word of it is in the schedule or rulings)")
