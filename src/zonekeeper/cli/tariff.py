"""`zonekeeper tariff check|import|show|revisions|status`: the loaded HTSUS, read and extended.

A thin shell over `zonekeeper.app.tariff` (documents: `app.outputs.tariff`):
`import` validates a USITC export whole and stores it as a dated revision, `check` reports
what the rate parser cannot read (with `--measures`: where the shipped product lists and
the schedule disagree), `show` prints one line with its rates and description path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from zonekeeper.app import tariff as use_case
from zonekeeper.app.outputs.tariff import (
    ListDifferenceDoc,
    RevisionDoc,
    TariffCheck,
    TariffLineDoc,
    TariffStatusDoc,
)
from zonekeeper.cli.app import app, context
from zonekeeper.cli.options import TariffJsonOption, naming_options
from zonekeeper.errors import InputError

tariff_app = typer.Typer(help="The HTSUS: check the rate parser, import a revision, show a line.")
app.add_typer(tariff_app, name="tariff")


def _print_json(document: Any) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


# The option each value typed on the command line comes from, so that its problems name it.
_OPTIONS = {"date": "--date", "effective": "--effective"}


@tariff_app.command("check")
def check(
    as_json: TariffJsonOption = False,
    measures: Annotated[
        bool,
        typer.Option(
            "--measures",
            help="Compare the shipped Section 301/232 lists with each revision instead.",
        ),
    ] = False,
) -> None:
    """Parse every distinct rate text of every loaded revision; list those that do not parse
    (a known error of the source with its reason).

    With --measures: the shipped product lists against each revision's codes and footnotes."""
    if measures:
        _check_measures(as_json)
        return
    report = use_case.check()
    if as_json:
        _print_json(TariffCheck.of(report).document())
        return
    console = Console(highlight=False)
    console.print(f"Revisions: {len(report.revisions)}, {report.revisions[0]} to "
                  f"{report.revisions[-1]}" if report.revisions else "Revisions: none")
    console.print(f"Distinct rate texts: {report.distinct}; parsed: {report.parsed} "
                  f"({report.parse_rate_pct:.2f}%)")
    if report.explained:
        console.print(f"Errors of the source (not rates): {len(report.explained)}; of the "
                      f"texts that are rates, {report.rates_parsed_pct:.2f}% parse")
    console.print("By kind: " + ", ".join(f"{k} {n}" for k, n in report.kinds))
    if report.unparsed:
        console.print(f"Not parsed ({len(report.unparsed)}):")
        for u in report.unparsed:
            why = f" — {u.reason}" if u.reason else ""
            console.print(f"  {u.hts} {u.column} ({u.revision}): {u.text!r}{why}",
                          markup=False)
    else:
        console.print("Every rate text parses.")


def _check_measures(as_json: bool) -> None:
    """`tariff check --measures` (`app.tariff.check_measures`): every difference, revision by
    revision."""
    found = use_case.check_measures()
    if as_json:
        _print_json([ListDifferenceDoc.of(d).document() for d in found])
        return
    console = Console(highlight=False)
    for d in found:
        shown = ", ".join(d.codes[:5]) + (f" ... (+{len(d.codes) - 5})" if len(d.codes) > 5 else "")
        count = f" {len(d.codes)}: {shown}" if d.codes else ""
        console.print(f"{d.revision} {d.heading} {d.kind}{count}", markup=False)
        console.print(f"    {d.resolution}", markup=False)
    kinds: dict[str, int] = {}
    for d in found:
        kinds[d.kind] = kinds.get(d.kind, 0) + len(d.codes)
    console.print(
        "Codes by kind: " + ", ".join(f"{kind} {n}" for kind, n in kinds.items() if n),
        markup=False,
    )


