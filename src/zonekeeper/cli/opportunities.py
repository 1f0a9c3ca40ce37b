"""`zonekeeper opportunities` and `zonekeeper refunds ieepa`: what an importer's own entry
data says it can save or recover (issue 14). A thin shell over `app.analytics`."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.app.outputs.analytics import OpportunityOut
from zonekeeper.cli.app import app, context
from zonekeeper.cli.show import CANNOT_COMPUTE, money_or
from zonekeeper.dates import date_option
from zonekeeper.money import usd

EntriesOption = Annotated[
    Path, typer.Option("--entries", help="ACE ES-003 line report (CSV or XLSX) or a drawback "
                                          "import file; see docs/opportunities.md")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document")]
NOTICE = ("Estimates for review by a licensed customs broker or trade counsel: nothing here "
          "is filed or applied.")

WHERE = "--json, or --html FILE for a page with charts."

refunds_app = typer.Typer(help="Refunds of duty the importer paid (IEEPA).")
app.add_typer(refunds_app, name="refunds")


# A total with an unknown part is itself unknown (never printed as 0).
_or_why = partial(money_or, missing="cannot compute (a part of it cannot be)")


def _amount(o: OpportunityOut) -> str:
    return money_or(o.amount, f"({o.amount_reason or CANNOT_COMPUTE})")


def _table(title: str, found: list[OpportunityOut]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("#", "Kind", "What", "Amount", "Deadline"):
        table.add_column(column, overflow="fold")
    for n, o in enumerate(found, 1):
        table.add_row(str(n), o.kind, o.title, _amount(o), str(o.deadline or ""))
    return table


@app.command("opportunities")
def opportunities(
    ctx: typer.Context,
    entries: EntriesOption,
    exports: Annotated[Path | None, typer.Option(
        "--exports", help="Exports in the drawback export format: the optimal drawback plan "
                          "on these entries, and exports in the zone's economics")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Date to judge deadlines by (default: today)")] = None,
    as_json: JsonOption = False,
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report")] = None,
    classify: Annotated[bool, typer.Option(
        "--classify", help="Also ask the classifier about each product description: "
                           "alternatives with a lower duty, for a broker's review")] = False,
) -> None:
    """Rank the savings and recoveries in an importer's entry lines: data quality (with the
    duty recomputed per line), preferences not claimed, IEEPA refunds, rate changes, first
    sale candidates, the zone's economics, drawback (with --exports), classification
    alternatives (with --classify)."""
    from zonekeeper.app.analytics import opportunities as find

    report = find(context(ctx), entries, exports=exports, as_of=date_option(as_of, "--as-of"),
                  classify=classify)
    document = report.document()
    if html is not None:
        from zonekeeper.io.opportunities_html import opportunities_html

        html.write_text(opportunities_html(document), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(document, indent=2))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{NOTICE}[/bold]")
    console.print(f"{report.file}: {report.lines:,} lines on {report.entries:,} entries, duty "
                  f"reported {_or_why(report.duty_reported)}; as of {report.as_of}.")
    console.print(_table("Opportunities, largest first", report.opportunities))
    console.print(f"Evidence, risk and action of each: {WHERE}")
    for kind, amount in report.totals.items():
        console.print(f"  {kind}: {usd(amount) if amount is not None else 'no amount'}")
    quality = report.quality
    console.print(f"Duty recomputed on {quality.lines_recomputed:,} lines; "
                  f"{len(quality.reconciliation):,} do not reconcile.")
    for reason, count in quality.not_recomputed.items():
        console.print(f"  not recomputed ({count:,} lines): {reason}")
    for kind, why in report.not_looked_for.items():
        console.print(f"  not looked for: {kind}: {why}")
    for kind, why in report.none_found.items():
        console.print(f"  none found: {kind}: {why}")


@refunds_app.command("ieepa")
def ieepa(
    ctx: typer.Context,
    entries: EntriesOption,
    as_of: Annotated[str, typer.Option("--as-of", help="Date to judge routes and deadlines by")],
    as_json: JsonOption = False,
) -> None:
    """The IEEPA duty paid per entry, the route to get it back (CAPE, post-summary
    correction, protest, court) with its deadline, interest, and the CAPE upload files."""
    from zonekeeper.app.analytics import refunds

    report = refunds(context(ctx), entries, date_option(as_of, "--as-of"))
    if as_json:
        typer.echo(json.dumps(report.document(), indent=2))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{NOTICE}[/bold]")
    table = Table(title=f"IEEPA refunds as of {report.as_of}", title_justify="left")
    for column in ("Entry", "IEEPA duty", "Interest", "Route", "Deadline"):
        table.add_column(column, overflow="fold")
    for o in report.refunds:
        table.add_row(", ".join(o.entries), _amount(o),
                      usd(o.interest) if o.interest is not None else "cannot compute",
                      o.route or "", str(o.deadline or ""))
    console.print(table)
    console.print("Routes: cape (ACE Portal CAPE tab), post_summary_correction, protest "
                  "(19 U.S.C. 1514), court (finally liquidated); the action and risk of "
                  "each entry: --json.")
    console.print(f"Total IEEPA duty {_or_why(report.total)}, interest "
                  f"{_or_why(report.interest)}.")
    for route, amount in report.by_route.items():
        console.print(f"  {route}: {_or_why(amount)}")
    for n, batch in enumerate(report.cape_upload, 1):
        console.print(f"CAPE upload {n} ({len(batch):,} entries): a CSV with the one column "
                      f"'Entry Number': {', '.join(batch[:10])}{' ...' if len(batch) > 10 else ''}")
