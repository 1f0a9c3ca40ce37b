"""`zonekeeper advise status|roi`: the PF/NPF election per component, and whether a zone
pays. A thin shell: parse options, call `app.advisor`, print JSON or a table."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zonekeeper.advisor.roi import Assumptions
from zonekeeper.advisor.scenarios import Scenario
from zonekeeper.app.advisor import advise_roi, advise_status, advise_whatif
from zonekeeper.app.outputs.advisor import RoiAdvice, StatusAdvice, WhatIfAdvice
from zonekeeper.cli.app import app, context
from zonekeeper.cli.show import money_or
from zonekeeper.dates import date_option, parse_date
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.advisor_report import roi_html
from zonekeeper.money import parse_decimal

advise_app = typer.Typer(help="The savings advisor: zone status per component; does a zone pay.")
app.add_typer(advise_app, name="advise")

JsonOption = Annotated[bool, typer.Option("--json", help="Print the JSON document.")]


def _number(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_decimal(text)
    except ValueError as error:
        raise InputError(Problem(str(error), field=option, code="advise.bad-number")) from None


@advise_app.command("status")
def status(
    ctx: typer.Context,
    product_hts: Annotated[str, typer.Option("--product-hts", help="HTS of the finished product.")],
    components: Annotated[Path, typer.Option("--components", help="CSV: part,hts,origin,"
                                             "quantity_per_unit,unit_value[,spi,status_now].")],
    on: Annotated[str, typer.Option("--date", help="Admission and entry date (YYYY-MM-DD).")],
    finished_origin: Annotated[str | None, typer.Option(
        "--finished-origin", help="Origin of the finished product (default: each "
        "component's origin).")] = None,
    volume: Annotated[str | None, typer.Option("--volume", help="Finished units a year.")] = None,
    export_share: Annotated[str | None, typer.Option(
        "--export-share", help="Share of units exported, 0 to 1 (default 0).")] = None,
    as_json: JsonOption = False,
) -> None:
    """The zone status to elect for each component (19 CFR 146.41-146.42, 146.65)."""
    advice = advise_status(
        context(ctx), product_hts, components, date_option(on, "--date"),
        finished_origin=finished_origin, volume=_number(volume, "--volume"),
        export_share=_number(export_share, "--export-share"),
    )
    if as_json:
        typer.echo(json.dumps(advice.document(), indent=2))
        return
    _print_status(advice)


def _print_status(advice: StatusAdvice) -> None:
    doc = advice.document()
    table = Table(title=f"Zone status for {doc['product_hts']} on {doc['date']}")
    for column in ("part", "HTS", "origin", "PF duty/unit", "NPF duty/unit", "elect"):
        table.add_column(column)
    for c in doc["components"]:
        npf = c["duty_per_unit_npf"]
        table.add_row(c["part"], c["hts"], c["origin"], money_or(c["duty_per_unit_pf"]),
                      "not lawful (PF mandatory)" if c["mandatory_pf"] else money_or(npf),
                      c["recommended"])
    console = Console()
    console.print(table)
    for c in doc["components"]:
        for reason in c["reasons"]:
            console.print(f"{c['part']}: {reason}", markup=False)
    console.print(f"duty per unit: {money_or(doc['duty_per_unit'])} (all PF "
                  f"{money_or(doc['duty_per_unit_all_pf'])}, outside the zone "
                  f"{money_or(doc['duty_per_unit_outside_zone'])}; naive all-NPF claim "
                  f"{money_or(doc['duty_per_unit_naive_npf'])})")
    if doc["annual"] is not None:
        console.print(f"annual saving: {money_or(doc['annual_saving'])}")
    for note in doc["notes"]:
        console.print(f"note: {note}", markup=False)


@advise_app.command("roi")
def roi(
    ctx: typer.Context,
    imports: Annotated[Path, typer.Option("--imports", help="Import entry lines: the drawback "
                                          "import format or ACE ES-003.")],
    exports: Annotated[Path | None, typer.Option("--exports", help="Exports (drawback export "
                                                 "format).")] = None,
    bom: Annotated[Path | None, typer.Option("--bom", help="Bill of materials (product,part,"
                                             "quantity_per_unit): exported finished products "
                                             "matched to their imported components.")] = None,
    product_hts: Annotated[str | None, typer.Option(
        "--product-hts", help="Finished product made from the imports (inverted tariff).")] = None,
    finished_origin: Annotated[str | None, typer.Option("--finished-origin")] = None,
    cost_of_capital: Annotated[str, typer.Option("--cost-of-capital")] = "0.08",
    dwell_days: Annotated[str, typer.Option("--dwell-days", help="Average days in the zone "
                                            "before entry.")] = "30",
    drawback_months: Annotated[str, typer.Option("--drawback-months")] = "6",
    waste_share: Annotated[str | None, typer.Option("--waste-share", help="Share of imported "
                                                    "value ending as waste, 0 to 1.")] = None,
    software: Annotated[str, typer.Option("--software-cost")] = "32500",
    staff: Annotated[str, typer.Option("--staff-cost")] = "55000",
    bond_fees: Annotated[str, typer.Option("--bond-fees")] = "10000",
    activation: Annotated[str, typer.Option("--activation-cost")] = "25000",
    html: Annotated[Path | None, typer.Option("--html", help="Write the report here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Whether a zone pays, from the importer's own history (seed scenario 3)."""
    def need(text: str, option: str) -> Decimal:
        value = _number(text, option)
        assert value is not None
        if value < 0:
            raise InputError(Problem(f"must not be negative, got {text}", field=option,
                                     code="advise.bad-number"))
        return value

    def share(text: str, option: str) -> Decimal:
        value = need(text, option)
        if value > 1:
            raise InputError(Problem(f"a share is 0 to 1 (0.05 for 5%), got {text}",
                                     field=option, code="advise.bad-number"))
        return value

    assumptions = Assumptions(
        cost_of_capital=need(cost_of_capital, "--cost-of-capital"),
        dwell_days=need(dwell_days, "--dwell-days"),
        drawback_months=need(drawback_months, "--drawback-months"),
        waste_share=None if waste_share is None else share(waste_share, "--waste-share"),
        software=need(software, "--software-cost"), staff=need(staff, "--staff-cost"),
        bond_fees=need(bond_fees, "--bond-fees"), activation=need(activation, "--activation-cost"),
    )
    advice = advise_roi(context(ctx), imports, exports_file=exports, product_hts=product_hts,
                        finished_origin=finished_origin, assumptions=assumptions, bom_file=bom)
    if html is not None:
        html.write_text(roi_html(advice.document()), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(advice.document(), indent=2))
        return
    _print_roi(advice)


