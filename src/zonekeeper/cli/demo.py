"""`zonekeeper demo`: a week in a manufacturing zone, from fresh books to the weekly entry.

Creates a new demo database (default `./demo/zonekeeper-demo.db`, replaced each run) and
posts the shipped demo files (`zonekeeper/data/demo/`): Chinese condensing units,
thermostats and glass doors admitted in privileged foreign status (Section 301 requires it),
Korean tires and valves in non-privileged foreign status, US-made cabinets in domestic status;
a production run of refrigerated vending carts by bill of materials; shipments for
consumption, an export, and a physical count that finds a shortage. It then prints the
week's type-06 entry, the MPF the weekly entry saves against single entries, the HMF owed
on the vessel admission, and the open alerts. Everything comes from the package: no network,
no files outside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from zonekeeper.app import entries as use_case
from zonekeeper.app import entry_reads as service
from zonekeeper.app.books import count_events, init_books, shortage_duty
from zonekeeper.app.context import Context
from zonekeeper.cli.app import app
from zonekeeper.cli.entry import print_alerts, print_weekly
from zonekeeper.cli.show import money_or
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import zone_files
from zonekeeper.money import usd
from zonekeeper.zone.hmf import Quarter
from zonekeeper.zone.weekly import Week

DEMO_WEEK = "2026-W32"
DEMO_AS_OF = dt.date(2026, 8, 10)
DEFAULT_DB = Path("demo") / "zonekeeper-demo.db"


def _post_demo(context: Context, folder: Path, console: Console) -> None:
    rule, _ = shortage_duty(context)
    with init_books(context, "DEMO-1", "Demo manufacturing subzone", "FIFO",
                    duty_rule=rule) as ledger:
        ledger.load_master(
            parts=zone_files.parts_from(zone_files.read_parts(folder / "parts.csv")),
            boms=zone_files.boms_from(zone_files.read_boms(folder / "bom.csv")),
        )
        steps = (
            ("admissions.csv", zone_files.read_admissions, zone_files.admissions_from),
            ("production.csv", zone_files.read_production, zone_files.production_from),
            ("shipments.csv", zone_files.read_shipments, zone_files.shipments_from),
        )
        for name, read, convert in steps:
            rows = read(folder / name)
            posted = ledger.post(list(convert(rows)), source=name, rows=[r.row for r in rows])
            console.print(f"posted {name}: {posted.events} events, {posted.postings} postings")
        rows = zone_files.read_counts(folder / "counts.csv")
        counts, file_rows = count_events(ledger.state(), rows)
        posted = ledger.post(counts, source="counts.csv", rows=file_rows)
        for d in posted.discrepancies:
            duty = usd(d.duty) if d.duty is not None else d.duty_note
            flag = "; report to CBP at once (19 CFR 146.53(a))" if d.report_to_cbp else ""
            console.print(f"count: {d.kind.value} on lot {d.lot} ({d.part}): book {d.book}, "
                          f"counted {d.counted}, duty {duty}{flag}")


_usd = partial(money_or, missing="(cannot compute)")


def _why_not_npf(console: Console, context: Context, week: Week) -> None:
    """The inverted-tariff claim for the week's carts against the lawful answer (domain §1)."""
    claim = use_case.npf_claim(context, week, "CART")
    if claim is None:
        return
    result = claim.comparison
    console.rule("[bold]Why the Chinese components are not NPF")
    console.print(
        f"{claim.units} carts: the inverted-tariff claim (every input NPF at the cart's rate) "
        f"would owe {_usd(result.naive.duty)}; the lawful entry owes {_usd(result.lawful.duty)}."
    )
    console.print(result.explanation)


@app.command()
def demo(
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"Demo database file to (re)create (default {DEFAULT_DB})."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help=f"Folder for the demo database ({DEFAULT_DB.name} in it)."),
    ] = None,
) -> None:
    """Build a demo zone's week and print its weekly entry, MPF saved and open alerts."""
    console = Console(highlight=False, width=max(Console().width, 130))
    if db is not None and out is not None:
        raise InputError(Problem(
            "give --db FILE or --out DIR, not both",
            field="--out",
            code="demo.options",
        ))
    path = (db or (out / DEFAULT_DB.name if out is not None else DEFAULT_DB)).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    console.rule("[bold]Zonekeeper demo: one week in a manufacturing zone")
    console.print(f"books: {path}")
    context = Context(url)  # its own books, not the root options' (and a fixed day)
    tariff = context.tariff
    with resources.as_file(resources.files("zonekeeper") / "data" / "demo") as folder:
        _post_demo(context, Path(folder), console)
    week = Week.parse(DEMO_WEEK)
    console.rule("[bold]Weekly entry")
    entry = service.weekly(url, week, tariff=tariff).value
    print_weekly(console, entry)
    _why_not_npf(console, context, week)
    console.rule("[bold]Admission A-1001 (vessel) and HMF")
    doc = service.admission(url, "A-1001", tariff=tariff).value
    owed = doc.duty_owed
    console.print(
        f"Form 214 A-1001: {len(doc.lines)} PF lines, duty fixed at admission "
        f"{_usd(owed)} for all units if entered for consumption (19 CFR 146.65(a)(1)); "
        f"HMF {_usd(doc.hmf)} on {usd(doc.value)} of vessel cargo"
    )
    quarter = service.hmf(url, Quarter(2026, 3), tariff=tariff).value
    console.print(f"HMF {quarter.quarter} for CBP Form 349: {_usd(quarter.fee)} due {quarter.due}")
    console.rule("[bold]Open alerts")
    print_alerts(console, service.open_alerts(url, DEMO_AS_OF).value, DEMO_AS_OF)
    console.print(
        f"\nexplore: zonekeeper --db {path} entry weekly --week {DEMO_WEEK} --html week.html"
    )
    if shutil.which("zonekeeper") is None:
        console.print("(run it with .venv/bin/zonekeeper if the venv is not active)")
