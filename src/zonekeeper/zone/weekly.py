"""Weekly entry of a zone's removals for consumption (19 CFR 146.63(c); 19 USC 1484(i)).

When merchandise is made in the zone to its condition as entered, the importer may file one
estimated entry (CBP Form 3461) for a calendar week's removals, on or before its first day,
and a supplemental estimate before actual removals exceed it (146.63(c)(1)). Within 10
business days after the week, one entry summary (CBP Form 7501, entry type 06) covers what
was actually removed. That week counts as **one entry for MPF**: the floor and cap apply
once (19 USC 1484(i); 19 CFR 24.23), on the value of the foreign merchandise only
(19 USC 58c(b)(8)(D)(vi)). HMF is not charged on withdrawals — for a zone it is owed at
admission (19 CFR 146.22(e), 24.24; see `zone.hmf`).

Entry-summary lines group the week's removals by HTS, origin, zone status, SPI and PF date;
each line is priced once, on its summed value and quantity (duty is rounded per line). A
summary holds at most 998 lines: beyond that the week is filed as several entry summaries,
and each is its own entry for MPF (each has its own entry number and floor/cap).

Filed one by one, the same shipments would each be an entry with its own MPF floor and cap;
`single_entries` computes that, so the user sees what the weekly entry saves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zonekeeper.dates import FIRST_DAY, LAST_DAY
from zonekeeper.entry_fees import mpf_due
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import ZERO, cents, in_money_context
from zonekeeper.workdays import working_days_after
from zonekeeper.zone.entries import (
    ENTRY_TYPE_FTZ_CONSUMPTION,
    MAX_SUMMARY_LINES,
    FeeTable,
    MpfCharge,
    MpfTerms,
    Quoter,
    mpf_charge,
)
from zonekeeper.zone.withdrawal_duty import (
    NO_DUTY_REASONS,
    EntryLine,
    Removal,
    RemovalDisposition,
    line_parts,
    price,
    refusal,
    total_duty,
)

SUMMARY_DUE_BUSINESS_DAYS = 10  # 19 CFR 146.63(c); 19 CFR 142.12(b)


@dataclass(frozen=True, order=True)
class Week:
    """An ISO calendar week, Monday to Sunday, written `2026-W32`."""

    year: int
    number: int

    @staticmethod
    def parse(text: str) -> Week:
        cleaned = text.strip().upper()
        try:
            year_text, week_text = cleaned.split("-W")
            week = Week(int(year_text), int(week_text))
            week.start  # noqa: B018 - validates the week number
        except ValueError:
            raise InputError(
                Problem(
                    f"not an ISO week: {text!r} (write YYYY-Www, e.g. 2026-W32)",
                    field="week",
                    code="weekly.week",
                )
            ) from None
        if not Week.of(FIRST_DAY) <= week <= Week.of(LAST_DAY):  # `dates.LAST_DAY`: why
            raise InputError(Problem(
                f"a week out of range ({Week.of(FIRST_DAY)} to {Week.of(LAST_DAY)}): {text!r}",
                field="week", code="weekly.week"))
        return week

    @staticmethod
    def of(day: date) -> Week:
        iso = day.isocalendar()
        return Week(iso.year, iso.week)

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def summary_due(week: Week) -> date:
    """The entry summary is due within 10 business days after the week (146.63(c))."""
    return working_days_after(week.end, SUMMARY_DUE_BUSINESS_DAYS)


# ------------------------------------------------------------ estimate and supplemental


@dataclass(frozen=True)
class EstimateLine:
    """Units of one article expected to be removed, with zone and dutiable value (3461
    schedule). A filed estimate read back from the broker's file carries units alone: its
    values are None (not known here), never 0."""

    part: str
    hts: str
    quantity: Decimal
    unit: str
    zone_value: Decimal | None
    dutiable_value: Decimal | None


@dataclass(frozen=True)
class EstimatedEntry:
    """CBP Form 3461 data for a week: the original estimate or a supplemental one."""

    week: Week
    filed_on: date
    lines: tuple[EstimateLine, ...]
    supplemental: bool = False

    def units(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            out[line.part] += line.quantity
        return dict(out)


@dataclass(frozen=True)
class Overrun:
    """Actual removals of an article beyond its estimate: a supplemental 3461 was needed."""

    part: str
    estimated: Decimal
    removed: Decimal
    exceeded_on: date  # the removal that went past the estimate
    covered: bool  # a supplemental filed on or before that day covers it

    @property
    @in_money_context
    def excess(self) -> Decimal:
        return self.removed - self.estimated


@in_money_context
def overruns(
    week: Week, estimates: Sequence[EstimatedEntry], removals: Iterable[Removal]
) -> list[Overrun]:
    """Articles whose removals went past the estimate, and whether a supplemental covered them.

    146.63(c)(1): an additional 3461 must be filed "before their removal from the zone". A
    supplemental counts for removals on or after its filing date.
    """
    originals = [e for e in estimates if e.week == week and not e.supplemental]
    supplementals = [e for e in estimates if e.week == week and e.supplemental]
    base: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for est in originals:
        for part, qty in est.units().items():
            base[part] += qty
    removed: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for r in removals:
        if r.disposition is RemovalDisposition.CONSUMPTION and r.date in week:
            removed[r.part].append((r.date, r.quantity))

    def allowed(part: str, day: date) -> Decimal:
        extra = (s.units().get(part, ZERO) for s in supplementals if s.filed_on <= day)
        return base[part] + sum(extra, ZERO)

    found: list[Overrun] = []
    for part, moves in sorted(removed.items()):
        running = ZERO
        first_over: date | None = None
        uncovered: date | None = None
        for day, qty in sorted(moves):
            running += qty
            if running > base[part] and first_over is None:
                first_over = day
            if running > allowed(part, day):
                uncovered = day
                break
        if first_over is not None:
            total = sum((q for _, q in moves), ZERO)
            found.append(
                Overrun(part, base[part], total, uncovered or first_over, uncovered is None)
            )
    return found


@in_money_context
def estimate_from_removals(
    week: Week, removals: Iterable[Removal], filed_on: date, *, supplemental: bool = False
) -> EstimatedEntry:
    """A 3461 schedule built from removals (e.g. last week's pattern, or the excess units).
    A line's zone value is None (not known) if a removal in it has none: a sum that left
    it out would understate the value the estimate declares."""
    lines: dict[tuple[str, str, str], tuple[Decimal, Decimal | None, Decimal]] = {}
    for r in removals:
        if r.disposition is not RemovalDisposition.CONSUMPTION:
            continue
        key = (r.part, r.hts, r.unit)
        qty, zone_value, dutiable = lines.get(key, (ZERO, ZERO, ZERO))
        lines[key] = (
            qty + r.quantity,
            None if zone_value is None or r.zone_value is None else zone_value + r.zone_value,
            dutiable + r.composition.foreign_value,
        )
    return EstimatedEntry(
        week=week,
        filed_on=filed_on,
        lines=tuple(
            EstimateLine(part, hts, qty, unit, zv, dv)
            for (part, hts, unit), (qty, zv, dv) in sorted(lines.items())
        ),
        supplemental=supplemental,
    )


def supplemental_for(
    week: Week, found: Sequence[Overrun], removals: Sequence[Removal]
) -> EstimatedEntry | None:
    """The supplemental 3461 the uncovered overruns needed: the excess units, valued at the
    week's average zone and dutiable value per unit, due before the removal that exceeded
    the estimate (146.63(c)(1))."""
    uncovered = [o for o in found if not o.covered and o.excess > ZERO]
    if not uncovered:
        return None
    pattern = estimate_from_removals(week, removals, week.start)
    by_part = {line.part: line for line in pattern.lines}
    lines = []
    for over in uncovered:
        base = by_part.get(over.part)
        if base is None or base.quantity <= ZERO:
            continue
        share = over.excess / base.quantity
        zone_value, dutiable = base.zone_value, base.dutiable_value
        lines.append(
            EstimateLine(
                over.part,
                base.hts,
                over.excess,
                base.unit,
                None if zone_value is None else zone_value * share,
                None if dutiable is None else dutiable * share,
            )
        )
    filed_on = min(o.exceeded_on for o in uncovered)
    return EstimatedEntry(week, filed_on, tuple(lines), supplemental=True)


# ------------------------------------------------------------------- the entry summary


@dataclass(frozen=True)
class NumberedLine:
    """An entry line with its line number on its entry summary."""

    number: int
    line: EntryLine


@dataclass(frozen=True)
class EntrySummary:
    """One entry summary (7501 data, type 06): at most 998 lines, MPF once."""

    sequence: int  # 1 for the first summary of the week, 2.. for the split ones
    lines: tuple[NumberedLine, ...]
    mpf: MpfCharge

    @property
    @in_money_context
    def foreign_value(self) -> Decimal:
        return sum((n.line.value for n in self.lines), ZERO)

    @property
    @in_money_context
    def duty(self) -> Decimal | None:
        return total_duty([n.line for n in self.lines])

    @property
    @in_money_context
    def total(self) -> Decimal | None:
        duty = self.duty
        return None if duty is None else duty + self.mpf.amount


@dataclass(frozen=True, slots=True)
class SingleEntry:
    """One shipment entered on its own (a type 06 entry per removal) — for comparison."""

    shipment_no: str
    entry_date: date
    foreign_value: Decimal
    mpf: Decimal
    bound: str  # which of ad valorem / minimum / maximum set the fee


@dataclass(frozen=True)
class SingleEntryComparison:
    """MPF the same shipments would pay entered one by one, against the weekly entry."""

    entries: tuple[SingleEntry, ...]
    weekly_mpf: Decimal

    @property
    @in_money_context
    def single_mpf(self) -> Decimal:
        return sum((e.mpf for e in self.entries), ZERO)

    @property
    @in_money_context
    def saving(self) -> Decimal:
        return self.single_mpf - self.weekly_mpf


@dataclass(frozen=True)
class NotEntered:
    """A removal in the week that is not part of the consumption entry, with the reason."""

    shipment_no: str
    date: date
    part: str
    quantity: Decimal
    disposition: RemovalDisposition
    reason: str


@dataclass(frozen=True)
class WeeklyEntry:
    """A week's type-06 entry: estimate(s), entry summaries, and what it saves in MPF."""

    week: Week
    entry_date: date  # rate date for NPF lines: the estimated entry's filing (146.65(a)(2))
    summary_date: date  # entry summary filing date: fixes the MPF fiscal year
    summary_due: date
    summaries: tuple[EntrySummary, ...]
    not_entered: tuple[NotEntered, ...]
    domestic_value: Decimal
    waste_value: Decimal
    removals: int
    overruns: tuple[Overrun, ...]
    single_entries: SingleEntryComparison
    supplemental: EstimatedEntry | None = None  # 3461 data for units beyond the estimate
    zone: str = ""
    entry_type: str = ENTRY_TYPE_FTZ_CONSUMPTION

    @property
    def lines(self) -> tuple[NumberedLine, ...]:
        return tuple(n for s in self.summaries for n in s.lines)

    @property
    @in_money_context
    def foreign_value(self) -> Decimal:
        return sum((s.foreign_value for s in self.summaries), ZERO)

    @property
    @in_money_context
    def duty(self) -> Decimal | None:
        return total_duty([n.line for n in self.lines])

    @property
    @in_money_context
    def mpf(self) -> Decimal:
        return sum((s.mpf.amount for s in self.summaries), ZERO)

    @property
    @in_money_context
    def total(self) -> Decimal | None:
        duty = self.duty
        return None if duty is None else duty + self.mpf

    @property
    def cannot_compute(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for n in self.lines for r in n.line.cannot_compute))