def _print_roi(advice: RoiAdvice) -> None:
    doc = advice.document()
    table = Table(title=f"Does a zone pay? {doc['period']['start']} to {doc['period']['end']}")
    for column in ("saving", "period", "annualized", "derivation"):
        table.add_column(column)
    for s in doc["savings"]:
        table.add_row(s["kind"], money_or(s["amount"]), money_or(s["annualized"]), s["derivation"])
    console = Console()
    console.print(table)
    payback = doc["payback_months"]
    console.print(f"net annual {money_or(doc['net_annual'])}; payback "
                  f"{'never' if payback is None else payback + ' months'}; 5-year NPV "
                  f"{money_or(doc['npv_5y'])}; verdict: {doc['verdict']}")
    for reason in doc["verdict_reasons"]:
        console.print(f"- {reason}", markup=False)


SCENARIO_HELP = (
    "NAME:key=value;... (repeatable). Keys: entered=DATE (entry date, default the admission "
    "date), components=PCT (points added to the components' own rates), origins=CN|VN (whom "
    "'components' reaches; default all), across=PCT (a new duty on every entry), product=PCT "
    "(change of the finished product's rate), overrides_freeze=yes (the change reaches PF goods "
    "admitted earlier)."
)
_KEYS = ("entered", "components", "origins", "across", "product", "overrides_freeze")


def parse_scenario(text: str, admitted: date) -> Scenario:
    """`--scenario` text -> Scenario; InputError naming the bad part."""
    def bad(reason: str) -> InputError:
        return InputError(Problem(f"scenario {text!r}: {reason}", field="--scenario",
                                  code="advise.whatif.bad-scenario"))

    name, _, spec = text.partition(":")
    if not name.strip():
        raise bad("give it a name: NAME:key=value;...")
    values: dict[str, str] = {}
    for part in spec.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in _KEYS:
            raise bad(f"{part.strip()!r}: want one of {', '.join(_KEYS)} as key=value")
        values[key] = value.strip()
    try:
        def pct(key: str) -> Decimal:
            return parse_decimal(values[key]) if key in values else Decimal(0)

        origins = None
        if "origins" in values:
            origins = frozenset(o.strip().upper() for o in values["origins"].split("|")
                                if o.strip())
            if not origins:
                raise ValueError("origins= names no country (CN|VN...)")
        flag = values.get("overrides_freeze", "no").lower()
        if flag not in ("yes", "true", "1", "no", "false", "0"):
            raise ValueError(f"overrides_freeze={flag!r}: yes or no")
        return Scenario(
            name=name.strip(),
            entered_on=parse_date(values["entered"]) if "entered" in values else admitted,
            components=pct("components"),
            origins=origins,
            across=pct("across"),
            product=pct("product"),
            overrides_freeze=flag in ("yes", "true", "1"),
        )
    except ValueError as error:
        raise bad(str(error)) from None


@advise_app.command("whatif")
def whatif(
    ctx: typer.Context,
    product_hts: Annotated[str, typer.Option("--product-hts", help="HTS of the finished product.")],
    components: Annotated[Path, typer.Option("--components", help="The components CSV of "
                                             "`advise status`.")],
    admitted: Annotated[str, typer.Option("--admitted", help="Admission date (PF freeze).")],
    scenario: Annotated[list[str] | None, typer.Option("--scenario", help=SCENARIO_HELP)] = None,
    finished_origin: Annotated[str | None, typer.Option("--finished-origin")] = None,
    as_json: JsonOption = False,
) -> None:
    """Each election's duty under rate-change scenarios: break-even and the robust choice
    (19 CFR 146.65(a): PF frozen at admission, NPF at the rates on entry)."""
    on = date_option(admitted, "--admitted")
    scenarios = [parse_scenario(text, on) for text in scenario or []]
    advice = advise_whatif(context(ctx), product_hts, components, on, scenarios,
                           finished_origin=finished_origin)
    if as_json:
        typer.echo(json.dumps(advice.document(), indent=2))
        return
    _print_whatif(advice)


def _print_whatif(advice: WhatIfAdvice) -> None:
    doc = advice.document()
    table = Table(title=f"What if? {doc['product_hts']} admitted {doc['admitted_on']}")
    table.add_column("part")
    for s in doc["scenarios"]:
        table.add_column(f"{s['name']}\nPF / NPF")
    table.add_column("robust")
    for c in doc["components"]:
        cells = [f"{money_or(o['duty_per_unit_pf'])} / "
                 f"{'PF only' if c['mandatory_pf'] else money_or(o['duty_per_unit_npf'])}"
                 for o in c["outcomes"]]
        table.add_row(c["part"], *cells, c["robust"])
    console = Console()
    console.print(table)
    for c in doc["components"]:
        for reason in c["reasons"]:
            console.print(f"{c['part']}: {reason}", markup=False)
