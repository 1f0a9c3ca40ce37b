"""`zonekeeper drawback plan|claim|alerts`: designate imports against exports, claim, alert.

A thin shell: parse the options, call the use case (`zonekeeper.app.drawback`, which reads
and validates every input file, reports all problems together with exit 2 and writes
nothing on bad input), then print its document as JSON (`--json`, the scriptable contract,
docs/drawback.md) or a readable summary.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.app import drawback as use_case
from zonekeeper.app.outputs.drawback import DrawbackAlerts, DrawbackPlan
from zonekeeper.cli.app import app, context
from zonekeeper.cli.show import money_or
from zonekeeper.dates import date_option
from zonekeeper.drawback.plan import Method
from zonekeeper.drawback.records import ClaimType
from zonekeeper.money import usd

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


@drawback_app.command("plan")
def plan_command(
    ctx: typer.Context,
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
    result = use_case.plan(
        context(ctx), imports, exports, claim_type=ClaimType(claim_type.value),
        method=Method(method.value), claimed=claimed, manufacturing=manufacturing,
        as_of=date_option(as_of, "--as-of"), estimate_older_rates=estimate_older,
    )
    if out is not None:
        use_case.save_plan(result.document, out)
    if as_json:
        typer.echo(result.document.text(), nl=False)
        return
    _print_plan(result.document)


_usd = partial(money_or, missing="not computed")


def _print_plan(plan: DrawbackPlan) -> None:
    console = Console()
    console.print(f"[bold]Drawback plan[/bold] {plan.provision} ({plan.method}), "
                  f"claim date {plan.claim_date}")
    console.print(f"refund {_usd(plan.refund)}  optimal {_usd(plan.optimal_refund)}  "
                  f"FIFO {_usd(plan.fifo_refund)}  uplift {_usd(plan.uplift)}  "
                  f"bound {usd(plan.bound)} (gap {usd(plan.gap)})")
    table = Table("import", "line", "export", "quantity", "refund", "rule")
    for d in plan.designations[:50]:
        table.add_row(d.import_entry, str(d.import_line), d.export_ref,
                      f"{d.quantity} {d.unit}", _usd(d.refund), d.rule)
    console.print(table)
    if len(plan.designations) > 50:
        console.print(f"... {len(plan.designations) - 50} more designations (--json)")
    missing = plan.not_designated
    for line in missing[:20]:
        console.print(f"not designated: {line}")
    if len(missing) > 20:
        console.print(f"... {len(missing) - 20} more exports not (fully) designated (--json)")
    for line in plan.unpriced + plan.notes:
        console.print(f"note: {line}")


@drawback_app.command("claim")
def claim_command(
    ctx: typer.Context,
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
    result = use_case.claim(context(ctx), plan_file, out, claimant=claimant, port=port,
                            entry_no=entry_no, imports=imports, claimed=claimed)
    for path in result.files:
        typer.echo(str(path))
    header = result.claim.header
    typer.echo(f"refund claimed {usd(header.refund)} on {header.lines} line(s)")


@drawback_app.command("alerts")
def alerts_command(
    ctx: typer.Context,
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
    found = use_case.alerts(context(ctx), imports, exports, day, claimed=claimed,
                            claim_type=ClaimType(claim_type.value), horizon=horizon)
    if as_json:
        typer.echo(json.dumps(found.document(), indent=2))
        return
    _print_alerts(found)


def _print_alerts(found: DrawbackAlerts) -> None:
    console = Console()
    console.print(f"[bold]Drawback alerts[/bold] as of {found.as_of}")
    for w in found.claim_windows:
        console.print(f"claim window: entry {w.entry_no} line {w.line} closes "
                      f"{w.deadline} ({w.days_left} days): {_usd(w.unclaimed_refund)} "
                      "unclaimed")
    for n in found.notices:
        console.print(f"notice {n.status}: {n.export_ref}: {n.reason}")
    if not found.claim_windows and not found.notices:
        console.print("nothing due")
