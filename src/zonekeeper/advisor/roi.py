"""Does a zone pay? The savings a Foreign-Trade Zone would have brought on the importer's own
history, its running costs, and the verdict (seed scenario 3, "FTZ economics").

Each saving carries its derivation and the rule it rests on:
- **exports**: goods exported from a zone never pay duty (19 CFR 146.67-146.68); outside a
  zone the duty is paid at import and, at best, 99% of it comes back as drawback months
  later (19 USC 1313; 19 CFR 190.51). Exported quantity is matched to the imports of the
  same part (or HTS number) at their average duty per unit, never more than was imported;
  an exported finished product is matched through its bill of materials, when given, to the
  imported components it carries.
- **inverted_tariff**: NPF content pays the finished product's rate on the filing date
  (146.65(a)(2)); lines a measure forces into PF (146.41, the measures' FTZ clauses) save
  nothing. Computed by `advisor.roi.inverted_tariff` where a finished product is given.
- **waste_scrap**: no duty on irrecoverable waste (19 USC 81c(a); 146.65(a)(1) "allowance
  for waste"), given the share of the imported value that ends as waste.
- **mpf_weekly_entry**: the MPF each entry paid (its `mpf`, or 19 CFR 24.23 computed per
  entry) against one weekly entry per week with consumption (146.63(c); 19 USC 1484(i)),
  with the floor and cap of each fiscal year (`entry_fees.mpf_due`).
- **deferral**: duty on goods entered for consumption is paid when they leave the zone,
  not at import: the duty times the cost of capital over the average dwell time.

Costs default to the middle of the seed's ranges (software $15k-50k, staff or consultant
$30k-80k, bond and fees $5k-15k a year); every one can be given. A saving that cannot be
computed is reported as such with its reason (amount None), never as 0, and is left out of
the net with a note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from zonekeeper.entry_fees import MpfBounds, mpf_due
from zonekeeper.errors import CannotCompute
from zonekeeper.money import ZERO, cents, in_money_context, usd

DAYS_PER_YEAR = Decimal(365)
MONTHS_PER_YEAR = Decimal(12)
DRAWBACK_SHARE = Decimal("0.99")  # 19 USC 1313(a), (b), (j): 99% of the duty paid
KINDS = ("exports", "inverted_tariff", "waste_scrap", "mpf_weekly_entry", "deferral")


@dataclass(frozen=True, slots=True)
class ImportedLine:
    """One line of a consumption entry the importer paid: duty is every duty component paid
    on it (ordinary and Chapter 99); `mpf` the entry's fee where the file gives it."""

    entry_no: str
    import_date: dt.date
    hts: str
    value: Decimal
    duty: Decimal
    quantity: Decimal
    origin: str | None = None
    part: str | None = None
    mpf: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ExportedGoods:
    """Goods that left the United States (or were destroyed) after import."""

    export_date: dt.date
    hts: str
    quantity: Decimal
    part: str | None = None


@dataclass(frozen=True, slots=True)
class BomLine:
    """One component of a finished product (a bill of materials row): so many units of an
    imported part in each unit of the product."""

    product: str
    part: str
    quantity_per_unit: Decimal


@dataclass(frozen=True)
class Assumptions:
    """What the history cannot say, each overridable (`advise roi --...`).

    Money per year in USD; `cost_of_capital` and `waste_share` as fractions."""

    cost_of_capital: Decimal = Decimal("0.08")
    dwell_days: Decimal = Decimal(30)
    drawback_months: Decimal = Decimal(6)
    waste_share: Decimal | None = None
    software: Decimal = Decimal(32500)
    staff: Decimal = Decimal(55000)
    bond_fees: Decimal = Decimal(10000)
    activation: Decimal = Decimal(25000)
    years: int = 5


@dataclass(frozen=True)
class Saving:
    """One source of saving over the data's period, annualized, with its derivation.

    `amount` None: not computable (the derivation says why). `alternative` is what the
    best non-zone route would have recovered (the drawback on exports), where there is one."""

    kind: str
    amount: Decimal | None
    annualized: Decimal | None
    derivation: str
    alternative: Decimal | None = None


@dataclass(frozen=True)
class Cost:
    kind: str
    annual: Decimal
    one_time: Decimal
    derivation: str


@dataclass(frozen=True)
class Sensitivity:
    """The net annual saving with one assumption moved by `change` (a fraction, +/-)."""

    item: str
    change: Decimal
    net_annual: Decimal


