"""CLI commands that record documents in the books: what was filed with CBP and what came
into the zone without its documents.

`zonekeeper filed KIND REF --date D --covers X` records one filing (an entry summary, a
supplemental 3461, an overage Form 214, a shortage report, the annual reconciliation and its
certification, a transfer permit: `zone.filings`); `zonekeeper file FILE` records a file of
them; `zonekeeper suspense FILE` records receipts into suspense (19 CFR 146.22(c)), which an
admissions file later documents by naming them in its `suspense_ref` column. Each posts one
transaction, hash-chained like every event, or nothing (exit 2 with every problem).
"""

from __future__ import annotations

from typing import Annotated

import typer

from zonekeeper.app import filings, postings
from zonekeeper.cli.app import app
from zonekeeper.cli.ledger import (
    _open,
    _post_file,
    _report_posted,
    _step,
    out,
)
from zonekeeper.cli.options import (
    DryRunOption,
    FileArgument,
    PostJsonOption,
    SkipPostedOption,
    ZoneOption,
)
from zonekeeper.io import zone_files
from zonekeeper.zone.filings import FILING_KINDS

KINDS_HELP = ", ".join(f"{k} ({v})" for k, v in FILING_KINDS.items())


@app.command("filed")
def filed(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What was filed, and what it covers: {KINDS_HELP}.")],
    ref: Annotated[str, typer.Argument(help="Its number: entry, Form 214, permit, letter.")],
    date: Annotated[
        str, typer.Option("--date", help="Filed (a permit: issued) on, YYYY-MM-DD.")
    ],
    covers: Annotated[
        str,
        typer.Option("--covers", help="The week (2026-W33), lot, zone year or shipment number."),
    ],
    note: Annotated[str, typer.Option("--note", help="Free text kept with the record.")] = "",
    zone: ZoneOption = None,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Record a document filed with CBP, so the alert it answers clears."""
    batch = [filings.filing_of(kind, ref, date, covers, note, kind_field="KIND",
                               date_field="--date")]
    with _open(ctx, zone) as ledger:
        if dry_run:
            trial = filings.trial(ledger, batch)
            postings.refuse(list(trial.problems))
            _report_posted("filing", trial, ledger.zone, as_json=as_json)
            return
        posted = filings.record(ledger, batch)
    _report_posted("filing", posted, ledger.zone, as_json=as_json)


@app.command("file")
def file_command(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Record documents filed with CBP: kind, ref, date, covers[, note]."""
    with _step(f"reading {file.name}"):
        rows = zone_files.read_filings(file)
        batch = zone_files.filings_from(rows)
    lines = [r.row for r in rows]
    with _open(ctx, zone) as ledger:
        if dry_run:
            trial = filings.trial(
                ledger, batch, source=str(file), rows=lines, skip_posted=skip_posted
            )
            postings.refuse(list(trial.problems))
            _report_posted("filing", trial, ledger.zone, as_json=as_json)
            return
        posted = filings.record(
            ledger, batch, source=str(file), rows=lines, skip_posted=skip_posted
        )
    _report_posted("filing", posted, ledger.zone, as_json=as_json)


@app.command("suspense")
def suspense(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Receive goods into suspense until a Form 214 documents them (146.22(c)): ref, date,
    part, quantity[, description, reason]."""
    _post_file(
        ctx,
        zone,
        file,
        "suspense receipt",
        skip_posted=skip_posted,
        as_json=as_json,
        dry_run=dry_run,
    )


__all__ = ["file_command", "filed", "out", "suspense"]
