"""CLI commands of the zone's books (19 CFR 146.21-146.26): set up a zone, load master data,
post admissions, production, shipments, counts and status changes from files, correct an
event, and read balances, lot histories, the annual reconciliation and the Board report
(those two also printable: `--html FILE`, `--pdf FILE`, written by `io.documents`).

A thin shell over `app.books`: every posting command reads a whole file, posts it in
one transaction or not at all, and reports every problem (exit 2). With `--dry-run` it runs
every check and writes nothing (`Ledger.trial`), so a clerk can try a file first; with
`--json` it says what was posted as one document a script can read (each event's ledger
position and natural key, the head after it). `verify` exits 1 when the books do not match
their events (a failed check, not bad input), 0 when they do.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from zonekeeper.app import balances, postings, reports
from zonekeeper.app.books import (
    POST_STAGES,
    Ledger,
    Posted,
    Trial,
    Where,
    init_books,
    open_books,
)
from zonekeeper.app.outputs import Output
from zonekeeper.app.outputs.books import (
    HistoryDocument,
    MasterLoadDocument,
    PostingDocument,
    VerifyDocument,
    quantity_text,
)
from zonekeeper.cli.app import app, context
from zonekeeper.cli.options import (
    DryRunOption,
    FileArgument,
    JsonOption,
    PostJsonOption,
    ReportHtmlOption,
    ReportPdfOption,
    SkipPostedOption,
    StrictOption,
    ZoneOption,
)
from zonekeeper.dates import date_option
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import checkpoint as checkpoints
from zonekeeper.io import zone_files
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.money import usd

parts_app = typer.Typer(help="The part master (effective-dated).", no_args_is_help=True)
bom_app = typer.Typer(help="Bills of materials (effective-dated).", no_args_is_help=True)
report_app = typer.Typer(help="Reports from the zone's books.", no_args_is_help=True)
app.add_typer(parts_app, name="parts")
app.add_typer(bom_app, name="bom")
app.add_typer(report_app, name="report")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _open(ctx: typer.Context, zone: str | None, *, strict_pf: bool = False) -> Ledger:
    return open_books(context(ctx), zone, strict_pf=strict_pf)


@contextmanager
def _step(text: str) -> Iterator[None]:
    """A spinner with elapsed time on standard error while a long step runs (TTY only)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        progress.add_task(text, total=None)
        yield


def _report_posted(
    what: str,
    posted: Posted | Trial,
    zone: str,
    *,
    as_json: bool = False,
    warnings: Sequence[Problem] = (),
) -> None:
    """The summary of a posting, ending with the head the books are at after it (the
    `books:` line every report ends with, so a clerk can keep it as a checkpoint); of a
    dry run (`Trial`), what would be posted and the head it was checked at. `as_json`:
    the same as one JSON document (`PostingDocument`). Warnings go to standard error either
    way (a script's log keeps them); `warnings`: the command's own, already printed there,
    which the JSON lists with the posting's."""
    said = [*warnings, *posted.warnings]
    if isinstance(posted, Trial):
        head, verb, skip = posted.head, "would post", "would skip"
    else:
        head = ChainHead(zone, posted.head_seq, posted.head_hash)
        verb, skip = "posted", "skipped"
    if as_json:
        print(json.dumps(PostingDocument.of(what, posted, head, said).document(), indent=2))
    else:
        _print_posted(what, posted, head, verb, skip)
    for warning in posted.warnings:
        err.print(f"warning: {warning.message}")


def _print_posted(
    what: str, posted: Posted | Trial, head: ChainHead, verb: str, skip: str
) -> None:
    """The summary for people: counts, each discrepancy flagged when CBP must hear of it at
    once (146.53), and the `books:` line."""
    out.print(f"{verb} {posted.events} {what} event(s): {posted.postings} posting(s)")
    if posted.skipped:
        out.print(f"{skip} {posted.skipped} row(s) already posted with the same content")
    for d in posted.discrepancies:
        flag = " — REPORT TO CBP AT ONCE (19 CFR 146.53)" if d.report_to_cbp else ""
        out.print(
            f"  {d.kind.value} on lot {d.lot}: book {quantity_text(d.book)}, counted "
            f"{quantity_text(d.counted)}{flag}"
        )
    if isinstance(posted, Trial):
        out.print("dry run: nothing was written")
    out.print(head.books_line())