@dataclass(frozen=True)
class Roi:
    start: dt.date
    end: dt.date
    days: int
    savings: tuple[Saving, ...]
    costs: tuple[Cost, ...]
    net_annual: Decimal
    payback_months: Decimal | None
    npv: Decimal
    years: int
    verdict: str
    reasons: tuple[str, ...]
    sensitivity: tuple[Sensitivity, ...]
    cash: tuple[Decimal, ...] = field(default=())  # cumulative cash at the end of years 0..n


@dataclass(frozen=True)
class InvertedTariff:
    """The inverted-tariff saving computed against a finished product (`inverted_tariff`)."""

    amount: Decimal | None
    derivation: str


# --------------------------------------------------------------------------- savings


def _key(part: str | None, hts: str) -> str:
    return part or hts


def through_bom(exports: Sequence[ExportedGoods], bom: Sequence[BomLine],
                ) -> tuple[list[ExportedGoods], int]:
    """Exported finished goods as the imported components they carry: an export whose part
    is a product of the bill of materials becomes each component's quantity (exported units
    times the quantity per unit), on the export's date; other exports are kept as they are.
    One level: a component is matched to imports of its part. Also the number of exports
    so broken down."""
    components: dict[str, list[BomLine]] = defaultdict(list)
    for row in bom:
        components[row.product].append(row)
    out: list[ExportedGoods] = []
    exploded = 0
    for goods in exports:
        rows = components.get(goods.part or "")
        if not rows:
            out.append(goods)
            continue
        exploded += 1
        out += [ExportedGoods(goods.export_date, "", goods.quantity * row.quantity_per_unit,
                              row.part) for row in rows]
    return out, exploded


def exports_saving(
    lines: Sequence[ImportedLine], exports: Sequence[ExportedGoods], assumptions: Assumptions,
    bom: Sequence[BomLine] = (),
) -> tuple[Decimal, Decimal, str]:
    """Duty avoided on exported goods (146.67), the drawback alternative (99%, later), and
    the derivation. Exports are matched to imports of the same part, else HTS number; an
    exported finished product of the bill of materials `bom` through its components
    (`through_bom`): a zone never collects duty on the components of a product exported
    from it (146.67)."""
    given = len(exports)
    exports, exploded = through_bom(exports, bom)
    quantity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    duty: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        k = _key(line.part, line.hts)
        quantity[k] += line.quantity
        duty[k] += line.duty
    exported: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for goods in exports:
        exported[_key(goods.part, goods.hts)] += goods.quantity
    avoided = ZERO
    unmatched = ZERO
    for k, qty in exported.items():
        imported = quantity.get(k, ZERO)
        matched = min(qty, imported)
        unmatched += qty - matched
        if imported > 0:
            avoided += duty[k] * matched / imported
    years = assumptions.drawback_months / MONTHS_PER_YEAR
    drawback = avoided * DRAWBACK_SHARE
    present = drawback / (1 + assumptions.cost_of_capital * years)  # simple interest
    through = (f" ({exploded:,} of them finished products, matched through the bill of "
               "materials to their components)" if exploded else "")
    text = (
        f"{given:,} export record(s){through} matched to imports of the same part or HTS at "
        f"their average duty per unit: {usd(cents(avoided))} of duty a zone never collects "
        "(19 CFR 146.67). The drawback alternative refunds 99% of it "
        f"({usd(cents(drawback))}, 19 USC 1313) about {assumptions.drawback_months} months "
        f"after export, worth {usd(cents(present))} today at "
        f"{assumptions.cost_of_capital * 100}% a year"
    )
    if unmatched:
        text += f"; {unmatched} exported unit(s) match no import and were left out"
    if not exports:
        text = "no exports given (--exports): no duty avoided on exports counted"
    return avoided, drawback, text


