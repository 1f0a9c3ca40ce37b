"""Quote the duty on one entry line: every component with its source, or why it cannot be had.

A line's duty is the sum of its components (the UK duty-calculator model):
- **base**: the rate of the HTS line in force (HTSUS General Notes 3(a)-(c)): the Column 1
  General rate; the Special rate when a claimed program is granted (`tariff.spi`); the
  Column 2 rate for goods of a General Note 3(b) country (Cuba, North Korea, Russia,
  Belarus), for which no preference can be claimed;
- each **Chapter 99 measure** that attaches to the goods and origin on the date
  (`tariff.measures`: Section 301, 232, 122, IEEPA), after the stacking rules;
- each **AD/CVD** case the user names, at the cash-deposit rate they supply.

Each component is rounded to the cent half up (19 CFR 159.1 as CBP reports each tariff
ordinal of a line) and the line duty is the sum of the rounded components, so the figures a
user sees add up. A component that cannot be computed (a rate text the parser cannot read,
a metal-content value not supplied) makes the line's duty `None` with the reason — never 0.

Dates (architecture rule 3): `on` is the date the rule applies to (entry filing date for
NPF and ordinary goods, 19 CFR 146.65(a)(2)). With `frozen_on` (privileged-foreign freeze,
146.65(a)(1)) the classification, base rate and measures are taken as of `frozen_on`, except
measures marked `overrides_pf_freeze`, which are taken as of `on`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from types import MappingProxyType
from typing import NamedTuple

from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import ZERO, cents, in_money_context, usd
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.countries import iso_alpha2, parse_country
from zonekeeper.tariff.expressions import Basis, Rate
from zonekeeper.tariff.measures import AdcvdCase, Measure, Program
from zonekeeper.tariff.schedule import Revision, TariffLine
from zonekeeper.tariff.units import CONTENT_UNITS, QUANTITY_KEYS, REPORTING_UNITS, UNITS, convert

MODES = ("vessel", "air", "truck", "rail", "mail")
_EXCLUSION_HEADING = re.compile(r"9903\.88\.\d\d")
HUNDRED = Decimal(100)
_EMPTY: Mapping[str, Decimal] = MappingProxyType({})


@dataclass(frozen=True)
class LineItem:
    """One line to price: HTS, origin (ISO alpha-2), customs value (USD) and what rates need.

    `quantities` are keyed by canonical unit (`tariff.units.UNITS`: `kg`, `each`, `liter`...),
    by the content a Unit of Quantity counts (`molybdenum_kg` for `Mo kg`: read as content)
    or by a reporting unit no rate uses (`kg_cmsc`: kept); `tariff.units.read_unit`;
    `content` by content key (`steel`, `aluminum`, `copper`: USD value of the metal content;
    `copper_kg`: kg of copper content; see `tariff.expressions`).
    """

    hts: str
    origin: str
    value: Decimal
    quantities: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY)
    spi: str | None = None
    mode: str | None = None
    content: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY)
    adcvd: tuple[AdcvdCase, ...] = ()
    claims: tuple[str, ...] = ()  # Section 301 exclusion headings claimed (9903.88.69)


@dataclass(frozen=True)
class DutyComponent:
    """One priced part of a line's duty (base rate, a Chapter 99 measure, AD/CVD) and where it
    comes from. An entry document keeps a copy (`zone.entries.EntryComponent`); drawback's
    paid columns are `drawback.measures.ImportCharge`."""

    program: Program
    heading: str  # HTS rate line (base) or Chapter 99 heading or AD/CVD case number
    rate: str  # the rate text as published (or as the measure data states it)
    basis: str  # what the rate was applied to
    amount: Decimal  # rounded to the cent
    exact: Decimal  # unrounded
    source: str  # citation: revision, line and column; proclamation and note; case
    drawback_eligible: bool | None = None  # None = conditional (domain.md §5)


@dataclass(frozen=True)
class LineQuote:
    """The priced line. `duty` is None when any component cannot be computed."""

    item: LineItem
    components: tuple[DutyComponent, ...]
    duty: Decimal | None
    cannot_compute: tuple[str, ...]
    warnings: tuple[str, ...]
    revision: str
    hts: str = ""  # the resolved code, dotted
    column: str = "General"  # General | Special (SPI) | Column 2
    pf_required: tuple[str, ...] = ()  # reasons goods admitted on the date must be PF
    # The stable code of each warning, in the same order (`WARNING_CODES`): what a client
    # acts on, where the text is for people.
    warning_codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.warning_codes) != len(self.warnings):
            raise ValueError("every warning of a line has its code")

    @property
    def notices(self) -> tuple[Problem, ...]:
        """The warnings as Problems of severity "warning", each with its code."""
        return tuple(Problem(text, code=code, severity="warning")
                     for text, code in zip(self.warnings, self.warning_codes, strict=True))


def item_problems(
    item: LineItem, row: int | None = None, file: str | None = None
) -> tuple[LineItem, list[Problem]]:
    """What can be checked without the tariff, checked once: the item with its origin
    normalised (`cn` -> `CN`), and every problem found (empty: the item is good)."""
    problems: list[Problem] = []
    origin = item.origin
    if origin not in iso_alpha2():  # the common case (a valid upper-case code) stays cheap
        try:
            origin = parse_country(item.origin, file=file, row=row)
        except InputError as error:
            problems.extend(error.problems)
    if item.value < 0:
        problems.append(Problem(f"value must not be negative: {item.value}", file, row, "value",
                                code="duty.line.negative-value"))  # fmt: skip
    if item.mode is not None and item.mode not in MODES:
        problems.append(
            Problem(f"unknown mode {item.mode!r} (one of {', '.join(MODES)})", file, row, "mode",
                    code="duty.line.unknown-mode")  # fmt: skip
        )
    for unit, quantity in item.quantities.items():
        if unit not in QUANTITY_KEYS:
            problems.append(Problem(f"unknown unit {unit!r}", file, row, "quantity",
                                    code="duty.line.unknown-unit"))  # fmt: skip
        elif quantity < 0:
            problems.append(Problem(f"negative quantity {quantity} {unit}", file, row, "quantity",
                                    code="duty.line.negative-quantity"))  # fmt: skip
    for key, amount in item.content.items():
        if amount < 0:
            problems.append(Problem(f"negative content {key}={amount}", file, row, "content",
                                    code="duty.line.negative-content"))  # fmt: skip
    for claim in item.claims:
        if _EXCLUSION_HEADING.fullmatch(claim) is None:
            problems.append(
                Problem(
                    f"claimed exclusion {claim!r} is not a Section 301 exclusion heading "
                    f"(9903.88.xx, e.g. 9903.88.69: U.S. note 20(vvv))", file, row,
                    "claim-exclusion", code="duty.claim-exclusion.not-a-heading",
                )
            )  # fmt: skip
    if origin != item.origin and not problems:
        item = LineItem(
            item.hts, origin, item.value, item.quantities, item.spi, item.mode,
            item.content, item.adcvd, item.claims,
        )  # fmt: skip
    return item, problems


def validate_item(item: LineItem, row: int | None = None, file: str | None = None) -> LineItem:
    """`item_problems`, raising one InputError with every problem."""
    item, problems = item_problems(item, row, file)
    if problems:
        raise InputError(problems)
    return item


def _base_rate(
    tariff: Tariff, line: TariffLine, code: str, origin: str, spi: str | None, on: date,
    warnings: list[str],
) -> tuple[Rate, str, str | None]:
    """The base rate, the column it comes from and the granted SPI (General Note 3)."""
    column2 = tariff.column2_applies(origin, on)
    if column2 is not None:
        if spi:
            warnings.append(
                f"SPI {spi} refused: goods of {origin} take Column 2 rates "
                f"({column2.source}); no preference applies"
            )
        return line.column2, "Column 2", None
    if spi:
        decision = tariff.programs.decide(spi, origin, on, line.special, code, general=line.general)
        warnings.extend(decision.warnings)
        if decision.rate is not None:
            return decision.rate, f"Special ({decision.spi})", decision.spi
        warnings.append(f"{decision.refused}; General rate applied")
    return line.general, "General", None


def _check_quantities(plan: _Plan, item: LineItem) -> None:
    """A specific rate needs its quantity: missing is bad input (exit 2), not a guess."""
    missing = [need for need in plan.unit_needs if convert(item.quantities, need) is None]
    if missing:
        # A statistical unit the user gave (`kg cmsc` of a milk line) is not the rate's unit:
        # say so, or the user wonders why the quantity they typed was not enough.
        reporting = [unit for unit in item.quantities if unit in REPORTING_UNITS]
        note = (
            f"; {', '.join(reporting)} {'is a unit' if len(reporting) == 1 else 'are units'} "
            f"of the statistical reporting that no rate uses"
            if reporting else ""
        )  # fmt: skip
        raise InputError(
            Problem(
                f"HTS {plan.code} rate {plan.rate.text!r} needs the quantity in "
                f"{', '.join(missing)} (e.g. "
                f"{' '.join(f'--qty 12 {unit}' for unit in missing)}; in an entry CSV: "
                f"{', '.join(f'qty_{unit}' for unit in missing)}){note}",
                field="quantity",
                code="duty.line.quantity-needed",
            )
        )


class _Priced(NamedTuple):
    """A measure with what pricing needs precomputed (no per-quote property lookups)."""

    measure: Measure
    shape: str  # ad_valorem | content | floor | partial (value less 232 metal content)
    pct: Decimal
    key: str | None
    source: str


def _priced(measure: Measure, cited: str) -> _Priced:
    shape: str = measure.shape
    if shape == "ad_valorem" and Program.SECTION232 in measure.not_with:
        shape = "partial"
    return _Priced(
        measure, shape, measure.pct, measure.content_key, f"{cited}; {measure.source}",
    )  # fmt: skip


def _edition(name: str) -> str:
    """A revision's name as a citation: `HTS 2026 Revision 3`; an imported revision named
    otherwise is marked as the HTSUS."""
    return name if name.upper().startswith("HTS") else f"HTSUS {name}"


def _heading_cited(tariff: Tariff, heading: str, applied_on: date) -> str:
    """Where a Chapter 99 heading is printed: the revision in force on the date the measure
    was applied (`HTS 2026 Revision 3, heading 9903.88.01`), so a reader can look it up in
    the edition the duty was computed under. A heading the loaded revision does not print
    yet (a measure proclaimed after it was published) says so; the measure's own source
    (proclamation, note) follows in the component's source."""
    try:
        revision = tariff.schedule.revision_on(applied_on)
    except CannotCompute:
        return f"HTSUS heading {heading}"
    if revision.get_digits(heading.replace(".", "")) is None:
        return (
            f"heading {heading}, not printed in {_edition(revision.name)} (the revision "
            f"in force on {applied_on.isoformat()})"
        )
    return f"{_edition(revision.name)}, heading {heading}"


