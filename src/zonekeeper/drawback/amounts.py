"""What one unit of an import line can refund: per-unit averaging and MPF apportionment.

- Per-unit averaging (190.2; 190.22(a)(1)(i), 190.32(a), 190.51(b)(1)(ii)): the eligible
  duties, taxes and fees of an entry summary line spread equally over its units.
- MPF (190.51(b)(2)): the entry's fee is apportioned to each line by its relative value
  ratio (line value / value of the entry's lines, to four decimals); 99% of the line's share
  divided by its units, to two decimals (rounded down, so that the MPF refunded never
  exceeds 99% of the MPF paid: 190.51(b)(1)), is the refundable MPF per unit.
- 99% of the rest (190.51(b)(1)).
- Per duty class (`measures.DutyClass`: customs duties, MPF, HMF), so that a substitution
  claim's lesser-of can compare each class with itself (190.51(b)(2)(v), (b)(4)).
Nothing is rounded here except where 190.51(b)(2) says so; a designation rounds each of its
components down to the cent, and its refund is their sum (plan.refund_components).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cached_property
from math import gcd

from zonekeeper.drawback.measures import DutyClass, ImportCharge, MeasurePolicy, duty_class
from zonekeeper.drawback.records import ClaimType, ImportLine
from zonekeeper.money import CENT, in_money_context

RATE = Decimal("0.99")
RATIO_PLACES = Decimal("0.0001")

_COLUMNS: tuple[tuple[ImportCharge, str], ...] = (
    (ImportCharge.DUTY, "duty"),
    (ImportCharge.S301, "duty_301"),
    (ImportCharge.S232, "duty_232"),
    (ImportCharge.S122, "duty_122"),
    (ImportCharge.IEEPA, "duty_ieepa"),
    (ImportCharge.IEEPA_RECIPROCAL, "duty_ieepa_reciprocal"),
    (ImportCharge.IEEPA_FENTANYL, "duty_ieepa_fentanyl"),
    (ImportCharge.ADCVD, "duty_adcvd"),
    (ImportCharge.HMF, "hmf"),
)


@dataclass(frozen=True)
class Paid:
    """One component paid on the line, and whether (and why) drawback refunds it."""

    component: ImportCharge
    amount: Decimal  # paid on the whole line (MPF: the line's apportioned share)
    eligible: bool
    reason: str


@dataclass(frozen=True)
class LineBasis:
    """The refundable amounts of one import line, per unit, with their derivation."""

    line: ImportLine
    paid: tuple[Paid, ...]
    eligible_per_unit: Decimal  # duties, taxes, fees (before 99%) per unit, MPF included
    refund_per_unit: Decimal  # the sum of refund_by_class
    mpf_ratio: Decimal | None  # relative value ratio of the line in its entry
    # Refund per unit of each duty class (`DutyClass`): 99% of the class's eligible amount
    # per unit; MPF at its two-place figure (190.51(b)(2)(iv)). Only classes with an
    # eligible amount are present.
    refund_by_class: Mapping[DutyClass, Decimal] = field(default_factory=dict)

    # No limit: the line's own refund per unit in each class (set from refund_by_class).
    own: Allowed = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "own", Allowed(self.refund_by_class))

    @property
    def eligible_total(self) -> Decimal:
        return sum((p.amount for p in self.paid if p.eligible), Decimal(0))

    @cached_property
    def exact(self) -> ExactBasis:
        """The line's figures as exact ratios (`exact_basis`), worked out on first use: only
        designations that a class limit or a USMCA limit scales need them."""
        return exact_basis(self)


@dataclass(frozen=True)
class Allowed:
    """What one unit of a designation may refund, after every limit.

    `by_class`: per duty class (`DutyClass`), the import's refund per unit or, for a
    substitution claim, the lesser of it and 99% of what the exported (or substituted)
    article would owe in that class (190.32(b), 190.22(a)(1)(ii), each class on its own:
    190.51(b)(2)(v), (b)(4)). `cap`: a limit on the whole per unit (an export to Canada or
    Mexico: 99% of the duty paid there, 19 U.S.C. 4534; 19 CFR 182.44), or None.
    """

    by_class: Mapping[DutyClass, Decimal]
    cap: Decimal | None = None
    # Derived once (a plan reads them for every arc): the classes' sum, whether `cap`
    # binds, and the refund per unit after both.
    classes_total: Decimal = field(init=False, repr=False, compare=False)
    capped: bool = field(init=False, repr=False, compare=False)
    per_unit: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        total = sum(self.by_class.values(), Decimal(0))
        capped = self.cap is not None and self.cap < total
        object.__setattr__(self, "classes_total", total)
        object.__setattr__(self, "capped", capped)
        object.__setattr__(self, "per_unit", self.cap if capped else total)


def own_allowance(basis: LineBasis) -> Allowed:
    """No limit: the line's own refund per unit in each class (direct identification)."""
    return basis.own