def mpf_weekly_saving(
    lines: Sequence[ImportedLine], terms: Callable[[dt.date], MpfBounds]
) -> tuple[Decimal | None, str]:
    """MPF the entries paid minus one weekly entry's MPF per week with consumption: a weekly
    entry counts as one entry for MPF (19 CFR 146.63(c); 19 USC 1484(i)), charged at the
    rate within the floor and cap of the fiscal year of the week's first entry (19 CFR
    24.23(b)(1)(i); `entry_fees.mpf_due`). Weeks are ISO weeks (Monday to Sunday)."""
    value: dict[str, Decimal] = defaultdict(lambda: ZERO)
    given: dict[str, Decimal] = {}
    day: dict[str, dt.date] = {}
    for line in lines:
        value[line.entry_no] += line.value
        if line.mpf is not None:
            given[line.entry_no] = line.mpf
        first = day.get(line.entry_no)
        if first is None or line.import_date < first:
            day[line.entry_no] = line.import_date
    caveats: dict[str, None] = {}  # of the fee terms used, in order, once each

    def terms_on(on: dt.date) -> MpfBounds:
        used = terms(on)
        if used.caveat:
            caveats[used.caveat] = None
        return used

    try:
        paid = ZERO
        computed = 0
        for entry, total in value.items():
            fee = given.get(entry)
            if fee is None:
                fee = mpf_due(total, terms_on(day[entry])).amount
                computed += 1
            paid += fee
        weeks: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        week_day: dict[tuple[int, int], dt.date] = {}
        for entry, total in value.items():
            iso = day[entry].isocalendar()
            wk = (iso.year, iso.week)
            weeks[wk] += total
            if wk not in week_day or day[entry] < week_day[wk]:
                week_day[wk] = day[entry]
        weekly = sum((mpf_due(v, terms_on(week_day[w])).amount for w, v in weeks.items()),
                     ZERO)
    except CannotCompute as error:
        return None, f"MPF cannot be computed: {error.reason}"
    return paid - weekly, (
        f"{len(value):,} entries paid {usd(paid)} of MPF ({len(value) - computed:,} from the "
        f"file's mpf column, {computed:,} computed at 0.3464% within the fiscal year's floor "
        f"and cap, 19 CFR 24.23); {len(weeks):,} weekly entries (one per week with "
        f"consumption, 19 CFR 146.63(c), 19 USC 1484(i)) would have paid {usd(weekly)}"
        + "".join(f". {caveat}" for caveat in caveats)
    )


def _annualized(amount: Decimal | None, days: int) -> Decimal | None:
    return None if amount is None else cents(amount * DAYS_PER_YEAR / days)


def _npv(net: Decimal, one_time: Decimal, rate: Decimal, years: int) -> tuple[Decimal, ...]:
    """Cumulative discounted cash at the end of years 0..`years` (year 0: the one-time cost)."""
    cash = [-one_time]
    for year in range(1, years + 1):
        cash.append(cash[-1] + net / (1 + rate) ** year)
    return tuple(cents(c) for c in cash)


def _net(savings: Iterable[Decimal], costs: Iterable[Decimal]) -> Decimal:
    return sum(savings, ZERO) - sum(costs, ZERO)


