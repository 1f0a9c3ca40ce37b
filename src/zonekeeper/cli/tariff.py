"""`zonekeeper tariff check|import|show|revisions|status`: the loaded HTSUS, read and extended.

A thin shell over `zonekeeper.tariff` (pure) and `zonekeeper.sources.revisions` (the files):
`import` validates a USITC export whole and stores it as a dated revision, `check` reports
what the rate parser cannot read (with `--measures`: where the shipped product lists and
the schedule disagree), `show` prints one line with its rates and description path.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from zonekeeper.cli.app import app
from zonekeeper.cli.options import TariffJsonOption
from zonekeeper.dates import date_option
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.io.tabular import check_file, semicolon_problem
from zonekeeper.sources.history import rate_text_sources, tariff_status
from zonekeeper.sources.revisions import import_revision, load_schedule
from zonekeeper.sources.shipped import data_text
from zonekeeper.tariff.check import check_texts, unparsed_in
from zonekeeper.tariff.expressions import Rate, SpecialRates
from zonekeeper.tariff.list_check import check_lists
from zonekeeper.tariff.measures import coverage_tables
from zonekeeper.tariff.schedule import Revision, TariffLine

tariff_app = typer.Typer(help="The HTSUS: check the rate parser, import a revision, show a line.")
app.add_typer(tariff_app, name="tariff")


def _print_json(document: Any) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


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
    report = check_texts(rate_text_sources(load_schedule()))
    if as_json:
        _print_json({
            "revisions": list(report.revisions),
            "distinct": report.distinct,
            "parsed": report.parsed,
            "parse_rate_pct": round(report.parse_rate_pct, 2),
            "source_errors": len(report.explained),
            "rates_parsed_pct": round(report.rates_parsed_pct, 2),
            "kinds": dict(report.kinds),
            "unparsed": [{"text": u.text, "column": u.column, "hts": u.hts,
                          "revision": u.revision, "reason": u.reason or None}
                         for u in report.unparsed],
        })
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
    """`tariff check --measures` (tariff.list_check): every difference, revision by revision.
    The loaded revisions carry no footnotes yet (USITC CSV exports), so only absent list
    codes are checked and the footnote kinds are reported as not checkable."""
    lists = coverage_tables(data_text)
    found = [
        difference
        for revision in load_schedule().revisions
        for difference in check_lists(
            revision.name, (c.digits for c in revision.codes()), lists, None
        )
    ]
    if as_json:
        _print_json([
            {"revision": d.revision, "heading": d.heading, "kind": d.kind,
             "count": len(d.codes), "codes": list(d.codes), "resolution": d.resolution}
            for d in found
        ])  # fmt: skip
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
    as_json: TariffJsonOption = False,
) -> None:
    """List the loaded revisions with their dates and origin, and the horizon: quotes dated
    after the newest revision warn that a newer one may apply."""
    today = date.today()
    found = tariff_status(load_schedule(), today)
    if as_json:
        _print_json({
            "revisions": [{"name": r.name, "serves_from": r.serves_from.isoformat(),
                           "in_force": r.in_force.isoformat(), "origin": r.origin}
                          for r in found.revisions],
            "horizon": found.horizon.isoformat() if found.horizon else None,
            "today": today.isoformat(),
            "days_beyond_horizon": found.days_beyond,
        })
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
    refused = check_file(file)  # the check every input file passes (a FIFO would block)
    if refused is None and file.suffix.lower() == ".csv":
        # A USITC export opened and saved again by Excel where ',' is the decimal mark has
        # ';' between columns: refused in one line, as every reader of a CSV refuses it.
        with open(file, "rb") as handle:
            start = handle.read(65536).decode("utf-8", errors="replace")
        refused = semicolon_problem(start, str(file))
    if refused is not None:
        raise InputError(refused)
    revision = import_revision(file, date_option(effective, "--effective"), name, replace=replace)
    typer.echo(f"imported {revision.name}: {len(revision)} HTS codes, in force from "
               f"{revision.effective.isoformat()}")
    unparsed = unparsed_in(revision)
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
    loaded = load_schedule().revisions
    if as_json:
        _print_json([{"name": r.name, "effective": r.effective.isoformat(), "codes": len(r)}
                     for r in loaded])
        return
    for r in loaded:
        typer.echo(f"{r.effective.isoformat()}  {r.name}  ({len(r)} codes)")


def _rate_json(rate: Rate) -> dict[str, Any]:
    pct = rate.ad_valorem_pct
    return {
        "text": rate.text,
        "kind": rate.kind,
        "needs": sorted(rate.needs),
        "ad_valorem_pct": None if pct is None else format(pct.normalize(), "f"),
        "reference": rate.reference,
        "note": rate.note,
    }


def _special_json(special: SpecialRates) -> dict[str, Any]:
    return {
        "text": special.text,
        "groups": [{"programs": list(g.programs), "rate": _rate_json(g.rate)}
                   for g in special.groups],
        "unassigned": None if special.unassigned is None else _rate_json(special.unassigned),
    }


def line_json(line: TariffLine, revision: Revision) -> dict[str, Any]:
    return {
        "hts": line.code.dotted,
        "revision": revision.name,
        "effective": revision.effective.isoformat(),
        "description": line.description,
        "path": revision.description_path(line.code),
        "units": list(line.units),
        "rate_line": line.rate_code.dotted,
        "general": _rate_json(line.general),
        "special": _special_json(line.special),
        "column2": _rate_json(line.column2),
        "additional_duties": line.additional or None,
    }


@tariff_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="HTS code, e.g. 8414.30.80.30 or 8414308030.")],
    on: Annotated[str | None, typer.Option("--date", help="Date (YYYY-MM-DD); default today.")]
    = None,
    as_json: TariffJsonOption = False,
) -> None:
    """Print a line: its rates, the revision in force and its description path."""
    day = date_option(on, "--date") if on else date.today()
    try:
        line, revision = load_schedule().line(code, day)
    except CannotCompute as error:  # no revision in force on the date: nothing to show
        raise InputError(Problem(error.reason, field="--date")) from None
    if as_json:
        _print_json(line_json(line, revision))
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