def _post_file(
    ctx: typer.Context,
    zone: str | None,
    path: Path,
    kind: str,
    *,
    strict_pf: bool = False,
    skip_posted: bool = False,
    as_json: bool = False,
    dry_run: bool = False,
) -> None:
    """Post a file whole, or nothing (`app.postings.post_file`: every problem at once, exit
    2), with a progress bar over the posting's stages; `dry_run`: check only."""
    books = context(ctx)
    with _open(ctx, zone, strict_pf=strict_pf) as ledger, _stages() as stage:
        done = postings.post_file(books, ledger, kind, path, dry_run=dry_run,
                                  skip_posted=skip_posted, progress=stage)
    for warning in done.warnings:
        err.print(f"warning: {warning.message}")
    if as_json:
        print(json.dumps(done.document().document(), indent=2))
    elif isinstance(done.result, Trial):
        _print_posted(done.what, done.result, done.head, "would post", "would skip")
    else:
        _print_posted(done.what, done.result, done.head, "posted", "skipped")


@contextmanager
def _stages() -> Iterator[Callable[[str], None]]:
    """A progress bar over the stages of a posting's transaction (stderr, TTY only): the
    callback each stage calls as it starts."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("posting", total=len(POST_STAGES))
        done = 0

        def stage(name: str) -> None:
            nonlocal done
            bar.update(task, completed=done, description=f"posting: {name}")
            done += 1

        yield stage


# ------------------------------------------------------------------------------ set-up


@app.command()
def init(
    ctx: typer.Context,
    zone: Annotated[str, typer.Option("--zone", help="FTZ number (e.g. 49) or subzone (49A).")],
    site: Annotated[str | None, typer.Option("--site", help="Site name or address.")] = None,
    method: Annotated[
        str,
        typer.Option("--method", help="Inventory method: FIFO, LIFO or LOT (specific lot)."),
    ] = "FIFO",
) -> None:
    """Open the books of a zone (creates or migrates the database)."""
    try:
        method = zone_files.method(method)
    except ValueError as error:
        raise InputError(Problem(str(error), field="--method", code="init.method")) from None
    with init_books(context(ctx), zone, site, method) as ledger:
        out.print(f"zone {ledger.zone} ready ({method}) at {ledger.location}")


@parts_app.command("load")
def parts_load(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Load part master versions: part, description, hts, origin, unit[, valid_from].
    Each HTS number must be in the tariff in force on the version's date."""
    from zonekeeper.app.parts import hts_problems

    problems: list[Problem] = []
    rows = zone_files.read_parts(file, problems)
    parts = zone_files.parts_from(rows)
    found, warnings = hts_problems(parts, [r.row for r in rows], str(file))
    for warning in warnings:
        err.print(f"warning: {warning.message}")
    where = Where(str(file), part_rows=[r.row for r in rows])
    with _open(ctx, zone) as ledger:
        postings.refuse(problems + found + ledger.check_master(parts=parts, where=where))
        changed = None if dry_run else ledger.load_master(parts=parts, where=where)
        head = ledger.head()
    _report_loaded("part(s)", len(parts), changed, head, as_json, warnings)


