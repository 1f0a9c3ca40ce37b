"""`zonekeeper classify suggest`: candidate HTSUS lines for product descriptions.

A thin shell: reads the description (or the `sku,description` file), asks
`zonekeeper.classify` for candidates and prints them. The suggestions are research for a
licensed customs broker's decision (19 CFR 111: classification advice is customs business;
the importer's reasonable care, 19 U.S.C. 1484(a)); the product never applies them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.classify.core import Candidate
from zonekeeper.cli.app import app
from zonekeeper.errors import InputError, Problem

NOTICE = ("Suggestions only, for a licensed customs broker's review: never applied to an "
          "entry. Verify the classification (GRI, section and chapter notes) before use.")
MAX_TOP = 20

classify_app = typer.Typer(help="Classification suggestions for a licensed broker's review.")
app.add_typer(classify_app, name="classify")


def _dotted(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:8]}.{digits[8:]}"


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    return {
        "hts": candidate.hts,
        "description": candidate.description,
        "score": candidate.score,
        "general_rate": candidate.general,
        "evidence": [{"kind": e.kind, "reference": e.reference, "text": e.text}
                     for e in candidate.evidence],
    }


def _table(title: str, candidates: list[Candidate]) -> Table:
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
    problems = []
    if (description is None) == (file is None):
        problems.append(Problem("give exactly one of --description TEXT or --file FILE",
                                field="description"))
    elif description is not None and not description.strip():
        problems.append(Problem("the description is empty", field="description"))
    if not 1 <= top <= MAX_TOP:
        problems.append(Problem(f"--top must be 1 to {MAX_TOP}, not {top}", field="top"))
    if problems:
        raise InputError(problems)
    if file is not None:
        from zonekeeper.io.sku_descriptions import read_sku_file

        products = read_sku_file(file)
    else:
        assert description is not None
        products = [("", description.strip())]

    from zonekeeper.sources.classify_index import load_index

    index, revision = load_index()
    results = [(sku, text, index.suggest(text, top)) for sku, text in products]
    if as_json:
        document: dict[str, Any] = {"notice": NOTICE, "revision": revision}
        if file is None:
            document["description"] = results[0][1]
            document["candidates"] = [candidate_json(c) for c in results[0][2]]
        else:
            document["rows"] = [{"sku": sku, "description": text,
                                 "candidates": [candidate_json(c) for c in found]}
                                for sku, text, found in results]
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{NOTICE}[/bold]")
    console.print(f"Schedule: {revision}.")
    for sku, text, found in results:
        title = f"{sku}: {text}" if sku else text
        if found:
            console.print(_table(title, found))
        else:
            console.print(f"{title}: no candidates (no word of it is in the schedule or rulings)")