def _measure_component(
    priced: _Priced,
    basis: Basis,
    value_text: str,
    base_exact: Decimal | None,
    content_excluded: Decimal | None,
) -> tuple[Decimal, str]:
    """Unrounded amount of a measure and the text of what it was applied to."""
    shape = priced.shape
    if shape == "ad_valorem":
        return basis.value * priced.pct / HUNDRED, value_text
    if shape == "content":
        key = priced.key
        assert key is not None
        exact = priced.measure.rate.amount(basis)  # CannotCompute when the content is missing
        return exact, f"{key} content {usd(basis.content[key])}"
    if shape == "floor":
        if base_exact is None:
            raise CannotCompute(
                f"{priced.measure.heading} needs the base duty, which cannot be computed"
            )
        floor = basis.value * priced.pct / HUNDRED
        return max(floor - base_exact, ZERO), f"{value_text} (floor less base duty)"
    if content_excluded is None:
        raise CannotCompute(
            f"{priced.measure.heading} applies only to the value not subject to Section 232, "
            f"which needs the metal content value (--content KIND=USD)"
        )
    if not content_excluded:
        return basis.value * priced.pct / HUNDRED, value_text
    remainder = max(basis.value - content_excluded, ZERO)
    text = f"{value_text} less 232 metal content {usd(content_excluded)}"
    return remainder * priced.pct / HUNDRED, text