@bom_app.command("load")
def bom_load(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Load bills of materials: product, component, quantity_per_unit[, waste_pct,
    scrap_pct, effective_from]. Products and components must be in the part master."""
    problems: list[Problem] = []
    rows = zone_files.read_boms(file, problems)
    boms = zone_files.boms_from(rows)
    lines = zone_files.bom_line_rows(rows)
    where = Where(str(file), bom_rows=[found[0] for found in lines], line_rows=lines)
    with _open(ctx, zone) as ledger:
        postings.refuse(problems + ledger.check_master(boms=boms, where=where))
        changed = None if dry_run else ledger.load_master(boms=boms, where=where)
        head = ledger.head()
    _report_loaded("bill(s) of materials", len(boms), changed, head, as_json, [])


def _report_loaded(
    what: str,
    read: int,
    changed: int | None,
    head: ChainHead,
    as_json: bool,
    warnings: Sequence[Problem],
) -> None:
    """The summary of a master-data load (`changed` None: a dry run, nothing written); in
    JSON `{dry_run, read, changed, warnings, books}`. A load that changes anything is an
    event of the chain, so its head is printed like a posting's."""
    if as_json:
        document = MasterLoadDocument.of(read, changed, head, warnings).document()
        print(json.dumps(document, indent=2))
        return
    if changed is None:
        out.print(f"{read} {what} read and checked; dry run: nothing was written")
    else:
        out.print(f"{read} {what} read, {changed} new or changed")
    out.print(head.books_line())


# ------------------------------------------------------------------------------ posting


@app.command()
def admit(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
    strict_pf: StrictOption = False,
) -> None:
    """Admit merchandise: one row per CBP Form 214 line (19 CFR 146.22, 146.32)."""
    _post_file(
        ctx,
        zone,
        file,
        "admission",
        strict_pf=strict_pf,
        skip_posted=skip_posted,
        as_json=as_json,
        dry_run=dry_run,
    )


@app.command()
def produce(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Record production runs that consume components per their BOM (146.52)."""
    _post_file(
        ctx,
        zone,
        file,
        "production",
        skip_posted=skip_posted,
        as_json=as_json,
        dry_run=dry_run,
    )


@app.command()
def ship(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Ship merchandise out: consumption, export, zone_transfer or destruction (146.24).
    A shipment of several rows numbers them in `line`; posting the same file again is
    refused (or, with --skip-posted, skipped)."""
    _post_file(
        ctx,
        zone,
        file,
        "shipment",
        skip_posted=skip_posted,
        as_json=as_json,
        dry_run=dry_run,
    )


@app.command()
def count(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Record physical counts; differences become shortages/overages (146.23(c), 146.53)."""
    _post_file(ctx, zone, file, "count", skip_posted=skip_posted, as_json=as_json,
               dry_run=dry_run)


@app.command("status-change")
def status_change(
    ctx: typer.Context,
    file: FileArgument,
    zone: ZoneOption = None,
    skip_posted: SkipPostedOption = False,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Change the zone status of lots: NPF to PF, or to ZR (146.41, 146.44)."""
    _post_file(
        ctx,
        zone,
        file,
        "status change",
        skip_posted=skip_posted,
        as_json=as_json,
        dry_run=dry_run,
    )


@app.command()
def correct(
    ctx: typer.Context,
    event: Annotated[int, typer.Argument(help="Ledger position (seq) of the event to reverse.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the event is reversed.")],
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date of the correction (default: the event's date)."),
    ] = None,
    zone: ZoneOption = None,
    as_json: PostJsonOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Reverse an event by a new correcting event (the books stay append-only)."""
    on = date_option(date, "--date") if date else None
    with _open(ctx, zone) as ledger:
        try:
            correction = ledger.correction(event, reason, on)
            if dry_run:
                trial = ledger.trial([correction])
                if trial.problems:
                    raise InputError(list(trial.problems))
                _report_posted("correction", trial, ledger.zone, as_json=as_json)
                return
            posted = ledger.post([correction])
        except InputError as error:
            # The core numbers a problem by its place in the batch (always 1 here) and the
            # event has no file: name the command's argument instead of a fake row.
            raise InputError(
                [
                    p if p.row is None and p.file is None
                    else replace(
                        p,
                        message=f"correcting event {event}: {p.message}"
                        + (f" ({p.field})" if p.field else ""),
                        file=None,
                        row=None,
                        field="EVENT",
                    )
                    for p in error.problems
                ]
            ) from None
    _report_posted("correction", posted, ledger.zone, as_json=as_json)


# ------------------------------------------------------------------------------ reading


@app.command()
def balance(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Balance at the end of this date.")
    ] = None,
    part: Annotated[str | None, typer.Option("--part", help="Only this part.")] = None,
    by: Annotated[
        str, typer.Option("--by", help="lot (each lot on hand) or part (by part and status).")
    ] = "lot",
    as_json: JsonOption = False,
    zone: ZoneOption = None,
) -> None:
    """Lots on hand with quantity and dutiable value (146.23(a)(1)); `--by part` sums them
    by part and zone status."""
    on = date_option(as_of, "--as-of") if as_of else None
    with _open(ctx, zone) as ledger:
        found = balances.balance(ledger, as_of=on, part=part, by=balances.by_option(by))
    if as_json:
        _print_rows(found.rows, found.head)
        return
    at = f" at the end of {on}" if on else ""
    if found.by == "part":
        table = Table(title=f"Balance by part and status{at}")
        for column in ("part", "status", "quantity", "value"):
            table.add_column(column, justify="right" if column in ("quantity", "value") else "left")
        for p in found.parts:
            table.add_row(p.part, p.status, quantity_text(p.quantity), usd(p.value))
    else:
        table = Table(title=f"Balance on hand{at}")
        for column in ("lot", "admission_no", "part", "status", "quantity", "value"):
            table.add_column(column, justify="right" if column in ("quantity", "value") else "left")
        for r in found.lots:
            table.add_row(
                *(str(c or "") for c in (r.lot, r.admission_no, r.part, r.status)),
                quantity_text(r.quantity),
                usd(r.value),
            )
    out.print(table)
    out.print(found.head.books_line())


def _print_rows(rows: Sequence[Output], head: ChainHead) -> None:
    """A JSON list of rows (the balance's shape, kept as scripts read it) has no place for
    the `books` key: its head goes to standard error as the `books:` line."""
    print(json.dumps([r.document() for r in rows], indent=2))
    err.print(head.books_line())


@app.command()
def history(
    ctx: typer.Context,
    lot: Annotated[str, typer.Argument(help="Zone lot number.")],
    as_json: JsonOption = False,
    zone: ZoneOption = None,
) -> None:
    """Every movement of a lot, traceable to its events and CBP forms (146.23, 146.24)."""
    with _open(ctx, zone) as ledger, ledger.snapshot() as books:
        found, moves = books.history(lot)
    document = HistoryDocument.of(found, moves, books.head)
    if as_json:
        print(json.dumps(document.document(), indent=2))
        return
    table = Table(
        title=f"Lot {found.id} — {found.part} ({found.status.value}), "
        f"on hand {quantity_text(found.balance)}"
    )
    for column in ("seq", "date", "movement", "quantity", "value", "reference"):
        table.add_column(column)
    for p in document.postings:
        table.add_row(
            str(p.seq),
            p.date.isoformat(),
            p.movement,
            quantity_text(p.quantity),
            usd(p.value),
            p.reference,
        )
    out.print(table)
    out.print(books.head.books_line())


KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        envvar="ZONEKEEPER_CHECKPOINT_KEY_FILE",
        help="File holding a secret key: the checkpoint is stamped (or checked) with an "
        "HMAC as well, so only a holder of the key can make an edit of it go unseen "
        "(default: $ZONEKEEPER_CHECKPOINT_KEY_FILE).",
    ),
]


def _key(path: Path | None) -> bytes | None:
    return None if path is None else checkpoints.read_key(path)


@app.command()
def verify(
    ctx: typer.Context,
    since_checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--since-checkpoint",
            help="A file written by `zonekeeper checkpoint`: also prove the books still "
            "extend the head it holds (no events cut off the end, none rewritten before it).",
        ),
    ] = None,
    key_file: KeyFileOption = None,
    as_json: JsonOption = False,
    zone: ZoneOption = None,
) -> None:
    """Re-check the hash chain and rebuild the projections; exit 1 naming the first event
    that does not match."""
    kept = None
    if since_checkpoint is not None:
        kept = checkpoints.read_checkpoint(since_checkpoint, key=_key(key_file))
    with _open(ctx, zone) as ledger, _step("verifying"):
        result = ledger.verify(since=kept.head if kept is not None else None)
    bad = result.mismatch
    if as_json:
        print(json.dumps(VerifyDocument.of(result, kept).document(), indent=2))
    else:
        if result.ok:
            out.print(
                f"ok: {result.events} events chained and replayed, {result.lots} lots match "
                f"(head {result.head_hash[:12]})"
            )
            if kept is not None:
                out.print(
                    f"the books extend the checkpoint of {kept.written_at} (event "
                    f"{kept.head.seq:,}, head {kept.head.hash[:12]})"
                )
        else:
            err.print(f"verify FAILED at {bad}")
        if result.head is not None:
            out.print(result.head.books_line())
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def checkpoint(
    ctx: typer.Context,
    to: Annotated[
        Path,
        typer.Option("--out", help="The checkpoint file to write (JSON; keep it outside the "
                     "database: another machine, a mail, a write-once store)."),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing file.")
    ] = False,
    key_file: KeyFileOption = None,
    seq: Annotated[
        int | None,
        typer.Option("--seq", help="Record this head instead of the books' own: the event "
                     "number a report printed (with --hash)."),
    ] = None,
    head_hash: Annotated[
        str | None,
        typer.Option("--hash", help="The head hash a report printed (with --seq)."),
    ] = None,
    zone: ZoneOption = None,
) -> None:
    """Write the chain head to a file kept outside the books; `verify --since-checkpoint`
    later proves the books still extend it (the chain alone cannot show events cut off
    its end)."""
    from zonekeeper import __version__

    given = (head_hash or "").strip().lower()
    if seq is None or head_hash is None:
        if seq is not None or head_hash is not None:
            raise InputError(Problem(
                "give --seq and --hash together (the head a report printed)",
                field="--seq" if seq is None else "--hash",
                code="checkpoint.head",
            ))
    else:
        reason = checkpoints.head_problem(seq, given)
        if reason:
            raise InputError(Problem(
                reason,
                field="--seq" if seq < 0 else "--hash",
                code="checkpoint.head",
            ))
    key = _key(key_file)
    with _open(ctx, zone) as ledger:
        head = ledger.head() if seq is None else ChainHead(ledger.zone, seq, given)
    kept = checkpoints.Checkpoint(
        head, checkpoints.now(), __version__, "books" if seq is None else "report"
    )
    checkpoints.write_checkpoint(to, kept, key=key, force=force)
    out.print(f"checkpoint written to {to}{' (with HMAC)' if key is not None else ''}")
    out.print(head.books_line())


def _write_documents(
    html: Path | None, pdf: Path | None, make_html: Callable[[], str],
    make_pdf: Callable[[], bytes],
) -> bool:
    """Write the printable documents asked for; True when any was (the table is then left
    out of the output, as for the weekly entry, and the files named instead)."""
    if html is not None:
        html.write_text(make_html(), encoding="utf-8")
    if pdf is not None:
        pdf.write_bytes(make_pdf())
    return html is not None or pdf is not None


def _wrote(what: str, html: Path | None, pdf: Path | None, head: ChainHead) -> None:
    written = ", ".join(str(p) for p in (pdf, html) if p is not None)
    out.print(f"{what}: wrote {written}")
    out.print(head.books_line())


@app.command()
def reconcile(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="Zone year (calendar year).")],
    as_json: JsonOption = False,
    html: ReportHtmlOption = None,
    pdf: ReportPdfOption = None,
    zone: ZoneOption = None,
) -> None:
    """The annual reconciliation per lot and status (19 CFR 146.25)."""
    with _open(ctx, zone) as ledger:
        found = reports.reconciliation(ledger, year)
    start, end, head = found.start, found.end, found.head
    wrote = _write_documents(html, pdf, found.html, found.pdf)
    document = found.document()
    if as_json:
        print(json.dumps(document, indent=2))
        return
    if wrote:
        _wrote(f"annual reconciliation {year}", html, pdf, head)
        return
    table = Table(
        title=f"Annual reconciliation {start} – {end} (19 CFR 146.25)",
        caption="open = on hand at the start, in = receipts, out = transfers out, "
        "adj+/adj- = positive/negative adjustments, close = on hand at the end",
    )
    keys = {
        "lot": "lot",
        "part": "part",
        "status": "st",
        "opening": "open",
        "receipts": "in",
        "transfers_out": "out",
        "adjustments_plus": "adj+",
        "adjustments_minus": "adj-",
        "closing": "close",
    }
    for k, header in keys.items():
        numeric = k not in ("lot", "part", "status")
        table.add_column(header, justify="right" if numeric else "left", no_wrap=numeric)
    for r in document["lots"]:
        table.add_row(*(str(r[k]) for k in keys))
    out.print(table)
    out.print(head.books_line())


@report_app.command("board")
def report_board(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="Calendar year.")],
    as_json: JsonOption = False,
    html: ReportHtmlOption = None,
    pdf: ReportPdfOption = None,
    zone: ZoneOption = None,
) -> None:
    """The FTZ Board annual report figures (15 CFR 400.51(c))."""
    with _open(ctx, zone) as ledger:
        found = reports.board(ledger, year)
    head = found.head
    wrote = _write_documents(html, pdf, found.html, found.pdf)
    data = found.document()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    if wrote:
        _wrote(f"FTZ Board report {year}", html, pdf, head)
        return
    table = Table(title=f"FTZ Board annual report {year} (15 CFR 400.51(c))")
    table.add_column("figure")
    table.add_column("USD", justify="right")
    for label, value in found.figures():
        table.add_row(label, usd(value))
    out.print(table)
    out.print(head.books_line())
