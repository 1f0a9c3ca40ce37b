"""CLI commands for leaving the zone: entries (weekly, single, admission), HMF and alerts.

`zonekeeper entry weekly|consumption|admission`, `zonekeeper fees hmf` and
`zonekeeper alerts`: a thin shell over `zonekeeper.app.entries`. Each command prints one
document (`app.outputs.entries`): Rich tables for people, `--json` for scripts (the
contract: money as cent strings, `null` with reasons for a figure that cannot be computed),
`--csv`, and `--html FILE`, `--pdf FILE` (the weekly entry, the Form 214 data, the
quarter's HMF) for the broker and the files.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.app import entries as use_case
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.entries import (
    AdmissionDoc,
    AlertsDoc,
    ConsumptionEntryDoc,
    Estimate,
    HmfDoc,
    WeeklyEntryDoc,
)
from zonekeeper.cli.app import app, context
from zonekeeper.cli.options import (
    EstimatesOption,
    HtmlOption,
    JsonOption,
    PdfOption,
    ZoneOption,
    naming_options,
)
from zonekeeper.cli.show import money_or
from zonekeeper.errors import InputError
from zonekeeper.io import documents
from zonekeeper.money import usd
from zonekeeper.zone.alerts import Alert
from zonekeeper.zone.weekly import WeeklyEntry

entry_app = typer.Typer(help="CBP entries out of the zone (type 06) and Form 214 data.",
                        no_args_is_help=True)
fees_app = typer.Typer(help="Fees owed by the zone (HMF on admissions).", no_args_is_help=True)
app.add_typer(entry_app, name="entry")
app.add_typer(fees_app, name="fees")

# Piped output (a file, a pager) gets room for the component column; a terminal its own width.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 150)


T = TypeVar("T")

# The option each value typed on the command line comes from, so that its problems name it.
_OPTIONS = {"entry-date": "--entry-date", "summary-date": "--summary-date", "date": "--date",
            "as-of": "--as-of"}  # fmt: skip


def _run(use: Callable[[Context], T], ctx: typer.Context) -> T:
    """Run a use case on the books the root options name; its problems name the options."""
    try:
        return use(context(ctx))
    except InputError as error:
        raise naming_options(error, _OPTIONS) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2))


def _written(what: str, html: Path | None, pdf: Path | None) -> bool:
    """Name the printable documents written, if any (their table is then not printed)."""
    if html is None and pdf is None:
        return False
    written = ", ".join(str(p) for p in (pdf, html) if p is not None)
    out.print(f"{what}: wrote {written}", soft_wrap=True)  # paths whole, for scripts
    return True


def print_weekly(console: Console, entry: WeeklyEntry, *, max_lines: int = 60) -> None:
    """The weekly entry for people: lines, summaries, MPF saved, what was not entered."""
    print_weekly_document(console, WeeklyEntryDoc.of(entry).document(), max_lines=max_lines)


def print_weekly_document(console: Console, e: dict[str, Any], *, max_lines: int = 60) -> None:
    """`print_weekly` from the weekly entry's document (what `--json` prints)."""
    console.print(
        f"[bold]Weekly entry (type {e['entry_type']}) {e['week']}[/bold]: removals "
        f"{e['week_start']} to {e['week_end']}, entry date {e['entry_date']}, entry summary "
        f"{e['summary_date']} (due {e['summary_due']}); {e['removals']} removals for "
        "consumption (19 CFR 146.63(c))"
    )
    table = Table(show_lines=False)
    for column in ("#", "HTS", "Origin", "Status", "PF date", "Value", "Qty", "Components",
                   "Duty"):
        table.add_column(column, justify="right" if column in ("Value", "Duty", "Qty") else "left")
    for line in e["lines"][:max_lines]:
        comps = "\n".join(f"{c['program']} {c['heading']} {c['rate']} = {usd(c['amount'])}"
                          for c in line["components"])
        comps = comps or "\n".join(f"[red]cannot compute: {r}[/red]"
                                   for r in line["cannot_compute"])
        table.add_row(
            f"{line['summary']}.{line['line']}", line["hts"], line["origin"], line["status"],
            line["pf_date"] or "", usd(line["value"]), f"{line['quantity']} {line['unit']}",
            comps, money_or(line["duty"], "[red]cannot compute[/red]"),
        )
    console.print(table)
    if len(e["lines"]) > max_lines:
        console.print(f"... {len(e['lines']) - max_lines} more lines (use --json or --csv)")
    for s in e["summaries"]:
        console.print(
            f"entry summary {s['sequence']}: {s['lines']} lines; {s['mpf']['derivation']}"
        )
    console.print(
        f"[bold]duty {money_or(e['duty'])} + MPF {money_or(e['mpf'])} = total "
        f"{money_or(e['total'])}[/bold]  (domestic content excluded "
        f"{money_or(e['domestic_value_excluded'])}; HMF not charged on "
        "withdrawals)"
    )
    single = e["single_entries"]
    console.print(
        f"[green]MPF saved by the weekly entry: {money_or(single['saving'])}[/green] — "
        f"{single['count']} single entries would pay {money_or(single['mpf'])}, the weekly "
        f"entry pays {money_or(single['weekly_mpf'])}"
    )
    for o in e["estimate_overruns"]:
        state = "supplemental filed" if o["supplemental_filed"] else "[red]no supplemental[/red]"
        console.print(f"estimate exceeded: {o['part']} removed {o['removed']} against "
                      f"{o['estimated']} on {o['exceeded_on']} ({state}; 146.63(c)(1))")
    supplemental = e["supplemental_estimate"]
    if supplemental:
        units = ", ".join(f"{line['quantity']} {line['part']}" for line in supplemental["lines"])
        console.print(f"[red]supplemental 3461 needed[/red] for {units}, due before the removal "
                      f"of {supplemental['filed_on']}")
    for n in e["not_entered"]:
        console.print(f"not entered: {n['shipment_no']} ({n['disposition']}) — {n['reason']}")
    for reason in e["cannot_compute"]:
        console.print(f"[red]cannot compute[/red]: {reason}")


