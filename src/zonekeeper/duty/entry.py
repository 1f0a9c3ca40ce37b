"""Quote a whole entry: the lines' duties plus the fees charged once per entry.

- MPF (19 USC 58c(a)(9)(A), (b)(8)(A)(i); 19 CFR 24.23(b)(1)(i)): 0.3464% of the value of
  all the entry's (foreign) lines, then the fiscal year's minimum and maximum applied
  **once per entry** — which is why one weekly entry (19 USC 1484(i)) beats many.
  Rounded to the cent half up once, after floor and cap.
- HMF (26 USC 4461; 19 CFR 24.24): 0.125% of the value of the lines that arrived by
  commercial vessel; nothing for air, truck, rail or mail.
A fee that cannot be computed (no fee table for the fiscal year) is None with the reason,
and so is the entry total; it is never silently taken from another year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zonekeeper.duty.quote import LineItem, LineQuote, quote_line
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import ZERO, cents
from zonekeeper.tariff import Tariff

# Below this value an entry may be informal, which pays a flat MPF (19 CFR 24.23(b)(1)(ii);
# 19 CFR 143.21(a)).
FORMAL_ENTRY_THRESHOLD = Decimal(2500)


@dataclass(frozen=True)
class FeeLine:
    """One fee with its derivation; `amount` None when it cannot be computed."""

    fee: str  # MPF | HMF
    rate: str
    basis: Decimal
    exact: Decimal | None
    amount: Decimal | None
    bound: str  # ad valorem | minimum | maximum | not applicable
    source: str
    reason: str | None = None


@dataclass(frozen=True)
class EntryQuote:
    """The priced entry: lines, duty, MPF once per entry, HMF for vessel lines, total."""

    lines: tuple[LineQuote, ...]
    duty: Decimal | None
    mpf: FeeLine
    hmf: FeeLine
    total: Decimal | None
    warnings: tuple[str, ...]
    on: date

    @property
    def revisions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.revision for line in self.lines))


def mpf_fee(tariff: Tariff, value: Decimal, on: date) -> FeeLine:
    """MPF on an entry of foreign value `value` filed on `on` (19 CFR 24.23(b)(1)(i))."""
    try:
        terms = tariff.fees.mpf_terms(on)
    except CannotCompute as error:
        return FeeLine("MPF", "0.3464%", value, None, None, "not computed",
                       "19 CFR 24.23(b)(1)(i)", error.reason)  # fmt: skip
    exact = value * terms.rate
    if exact < terms.minimum:
        amount, bound = terms.minimum, "minimum"
    elif exact > terms.maximum:
        amount, bound = terms.maximum, "maximum"
    else:
        amount, bound = exact, "ad valorem"
    return FeeLine(
        "MPF", f"{terms.rate_pct.normalize()}% (min ${terms.minimum}, max ${terms.maximum})",
        value, exact, cents(amount), bound,
        f"{terms.fiscal_year}: {terms.source}",
    )  # fmt: skip


def hmf_fee(tariff: Tariff, vessel_value: Decimal, on: date) -> FeeLine:
    """HMF on the value of vessel cargo (26 USC 4461; 19 CFR 24.24)."""
    if vessel_value == 0:
        return FeeLine("HMF", "0.125%", ZERO, ZERO, ZERO, "not applicable",
                       "19 CFR 24.24: commercial vessel cargo only")  # fmt: skip
    try:
        terms = tariff.fees.hmf_terms(on)
    except CannotCompute as error:
        return FeeLine("HMF", "0.125%", vessel_value, None, None, "not computed",
                       "19 CFR 24.24", error.reason)  # fmt: skip
    exact = vessel_value * terms.rate
    return FeeLine("HMF", f"{(terms.rate * 100).normalize()}%", vessel_value, exact,
                   cents(exact), "ad valorem", terms.source)  # fmt: skip


def quote_entry(
    tariff: Tariff,
    items: Sequence[LineItem],
    on: date,
    *,
    frozen_on: date | None = None,
    file: str | None = None,
    rows: Sequence[int] | None = None,
    problems: Sequence[Problem] = (),
) -> EntryQuote:
    """Price every line on `on`, then MPF once for the entry and HMF on vessel lines.

    `frozen_on` prices every line as privileged-foreign goods frozen on that date
    (19 CFR 146.65(a)(1)); the fees are always those of the filing date `on`.
    Every bad line is reported at once (InputError with one problem per line and field);
    problems carry `file` and the line's `rows` entry (default: the line number, or no row
    for a one-line entry). `problems` already found by a reader are reported with them.
    """
    if not items:
        raise InputError(Problem("an entry needs at least one line", field="lines"))
    quotes: list[LineQuote] = []
    found: list[Problem] = list(problems)
    for index, item in enumerate(items):
        try:
            quotes.append(quote_line(tariff, item, on, frozen_on=frozen_on))
        except InputError as error:
            if rows is not None:
                row: int | None = rows[index]
            else:
                row = None if len(items) == 1 else index + 1
            found.extend(
                Problem(p.reason, p.file or file, p.row if p.row is not None else row, p.field)
                for p in error.problems
            )
    if found:
        raise InputError(sorted(found, key=lambda p: p.row or 0))
    value = sum((q.item.value for q in quotes), ZERO)
    vessel = sum((q.item.value for q in quotes if q.item.mode == "vessel"), ZERO)
    mpf = mpf_fee(tariff, value, on)
    hmf = hmf_fee(tariff, vessel, on)
    warnings: list[str] = []
    if value < FORMAL_ENTRY_THRESHOLD:
        warnings.append(
            f"entered value ${value:,.2f} is under $2,500: an informal entry would pay a flat "
            f"MPF instead (19 CFR 24.23(b)(1)(ii)); formal-entry MPF shown"
        )
    if any(q.item.mode == "mail" for q in quotes):
        warnings.append("mail shipments may be informal mail entries with a flat fee; "
                        "formal-entry MPF shown")  # fmt: skip
    for fee in (mpf, hmf):
        if fee.reason:
            warnings.append(f"{fee.fee} not computed: {fee.reason}")
    duties = [q.duty for q in quotes]
    duty = None if any(d is None for d in duties) else sum((d for d in duties if d), ZERO)
    total = None
    if duty is not None and mpf.amount is not None and hmf.amount is not None:
        total = duty + mpf.amount + hmf.amount
    return EntryQuote(tuple(quotes), duty, mpf, hmf, total, tuple(warnings), on)
