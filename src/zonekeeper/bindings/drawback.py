"""The drawback ports over the real tariff: HTS descriptions, would-owe duty, measure rules.

Pure once the `Tariff` is loaded (the shell loads it). Three adapters:
- `ScheduleDescriptions`: the line's own description in the revision in force on a date.
  An 8-digit subheading printed only as its single statistical line (`4202.92.10.00`)
  takes that line's description. Dates before the earliest loaded revision read the
  earliest one and say so in `notes` (the shipped HTS starts with the 2026 Basic Edition).
- `TariffEstimator`: what an article "would owe if imported" (190.22(a)(1)(ii), 190.32(b)):
  with a known origin, the full duty quote of `zonekeeper.duty` (base rate, measures); with
  no origin (the usual case for a domestic substitute), the Column 1 General rate of the
  article's own HTS line on its value and quantity, plus the measures that apply whatever
  the origin (Section 122); country measures only from an origin. Duties that drawback
  would not refund (232, IEEPA fentanyl) are included: they "would apply". Plus MPF at
  the fiscal year's ad valorem rate up to the per-entry cap (24.23(b)(1)(i)); the floor
  is not added; nor is HMF (24.24: only cargo unloaded from a vessel owes it). Each
  class (duties, MPF) is returned on its own, with the derivation (`ports.Owed`).
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

from zonekeeper.drawback.measures import DefaultPolicy, DutyClass, Eligibility, ImportCharge
from zonekeeper.drawback.ports import Owed
from zonekeeper.drawback.records import ClaimType
from zonekeeper.duty import LineItem, quote_line
from zonekeeper.entry_fees import mpf_up_to_cap
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
    ) -> Owed:
        first = self.tariff.schedule.revisions[0]
        if self.earliest_for_older and on < first.effective:
            # Opt-in estimate: the user accepts the earliest loaded rates for older dates.
            self.notes.add(f"lesser-of duty for dates before {first.effective} estimated "
                           f"with {first.name} Column 1 rates (--estimate-older-rates)")
            on, origin = first.effective, None
        try:
            duty, applied = self._duty(hts, value, quantity, unit, on, origin)
        except InputError as error:
            raise CannotCompute("; ".join(p.message for p in error.problems)) from None
        # 190.32(b)(1)(ii), 190.22(a)(1)(ii)(A)(2): "the duties, taxes, and fees that would
        # apply ... if imported": every duty the quote finds, refundable or not (190.3 limits
        # what is refunded on the import, not what would apply), and MPF ad valorem up to
        # the per-entry cap (19 CFR 24.23(b)(1)(i)). The floor is not added: a low-value
        # article may be entered informally at a lower fee (24.23(b)(1)(ii)); leaving it out
        # only lowers the limit. HMF is not added either: it is owed only on cargo unloaded
        # from a vessel (24.24), and how the article would come in is not known.
        by_class = {DutyClass.DUTY: duty}
        try:
            terms = self.tariff.fees.mpf_terms(on)
            by_class[DutyClass.MPF] = mpf_up_to_cap(value, terms)
            applied.append(f"MPF {terms.rate * 100:f}% up to {terms.maximum} (24.23(b)(1)(i))")
        except CannotCompute as error:
            # Leaving a fee out only lowers the limit: conservative.
            applied.append(f"MPF left out: {error.reason}")
        applied.append("HMF not added (only cargo unloaded from a vessel owes it, 24.24)")
        return Owed(by_class, "; ".join(applied))

    def _duty(
        self, hts: str, value: Decimal, quantity: Decimal, unit: str, on: date,
        origin: str | None,
    ) -> tuple[Decimal, list[str]]:
        """Customs duties the article would owe, and the rates and measures applied.

        With an origin, the full quote (base rate and every measure for that origin). Without
        one, the Column 1 General rate and only the measures that apply whatever the origin
        (a Section 122 surcharge, a Section 232 action without country lists); measures
        that name countries (301, IEEPA, a 232 with exceptions) are not applied, which only
        lowers the limit.
        """
        quantities = {quantity_unit_key(unit): quantity} if unit else {}
        if origin:
            quote = quote_line(
                self.tariff, LineItem(hts=hts, origin=origin, value=value,
                                      quantities=quantities), on)
            if quote.duty is None:
                raise CannotCompute("; ".join(quote.cannot_compute))
            applied = [f"origin {origin}: " + ", ".join(
                f"{c.heading} {c.rate}" for c in quote.components)]
            return Decimal(quote.duty), applied
        line, revision = self.tariff.schedule.line(hts, on)
        basis = Basis(value=value, quantities=quantities)
        duty = line.general.amount(basis)
        applied = [f"no origin: Column 1 General {line.general.text or '(none)'} "
                   f"({revision.name})"]
        try:
            measures, _ = self.tariff.measures.applicable(hts, "", on)
        except (CannotCompute, InputError):
            measures = []
        for measure in measures:
            if measure.countries is not None or measure.except_countries:
                continue
            try:
                if measure.content_key is not None:
                    raise CannotCompute(f"needs the {measure.content_key} content value")
                amount = measure.rate.amount(basis)
            except CannotCompute as error:
                applied.append(f"{measure.heading} ({measure.title}) left out: "
                               f"{error.reason}")
                continue
            duty += amount
            applied.append(f"{measure.heading} {measure.rate.text} ({measure.title}; "
                           "applies whatever the origin)")
        return duty, applied


_PROGRAM = {
    ImportCharge.S232: Program.SECTION232,
    ImportCharge.S301: Program.SECTION301,
    ImportCharge.S122: Program.SECTION122,
    ImportCharge.IEEPA: Program.IEEPA,
}


class MeasureBookPolicy:
    """`MeasurePolicy` reading `Measure.drawback_eligible` for the line's measures."""

    def __init__(self, tariff: Tariff) -> None:
        self.tariff = tariff
        self.fallback = DefaultPolicy()

    def eligibility(
        self, component: ImportCharge, hts: str, origin: str | None, on: date, claim: ClaimType
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
