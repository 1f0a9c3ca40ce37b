"""The advisor's documents: `advise status` (the election per component) and `advise roi`
(whether a zone pays). Money is `Money` (cent strings, null where it cannot be computed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from zonekeeper.app.outputs import Money, Output


class ComponentAdvice(Output):
    """One component: both elections per finished unit, whether the law forces PF and under
    which measures, the recommendation and why. `duty_per_unit_npf` is null where NPF is
    not lawful; `duty_per_unit_npf_if_allowed` is that figure with the law set aside."""

    part: str
    hts: str
    origin: str
    value_per_unit: Money
    recommended: Literal["PF", "NPF"]
    mandatory_pf: bool
    mandatory_pf_under: list[str]
    duty_per_unit_pf: Money
    duty_per_unit_npf: Money
    duty_per_unit_npf_if_allowed: Money
    reasons: list[str]


class AnnualDuty(Output):
    volume: Decimal
    export_share: Decimal
    outside_zone: Money
    in_zone: Money
    in_zone_all_pf: Money


class StatusAdvice(Output):
    """`advise status --json`: duty only (MPF and HMF are `advise roi`'s)."""

    product_hts: str
    date: dt.date
    finished_origin: str | None
    components: list[ComponentAdvice]
    duty_per_unit: Money
    duty_per_unit_all_pf: Money
    duty_per_unit_outside_zone: Money
    duty_per_unit_naive_npf: Money
    naive_npf_note: str
    annual: AnnualDuty | None
    annual_saving: Money
    notes: list[str]


class Period(Output):
    start: dt.date
    end: dt.date
    days: int


class SavingOut(Output):
    kind: str
    amount: Money
    annualized: Money
    derivation: str
    alternative: Money = None


class CostOut(Output):
    kind: str
    annual: Money
    one_time: Money
    derivation: str


class SensitivityOut(Output):
    item: str
    change_pct: Decimal
    net_annual: Money


class RoiAdvice(Output):
    """`advise roi --json`: each saving over the data's period and annualized, the costs,
    the net, payback (null when the zone never pays back), the NPV and the verdict."""

    period: Period
    savings: list[SavingOut]
    costs: list[CostOut]
    net_annual: Money
    payback_months: Decimal | None
    npv_5y: Money
    verdict: str
    verdict_reasons: list[str]
    sensitivity: list[SensitivityOut]
    cumulative_cash: list[Money]
    assumptions: dict[str, str]


class ScenarioOut(Output):
    name: str
    entered_on: dt.date
    components_pct: Decimal
    origins: list[str] | None
    across_pct: Decimal
    product_pct: Decimal
    overrides_freeze: bool


class OutcomeOut(Output):
    scenario: str
    duty_per_unit_pf: Money
    duty_per_unit_npf: Money


class ComponentWhatIfOut(Output):
    part: str
    mandatory_pf: bool
    mandatory_pf_under: list[str]
    robust: Literal["PF", "NPF"]
    best_in_every_scenario: bool
    break_even_pct: Decimal | None
    outcomes: list[OutcomeOut]
    reasons: list[str]


class WhatIfAdvice(Output):
    """`advise whatif --json`: each election's duty per unit under each scenario."""

    product_hts: str
    admitted_on: dt.date
    scenarios: list[ScenarioOut]
    components: list[ComponentWhatIfOut]
    duty_per_unit_all_pf: list[Money]
    duty_per_unit_robust: list[Money]
