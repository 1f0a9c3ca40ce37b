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

And what the drawback files need from the tariff when they are read: `heading_programs`
(the program of a Chapter 99 heading, from the measures), `schedule_check` (an HTS number
no loaded revision has, with the nearest ones), `statistical_warnings` (a 10-digit number
no revision has under a known subheading).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from zonekeeper.drawback.measures import DefaultPolicy, DutyClass, Eligibility, ImportCharge
from zonekeeper.drawback.ports import Owed
from zonekeeper.drawback.records import ClaimType, ImportLine
from zonekeeper.duty import LineItem, quote_line
from zonekeeper.entry_fees import mpf_up_to_cap
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.tariff import Program, Tariff
from zonekeeper.tariff.codes import HtsCode
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

    def merchandise(self, hts: str, on: date) -> str:
        """What a claim line calls the designated merchandise (190.51(a)(2)(viii)): the
        8-digit description and the 10-digit one, each once, joined by " - "."""
        found = [self.own_description(hts[:n], on) for n in (8, 10)]
        return " - ".join(dict.fromkeys(t for t in found if t))


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
            applied.append(f"MPF {terms.rate * 100:f}% up to {terms.maximum} (24.23(b)(1)(i))"
                           + (f"; {terms.caveat}" if terms.caveat else ""))
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


_CHARGE = {
    Program.SECTION301: ImportCharge.S301, Program.SECTION232: ImportCharge.S232,
    Program.SECTION122: ImportCharge.S122, Program.IEEPA: ImportCharge.IEEPA,
    Program.ADCVD: ImportCharge.ADCVD,
}


def heading_programs(tariff: Tariff) -> Callable[[str], ImportCharge | None]:
    """The charge a Chapter 99 heading (digits) adds to an import line, from the tariff's
    measures (its program: 301, 232, 122, IEEPA, AD/CVD); None for a heading it does not
    know. An ES-003 tariff-ordinal row's duty goes to that charge (190.51(a)(2)(vii))."""

    def program(heading: str) -> ImportCharge | None:
        dotted = f"{heading[:4]}.{heading[4:6]}.{heading[6:8]}"
        measure = tariff.measures.by_heading(dotted) or tariff.measures.by_heading(heading)
        return _CHARGE.get(measure.program) if measure is not None else None

    return program


def schedule_check(schedule: Schedule) -> Callable[[str], str | None]:
    """Why an HTS number (digits) is in no loaded revision (its 8-digit subheading), else None.

    Every loaded revision is searched, not only the one in force on the record's date: an
    older entry may use a subheading a later revision dropped, and the date is checked by
    the rules. A 10-digit suffix alone is not refused (revisions renumber statistical
    lines); `statistical_warnings` names such import rows.
    """
    seen: dict[str, str | None] = {}

    def check(digits: str) -> str | None:
        code8 = digits[:8]
        if code8 not in seen:
            found = any(rev.get(code8) is not None or rev.under(code8)
                        for rev in schedule.revisions)
            if found or not schedule.revisions:
                seen[code8] = None
            else:
                last = schedule.revisions[-1]
                near = ", ".join(c.dotted for c in last.nearest(code8, 6)
                                 if not c.digits.startswith("99"))
                seen[code8] = (f"HTS subheading {HtsCode.parse(code8).dotted} is in no loaded "
                               f"HTS revision ({schedule.revisions[0].name} to {last.name})"
                               + (f"; nearest: {near}" if near else ""))
        return seen[code8]

    return check


def statistical_warnings(
    imports: Sequence[ImportLine], schedule: Schedule, file: str | None = None,
) -> list[Problem]:
    """A warning per import row whose 10-digit number no loaded revision has (the "Other"
    rule of 190.2 reads the 10-digit line, so the user should check it)."""
    return [
        Problem(f"import entry {imp.entry_no} line {imp.line} (row {imp.row}): statistical "
                f"number {HtsCode.parse(imp.hts).dotted} is in no loaded HTS revision; check "
                "it (the 'Other' rule of 190.2 reads it)",
                file=file, row=imp.row, field="hts",
                code="drawback.imports.statistical-number-unknown", severity="warning")
        for imp in imports
        if len(imp.hts) == 10 and not any(rev.get(imp.hts) is not None
                                          for rev in schedule.revisions)
    ]
