"""Which duties, taxes and fees paid on an import line drawback can refund.

19 CFR 190.3(a): ordinary duties, internal revenue taxes, MPF and HMF are refundable;
190.3(b) and 19 U.S.C. 1677h: never antidumping/countervailing duties. Trade-action duties
follow the instrument that imposed them:

- duty: eligible, 190.3(a)(1) ordinary customs duties.
- duty_301: eligible; Section 301 duties are duties imposed on importation and the USTR
  notices exclude no drawback.
- duty_232: conditional, so excluded by default. By action: most proclamations deny
  drawback; the 2026-04-02 steel/aluminum/copper proclamation (cl. 13) allows 1313(a)/(b)
  only. A line does not say which action, so the conservative answer is "not claimed"
  unless the tariff engine's `Measure.drawback_eligible` says otherwise.
- duty_122: eligible; the Section 122 surcharge is a duty imposed on importation and its
  proclamation excludes no drawback.
- duty_ieepa: conditional, so excluded. Reciprocal duties (EO 14257) are eligible, the
  fentanyl/border orders (EO 14193-14195: "No drawback shall be available") are not, and one
  column cannot tell them apart: give duty_ieepa_reciprocal / duty_ieepa_fentanyl instead.
- duty_adcvd: never (190.3(b)).
- mpf: eligible (190.3(a)(4)), apportioned by relative value (190.51(b)(2)).
- hmf: eligible (190.3(a)(5)).

The shell may pass a `MeasurePolicy` built from the tariff engine's measures (the engine
knows the heading and its `drawback_eligible`); this table is the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from zonekeeper.drawback.records import ClaimType


class ImportCharge(StrEnum):
    """A duty, tax or fee column of an import line: what drawback may refund (190.3). Not
    a duty quote's `duty.DutyComponent` (a priced line of a quote) nor an entry document's
    `zone.entries.EntryComponent` (its copy), nor a rate's `tariff.expressions.RateTerm`."""

    DUTY = "duty"
    S301 = "duty_301"
    S232 = "duty_232"
    S122 = "duty_122"
    IEEPA = "duty_ieepa"
    IEEPA_RECIPROCAL = "duty_ieepa_reciprocal"
    IEEPA_FENTANYL = "duty_ieepa_fentanyl"
    ADCVD = "duty_adcvd"
    MPF = "mpf"
    HMF = "hmf"


class DutyClass(StrEnum):
    """A class of duty, tax or fee that the substitution lesser-of compares with itself.

    190.32(b) and 190.22(a)(1)(ii) limit drawback to 99% of the lesser of what the import
    paid and what the exported (or substituted) article would owe if imported, and
    190.51(b)(2)(v) (MPF) and 190.51(b)(4) (duties, taxes and fees) apply that limit to each
    amount on its own: customs duties against customs duties (ordinary, Section 301, 232,
    122 and IEEPA duties are all customs duties on importation, 190.3(a)(1)), MPF against
    MPF, HMF against HMF. Internal revenue taxes would be a class each; the import file
    carries none.
    """

    DUTY = "duty"
    MPF = "mpf"
    HMF = "hmf"


def duty_class(component: ImportCharge) -> DutyClass:
    """The class a paid component is compared within (see `DutyClass`)."""
    if component is ImportCharge.MPF:
        return DutyClass.MPF
    if component is ImportCharge.HMF:
        return DutyClass.HMF
    return DutyClass.DUTY


@dataclass(frozen=True)
class Eligibility:
    """Whether a component is refundable, and the citation that says so."""

    eligible: bool
    reason: str


class MeasurePolicy(Protocol):
    """Decides a component's eligibility for one import line (hts, origin, date, claim type)."""

    def eligibility(
        self, component: ImportCharge, hts: str, origin: str | None, on: date, claim: ClaimType
    ) -> Eligibility: ...


_TABLE: dict[ImportCharge, Eligibility] = {
    ImportCharge.DUTY: Eligibility(True, "ordinary duty, 19 CFR 190.3(a)(1)"),
    ImportCharge.S301: Eligibility(True, "Section 301 duty, 19 CFR 190.3(a)(1)"),
    ImportCharge.S232: Eligibility(
        False,
        "Section 232: eligibility depends on the action (conditional); not claimed "
        "without the action's drawback rule",
    ),
    ImportCharge.S122: Eligibility(True, "Section 122 surcharge, 19 CFR 190.3(a)(1)"),
    ImportCharge.IEEPA: Eligibility(
        False,
        "IEEPA: reciprocal duties are eligible but fentanyl/border duties are not "
        "(EO 14193-14195); give duty_ieepa_reciprocal / duty_ieepa_fentanyl to claim",
    ),
    ImportCharge.IEEPA_RECIPROCAL: Eligibility(True, "IEEPA reciprocal duty (EO 14257)"),
    ImportCharge.IEEPA_FENTANYL: Eligibility(
        False, "IEEPA fentanyl/border duty: 'No drawback shall be available' (EO 14193-14195)"
    ),
    ImportCharge.ADCVD: Eligibility(False, "AD/CVD never refundable, 19 CFR 190.3(b)"),
    ImportCharge.MPF: Eligibility(True, "MPF, 19 CFR 190.3(a)(4), 190.51(b)(2)"),
    ImportCharge.HMF: Eligibility(True, "HMF, 19 CFR 190.3(a)(5)"),
}


class DefaultPolicy:
    """The documented table above, independent of code, origin and date."""

    def eligibility(
        self, component: ImportCharge, hts: str, origin: str | None, on: date, claim: ClaimType
    ) -> Eligibility:
        return _TABLE[component]
