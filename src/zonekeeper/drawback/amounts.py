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
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

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