@tariff_app.command("status")
def status(
    ctx: typer.Context,
    as_json: TariffJsonOption = False,
) -> None:
    """List the loaded revisions with their dates and origin, and the horizon: quotes dated
    after the newest revision warn that a newer one may apply."""
    found = use_case.status(context(ctx))
    if as_json:
        _print_json(TariffStatusDoc.of(found).document())
        return
    for r in found.revisions:
        since = "" if r.in_force == r.serves_from else f" (in force {r.in_force.isoformat()})"
        typer.echo(f"{r.serves_from.isoformat()}  {r.name}{since}  [{r.origin}]")
    if found.horizon is None:
        typer.echo("No tariff revision is loaded.")
    elif found.days_beyond:
        typer.echo(f"Horizon: {found.horizon.isoformat()}; today is {found.days_beyond} days "
                   f"beyond it: quotes dated after it warn (import a newer revision with "
                   f"`zonekeeper tariff import`).")
    else:
        typer.echo(f"Horizon: {found.horizon.isoformat()}.")


@tariff_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="USITC HTS export: CSV or JSON (may be .gz).")],
    effective: Annotated[str, typer.Option("--effective", help="In force from (YYYY-MM-DD).")],
    name: Annotated[str | None, typer.Option("--name", help="Revision name.")] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the revision(s) in force from the same date."),
    ] = False,
) -> None:
    """Validate a USITC export and add it to the tariff store as a dated revision.

    A date already taken by a loaded revision is refused unless --replace. Rate texts the
    parser cannot read are listed (not fatal): quotes on those lines say cannot compute.
    """
    try:
        imported = use_case.import_(file, effective, name, replace=replace)
    except InputError as error:
        raise naming_options(error, _OPTIONS) from None
    revision, unparsed = imported.revision, imported.unparsed
    typer.echo(f"imported {revision.name}: {len(revision)} HTS codes, in force from "
               f"{revision.effective.isoformat()}")
    if unparsed:
        typer.echo(f"warning: {len(unparsed)} rate text(s) do not parse; quotes on these "
                   f"lines will say 'cannot compute' (see `zonekeeper tariff check`):")
        for u in unparsed:
            typer.echo(f"  {u.hts} {u.column}: {u.text!r}")


@tariff_app.command("revisions")
def revisions(
    as_json: TariffJsonOption = False,
) -> None:
    """List the loaded revisions and the dates they are in force from."""
    loaded = use_case.revisions()
    if as_json:
        _print_json([RevisionDoc.of(r).document() for r in loaded])
        return
    for r in loaded:
        typer.echo(f"{r.effective.isoformat()}  {r.name}  ({len(r)} codes)")


@tariff_app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="HTS code, e.g. 8414.30.80.30 or 8414308030.")],
    on: Annotated[str | None, typer.Option("--date", help="Date (YYYY-MM-DD); default today.")]
    = None,
    as_json: TariffJsonOption = False,
) -> None:
    """Print a line: its rates, the revision in force and its description path."""
    try:
        line, revision = use_case.show(context(ctx), code, on)
    except InputError as error:
        raise naming_options(error, _OPTIONS) from None
    if as_json:
        _print_json(TariffLineDoc.of(line, revision).document())
        return
    console = Console(highlight=False)
    console.print(f"{line.code.dotted}  ({revision.name}, in force from "
                  f"{revision.effective.isoformat()})", markup=False)
    for depth, text in enumerate(revision.description_path(line.code)):
        console.print("  " * depth + text, markup=False)
    if line.units:
        console.print(f"Units: {', '.join(line.units)}", markup=False)
    if line.rate_code != line.code:
        console.print(f"Rates from {line.rate_code.dotted}", markup=False)
    console.print(f"General:  {line.general.text or '(none)'}", markup=False)
    special = " ".join(line.special.text.split())
    console.print(f"Special:  {special or '(none)'}", markup=False)
    console.print(f"Column 2: {line.column2.text or '(none)'}", markup=False)
    if line.additional:
        console.print(f"Additional duties: {line.additional}", markup=False)
