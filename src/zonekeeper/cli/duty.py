"""`zonekeeper duty quote|entry`: duty with every component cited, and the entry's fees.

A thin shell: parse options into `LineItem`s, call the pure `quote_entry`, print JSON (one
object, the scriptable contract in docs/duty.md) or a Rich table. Bad input raises
`InputError`, which the root command turns into exit 2 with one line per problem.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.cli.app import app
from zonekeeper.duty.entry import EntryQuote, quote_entry
from zonekeeper.duty.quote import MODES, LineItem, LineQuote
from zonekeeper.duty.serialize import entry_json, money, quote_json
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.entry_lines import parse_entry_lines, parse_pairs
from zonekeeper.money import parse_decimal
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.fees import read_fees_csv
from zonekeeper.tariff.measures import AdcvdCase
from zonekeeper.tariff.units import unit_key

duty_app = typer.Typer(help="Duty quotes: every component with its source, plus MPF/HMF.")
app.add_typer(duty_app, name="duty")


def _date(text: str, field: str = "date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(Problem(f"not a date (YYYY-MM-DD): {text!r}", field=field)) from None


def _decimal(text: str, field: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError as error:
        raise InputError(Problem(str(error), field=field)) from None


def _tariff(fees: Path | None = None) -> Tariff:
    """The shipped tariff, with the user's fee rows (e.g. FY2027 MPF) added when given."""
    tariff = Tariff.default()
    if fees is None:
        return tariff
    try:
        text = fees.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", str(fees))) from None
    return replace(tariff, fees=tariff.fees.with_rows(read_fees_csv(text, str(fees))))


FeesOption = Annotated[
    Path | None,
    typer.Option("--fees", help="Extra fee rows (CSV like data/tariff/fees.csv), e.g. FY2027"),
]


def _quantities(args: list[str]) -> tuple[dict[str, Decimal], list[Problem]]:
    """`--qty N UNIT` pairs (repeatable), taken from the extra arguments because a repeatable
    two-value option is not expressible in Typer's annotations."""
    quantities: dict[str, Decimal] = {}
    problems: list[Problem] = []
    position = 0
    while position < len(args):
        word = args[position]
        if word != "--qty":
            problems.append(Problem(f"unexpected argument {word!r}", field="qty"))
            position += 1
            continue
        pair = args[position + 1 : position + 3]
        position += 3
        if len(pair) < 2:
            problems.append(Problem("--qty takes two values: NUMBER UNIT", field="qty"))
            continue
        key = unit_key(pair[1])
        if key is None:
            problems.append(Problem(f"unknown unit {pair[1]!r}", field="qty"))
            continue
        try:
            quantities[key] = parse_decimal(pair[0])
        except ValueError as error:
            problems.append(Problem(str(error), field="qty"))
    return quantities, problems


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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Quote the duty on one line: base rate, Chapter 99 measures, AD/CVD, MPF and HMF.

    Quantities: --qty NUMBER UNIT, repeatable (e.g. --qty 12 kg --qty 1 No.).
    """
    quantities, problems = _quantities(list(ctx.args))
    contents: dict[str, Decimal] = {}
    cases: list[AdcvdCase] = []
    try:
        for text in content or []:
            contents.update(parse_pairs(text, "content"))
    except ValueError as error:
        problems.append(Problem(str(error), field="content"))
    try:
        for text in adcvd or []:
            pairs = parse_pairs(text, "AD/CVD case")
            cases += [AdcvdCase(c, p, AdcvdCase.infer_kind(c)) for c, p in pairs.items()]
    except ValueError as error:
        problems.append(Problem(str(error), field="adcvd"))
    try:
        amount = _decimal(value, "value")
        when = _date(on)
        frozen_on = _date(frozen, "frozen-on") if frozen else None
    except InputError as error:
        raise InputError([*problems, *error.problems]) from None
    if problems:
        raise InputError(problems)
    item = LineItem(hts, origin, amount, quantities, spi, mode.lower() if mode else None,
                    contents, tuple(cases))  # fmt: skip
    entry = quote_entry(_tariff(fees), [item], when, frozen_on=frozen_on)
    if as_json:
        typer.echo(json.dumps(quote_json(entry), indent=2))
    else:
        _print_entry(entry)


@duty_app.command("entry")
def entry(
    file: Annotated[Path, typer.Argument(help="CSV, one row per line (see docs/duty.md)")],
    on: Annotated[str, typer.Option("--date", help="Entry filing date (YYYY-MM-DD)")],
    fees: FeesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Quote every line of an entry; MPF floor and cap applied once for the entry."""
    when = _date(on)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", str(file))) from None
    numbered, problems = parse_entry_lines(text, str(file))
    if not numbered:
        raise InputError(problems)
    quoted = quote_entry(
        _tariff(fees),
        [item for _, item in numbered],
        when,
        file=str(file),
        rows=[row for row, _ in numbered],
        problems=problems,
    )
    if as_json:
        typer.echo(json.dumps(entry_json(quoted), indent=2))
    else:
        _print_entry(quoted)


def _print_line(console: Console, number: int, line: LineQuote) -> None:
    item = line.item
    title = (
        f"Line {number}: HTS {line.hts} from {item.origin}, value ${item.value:,.2f} "
        f"({line.revision}, {line.column})"
    )
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("program", "heading", "rate", "basis", "amount"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for c in line.components:
        table.add_row(c.program.value, c.heading, c.rate, c.basis, money(c.amount))
    table.add_row("", "", "", "line duty", money(line.duty) or "not computed")
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
        _print_line(console, number, line)
    fees = Table(title=f"Entry on {entry.on.isoformat()}", title_justify="left")
    for column in ("item", "rate", "basis", "amount", "how"):
        fees.add_column(column, justify="right" if column == "amount" else "left")
    fees.add_row("duty", "", "", money(entry.duty) or "not computed", "sum of lines")
    for fee in (entry.mpf, entry.hmf):
        fees.add_row(fee.fee, fee.rate, money(fee.basis) or "", money(fee.amount) or "not computed",
                     fee.bound)  # fmt: skip
    fees.add_row("total", "", "", money(entry.total) or "not computed", "")
    console.print(fees)
    for fee in (entry.mpf, entry.hmf):
        console.print(f"  [dim]{fee.fee}[/dim]: {fee.source}", highlight=False)
    warnings = dict.fromkeys(
        [w for line in entry.lines for w in line.warnings] + list(entry.warnings)
    )
    for warning in warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}")