def single_entries(
    removals: Iterable[Removal], fees: FeeTable, weekly_mpf: Decimal
) -> SingleEntryComparison:
    """Each shipment as its own entry, filed on its removal date, MPF floor/cap each time."""
    by_shipment: dict[str, list[Any]] = {}
    for r in removals:
        if r.disposition is not RemovalDisposition.CONSUMPTION:
            continue
        comp = r.composition
        value = ZERO
        for pf in comp.pf:
            value += pf.value
        for npf in comp.npf:
            value += npf.value
        found = by_shipment.get(r.shipment_no)
        if found is None:
            by_shipment[r.shipment_no] = [r.date, value]
        else:
            found[0] = min(found[0], r.date)
            found[1] += value
    terms: dict[date, MpfTerms] = {}
    entries = []
    for no, (day, value) in by_shipment.items():
        if day not in terms:
            terms[day] = fees.mpf_terms(day)
        due = mpf_due(value, terms[day])
        entries.append(SingleEntry(no, day, value, due.amount, due.bound))
    return SingleEntryComparison(tuple(entries), weekly_mpf)


def chunk_lines(lines: Sequence[EntryLine], size: int = MAX_SUMMARY_LINES) -> list[list[EntryLine]]:
    """Split a week's lines into entry summaries of at most `size` lines each."""
    return [list(lines[i : i + size]) for i in range(0, len(lines), size)] or [[]]