def print_alerts(console: Console, found: list[Alert], as_of: dt.date) -> None:
    if not found:
        console.print(f"no open alerts as of {as_of}")
        return
    table = Table(title=f"Open alerts as of {as_of}")
    for column in ("Due", "Kind", "Subject", "What to do", "Rule"):
        table.add_column(column)
    for a in found:
        due = str(a.due or "")
        table.add_row(f"[red]{due} overdue[/red]" if a.overdue else due, a.kind, a.subject,
                      a.message, a.citation)
    console.print(table)


@entry_app.command("weekly")
def weekly_command(
    ctx: typer.Context,
    week: Annotated[str, typer.Option("--week", help="ISO week, e.g. 2026-W32.")],
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print ES-003-style CSV.")] = False,
    pdf: PdfOption = None,
    html: HtmlOption = None,
    entry_date: Annotated[
        str | None,
        typer.Option("--entry-date", help="Rate date of NPF lines (default: the week's Monday, "
                     "when the estimated entry is filed)."),
    ] = None,
    summary_date: Annotated[
        str | None,
        typer.Option("--summary-date", help="Entry summary filing date; fixes MPF's fiscal "
                     "year (default: the due date, 10 business days after the week)."),
    ] = None,
    estimates: EstimatesOption = None,
    zone: ZoneOption = None,
) -> None:
    """The week's consumption entry (type 06): lines, duty, MPF once, MPF saved (146.63(c))."""
    stamped = _run(lambda context: use_case.weekly(
        context, week, entry_date=entry_date, summary_date=summary_date, estimates=estimates,
        zone=zone), ctx)  # fmt: skip
    entry, head = stamped.value, stamped.head
    data = WeeklyEntryDoc.of(entry, head).document()
    if pdf is not None:
        pdf.write_bytes(documents.weekly_entry_pdf(data, zone or "", head))
    if html is not None:
        html.write_text(documents.weekly_entry_html(data, zone or ""), encoding="utf-8")
    if as_json:
        _print_json(data)
    elif as_csv:
        # ES-003 rows are a broker's upload format: no line of ours goes into them.
        print(documents.weekly_entry_csv(entry), end="")
    elif _written(f"weekly entry {entry.week}", html, pdf):
        out.print(head.books_line(), soft_wrap=True)
    else:
        print_weekly_document(out, data)
        out.print(head.books_line(), soft_wrap=True)


