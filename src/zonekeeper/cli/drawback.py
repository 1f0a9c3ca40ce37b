"""`zonekeeper drawback plan|claim|alerts`: designate imports against exports, claim, alert.

A thin shell: read and validate every input file (all problems reported together, exit 2,
nothing written), load the tariff, run the pure core (`zonekeeper.drawback`), print JSON
(the scriptable contract, docs/drawback.md) or a readable summary, and write files only
once everything has been computed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.bindings.drawback import MeasureBookPolicy, ScheduleDescriptions, TariffEstimator
from zonekeeper.cli.app import app
from zonekeeper.dates import date_option
from zonekeeper.drawback.alerts import claim_window_alerts, notice_alerts
from zonekeeper.drawback.amounts import line_bases
from zonekeeper.drawback.claim import build_claim, check_against_imports
from zonekeeper.drawback.measures import ImportCharge
from zonekeeper.drawback.plan import Method, build_plan
from zonekeeper.drawback.records import ClaimType, Export, ImportLine
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.drawback_files import (
    HtsCheck,
    plan_to_json,
    read_claimed,
    read_exports,
    read_imports,
    read_plan,
    read_production,
    write_claim,
)
from zonekeeper.money import fmt, usd
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Program, Tariff
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.schedule import Schedule

drawback_app = typer.Typer(help="Drawback (19 U.S.C. 1313): optimal designation, claims, alerts.")
app.add_typer(drawback_app, name="drawback")

class TypeChoice(StrEnum):
    j2 = "j2"
    j1 = "j1"
    a = "a"
    b = "b"
    c = "c"


class MethodChoice(StrEnum):
    optimal = "optimal"
    fifo = "fifo"


_COMPONENT = {
    Program.SECTION301: ImportCharge.S301, Program.SECTION232: ImportCharge.S232,
    Program.SECTION122: ImportCharge.S122, Program.IEEPA: ImportCharge.IEEPA,
    Program.ADCVD: ImportCharge.ADCVD,
}


def _classifier(tariff: Tariff) -> Callable[[str], ImportCharge | None]:
    """Program of a Chapter 99 heading, from the tariff engine's measures."""

    def classify(heading: str) -> ImportCharge | None:
        dotted = f"{heading[:4]}.{heading[4:6]}.{heading[6:8]}"
        measure = tariff.measures.by_heading(dotted) or tariff.measures.by_heading(heading)
        return _COMPONENT.get(measure.program) if measure is not None else None

    return classify


def _hts_check(schedule: Schedule) -> HtsCheck:
    """Why an HTS number is in no loaded revision (its 8-digit subheading), else None.

    Every loaded revision is searched, not only the one in force on the record's date: an
    older entry may use a subheading a later revision dropped, and the date is checked by
    the rules. A 10-digit suffix alone is not refused (revisions renumber statistical
    lines); `_statistical_notes` names such import rows.
    """
    seen: dict[str, str | None] = {}

    def check(digits: str) -> str | None:
        code8 = digits[:8]
        if code8 not in seen:
            found = any(rev.get(code8) is not None or rev.under(code8)
                        for rev in schedule.revisions)
            if found or not schedule.revisions:
                seen[code8] = None
            else:
                last = schedule.revisions[-1]
                near = ", ".join(c.dotted for c in last.nearest(code8, 6)
                                 if not c.digits.startswith("99"))
                seen[code8] = (f"HTS subheading {HtsCode.parse(code8).dotted} is in no loaded "
                               f"HTS revision ({schedule.revisions[0].name} to {last.name})"
                               + (f"; nearest: {near}" if near else ""))
        return seen[code8]

    return check


def _statistical_notes(imports: tuple[ImportLine, ...], schedule: Schedule) -> list[str]:
    """A loud note per import row whose 10-digit number no loaded revision has."""
    notes = []
    for imp in imports:
        if len(imp.hts) == 10 and not any(rev.get(imp.hts) is not None
                                          for rev in schedule.revisions):
            notes.append(f"import entry {imp.entry_no} line {imp.line} (row {imp.row}): "
                         f"statistical number {HtsCode.parse(imp.hts).dotted} is in no loaded "
                         "HTS revision; check it (the 'Other' rule of 190.2 reads it)")
    return notes


def _gather(*readers: Callable[[], Any]) -> list[Any]:
    """Run every reader, then raise one InputError with all their problems."""
    problems: list[Problem] = []
    results: list[Any] = []
    for read in readers:
        try:
            results.append(read())
        except InputError as error:
            problems.extend(error.problems)
            results.append(None)
    if problems:
        raise InputError(problems)
    return results


