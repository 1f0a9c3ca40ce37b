"""`zonekeeper duty quote|entry`: duty with every component cited, and the entry's fees.

A thin shell: parse the options, call the use case (`zonekeeper.app.duty`), print its
document (`app.outputs.duty`: one JSON object, the scriptable contract in docs/duty.md) or a
Rich table. Bad input raises `InputError`, each problem naming the option it came from,
which the root command turns into exit 2 with one line per problem.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.app import duty as use_case
from zonekeeper.app.outputs.duty import DutyEntry, DutyQuote
from zonekeeper.cli.app import app, context
from zonekeeper.cli.options import DutyJsonOption, FeesOption, naming_options
from zonekeeper.cli.show import money_or
from zonekeeper.duty.entry import EntryQuote
from zonekeeper.duty.quote import MODES, LineQuote
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import usd

duty_app = typer.Typer(help="Duty quotes: every component with its source, plus MPF/HMF.")
app.add_typer(duty_app, name="duty")


def _quantities(args: list[str]) -> tuple[dict[str, Decimal], list[Problem]]:
    """`--qty N UNIT` pairs (repeatable), taken from the extra arguments because a repeatable
    two-value option is not expressible in Typer's annotations."""
    pairs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    position = 0
    while position < len(args):
        word = args[position]
        if word != "--qty":
            problems.append(Problem(f"unexpected argument {word!r}", field="qty",
                                    code="duty.option.unexpected"))
            position += 1
            continue
        pair = args[position + 1 : position + 3]
        position += 3
        if len(pair) < 2:
            problems.append(Problem("--qty takes two values: NUMBER UNIT", field="qty",
                                    code="duty.option.qty"))
            continue
        pairs.append((pair[0], pair[1]))
    quantities, found = use_case.quantities(pairs)
    return quantities, problems + found


@duty_app.command(
    "quote",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def quote(
    ctx: typer.Context,
    hts: Annotated[str, typer.Option("--hts", help="HTS code, e.g. 8414.30.80.30")],
    origin: Annotated[str, typer.Option("--origin", help="Country of origin, ISO alpha-2")],
    value: Annotated[str, typer.Option("--value", help="Customs value in USD")],
    on: Annotated[str, typer.Option("--date", help="Date the rule applies to (YYYY-MM-DD)")],
    spi: Annotated[str | None, typer.Option("--spi", help="Preference claimed (SPI)")] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", help=f"Transport mode: {'|'.join(MODES)}")
    ] = None,
    content: Annotated[
        list[str] | None,
        typer.Option("--content", help="Metal content value, KIND=USD, e.g. steel=120"),
    ] = None,
    adcvd: Annotated[
        list[str] | None,
        typer.Option("--adcvd", help="AD/CVD case and cash-deposit %, CASE=PCT"),
    ] = None,
    frozen: Annotated[
        str | None, typer.Option("--frozen-on", help="PF filing date (19 CFR 146.65(a)(1))")
    ] = None,
    fees: FeesOption = None,
    as_json: DutyJsonOption = False,
    claim_exclusion: Annotated[
        list[str] | None,
        typer.Option(
            "--claim-exclusion",
            help="Section 301 exclusion heading claimed, e.g. 9903.88.69 (U.S. note 20(vvv))",
        ),
    ] = None,
) -> None:
    """Quote the duty on one line: base rate, Chapter 99 measures, AD/CVD, MPF and HMF.

    Quantities: --qty NUMBER UNIT, repeatable (e.g. --qty 12 kg --qty 1 No.).
    """
    quantities, problems = _quantities(list(ctx.args))
    request = use_case.LineRequest(hts, origin, value, on, spi, mode, quantities,
                                   content or (), adcvd or (), frozen, fees,
                                   tuple(c.strip() for c in claim_exclusion or ()))  # fmt: skip
    try:
        entry = use_case.quote(context(ctx), request, problems)
    except InputError as error:
        raise naming_options(error, _OPTIONS) from None
    if as_json:
        typer.echo(json.dumps(DutyQuote.of_entry(entry).document(), indent=2))
    else:
        _print_entry(entry)


# The option each field of a one-line quote comes from, so that every problem names it.
_OPTIONS = {
    "hts": "--hts", "origin": "--origin", "value": "--value", "date": "--date",
    "spi": "--spi", "mode": "--mode", "qty": "--qty", "quantity": "--qty",
    "content": "--content", "adcvd": "--adcvd", "frozen-on": "--frozen-on",
    "claim-exclusion": "--claim-exclusion",
}  # fmt: skip


@duty_app.command("entry")
def entry(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, one row per line (see docs/duty.md)")],
    on: Annotated[str, typer.Option("--date", help="Entry filing date (YYYY-MM-DD)")],
    fees: FeesOption = None,
    as_json: DutyJsonOption = False,
) -> None:
    """Quote every line of an entry; MPF floor and cap applied once for the entry."""
    try:
        quoted = use_case.quote_file(context(ctx), file, on, fees)
    except InputError as error:
        raise naming_options(error, _OPTIONS) from None
    if as_json:
        typer.echo(json.dumps(DutyEntry.of(quoted).document(), indent=2))
    else:
        _print_entry(quoted)


_usd = partial(money_or, missing="not computed")


def _print_line(console: Console, label: str, line: LineQuote) -> None:
    item = line.item
    title = (
        f"{label[0].upper()}{label[1:]}: HTS {line.hts} from {item.origin}, "
        f"value {usd(item.value)} ({line.revision}, {line.column})"
    )
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("program", "heading", "rate", "basis", "amount"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for c in line.components:
        table.add_row(c.program.value, c.heading, c.rate, c.basis, usd(c.amount))
    table.add_row("", "", "", "line duty", _usd(line.duty))
    console.print(table)
    for c in line.components:
        console.print(f"  [dim]{c.heading}[/dim]: {c.source}", highlight=False)
    for reason in line.cannot_compute:
        console.print(f"  [red]cannot compute[/red]: {reason}")
    for reason in line.pf_required:
        console.print(f"  PF required in a zone: {reason}")


def _print_entry(entry: EntryQuote) -> None:
    console = Console(soft_wrap=False)
    for number, line in enumerate(entry.lines, start=1):
        _print_line(console, entry.where(number), line)
    fees = Table(title=f"Entry on {entry.on.isoformat()}", title_justify="left")
    for column in ("item", "rate", "basis", "amount", "how"):
        fees.add_column(column, justify="right" if column == "amount" else "left")
    fees.add_row("duty", "", "", _usd(entry.duty), "sum of lines")
    for fee in (entry.mpf, entry.hmf):
        fees.add_row(fee.fee, fee.rate, money_or(fee.basis, ""), _usd(fee.amount), fee.bound)
    fees.add_row("total", "", "", _usd(entry.total), "")
    console.print(fees)
    for fee in (entry.mpf, entry.hmf):
        console.print(f"  [dim]{fee.fee}[/dim]: {fee.source}", highlight=False)
    many = len(entry.lines) > 1
    for number, line in enumerate(entry.lines, start=1):
        where = f"{entry.where(number)}, HTS {line.hts}: " if many else ""
        for warning in line.warnings:
            console.print(f"[yellow]warning[/yellow]: {where}{warning}", highlight=False)
    for problem in entry.warnings:
        prefix = "entry: " if many else ""
        console.print(f"[yellow]warning[/yellow]: {prefix}{problem.message}", highlight=False)