@entry_app.command("estimate")
def estimate_command(
    ctx: typer.Context,
    week: Annotated[str, typer.Option("--week", help="The week to estimate, e.g. 2026-W33.")],
    like: Annotated[
        str | None,
        typer.Option("--like", help="Week whose removals to use (default: the one before)."),
    ] = None,
    as_json: JsonOption = False,
    zone: ZoneOption = None,
) -> None:
    """CBP Form 3461 data for a weekly entry, filed before the week (146.63(c)(1))."""
    found = _run(lambda context: use_case.estimate(context, week, like, zone), ctx)
    stamped = found.stamped
    data = Estimate.of(stamped.value, stamped.head).document()
    if as_json:
        _print_json(data)
        return
    out.print(f"[bold]CBP Form 3461 estimate for {data['week']}[/bold] (file by "
              f"{data['filed_on']}; pattern of {found.like})")
    table = Table()
    for column in ("Part", "HTS", "Units", "Zone value", "Dutiable value"):
        table.add_column(column)
    for line in data["lines"]:
        table.add_row(line["part"], line["hts"], line["quantity"],
                      money_or(line["zone_value"], "not known"),
                      money_or(line["dutiable_value"], "not known"))
    out.print(table)
    out.print(stamped.head.books_line(), soft_wrap=True)


@entry_app.command("consumption")
def consumption_command(
    ctx: typer.Context,
    shipment_no: Annotated[str, typer.Argument(help="The shipment's number.")],
    as_json: JsonOption = False,
    entry_date: Annotated[
        str | None, typer.Option("--date", help="Entry filing date (default: the removal date).")
    ] = None,
    zone: ZoneOption = None,
) -> None:
    """One shipment as its own consumption entry: a line per PF component, the NPF line."""
    stamped = _run(lambda context: use_case.consumption(
        context, shipment_no, entry_date=entry_date, zone=zone), ctx)  # fmt: skip
    found = stamped.value
    data = ConsumptionEntryDoc.of(shipment_no, found.results, found.mpf, stamped.head).document()
    if as_json:
        _print_json(data)
        return
    for d in data["removals"]:
        out.print(f"[bold]shipment {shipment_no}[/bold] {d['part']} x {d['quantity']} "
                  f"({d['disposition']}), {d['date']}; entry date {d['entry_date']}")
        table = Table()
        for column in ("Line", "Status", "HTS", "Origin", "PF date", "Value", "Components",
                       "Duty"):
            table.add_column(column)
        for line in d["lines"]:
            table.add_row(
                str(line["line"]), line["status"], line["hts"], line["origin"],
                line["pf_date"] or "", usd(line["value"]),
                "\n".join(f"{c['program']} {c['heading']} {c['rate']} = {usd(c['amount'])}"
                          for c in line["components"])
                or "\n".join(line["cannot_compute"]),
                money_or(line["duty"]),
            )
        if d["lines"]:
            out.print(table)
        for note in d["notes"]:
            out.print(f"  {note}")
        rc = d["npf_recompute"]
        if rc:
            out.print(f"  NPF at exit {money_or(rc['at_exit'])} vs estimate at admission "
                      f"{money_or(rc['estimate_at_admission'])}: difference "
                      f"{money_or(rc['difference'])}")
            for reason in rc["cannot_compute"]:
                out.print(f"  [red]cannot compute[/red]: {reason}")
    if found.mpf is not None:
        out.print(f"MPF: {found.mpf.derivation}")
    out.print(f"[bold]duty {money_or(data['duty'])}, total {money_or(data['total'])}[/bold]")
    out.print(stamped.head.books_line(), soft_wrap=True)