def _load(
    imports: Path, exports: Path, claimed: Path | None, manufacturing: Path | None,
    tariff: Tariff,
) -> tuple[tuple[ImportLine, ...], tuple[Export, ...], Any, Any]:
    classify = _classifier(tariff)
    known = _hts_check(tariff.schedule)
    imp, exp, prior, prod = _gather(
        lambda: read_imports(imports, classify, known),
        lambda: read_exports(exports, known),
        lambda: read_claimed(claimed) if claimed else (),
        lambda: read_production(manufacturing) if manufacturing else (),
    )
    return imp, exp, prior, prod


@drawback_app.command("plan")
def plan_command(
    imports: Annotated[Path, typer.Option("--imports", help="Import entry lines (CSV/JSON).")],
    exports: Annotated[Path, typer.Option("--exports", help="Exports/destructions (CSV/JSON).")],
    claim_type: Annotated[TypeChoice, typer.Option("--type", help="1313 provision.")] = (
        TypeChoice.j2),
    method: Annotated[MethodChoice, typer.Option("--method")] = MethodChoice.optimal,
    claimed: Annotated[Path | None, typer.Option("--claimed", help="Prior designations.")] = None,
    manufacturing: Annotated[
        Path | None, typer.Option("--manufacturing", help="Production records (a/b).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Claim date (default: latest export).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the plan JSON here.")] = None,
    estimate_older: Annotated[bool, typer.Option(
        "--estimate-older-rates",
        help="Price the lesser-of for dates before the earliest loaded HTS revision with "
             "that revision's Column 1 rates (an estimate; default: not designated).")] = False,
) -> None:
    """Designate import quantities against exports for the largest refund the law allows."""
    claim = ClaimType(claim_type.value)
    if claim.manufacturing and manufacturing is None:
        raise InputError(Problem(f"--type {claim.value} needs --manufacturing FILE",
                                 field="--manufacturing"))
    day = date_option(as_of, "--as-of")
    tariff = default_tariff()
    imp, exp, prior, prod = _load(imports, exports, claimed, manufacturing, tariff)
    notes: list[str] = []
    if day is None:
        if not exp:
            raise InputError(Problem("no exports: give --as-of", file=str(exports)))
        day = max(e.export_date for e in exp)
        notes.append(f"no --as-of given: claim date taken as the latest export date {day}")
    descriptions = ScheduleDescriptions(tariff.schedule)
    estimator = TariffEstimator(tariff, earliest_for_older=estimate_older)
    try:
        plan = build_plan(
            claim, imp, exp, day, descriptions, estimator,
            method=Method(method.value), policy=MeasureBookPolicy(tariff), prior=prior,
            production=prod,
        )
    except InputError as error:
        # The core's only input problems are over-designations in the claimed file.
        raise InputError([replace(p, file=p.file or str(claimed)) for p in error.problems]
                         ) from None
    notes += _statistical_notes(imp, tariff.schedule)
    data = plan_to_json(plan, extra_notes=notes + sorted(descriptions.notes | estimator.notes))
    text = json.dumps(data, indent=2) + "\n"
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    if as_json:
        typer.echo(text, nl=False)
        return
    _print_plan(data)


def _print_plan(data: dict[str, Any]) -> None:
    console = Console()
    console.print(f"[bold]Drawback plan[/bold] {data['provision']} ({data['method']}), "
                  f"claim date {data['claim_date']}")
    console.print(f"refund {usd(data['refund'])}  optimal {usd(data['optimal_refund'])}  "
                  f"FIFO {usd(data['fifo_refund'])}  uplift {usd(data['uplift'])}  "
                  f"bound {usd(data['bound'])} (gap {usd(data['gap'])})")
    table = Table("import", "line", "export", "quantity", "refund", "rule")
    for d in data["designations"][:50]:
        table.add_row(d["import_entry"], str(d["import_line"]), d["export_ref"],
                      f"{d['quantity']} {d['unit']}", usd(d["refund"]), d["rule"])
    console.print(table)
    if len(data["designations"]) > 50:
        console.print(f"... {len(data['designations']) - 50} more designations (--json)")
    missing = data["not_designated"]
    for line in missing[:20]:
        console.print(f"not designated: {line}")
    if len(missing) > 20:
        console.print(f"... {len(missing) - 20} more exports not (fully) designated (--json)")
    for line in data["unpriced"] + data["notes"]:
        console.print(f"note: {line}")