def _measures(
    tariff: Tariff, code: str, origin: str, on: date, frozen_on: date | None, spi: str | None,
    claims: frozenset[str] = frozenset(),
) -> tuple[list[Measure], list[tuple[str, list[str]]]]:
    """Measures by the PF freeze rule (146.65(a)(1)): frozen ones, plus overriding ones now;
    `claims`: the Section 301 exclusion headings the entry claims. The warnings come in
    runs, each with its code: the measures' own (`MEASURE`), the freeze's (`PF_FREEZE`)."""
    book = tariff.measures
    if frozen_on is None or frozen_on == on:
        found, said = book.applicable(code, origin, on, spi=spi, claims=claims)
        return found, [(MEASURE, said)]
    then, warnings = book.applicable(code, origin, frozen_on, spi=spi, claims=claims)
    now, later = book.applicable(code, origin, on, spi=spi, claims=claims)
    overriding = [m for m in now if m.overrides_pf_freeze]
    # A measure that reaches earlier PF admissions replaces its program's frozen duty (e.g.
    # the April 2026 metals annexes replace the 2025 content-based 232 rates).
    replaced = {m.program for m in overriding}
    kept = [m for m in then if not m.overrides_pf_freeze and m.program not in replaced]
    freeze: list[str] = []
    for m in then:
        if m.program in replaced and not m.overrides_pf_freeze:
            freeze.append(f"{m.heading} (frozen at PF) replaced by the overriding measure")
    for m in overriding:
        freeze.append(
            f"{m.heading} applies at its rate on {on.isoformat()} despite the PF freeze of "
            f"{frozen_on.isoformat()} (the measure overrides the freeze: {m.source})"
        )
    said = [*warnings, *freeze]
    now_said = [w for w in later if w not in said and any(o.heading in w for o in overriding)]
    return kept + overriding, [(MEASURE, warnings), (PF_FREEZE, freeze), (MEASURE, now_said)]