@in_money_context
def assess(
    lines: Sequence[ImportedLine],
    exports: Sequence[ExportedGoods],
    assumptions: Assumptions,
    mpf_terms: Callable[[dt.date], MpfBounds],
    inverted: InvertedTariff | None = None,
    bom: Sequence[BomLine] = (),
) -> Roi:
    """The zone's economics over the period of `lines` (see the module docstring); `bom`
    breaks exported finished products down into their imported components."""
    if not lines:
        raise ValueError("no import lines: nothing to assess")
    start = min(line.import_date for line in lines)
    end = max(line.import_date for line in lines)
    days = (end - start).days + 1
    total_duty = sum((line.duty for line in lines), ZERO)
    avoided, drawback, export_text = exports_saving(lines, exports, assumptions, bom)
    consumed = total_duty - avoided
    savings: list[Saving] = [
        Saving("exports", cents(avoided), _annualized(avoided, days), export_text,
               cents(drawback)),
    ]
    if inverted is None:
        savings.append(Saving("inverted_tariff", None, None,
                              "not computed: give the finished product (--product-hts) made "
                              "from these imports to compare its rate (146.65(a)(2))"))
    else:
        share = ZERO if total_duty == ZERO else consumed / total_duty
        amount = None if inverted.amount is None else inverted.amount * share
        note = (f"; counted on the {cents(share * 100)}% of duty not already avoided by "
                "export" if avoided and amount is not None else "")
        savings.append(Saving("inverted_tariff", None if amount is None else cents(amount),
                              _annualized(amount, days), inverted.derivation + note))
    if assumptions.waste_share is None:
        savings.append(Saving("waste_scrap", None, None,
                              "not computed: give the share of imported value that ends as "
                              "irrecoverable waste (--waste-share) to count the duty a zone "
                              "does not charge on it (19 USC 81c(a))"))
    else:
        waste = consumed * assumptions.waste_share
        savings.append(Saving("waste_scrap", cents(waste), _annualized(waste, days),
                              f"{assumptions.waste_share * 100}% of the {usd(cents(consumed))} "
                              "duty on goods not exported is on waste, not dutiable in a "
                              "zone (19 USC 81c(a); 19 CFR 146.65(a)(1) allowance for waste)"))
    mpf, mpf_text = mpf_weekly_saving(lines, mpf_terms)
    savings.append(Saving("mpf_weekly_entry", None if mpf is None else cents(mpf),
                          _annualized(mpf, days), mpf_text))
    deferral = consumed * assumptions.cost_of_capital * assumptions.dwell_days / DAYS_PER_YEAR
    savings.append(Saving(
        "deferral", cents(deferral), _annualized(deferral, days),
        f"{usd(cents(consumed))} of duty on goods entered for consumption is paid on leaving "
        f"the zone, on average {assumptions.dwell_days} days later, at a cost of capital of "
        f"{assumptions.cost_of_capital * 100}% a year (19 CFR 146.63: duty is owed on entry)"))
    a = assumptions
    costs = (
        Cost("software", a.software, ZERO, "ICRS software (seed range $15k-50k a year)"),
        Cost("staff", a.staff, ZERO, "staff or consultant (seed range $30k-80k a year)"),
        Cost("bond_fees", a.bond_fees, ZERO,
             "zone bond (CBP Form 301) and grantee/operator fees (seed range $5k-15k a year)"),
        Cost("activation", ZERO, a.activation,
             "one-time activation (application, procedures manual, ICRS set-up); "
             "an assumption, not in the seed ranges: give --activation-cost"),
    )
    counted = [s.annualized for s in savings if s.annualized is not None]
    annual_costs = [c.annual for c in costs]
    one_time = sum((c.one_time for c in costs), ZERO)
    net = cents(_net(counted, annual_costs))
    payback = None if net <= 0 else cents(one_time / (net / MONTHS_PER_YEAR))
    cash = _npv(net, one_time, a.cost_of_capital, a.years)
    gross = sum(counted, ZERO)
    reasons = _reasons(savings, gross, net, days)
    verdict = "pays" if net > 0 and cash[-1] > 0 else "does not pay"
    if verdict == "pays" and gross < Decimal(200000):
        verdict = "marginal"
    return Roi(
        start=start, end=end, days=days, savings=tuple(savings), costs=costs,
        net_annual=net, payback_months=payback, npv=cash[-1], years=a.years,
        verdict=verdict, reasons=tuple(reasons),
        sensitivity=_sensitivity(savings, costs, counted, annual_costs), cash=cash,
    )  # fmt: skip


def _reasons(savings: Sequence[Saving], gross: Decimal, net: Decimal, days: int) -> list[str]:
    reasons = [
        f"annualized savings {usd(cents(gross))}, net of running costs {usd(net)} a year",
        "seed rule of thumb: a zone is worth it above $200,000 of annual savings, nearly "
        "always above $500,000",
    ]
    missing = [s.kind for s in savings if s.amount is None]
    if missing:
        reasons.append(f"not counted (cannot be computed, see each derivation): "
                       f"{', '.join(missing)}")
    if days < 90:
        reasons.append(f"the history covers only {days} day(s): the annualized figures "
                       "extrapolate it and are uncertain")
    return reasons


def _sensitivity(
    savings: Sequence[Saving], costs: Sequence[Cost], counted: Sequence[Decimal],
    annual_costs: Sequence[Decimal],
) -> tuple[Sensitivity, ...]:
    """The net annual saving with each of the two largest annual figures (saving or cost)
    moved by -25% and +25%: the assumptions the verdict turns on."""
    items: list[tuple[Decimal, str, bool]] = [
        (s.annualized, s.kind, True) for s in savings if s.annualized is not None
    ] + [(c.annual, c.kind, False) for c in costs if c.annual]
    items.sort(key=lambda t: abs(t[0]), reverse=True)
    base = _net(counted, annual_costs)
    out = []
    for amount, kind, is_saving in items[:2]:
        for change in (Decimal("-0.25"), Decimal("0.25")):
            delta = amount * change
            net = base + delta if is_saving else base - delta
            out.append(Sensitivity(kind, change, cents(net)))
    return tuple(out)


def by_kind(roi: Roi) -> Mapping[str, Saving]:
    return {s.kind: s for s in roi.savings}