@drawback_app.command("claim")
def claim_command(
    plan_file: Annotated[Path, typer.Argument(help="Plan JSON written by `drawback plan`.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the claim files.")],
    claimant: Annotated[str, typer.Option("--claimant")] = "",
    port: Annotated[str, typer.Option("--port")] = "",
    entry_no: Annotated[str, typer.Option("--entry-no", help="Drawback entry number.")] = "",
    imports: Annotated[Path | None, typer.Option(
        "--imports", help="Re-check the designations against these import lines.")] = None,
    claimed: Annotated[Path | None, typer.Option(
        "--claimed", help="Earlier claims' designations (with --imports).")] = None,
) -> None:
    """Write the claim: header and lines (CSV, JSON) and a summary (Markdown, HTML).

    The plan must be as `drawback plan` wrote it (digest) and consistent with itself
    (`claim.check_plan`). With --imports (and --claimed), each designated line is checked
    against its quantity less earlier claims (190.51(a)(3)) and its refund per unit.
    """
    if claimed is not None and imports is None:
        raise InputError(Problem("--claimed needs --imports", field="--claimed"))
    tariff = default_tariff()
    if imports is None:
        plan = read_plan(plan_file)
    else:
        plan, imp, prior = _gather(
            lambda: read_plan(plan_file),
            lambda: read_imports(imports, _classifier(tariff), _hts_check(tariff.schedule)),
            lambda: read_claimed(claimed) if claimed else (),
        )
        bases = line_bases(imp, plan.claim, MeasureBookPolicy(tariff))
        problems = check_against_imports(plan, imp, prior, bases)
        if problems:
            raise InputError([replace(p, file=str(plan_file)) for p in problems])
    schedule = ScheduleDescriptions(tariff.schedule)
    texts: dict[str, str] = {}
    for d in plan.designations:
        if d.import_hts not in texts:
            found = [schedule.own_description(d.import_hts[:n], d.import_date) for n in (8, 10)]
            texts[d.import_hts] = " - ".join(dict.fromkeys(t for t in found if t))
    claim = build_claim(plan, claimant=claimant, port=port, drawback_entry=entry_no,
                        descriptions=texts)
    for path in write_claim(claim, out):
        typer.echo(str(path))
    typer.echo(f"refund claimed {usd(claim.header.refund)} on {claim.header.lines} line(s)")


@drawback_app.command("alerts")
def alerts_command(
    imports: Annotated[Path, typer.Option("--imports")],
    exports: Annotated[Path, typer.Option("--exports")],
    as_of: Annotated[str, typer.Option("--as-of", help="The day to judge deadlines on.")],
    claimed: Annotated[Path | None, typer.Option("--claimed")] = None,
    claim_type: Annotated[TypeChoice, typer.Option("--type")] = TypeChoice.j2,
    horizon: Annotated[int, typer.Option("--horizon", help="Days ahead.")] = 90,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Claim windows closing within the horizon; notices of intent (7553) due or late."""
    day = date_option(as_of, "--as-of")
    assert day is not None
    tariff = default_tariff()
    imp, exp, prior, _ = _load(imports, exports, claimed, None, tariff)
    claim = ClaimType(claim_type.value)
    windows = claim_window_alerts(imp, day, claim=claim, prior=prior,
                                  policy=MeasureBookPolicy(tariff), horizon=horizon)
    notices = notice_alerts(exp, day, claim=claim)
    data: dict[str, Any] = {
        "as_of": day.isoformat(),
        "claim_windows": [{
            "entry_no": a.entry_no, "line": a.line, "import_date": a.import_date.isoformat(),
            "deadline": a.deadline.isoformat(), "days_left": a.days_left,
            "unclaimed_quantity": str(a.unclaimed_quantity),
            "unclaimed_refund": fmt(a.unclaimed_refund)} for a in windows],
        "notices": [{
            "export_ref": n.export_ref, "export_date": n.export_date.isoformat(),
            "disposition": n.disposition, "due": n.due.isoformat(), "status": n.status,
            "reason": n.reason} for n in notices],
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    console = Console()
    console.print(f"[bold]Drawback alerts[/bold] as of {day}")
    for w in data["claim_windows"]:
        console.print(f"claim window: entry {w['entry_no']} line {w['line']} closes "
                      f"{w['deadline']} ({w['days_left']} days): {usd(w['unclaimed_refund'])} "
                      "unclaimed")
    for n in data["notices"]:
        console.print(f"notice {n['status']}: {n['export_ref']}: {n['reason']}")
    if not windows and not notices:
        console.print("nothing due")