class _Plan(NamedTuple):
    """Everything about a line that depends on the tariff but not on value or quantities:
    classification, base rate, measures after stacking, warnings, PF reasons. Cached per
    (code, origin, dates, SPI) so that pricing many lines does no lookups twice."""

    line: TariffLine
    revision: str
    code: str
    rate: Rate
    unit_needs: tuple[str, ...]
    column: str
    rate_line: str  # the dotted code the rates are printed on
    base_source: str
    measures: tuple[Measure, ...]
    priced: tuple[_Priced, ...]
    metal_keys: tuple[str, ...]  # content keys of content-based 232 measures
    needs: tuple[str, ...]  # everything the base rate needs beyond the value, sorted
    warnings: tuple[str, ...]
    warning_codes: tuple[str, ...]  # of each warning, in order (`WARNING_CODES`)
    pf_reasons: tuple[str, ...]


# The codes of a line's warnings (docs/problems.md), by what says them.
TARIFF_DATA = "duty.line.tariff-data"  # the loaded revisions: a stand-in, or none newer
PREFERENCE = "duty.line.preference"  # the SPI claimed: refused, or to be confirmed
MEASURE = "duty.line.measure"  # Chapter 99: not stacked, exempt, excluded, displaced...
PF_FREEZE = "duty.line.pf-freeze"  # 19 CFR 146.65(a)(1): a measure overrides the freeze
RENUMBERED = "duty.line.renumbered"  # a list names codes the revision no longer has
CONTENT_UNUSED = "duty.line.content-unused"  # a metal content given, levied by nothing
WARNING_CODES = (TARIFF_DATA, PREFERENCE, MEASURE, PF_FREEZE, RENUMBERED, CONTENT_UNUSED)

_PLAN_LIMIT = 65_536  # plans kept per tariff; the least recently used goes first when full

PlanOf = Callable[[str, str, str | None, date, date | None, tuple[str, ...]], _Plan]


def _plans(tariff: Tariff) -> PlanOf:
    """The tariff's plan of each (hts, origin, spi, date, freeze date, exclusions claimed),
    kept in its own caches (`Tariff.caches`: two tariffs in one process never share a plan).
    A C-level `lru_cache` per tariff: a warm quote finds its plan in one call, as it did when
    the cache was process-wide (a dict looked up in Python cost a warm quote 6-14%)."""
    plan_of: PlanOf | None = tariff.caches.get("duty.plans")
    if plan_of is None:
        plan_of = tariff.caches["duty.plans"] = lru_cache(maxsize=_PLAN_LIMIT)(
            partial(_make_plan, tariff)
        )
    return plan_of