@entry_app.command("admission")
def admission_command(
    ctx: typer.Context,
    admission_no: Annotated[str, typer.Argument(help="The zone admission number (Form 214).")],
    as_json: JsonOption = False,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    zone: ZoneOption = None,
) -> None:
    """CBP Form 214 data of one admission, with each line's duty (PF owed / NPF estimate)."""
    stamped = _run(lambda context: use_case.admission(context, admission_no, zone), ctx)
    data = AdmissionDoc.of(stamped.value, stamped.head).document()
    if html is not None:
        html.write_text(documents.admission_html(data), encoding="utf-8")
    if pdf is not None:
        pdf.write_bytes(documents.admission_pdf(data, stamped.head))
    if as_json:
        _print_json(data)
        return
    if _written(f"CBP Form 214 {admission_no}", html, pdf):
        out.print(stamped.head.books_line(), soft_wrap=True)
        return
    out.print(f"[bold]CBP Form 214 {data['admission_no']}[/bold] zone {data['zone']}, "
              f"{data['date']}, mode {data['mode'] or 'not recorded'}")
    table = Table()
    for column in ("Line", "Status", "Part", "HTS", "Origin", "Qty", "Value", "Duty", "Kind"):
        table.add_column(column)
    for line in data["lines"]:
        table.add_row(str(line["line"]), line["status_requested"], line["part"],
                      line["hts"] or "", line["origin"] or "",
                      f"{line['quantity']} {line['unit']}", usd(line["value"]),
                      money_or(line["duty"]), line["duty_kind"])
    out.print(table)
    for line in data["lines"]:
        out.print(f"  line {line['line']}: {line['duty_note']}")
    if data["hmf"] is None:
        out.print(data["hmf_note"])
    else:
        out.print(f"HMF {usd(data['hmf'])}: {data['hmf_note']}")
    out.print(stamped.head.books_line(), soft_wrap=True)


@fees_app.command("hmf")
def hmf_command(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3.")],
    as_json: JsonOption = False,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    zone: ZoneOption = None,
) -> None:
    """HMF owed on the quarter's vessel admissions, for CBP Form 349 (146.22(e))."""
    stamped = _run(lambda context: use_case.hmf(context, quarter, zone), ctx)
    data = HmfDoc.of(stamped.value, stamped.head).document()
    if html is not None:
        html.write_text(documents.hmf_html(data), encoding="utf-8")
    if pdf is not None:
        pdf.write_bytes(documents.hmf_pdf(data, stamped.head))
    if as_json:
        _print_json(data)
        return
    if _written(f"HMF {data['quarter']}", html, pdf):
        out.print(stamped.head.books_line(), soft_wrap=True)
        return
    out.print(f"[bold]HMF {data['quarter']}[/bold] (CBP Form 349, class code "
              f"{data['class_code']}): {money_or(data['fee'])} on {usd(data['value'])} of vessel "
              f"admissions, due {data['due']}")
    for a in data["admissions"]:
        out.print(f"  {a['admission_no']} {a['date']}: {usd(a['value'])} x {a['rate_pct']}%")
    if data["mode_unknown"]:
        out.print(f"[yellow]mode not recorded (cannot decide HMF)[/yellow]: "
                  f"{', '.join(data['mode_unknown'])}")
    if data["mode_conflict"]:
        out.print(f"[yellow]lines disagree on the mode (cannot decide HMF)[/yellow]: "
                  f"{documents.mode_conflicts(data)}")
    out.print(stamped.head.books_line(), soft_wrap=True)


@app.command("alerts")
def alerts_command(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge deadlines by (default: today).")
    ] = None,
    as_json: JsonOption = False,
    estimates: EstimatesOption = None,
    zone: ZoneOption = None,
) -> None:
    """Open deadlines of 19 CFR 146: entry summaries, permits, counts, reconciliation."""
    found = _run(lambda context: use_case.alerts(context, as_of, estimates, zone), ctx)
    stamped = found.stamped
    if as_json:
        _print_json(AlertsDoc.of(stamped.value, found.as_of, stamped.head).document())
        return
    print_alerts(out, stamped.value, found.as_of)
    out.print(stamped.head.books_line(), soft_wrap=True)
