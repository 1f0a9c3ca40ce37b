"""The drawback ports over the real tariff: HTS descriptions, would-owe duty, measure rules.

Pure once the `Tariff` is loaded (the shell loads it). Three adapters:
- `ScheduleDescriptions`: the line's own description in the revision in force on a date.
  An 8-digit subheading printed only as its single statistical line (`4202.92.10.00`)
  takes that line's description. Dates before the earliest loaded revision read the
  earliest one and say so in `notes` (the shipped HTS starts with the 2026 Basic Edition).
- `TariffEstimator`: what an article "would owe if imported" (190.22(a)(1)(ii), 190.32(b)):
  with a known origin, the full duty quote of `zonekeeper.duty` (base rate, measures); with
  no origin (the usual case for a domestic substitute), the Column 1 General rate of the
  article's own HTS line on its value and quantity. Duties that drawback would not refund
  (232, IEEPA fentanyl) are included: they "would apply". Plus MPF at the fiscal year's ad
  valorem rate up to the per-entry cap (24.23(b)(1)(i)); the floor is not added.
  A date before the earliest loaded revision cannot be priced (the demand is reported, not
  designated) unless the user opts in to estimating with the earliest revision's rates.
- `MeasureBookPolicy`: per-measure eligibility from the Chapter 99 measures in force on the
  import date for the line's code and origin, for the claim's type
  (`Measure.drawback_for(claim)`: e.g. the 2026-04-02 metals proclamation cl. 13 allows
  1313(a)/(b) manufacturing drawback only, so its duties are refunded on a 1313(a)/(b) claim
  and not on a 1313(j) or (c) claim); falls back to the documented table of `measures` when
  the engine cannot tell.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.drawback.measures import Component, DefaultPolicy, Eligibility
from zonekeeper.drawback.records import ClaimType
from zonekeeper.duty import LineItem, quote_line
from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.tariff import Program, Tariff
from zonekeeper.tariff.expressions import Basis
from zonekeeper.tariff.schedule import Revision, Schedule
from zonekeeper.tariff.units import quantity_unit_key


class ScheduleDescriptions:
    """`DescriptionSource` over a loaded `Schedule`."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.notes: set[str] = set()
        self._cache: dict[tuple[str, str], str | None] = {}

    def revision(self, on: date) -> Revision:
        try:
            return self.schedule.revision_on(on)
        except CannotCompute:
            first = self.schedule.revisions[0]
            self.notes.add(f"HTS descriptions for dates before {first.effective} read from "
                           f"{first.name} (the earliest loaded revision)")
            return first

    def own_description(self, code: str, on: date) -> str | None:
        revision = self.revision(on)
        key = (code, revision.name)
        if key not in self._cache:
            line = revision.get(code)
            if line is None and len(code) == 8:
                line = revision.get(code + "00")
            self._cache[key] = None if line is None else line.description
        return self._cache[key]


class TariffEstimator:
    """`DutyEstimator` over the tariff engine (see the module docstring)."""

    def __init__(self, tariff: Tariff, *, earliest_for_older: bool = False) -> None:
        self.tariff = tariff
        self.earliest_for_older = earliest_for_older
        self.notes: set[str] = set()

    def would_owe(
        self, hts: str, value: Decimal, quantity: Decimal, unit: str, on: date,
        origin: str | None,
    ) -> Decimal:
        first = self.tariff.schedule.revisions[0]
        if self.earliest_for_older and on < first.effective:
            # Opt-in estimate: the user accepts the earliest loaded rates for older dates.
            self.notes.add(f"lesser-of duty for dates before {first.effective} estimated "
                           f"with {first.name} Column 1 rates (--estimate-older-rates)")
            on, origin = first.effective, None
        try:
            duty = self._duty(hts, value, quantity, unit, on, origin)
        except InputError as error:
            raise CannotCompute("; ".join(p.reason for p in error.problems)) from None
        # 190.32(b)(1)(ii), 190.22(a)(1)(ii)(A)(2): "the duties, taxes, and fees that would
        # apply ... if imported": every duty the quote finds, refundable or not (190.3 limits
        # what is refunded on the import, not what would apply), and MPF ad valorem up to
        # the per-entry cap (19 CFR 24.23(b)(1)(i)). The floor is not added: a low-value
        # article may be entered informally at a lower fee (24.23(b)(1)(ii)); leaving it out
        # only lowers the limit.
        try:
            terms = self.tariff.fees.mpf_terms(on)
            mpf = min(terms.rate * value, terms.maximum)
        except CannotCompute:
            mpf = Decimal(0)  # leaving a fee out only lowers the limit: conservative
        return duty + mpf

    def _duty(
        self, hts: str, value: Decimal, quantity: Decimal, unit: str, on: date,
        origin: str | None,
    ) -> Decimal:
        quantities = {quantity_unit_key(unit): quantity} if unit else {}
        if origin:
            quote = quote_line(
                self.tariff, LineItem(hts=hts, origin=origin, value=value,
                                      quantities=quantities), on)
            if quote.duty is None:
                raise CannotCompute("; ".join(quote.cannot_compute))
            return Decimal(quote.duty)
        line, revision = self.tariff.schedule.line(hts, on)
        return line.general.amount(Basis(value=value, quantities=quantities))


_PROGRAM = {
    Component.S232: Program.SECTION232,
    Component.S301: Program.SECTION301,
    Component.S122: Program.SECTION122,
    Component.IEEPA: Program.IEEPA,
}


class MeasureBookPolicy:
    """`MeasurePolicy` reading `Measure.drawback_eligible` for the line's measures."""

    def __init__(self, tariff: Tariff) -> None:
        self.tariff = tariff
        self.fallback = DefaultPolicy()

    def eligibility(
        self, component: Component, hts: str, origin: str | None, on: date, claim: ClaimType
    ) -> Eligibility:
        default = self.fallback.eligibility(component, hts, origin, on, claim)
        program = _PROGRAM.get(component)
        if program is None or not origin:
            return default
        try:
            measures, _ = self.tariff.measures.applicable(hts, origin, on)
        except (CannotCompute, InputError):
            return default
        mine = [m for m in measures if m.program is program]
        if not mine:
            return default
        # Per claim type where the action says so (2026-04-02 metals proclamation cl. 13:
        # manufacturing drawback 1313(a)-(b) only): `Measure.drawback_for`.
        verdicts = {m.drawback_for(claim.value) for m in mine}
        limited = [m for m in mine if m.drawback_claims]
        if limited and verdicts == {False}:
            allowed = ", ".join(sorted({c for m in limited for c in m.drawback_claims}))
            return Eligibility(False, f"{', '.join(m.heading for m in mine)}: drawback only "
                                      f"under 1313 claim types {allowed}, not "
                                      f"{claim.provision} ({limited[0].source})")
        headings = ", ".join(m.heading for m in mine)
        if verdicts == {True}:
            return Eligibility(True, f"{headings}: drawback eligible under {claim.provision} "
                                     f"({mine[0].source})")
        if False in verdicts:
            denied = ", ".join(m.heading for m in mine if m.drawback_eligible is False)
            return Eligibility(False, f"{headings} apply; no drawback on {denied}, and the "
                                      "line's one amount cannot be split between them")
        return Eligibility(False, f"{headings}: drawback conditional on the action; not claimed")