_PRICED_LIMIT = 262_144  # priced measures kept per tariff; emptied when full


def _priced_of(tariff: Tariff) -> dict[tuple[str, date], _Priced]:
    """The tariff's priced measures by (measure, date applied): the plans of one day share
    their measures, and a measure's citation (the revision in force that day) is the same
    in each. Bounded: a server quoting across years of dates would otherwise keep every
    (measure, day) it ever priced; when full the memo starts again (cheaper per lookup than
    an LRU's bookkeeping, and a priced measure is quick to make again)."""
    found: dict[tuple[str, date], _Priced] | None = tariff.caches.get("duty.priced")
    if found is None or len(found) >= _PRICED_LIMIT:
        found = tariff.caches["duty.priced"] = {}
    return found


def _make_plan(
    tariff: Tariff, hts: str, origin: str, spi: str | None, on: date, frozen_on: date | None,
    claims: tuple[str, ...] = (),
) -> _Plan:
    classified_on = frozen_on or on
    line, revision = tariff.schedule.line(hts, classified_on)
    code = line.code.dotted
    rate_line = line.rate_code.dotted
    base_warnings: list[str] = []
    rate, column, granted = _base_rate(tariff, line, code, origin, spi, classified_on,
                                       base_warnings)
    measures, measure_warnings = _measures(tariff, code, origin, on, frozen_on, granted,
                                          frozenset(claims))
    coded: dict[str, str] = {}  # each text once, with the code it was first said with
    for code_of, texts in (
        (TARIFF_DATA, tariff.schedule.notes(revision, classified_on)),
        (PREFERENCE, base_warnings),
        *measure_warnings,
        (RENUMBERED, _stale_warnings(tariff, revision, code, origin, on, measures)),
    ):
        for text in texts:
            coded.setdefault(text, code_of)
    pf_reasons: list[str] = []
    metal_keys: list[str] = []
    priced: list[_Priced] = []
    priced_of = _priced_of(tariff)
    for m in measures:
        if m.pf_required_from is not None and m.pf_required_from <= classified_on:
            pf_reasons.append(f"{m.heading} ({m.title}) from {m.pf_required_from}")
        if m.program is Program.SECTION232:
            key = m.content_key
            if key is not None:
                metal_keys.append(key)
        applied_on = on if frozen_on is None or m.overrides_pf_freeze else frozen_on
        found = priced_of.get((m.id, applied_on))
        if found is None:
            found = priced_of[m.id, applied_on] = _priced(
                m, _heading_cited(tariff, m.heading, applied_on))
        priced.append(found)
    needs = tuple(sorted(rate.needs)) if rate.components else ()  # no components: no needs
    return _Plan(
        line=line,
        revision=revision.name,
        code=code,
        rate=rate,
        unit_needs=tuple(need for need in needs if need in UNITS),
        column=column,
        rate_line=rate_line,
        base_source=f"{_edition(revision.name)}, {rate_line}, {column} rate",
        measures=tuple(measures),
        priced=tuple(priced),
        metal_keys=tuple(metal_keys),
        needs=needs,
        warnings=tuple(coded),
        warning_codes=tuple(coded.values()),
        pf_reasons=tuple(pf_reasons),
    )


@in_money_context
def quote_line(
    tariff: Tariff, item: LineItem, on: date, *, frozen_on: date | None = None
) -> LineQuote:
    """Price one line on `on` (frozen at `frozen_on` for PF goods). See the module docstring.

    Raises InputError for bad input (unknown HTS, bad country, negative value, a missing
    quantity a specific rate needs). Never raises CannotCompute: a component that cannot be
    computed — or the whole line, when no tariff revision is loaded for the date (e.g. a PF
    freeze before the first shipped revision) — is reported in `cannot_compute` and the
    duty is None.
    """
    valid, problems = item_problems(item)
    if problems:
        raise InputError(problems)
    return _quote(tariff, valid, on, frozen_on)


