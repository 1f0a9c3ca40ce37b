"""What one unit of an import line can refund: per-unit averaging and MPF apportionment.

- Per-unit averaging (190.2; 190.22(a)(1)(i), 190.32(a), 190.51(b)(1)(ii)): the eligible
  duties, taxes and fees of an entry summary line spread equally over its units.
- MPF (190.51(b)(2)): the entry's fee is apportioned to each line by its relative value
  ratio (line value / value of the entry's lines, to four decimals); 99% of the line's share
  divided by its units, to two decimals (rounded down, so that the MPF refunded never
  exceeds 99% of the MPF paid: 190.51(b)(1)), is the refundable MPF per unit.
- 99% of the rest (190.51(b)(1)).
Nothing is rounded here except where 190.51(b)(2) says so; a designation rounds each of its
components down to the cent, and its refund is their sum (plan.refund_components).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext

from zonekeeper.drawback.measures import Component, MeasurePolicy
from zonekeeper.drawback.records import ClaimType, ImportLine
from zonekeeper.money import CENT

RATE = Decimal("0.99")
RATIO_PLACES = Decimal("0.0001")

_COLUMNS: tuple[tuple[Component, str], ...] = (
    (Component.DUTY, "duty"),
    (Component.S301, "duty_301"),
    (Component.S232, "duty_232"),
    (Component.S122, "duty_122"),
    (Component.IEEPA, "duty_ieepa"),
    (Component.IEEPA_RECIPROCAL, "duty_ieepa_reciprocal"),
    (Component.IEEPA_FENTANYL, "duty_ieepa_fentanyl"),
    (Component.ADCVD, "duty_adcvd"),
    (Component.HMF, "hmf"),
)


@dataclass(frozen=True)
class Paid:
    """One component paid on the line, and whether (and why) drawback refunds it."""

    component: Component
    amount: Decimal  # paid on the whole line (MPF: the line's apportioned share)
    eligible: bool
    reason: str


@dataclass(frozen=True)
class LineBasis:
    """The refundable amounts of one import line, per unit, with their derivation."""

    line: ImportLine
    paid: tuple[Paid, ...]
    eligible_per_unit: Decimal  # duties, taxes, fees (before 99%) per unit, MPF included
    refund_per_unit: Decimal  # 99% of non-MPF per unit + MPF per unit (190.51(b)(2)(iv))
    mpf_ratio: Decimal | None  # relative value ratio of the line in its entry

    @property
    def eligible_total(self) -> Decimal:
        return sum((p.amount for p in self.paid if p.eligible), Decimal(0))


# Enough digits that products of amounts, quantities (<= 15 digits + 6 places) and 28-digit
# per-unit figures are exact, so the one division left rounds once.
_EXACT = Context(prec=100)
MPF = Component.MPF


def component_refunds(
    basis: LineBasis, qty: Decimal, per_unit: Decimal | None = None
) -> dict[str, Decimal]:
    """Refund per duty, tax and fee of `qty` units of the line, not rounded (190.51(b)):
    99% of each eligible component paid, per unit of the line, times `qty` (MPF at its
    per-unit figure, 190.51(b)(2)(iv)), scaled by a lesser-of limit `per_unit` / the line's
    own refund per unit when one is given.

    Multiplied out before the one division (in `_EXACT`): dividing first would carry the
    division's last-digit rounding into every product, and a figure that is exactly a cent
    (0.99 x 1.00 x 7/7) would come out a hair below it and lose that cent when rounded
    down. Equal to the exact figure whenever that is a whole number of cents.
    """
    own = basis.refund_per_unit
    if per_unit is None:
        per_unit = own
    if not own:
        return {p.component.value: Decimal(0) for p in basis.paid if p.eligible}
    q_line = basis.line.quantity
    eligible = [p for p in basis.paid if p.eligible]
    # MPF per unit as the line's refund per unit counts it (two places, default context).
    mpf = {id(p): mpf_unit_refund(p.amount, q_line) for p in eligible if p.component is MPF}
    numerators: dict[str, Decimal] = defaultdict(Decimal)
    denominators: dict[str, Decimal] = {}
    with localcontext(_EXACT):
        for paid in eligible:
            key = paid.component.value
            if id(paid) in mpf:
                numerators[key] += mpf[id(paid)] * qty * per_unit
                denominators[key] = own
            else:
                numerators[key] += RATE * paid.amount * qty * per_unit
                denominators[key] = q_line * own
        return {key: n / denominators[key] for key, n in numerators.items()}


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
    for component, attr in _COLUMNS:
        amount: Decimal = getattr(line, attr)
        if amount == 0 and component is not Component.DUTY:
            continue
        verdict = policy.eligibility(component, line.hts, line.origin, line.import_date, claim)
        paid.append(Paid(component, amount, verdict.eligible, verdict.reason))
        if verdict.eligible:
            other += amount
    qty = line.quantity
    other_pu = other / qty
    mpf_pu = Decimal(0)
    mpf_unit = Decimal(0)
    ratio: Decimal | None = None
    if mpf_share is not None:
        ratio, share = mpf_share
        verdict = policy.eligibility(Component.MPF, line.hts, line.origin, line.import_date, claim)
        paid.append(Paid(Component.MPF, share, verdict.eligible, verdict.reason))
        if verdict.eligible:
            mpf_pu = share / qty
            mpf_unit = mpf_unit_refund(share, qty)
    return LineBasis(
        line=line,
        paid=tuple(paid),
        eligible_per_unit=other_pu + mpf_pu,
        refund_per_unit=RATE * other_pu + mpf_unit,
        mpf_ratio=ratio,
    )


def line_bases(
    lines: Iterable[ImportLine], claim: ClaimType, policy: MeasurePolicy
) -> Mapping[tuple[str, int], LineBasis]:
    """`line_basis` for every line, MPF apportioned within each entry."""
    lines = list(lines)
    shares = mpf_shares(lines)
    return {ln.key: line_basis(ln, claim, policy, shares.get(ln.key)) for ln in lines}