# Enough digits that products of amounts, quantities (<= 15 digits + 6 places) and 28-digit
# per-unit figures are exact, so the one division left rounds once.
_EXACT = Context(prec=100)
MPF = ImportCharge.MPF
_CLASS = {component: duty_class(component) for component in ImportCharge}


def component_refunds(
    basis: LineBasis, qty: Decimal, allowed: Allowed | None = None
) -> dict[str, Decimal]:
    """Refund per duty, tax and fee of `qty` units of the line, not rounded (190.51(b)):
    99% of each eligible component paid, per unit of the line, times `qty` (MPF at its
    per-unit figure, 190.51(b)(2)(iv), which is the line's MPF class figure); when
    `allowed` limits a duty class, each component of that class is scaled by the class's
    allowed / own refund per unit (the lesser-of is applied class by class,
    190.51(b)(2)(v), (b)(4)), and when its `cap` binds, every component is scaled by
    cap / the classes' total.

    Figured in exact ratios (`ExactBasis`) and divided once at the end (in `_EXACT`): a class's own
    refund per unit is 99% x paid / units, a repeating decimal more often than not, which
    `refund_by_class` holds rounded to 28 digits. Dividing by that rounded figure, or
    scaling by a cap over a total of such figures, would carry its last digit into every
    product, and a figure that is exactly a cent (0.99 x 1.00 x 7/7; a cap of 2.925 on 120
    units, 351.00) would come out a hair below it and lose that cent when rounded down. So
    each class's own figure is taken again from what was paid, exactly, and a limit equal to
    the class's own (not limited) stands for that exact figure. Equal to the exact figure
    whenever that is a whole number of cents.
    """
    own = basis.refund_by_class
    if allowed is None:
        allowed = basis.own
    limits = allowed.by_class
    if not allowed.capped and limits == own:
        return _unlimited_refunds(basis, qty)
    exact = basis.exact
    # Ratios as (numerator, denominator) pairs of ints, multiplied out without reducing:
    # the quotient below depends only on the value, and `Fraction`'s reduction at every
    # step was most of the cost of a limited designation (the ratios that stay the same
    # for every designation of the line are reduced once, in `exact_basis`).
    exact_limit = {cls: (exact.own[cls] if own.get(cls) == figure
                         else figure.as_integer_ratio())
                   for cls, figure in limits.items()}
    scale_n = scale_d = 1
    if allowed.capped and allowed.cap is not None:
        total_n, total_d = 0, 1
        for n, d in exact_limit.values():
            total_n, total_d = total_n * d + n * total_d, total_d * d
        cap_n, cap_d = allowed.cap.as_integer_ratio()
        scale_n, scale_d = cap_n * total_d, cap_d * total_n
        if scale_d == 0:
            raise ZeroDivisionError("a USMCA limit on classes that refund nothing")
    qty_n, qty_d = qty.as_integer_ratio()
    out: dict[str, Decimal] = {}
    with localcontext(_EXACT):
        for key, cls, factor in exact.parts:
            if factor is None:
                out[key] = Decimal(0)
                continue
            limit_n, limit_d = exact_limit.get(cls, (0, 1))
            num = factor[0] * qty_n * limit_n * scale_n
            den = factor[1] * qty_d * limit_d * scale_d
            out[key] = Decimal(num) / Decimal(den)
    return out