@in_money_context
def quote_valid(
    tariff: Tariff, item: LineItem, on: date, *, frozen_on: date | None = None
) -> LineQuote:
    """`quote_line` of an item `item_problems` already found good (not checked again):
    raises InputError only for what the tariff decides (the HTS code, the SPI, a quantity
    the rate needs)."""
    return _quote(tariff, item, on, frozen_on)


def _quote(tariff: Tariff, item: LineItem, on: date, frozen_on: date | None) -> LineQuote:
    spi = item.spi.strip().upper() if item.spi else None
    try:
        plan = _plans(tariff)(item.hts, item.origin, spi, on, frozen_on, item.claims)
    except CannotCompute as error:  # no revision loaded for the date: nothing to classify
        return LineQuote(
            item=item,
            components=(),
            duty=None,
            cannot_compute=(_automatic(error.reason),),
            warnings=(),
            revision="",
            hts=item.hts,
        )
    rate, column = plan.rate, plan.column
    if plan.unit_needs:
        _check_quantities(plan, item)
    cannot: list[str] = []
    components: list[DutyComponent] = []
    basis = Basis(item.value, item.quantities, _content(item))
    value_text = f"value {usd(item.value)}"
    base_exact: Decimal | None = None
    try:
        base_exact = rate.amount(basis)
        components.append(
            DutyComponent(
                Program.BASE, plan.rate_line, rate.text or "(none)",
                _base_basis(plan.needs, basis, value_text) if plan.needs else value_text,
                cents(base_exact), base_exact, plan.base_source, drawback_eligible=True,
            )
        )  # fmt: skip
    except CannotCompute as error:
        cannot.append(f"base {plan.rate_line} ({column}): {_automatic(error.reason)}")

    content_excluded = _content_excluded(plan.metal_keys, basis) if plan.metal_keys else ZERO
    for priced in plan.priced:
        try:
            exact, basis_text = _measure_component(
                priced, basis, value_text, base_exact, content_excluded
            )
        except CannotCompute as error:
            measure = priced.measure
            cannot.append(f"{measure.heading} ({measure.title}): {_automatic(error.reason)}")
            continue
        measure = priced.measure
        components.append(
            DutyComponent(
                measure.program, measure.heading, measure.rate.text, basis_text, cents(exact),
                exact, priced.source, measure.drawback_eligible,
            )
        )  # fmt: skip
    for case in item.adcvd:
        exact = item.value * case.rate_pct / HUNDRED
        components.append(
            DutyComponent(
                Program.ADCVD, case.case, f"{case.rate_pct}% ({case.kind} cash deposit)",
                value_text, cents(exact), exact,
                f"{case.kind} order {case.case}: user-supplied cash-deposit rate "
                f"(19 USC {'1673' if case.kind == 'AD' else '1671'})",
                drawback_eligible=False,
            )
        )  # fmt: skip
    duty = None if cannot else sum((c.amount for c in components), ZERO)
    pf_reasons = plan.pf_reasons
    if item.adcvd:
        pf_reasons += tuple(f"{c.kind} order {c.case} (15 CFR 400.13(c))" for c in item.adcvd)
    return LineQuote(
        item=item,
        components=tuple(components),
        duty=duty,
        cannot_compute=tuple(cannot),
        warnings=plan.warnings,
        warning_codes=plan.warning_codes,
        revision=plan.revision,
        hts=plan.code,
        column=column,
        pf_required=pf_reasons,
    )


def content_keys_used(
    tariff: Tariff, item: LineItem, on: date, *, frozen_on: date | None = None
) -> frozenset[str]:
    """The content keys the line's base rate and applicable measures can use (what a quote
    of `item` reads from `item.content`); empty when the line cannot be classified."""
    spi = item.spi.strip().upper() if item.spi else None
    try:
        plan = _plans(tariff)(item.hts, item.origin, spi, on, frozen_on, item.claims)
    except CannotCompute:
        return frozenset()
    used = set(plan.needs) | set(plan.metal_keys)
    if plan.rate.cap_key is not None:
        used.add(plan.rate.cap_key)
    for measure in plan.measures:
        used |= measure.rate.needs
    return frozenset(used)