@in_money_context
def weekly_entry(
    week: Week,
    removals: Sequence[Removal],
    quoter: Quoter,
    fees: FeeTable,
    *,
    entry_date: date | None = None,
    summary_date: date | None = None,
    estimates: Sequence[EstimatedEntry] = (),
    max_lines: int = MAX_SUMMARY_LINES,
    zone: str = "",
) -> WeeklyEntry:
    """Build the week's type-06 entry from its removals.

    `entry_date` (default: the week's first day, when the estimate is filed) is the date NPF
    lines take their rate from; `summary_date` (default: the due date) fixes MPF's fiscal
    year. Zone-restricted content refuses the whole entry with every problem listed.
    """
    entry_date = entry_date or week.start
    due = summary_due(week)
    summary_date = summary_date or due
    first, last = week.start, week.end
    in_week = [r for r in removals if first <= r.date <= last]
    problems = [p for p in (refusal(r) for r in in_week) if p is not None]
    if problems:
        raise InputError(problems)

    not_entered: list[NotEntered] = []
    domestic = waste = ZERO
    consumed = 0
    for r in in_week:
        if r.disposition is RemovalDisposition.CONSUMPTION:
            consumed += 1
            domestic += r.composition.domestic_value
            waste += r.composition.waste_value
        else:
            not_entered.append(
                NotEntered(
                    r.shipment_no,
                    r.date,
                    r.part,
                    r.quantity,
                    r.disposition,
                    NO_DUTY_REASONS[r.disposition],
                )
            )
    lines = [price(part, quoter, entry_date) for part in line_parts(in_week)]
    terms = fees.mpf_terms(summary_date)
    summaries = []
    for seq, chunk in enumerate(chunk_lines(lines, max_lines), start=1):
        numbered = tuple(NumberedLine(i, line) for i, line in enumerate(chunk, start=1))
        value = sum((line.value for line in chunk), ZERO)
        summaries.append(EntrySummary(seq, numbered, mpf_charge(value, terms)))
    weekly_mpf = sum((s.mpf.amount for s in summaries), ZERO)
    found_overruns = tuple(overruns(week, estimates, in_week)) if estimates else ()
    return WeeklyEntry(
        week=week,
        entry_date=entry_date,
        summary_date=summary_date,
        summary_due=due,
        summaries=tuple(summaries),
        not_entered=tuple(not_entered),
        domestic_value=domestic,
        waste_value=waste,
        removals=consumed,
        overruns=found_overruns,
        single_entries=single_entries(in_week, fees, cents(weekly_mpf)),
        supplemental=supplemental_for(week, found_overruns, in_week),
        zone=zone,
    )