@dataclass(frozen=True)
class ExactBasis:
    """A line's figures as exact ratios (numerator, denominator), for `component_refunds`.

    `own`: each duty class's own refund per unit, exactly: 99% x paid in the class / units
    (MPF: its two-place figure, 190.51(b)(2)(iv)), not the 28-digit `refund_by_class`.
    `parts`: per eligible component, in the line's order, its key, duty class and the
    factor that turns quantity x the class's limit into the component's refund
    (99% x paid / (units x the class's own refund per unit); 1 for MPF, whose own figure is
    per unit already), or None when the class refunds nothing.
    """

    own: Mapping[DutyClass, tuple[int, int]]
    parts: tuple[tuple[str, DutyClass, tuple[int, int] | None], ...]


def exact_basis(basis: LineBasis) -> ExactBasis:
    """`ExactBasis` of `basis` (see `component_refunds` for why the figures are exact)."""
    q_n, q_d = basis.line.quantity.as_integer_ratio()
    rate_n, rate_d = RATE.as_integer_ratio()
    paid_by_class: dict[DutyClass, Decimal] = defaultdict(Decimal)
    with localcontext(_EXACT):  # sums of amounts below 10^15 to 6 places: exact
        for paid in basis.paid:
            if paid.eligible and paid.component is not MPF:
                paid_by_class[_CLASS[paid.component]] += paid.amount
    own: dict[DutyClass, tuple[int, int]] = {}
    for cls, figure in basis.refund_by_class.items():
        if cls is DutyClass.MPF:
            own[cls] = figure.as_integer_ratio()
        else:
            p_n, p_d = paid_by_class[cls].as_integer_ratio()
            own[cls] = (rate_n * p_n * q_d, rate_d * p_d * q_n)
    parts: list[tuple[str, DutyClass, tuple[int, int] | None]] = []
    for paid in basis.paid:
        if not paid.eligible:
            continue
        cls = _CLASS[paid.component]
        own_c = own.get(cls)
        if own_c is None or own_c[0] == 0:
            parts.append((paid.component.value, cls, None))
        elif paid.component is MPF:
            # own_c is the MPF per unit: own_c x qty x limit / own_c.
            parts.append((paid.component.value, cls, (1, 1)))
        else:
            # 99% x paid / (units x own): (rate x a) / (q x own) in numerators and
            # denominators, reduced once here rather than at every designation.
            a_n, a_d = paid.amount.as_integer_ratio()
            n = rate_n * a_n * q_d * own_c[1]
            d = rate_d * a_d * q_n * own_c[0]
            g = gcd(n, d)
            parts.append((paid.component.value, cls, (n // g, d // g)))
    return ExactBasis(own, tuple(parts))


def _unlimited_refunds(basis: LineBasis, qty: Decimal) -> dict[str, Decimal]:
    """`component_refunds` with no limit and no cap, the common case, in `Decimal` (cheaper
    than the exact ratios): 99% x paid x qty / units multiplied out before the one division,
    so a figure that is exactly a cent comes out exactly (0.99 x 1.00 x 7/7 = 0.99); MPF at
    its per-unit figure x qty."""
    q_line = basis.line.quantity
    own = basis.refund_by_class
    out: dict[str, Decimal] = {}
    with localcontext(_EXACT):
        for paid in basis.paid:
            if not paid.eligible:
                continue
            key = paid.component.value
            own_c = own.get(_CLASS[paid.component])
            if not own_c:
                out[key] = Decimal(0)
            elif paid.component is MPF:
                out[key] = qty * own_c
            else:
                out[key] = RATE * paid.amount * qty / q_line
    return out


def refund_ceiling(qty: Decimal, per_unit: Decimal) -> Decimal:
    """The most a designation of `qty` units at `per_unit` may refund: quantity x refund
    per unit, rounded down to the cent (190.51(b)(1): never above 99% of what was paid).

    The product is taken exactly (in `_EXACT`), as the components are: in the money
    context's 28 digits, 35 x 8.378857142857142857142857142 (= 293.25999...97) rounds up to
    293.26 before the cents are cut, a cent more than the components can reach, and the
    plan's own check would then refuse a plan the planner made.
    """
    with localcontext(_EXACT):
        product = qty * per_unit
    return product.quantize(CENT, rounding=ROUND_DOWN)


def mpf_unit_refund(share: Decimal, units: Decimal) -> Decimal:
    """Refundable MPF per unit of a line: 99% of its share / its units (190.51(b)(2)(iii)-(iv)).

    190.51(b)(2)(iv) asks for two decimal places without a direction; rounding down keeps
    the MPF refunded at or below 99% of the MPF paid (190.51(b)(1): a claim above 99% is
    held until corrected, one below is paid as filed). E.g. share 100.00 over 400 units:
    0.2475 -> 0.24 (0.25 would refund 100.00 of the 99.00 allowed).
    """
    return (share * RATE / units).quantize(CENT, rounding=ROUND_DOWN)


def mpf_shares(lines: Iterable[ImportLine]) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    """Each line's (relative value ratio, apportioned MPF) in its entry (190.51(b)(2)(i)-(ii)).

    The entry's MPF is the value given on its lines (they must agree; the reader checks).
    """
    by_entry: dict[str, list[ImportLine]] = defaultdict(list)
    for line in lines:
        by_entry[line.entry_no].append(line)
    shares: dict[tuple[str, int], tuple[Decimal, Decimal]] = {}
    for entry_lines in by_entry.values():
        fee = next((ln.mpf for ln in entry_lines if ln.mpf is not None), None)
        if fee is None:
            continue
        total = sum((ln.value for ln in entry_lines), Decimal(0))
        for ln in entry_lines:
            ratio = (
                (ln.value / total).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
                if total > 0
                else Decimal(0)
            )
            shares[ln.key] = (ratio, ratio * fee)
    return shares


def line_basis(
    line: ImportLine,
    claim: ClaimType,
    policy: MeasurePolicy,
    mpf_share: tuple[Decimal, Decimal] | None,
) -> LineBasis:
    """Per-unit refundable amounts of `line` under `claim` (190.3, 190.51(b))."""
    paid: list[Paid] = []
    other = Decimal(0)
    by_class: dict[DutyClass, Decimal] = defaultdict(Decimal)
    for component, attr in _COLUMNS:
        amount: Decimal = getattr(line, attr)
        if amount == 0 and component is not ImportCharge.DUTY:
            continue
        verdict = policy.eligibility(component, line.hts, line.origin, line.import_date, claim)
        paid.append(Paid(component, amount, verdict.eligible, verdict.reason))
        if verdict.eligible:
            other += amount
            if amount:
                by_class[_CLASS[component]] += amount
    qty = line.quantity
    other_pu = other / qty
    mpf_pu = Decimal(0)
    mpf_unit = Decimal(0)
    ratio: Decimal | None = None
    if mpf_share is not None:
        ratio, share = mpf_share
        verdict = policy.eligibility(ImportCharge.MPF, line.hts, line.origin, line.import_date,
                                     claim)
        paid.append(Paid(ImportCharge.MPF, share, verdict.eligible, verdict.reason))
        if verdict.eligible:
            mpf_pu = share / qty
            mpf_unit = mpf_unit_refund(share, qty)
    refund_by_class = {cls: RATE * (amount / qty) for cls, amount in by_class.items()}
    if mpf_unit:
        refund_by_class[DutyClass.MPF] = mpf_unit
    return LineBasis(
        line=line,
        paid=tuple(paid),
        eligible_per_unit=other_pu + mpf_pu,
        refund_per_unit=sum(refund_by_class.values(), Decimal(0)),
        mpf_ratio=ratio,
        refund_by_class=refund_by_class,
    )


@in_money_context
def line_bases(
    lines: Iterable[ImportLine], claim: ClaimType, policy: MeasurePolicy
) -> Mapping[tuple[str, int], LineBasis]:
    """`line_basis` for every line, MPF apportioned within each entry."""
    lines = list(lines)
    shares = mpf_shares(lines)
    return {ln.key: line_basis(ln, claim, policy, shares.get(ln.key)) for ln in lines}
