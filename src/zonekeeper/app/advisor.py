"""The advisor's use cases: `advise status` (the PF/NPF election per component) and
`advise roi` (whether a zone pays). Read the user's files, run the pure core
(`zonekeeper.advisor`) on the context's tariff, return the output documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

from zonekeeper.advisor.election import Advice, Component, Product, annual, elect
from zonekeeper.advisor.inverted import inverted_tariff
from zonekeeper.advisor.roi import Assumptions, Roi, assess
from zonekeeper.advisor.scenarios import Scenario, WhatIf, what_if
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.advisor import (
    AnnualDuty,
    ComponentAdvice,
    ComponentWhatIfOut,
    CostOut,
    OutcomeOut,
    Period,
    RoiAdvice,
    SavingOut,
    ScenarioOut,
    SensitivityOut,
    StatusAdvice,
    WhatIfAdvice,
)
from zonekeeper.errors import Collector, InputError, Problem
from zonekeeper.io.advisor_files import read_bom, read_components, read_exported, read_history
from zonekeeper.money import cents, in_money_context
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.countries import parse_country

NAIVE_NOTE = (
    "duty_per_unit_naive_npf treats every component as NPF at the finished product's rate, "
    "as published inverted-tariff examples do; components a measure requires to be PF "
    "(19 CFR 146.41 and the measure's FTZ clause) cannot be NPF, so the lawful figure is "
    "duty_per_unit"
)


def _check_codes(tariff: Tariff, file: str, components: list[Component], on: dt.date) -> None:
    """Refuse an HTS number the schedule in force on `on` does not price, row by row."""
    problems = []
    for row, c in enumerate(components, start=2):
        try:
            tariff.schedule.line(c.hts, on)
        except InputError as error:
            problems.append(Problem(error.problems[0].message, file=file, row=row, field="hts",
                                    code="advise.components.unknown-hts"))
    if problems:
        raise InputError(problems)


def _finished_origin(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return parse_country(text)
    except InputError as error:
        raise InputError(Problem(error.problems[0].message, field="--finished-origin",
                                 code="advise.bad-origin")) from None


def _share(export_share: Decimal | None) -> Decimal:
    share = Decimal(0) if export_share is None else export_share
    if not 0 <= share <= 1:
        raise InputError(Problem(f"must be between 0 and 1, got {share}", field="--export-share",
                                 code="advise.status.bad-export-share"))
    return share


def _components(tariff: Tariff, components_file: Path, product_hts: str,
                on: dt.date) -> list[Component]:
    """The components file, read and checked against the schedule in force on `on`."""
    components = read_components(components_file)
    try:
        tariff.schedule.line(product_hts, on)
    except InputError as error:
        raise InputError(Problem(error.problems[0].message, field="--product-hts",
                                 code="advise.unknown-product-hts")) from None
    _check_codes(tariff, str(components_file), components, on)
    return components


@in_money_context
def advise_status(
    context: Context,
    product_hts: str,
    components_file: Path,
    on: dt.date,
    *,
    finished_origin: str | None = None,
    volume: Decimal | None = None,
    export_share: Decimal | None = None,
) -> StatusAdvice:
    """The election per component admitted and entered on `on` (`advisor.election`)."""
    tariff = context.tariff
    share = _share(export_share)
    if volume is not None and volume < 0:
        raise InputError(Problem(f"must not be negative, got {volume}", field="--volume",
                                 code="advise.status.bad-volume"))
    components = _components(tariff, components_file, product_hts, on)
    origin = _finished_origin(finished_origin)
    advice = elect(tariff, Product(product_hts, origin), components, on)
    return status_document(advice, volume, share)


def _dotted(digits: str) -> str:
    """An HTS number as people write it (8537.10.91.70); the reader keeps digits."""
    try:
        return HtsCode.parse(digits).dotted
    except InputError:  # checked against the schedule already; kept as given if not
        return digits


def status_document(advice: Advice, volume: Decimal | None, share: Decimal) -> StatusAdvice:
    """The election as the `advise status` document."""
    yearly = None if volume is None else annual(advice, volume, share)
    notes = [
        "duty only: MPF and HMF are in `advise roi`; outside the zone each component pays its "
        "own duty at import, the figure PF freezes at admission",
    ]
    if advice.product.origin is None:
        notes.append("finished product's origin taken as each component's origin (give "
                     "--finished-origin when the zone's manufacture changes it)")
    notes += [f"finished product {problem}" for problem in advice.finished_problems]
    return StatusAdvice(
        product_hts=advice.product.hts,
        date=advice.on,
        finished_origin=advice.product.origin,
        components=[
            ComponentAdvice(
                part=e.component.part, hts=_dotted(e.component.hts), origin=e.component.origin,
                value_per_unit=e.component.value_per_unit, recommended=e.recommended,
                mandatory_pf=bool(e.mandatory_pf), mandatory_pf_under=list(e.mandatory_pf),
                duty_per_unit_pf=e.duty_pf, duty_per_unit_npf=e.duty_npf,
                duty_per_unit_npf_if_allowed=e.duty_npf_if_allowed, reasons=list(e.reasons),
            )  # fmt: skip
            for e in advice.components
        ],
        duty_per_unit=advice.duty_per_unit,
        duty_per_unit_all_pf=advice.duty_per_unit_all_pf,
        duty_per_unit_outside_zone=advice.duty_per_unit_outside_zone,
        duty_per_unit_naive_npf=advice.naive_npf,
        naive_npf_note=NAIVE_NOTE,
        annual=None if yearly is None else AnnualDuty(
            volume=yearly.volume, export_share=yearly.export_share,
            outside_zone=yearly.outside_zone, in_zone=yearly.in_zone,
            in_zone_all_pf=yearly.all_pf,
        ),  # fmt: skip
        annual_saving=None if yearly is None else yearly.saving,
        notes=notes,
    )


@in_money_context
def advise_roi(
    context: Context,
    imports_file: Path,
    *,
    exports_file: Path | None = None,
    product_hts: str | None = None,
    finished_origin: str | None = None,
    assumptions: Assumptions | None = None,
    bom_file: Path | None = None,
) -> RoiAdvice:
    """Whether a zone pays on the importer's history (`advisor.roi`); `bom_file` breaks
    exported finished products down into their imported components."""
    assumptions = assumptions or Assumptions()
    values = Collector()  # read the exports and the BOM too when the imports are refused
    lines = values.read(lambda: read_history(imports_file)) or []
    exports = (values.read(lambda: read_exported(exports_file)) or []
               if exports_file is not None else [])  # fmt: skip
    bom = (values.read(lambda: read_bom(bom_file)) or []
           if bom_file is not None else [])  # fmt: skip
    if not lines and not values.problems:
        values.problems.append(Problem("no import lines in the file: nothing to assess",
                                       file=str(imports_file), code="advise.imports.empty"))
    values.check()
    tariff = context.tariff
    inverted = None
    if product_hts is not None:
        inverted = inverted_tariff(tariff, lines, product_hts,
                                   _finished_origin(finished_origin))
    roi = assess(lines, exports, assumptions, tariff.fees.mpf_terms, inverted, bom)
    return roi_document(roi, assumptions)


def roi_document(roi: Roi, assumptions: Assumptions) -> RoiAdvice:
    return RoiAdvice(
        period=Period(start=roi.start, end=roi.end, days=roi.days),
        savings=[SavingOut(kind=s.kind, amount=s.amount, annualized=s.annualized,
                           derivation=s.derivation, alternative=s.alternative)
                 for s in roi.savings],
        costs=[CostOut(kind=c.kind, annual=c.annual, one_time=c.one_time,
                       derivation=c.derivation) for c in roi.costs],
        net_annual=roi.net_annual,
        payback_months=None if roi.payback_months is None else cents(roi.payback_months),
        npv_5y=roi.npv,
        verdict=roi.verdict,
        verdict_reasons=list(roi.reasons),
        sensitivity=[SensitivityOut(item=s.item, change_pct=s.change * 100,
                                    net_annual=s.net_annual) for s in roi.sensitivity],
        cumulative_cash=list(roi.cash),
        assumptions={k: str(v) for k, v in asdict(assumptions).items()},
    )


@in_money_context
def advise_whatif(
    context: Context,
    product_hts: str,
    components_file: Path,
    admitted_on: dt.date,
    scenarios: list[Scenario],
    *,
    finished_origin: str | None = None,
) -> WhatIfAdvice:
    """Each election under each scenario (`advisor.scenarios`); the first scenario is always
    entry on the admission date, the reference of the break-even."""
    tariff = context.tariff
    components = _components(tariff, components_file, product_hts, admitted_on)
    product = Product(product_hts, _finished_origin(finished_origin))
    every = [Scenario("entered at admission", admitted_on), *scenarios]
    problems = [Problem(f"scenario {s.name!r}: entry {s.entered_on} is before the admission "
                        f"{admitted_on}", field="--scenario", code="advise.whatif.entry-early")
                for s in every if s.entered_on < admitted_on]
    if problems:
        raise InputError(problems)
    return whatif_document(what_if(tariff, product, components, admitted_on, every))


def whatif_document(result: WhatIf) -> WhatIfAdvice:
    return WhatIfAdvice(
        product_hts=result.product.hts,
        admitted_on=result.admitted_on,
        scenarios=[ScenarioOut(
            name=s.name, entered_on=s.entered_on, components_pct=s.components,
            origins=None if s.origins is None else sorted(s.origins), across_pct=s.across,
            product_pct=s.product, overrides_freeze=s.overrides_freeze,
        ) for s in result.scenarios],  # fmt: skip
        components=[ComponentWhatIfOut(
            part=r.component.part, mandatory_pf=bool(r.mandatory_pf),
            mandatory_pf_under=list(r.mandatory_pf), robust=r.robust,
            best_in_every_scenario=r.always_best,
            break_even_pct=None if r.break_even_pct is None else cents(r.break_even_pct),
            outcomes=[OutcomeOut(scenario=o.scenario, duty_per_unit_pf=o.pf,
                                 duty_per_unit_npf=o.npf) for o in r.outcomes],
            reasons=list(r.reasons),
        ) for r in result.components],  # fmt: skip
        duty_per_unit_all_pf=list(result.totals_pf),
        duty_per_unit_robust=list(result.totals_robust),
    )
