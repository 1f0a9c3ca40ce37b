"""`zonekeeper duty quote|entry`: duty with every component cited, and the entry's fees.

A thin shell: parse options into `LineItem`s, call the pure `quote_entry`, print JSON (one
object, the scriptable contract in docs/duty.md) or a Rich table. Bad input raises
`InputError`, which the root command turns into exit 2 with one line per problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.cli.app import app
from zonekeeper.cli.options import DutyJsonOption, FeesOption
from zonekeeper.dates import date_option
from zonekeeper.duty.entry import EntryQuote, line_problems, quote_entry
from zonekeeper.duty.quote import MODES, LineItem, LineQuote
from zonekeeper.duty.serialize import entry_json, quote_json
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.io.entry_lines import parse_pairs, read_entry_file
from zonekeeper.io.tabular import read_text, semicolon_problem
from zonekeeper.money import ZERO, parse_decimal, usd
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.fees import read_fees_csv
from zonekeeper.tariff.measures import AdcvdCase
from zonekeeper.tariff.units import read_unit

T = TypeVar("T")

duty_app = typer.Typer(help="Duty quotes: every component with its source, plus MPF/HMF.")
app.add_typer(duty_app, name="duty")


def _decimal(text: str, field: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError as error:
        raise InputError(Problem(str(error), field=field)) from None


def _tariff(fees: Path | None = None) -> Tariff:
    """The shipped tariff, with the user's fee rows (e.g. FY2027 MPF) added when given."""
    tariff = default_tariff()
    if fees is None:
        return tariff
    text, problems = read_text(fees)
    if text is None or problems:
        raise InputError(problems)
    semicolons = semicolon_problem(text, str(fees))
    if semicolons is not None:
        raise InputError(semicolons)
    return replace(tariff, fees=tariff.fees.with_rows(read_fees_csv(text, str(fees))))


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
        unit = read_unit(pair[1])
        if unit is None:
            problems.append(Problem(f"unknown unit {pair[1]!r}", field="qty"))
            continue
        try:
            quantities[unit.key] = parse_decimal(pair[0])
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
    contents: dict[str, Decimal] = {}
    cases: list[AdcvdCase] = []
    for text in content or []:
        try:
            contents.update(parse_pairs(text, "content"))
        except ValueError as error:
            problems.append(Problem(str(error), field="content"))
    for text in adcvd or []:
        try:
            pairs = parse_pairs(text, "AD/CVD case")
            cases += [AdcvdCase(c, p, AdcvdCase.infer_kind(c)) for c, p in pairs.items()]
        except ValueError as error:
            problems.append(Problem(str(error), field="adcvd"))
    amount = _collect(problems, lambda: _decimal(value, "value"))
    when = _collect(problems, lambda: date_option(on, "date"))
    frozen_on = _collect(problems, lambda: date_option(frozen, "frozen-on")) if frozen else None
    tariff = _tariff(fees)
    if frozen_on is not None:  # the PF freeze date classifies the goods (146.65(a)(1))
        problems.extend(_no_revision(tariff, frozen_on, "frozen-on"))
    elif when is not None:
        problems.extend(_no_revision(tariff, when, "date"))
    item = LineItem(hts, origin, amount if amount is not None else ZERO, quantities, spi,
                    mode.lower() if mode else None, contents, tuple(cases),
                    tuple(c.strip() for c in claim_exclusion or ()))  # fmt: skip
    if problems:
        # Check the line too, so one run lists every problem: against the dates given, or
        # (a date being bad) the latest loaded revision.
        latest = tariff.schedule.revisions[-1].effective if tariff.schedule.revisions else None
        check_on = when or latest
        if check_on is not None:
            found = line_problems(tariff, item, check_on, frozen_on=frozen_on)
            if amount is None:  # the value is reported as unparsable already
                found = [p for p in found if p.field != "value"]
            problems.extend(p for p in found if p not in problems)
        raise InputError(_as_options(problems))
    assert when is not None
    try:
        entry = quote_entry(tariff, [item], when, frozen_on=frozen_on)
    except InputError as error:
        raise InputError(_as_options(error.problems)) from None
    if as_json:
        typer.echo(json.dumps(quote_json(entry), indent=2))
    else:
        _print_entry(entry)


def _no_revision(tariff: Tariff, day: date, field: str) -> list[Problem]:
    """A date no loaded revision covers is bad input: nothing could be classified on it."""
    try:
        tariff.schedule.revision_on(day)
    except CannotCompute as error:
        reason = (f"{error.reason}; import the revision in force then with "
                  f"`zonekeeper tariff import FILE --effective DATE`")  # fmt: skip
        return [Problem(reason, field=field)]
    return []


# The option each field of a one-line quote comes from, so that every problem names it.
_OPTIONS = {
    "hts": "--hts", "origin": "--origin", "value": "--value", "date": "--date",
    "spi": "--spi", "mode": "--mode", "qty": "--qty", "quantity": "--qty",
    "content": "--content", "adcvd": "--adcvd", "frozen-on": "--frozen-on",
    "claim-exclusion": "--claim-exclusion",
}  # fmt: skip


def _as_options(problems: Iterable[Problem]) -> list[Problem]:
    return [replace(p, field=_OPTIONS.get(p.field or "", p.field)) for p in problems]


def _collect(problems: list[Problem], parse: Callable[[], T]) -> T | None:
    """Run one option's parser; its InputError joins `problems` instead of stopping the run."""
    try:
        return parse()
    except InputError as error:
        problems.extend(error.problems)
        return None


@duty_app.command("entry")
def entry(
    file: Annotated[Path, typer.Argument(help="CSV, one row per line (see docs/duty.md)")],
    on: Annotated[str, typer.Option("--date", help="Entry filing date (YYYY-MM-DD)")],
    fees: FeesOption = None,
    as_json: DutyJsonOption = False,
) -> None:
    """Quote every line of an entry; MPF floor and cap applied once for the entry."""
    problems: list[Problem] = []
    when = _collect(problems, lambda: date_option(on, "date"))
    tariff = _tariff(fees)
    if when is not None:
        problems.extend(_no_revision(tariff, when, "date"))
    try:
        numbered, found = read_entry_file(file)
    except InputError as error:
        raise InputError([*error.problems, *problems]) from None
    problems = found + _as_options(problems)
    if not numbered or when is None or any(p.file is None for p in problems):
        raise InputError(problems)
    quoted = quote_entry(
        tariff,
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


def _usd(amount: Decimal | None, missing: str = "not computed") -> str:
    """Money as every screen shows it (`money.usd`), or that it is not computed (never $0)."""
    return missing if amount is None else usd(amount)


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
        fees.add_row(fee.fee, fee.rate, _usd(fee.basis, ""), _usd(fee.amount), fee.bound)
    fees.add_row("total", "", "", _usd(entry.total), "")
    console.print(fees)
    for fee in (entry.mpf, entry.hmf):
        console.print(f"  [dim]{fee.fee}[/dim]: {fee.source}", highlight=False)
    many = len(entry.lines) > 1
    for number, line in enumerate(entry.lines, start=1):
        where = f"{entry.where(number)}, HTS {line.hts}: " if many else ""
        for warning in line.warnings:
            console.print(f"[yellow]warning[/yellow]: {where}{warning}", highlight=False)
    for warning in entry.warnings:
        prefix = "entry: " if many else ""
        console.print(f"[yellow]warning[/yellow]: {prefix}{warning}", highlight=False)