def _content(item: LineItem) -> Mapping[str, Decimal]:
    """The content the rates read: a quantity given in a content Unit of Quantity (`Mo kg`
    -> `molybdenum_kg`) is content of the goods; a value given as content wins over it."""
    counted = {k: v for k, v in item.quantities.items() if k in CONTENT_UNITS}
    return {**counted, **item.content} if counted else item.content


def _automatic(reason: str) -> str:
    prefix = "cannot compute automatically"
    return reason if reason.startswith(prefix) else f"{prefix}: {reason}"


def _base_basis(needs: tuple[str, ...], basis: Basis, value_text: str) -> str:
    parts = [value_text]
    for need in needs:
        if need in UNITS:
            parts.append(f"{convert(basis.quantities, need)} {need}")
        elif need in basis.content:
            parts.append(f"{need} {basis.content[need]}")
    return "; ".join(parts)


def _content_excluded(keys: tuple[str, ...], basis: Basis) -> Decimal | None:
    """Metal content already dutiable under a content-based 232 measure (None = unknown)."""
    total = ZERO
    for key in keys:
        found = basis.content.get(key)
        if found is None:
            return None
        total += found
    return total


def _stale_warnings(
    tariff: Tariff,
    revision: Revision,
    code: str,
    origin: str,
    on: date,
    applied: list[Measure],
) -> list[str]:
    """Listed codes in this subheading that the revision no longer has (renumbered codes),
    for programs that do not already apply to the goods."""
    prefixes = tariff.measures.hs6_prefixes(code)
    if not prefixes or code.replace(".", "")[:6] not in _renumbered(tariff, revision):
        return []  # every listed code of the subheading is in the revision (nearly every line)
    # a prefix that is not a code the schedule could hold counts as present: nothing to say
    absent = revision.lacking(p for p in prefixes if len(p) in _CODE_SIZES)
    exists = {p: p not in absent for p in prefixes}
    applied_headings = frozenset(m.heading for m in applied)
    programs = _programs_of(tariff, applied_headings)
    by_prefix: dict[str, list[str]] = {}
    for measure, prefix in tariff.measures.stale_list_codes(code, origin, on, exists):
        if measure.heading in applied_headings or measure.program in programs:
            continue
        by_prefix.setdefault(prefix, []).append(measure.heading)
    return [
        f"{', '.join(dict.fromkeys(headings))} list {prefix}, which is not in {revision.name}: "
        f"goods renumbered since the list was published may now fall under {code} — check a "
        f"concordance"
        for prefix, headings in by_prefix.items()
    ]


def _programs_of(tariff: Tariff, headings: frozenset[str]) -> set[Program]:
    found = (tariff.measures.by_heading(h) for h in headings)
    return {m.program for m in found if m is not None}


_CODE_SIZES = frozenset({2, 4, 6, 8, 10})  # the digits of a chapter ... statistical line


def _renumbered(tariff: Tariff, revision: Revision) -> frozenset[str]:
    """The subheadings (6 digits) where a listed code of 8+ digits is not in `revision`: one
    index per revision, built for every list at once on first use (`prepare`) and kept in
    the tariff's own caches."""
    per_tariff: dict[Revision, frozenset[str]] | None = tariff.caches.get("duty.renumbered")
    if per_tariff is None:
        per_tariff = tariff.caches["duty.renumbered"] = {}
    found = per_tariff.get(revision)
    if found is None:
        listed = (p for p in tariff.measures.list_codes() if len(p) in _CODE_SIZES)
        found = per_tariff[revision] = frozenset(p[:6] for p in revision.lacking(listed))
    return found


def forget_plans(tariff: Tariff) -> None:
    """Drop the tariff's cached plans, so the next quote of each line computes it from
    scratch (what the benchmark's cold passes measure)."""
    tariff.caches.pop("duty.plans", None)
    tariff.caches.pop("duty.priced", None)


def prepare(tariff: Tariff) -> None:
    """Build the per-tariff indexes quoting reads (else built on the first quote that needs
    them): which subheadings hold list codes a revision lacks, for every loaded revision
    already made (a revision of the history not yet read gets its index on its first
    quote: preparing it here would read every revision since 2021)."""
    for revision in tariff.schedule.revisions:
        if revision.made:
            _renumbered(tariff, revision)
