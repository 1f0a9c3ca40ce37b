"""What every finder returns: an opportunity with the duty at stake, the evidence, the risk
and the action to take (issue 14's JSON contract: `kind`, `amount`, `entries`, `evidence`,
`risk`, `action`, `deadline`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zonekeeper.money import ZERO, in_money_context

KINDS = ("preference_unclaimed", "ieepa_refund", "drawback", "zone", "first_sale",
         "rate_change", "classification", "data_quality")


@dataclass(frozen=True)
class Opportunity:
    """One finding. `amount` is the duty at stake (for a refund: the IEEPA duty paid; the
    interest apart in `interest`), or None with `amount_reason` where it cannot be
    computed — never 0. `route` names the way to recover it where there is one."""

    kind: str
    amount: Decimal | None
    entries: tuple[str, ...]
    evidence: tuple[str, ...]
    risk: str
    action: str
    deadline: date | None = None
    amount_reason: str | None = None
    interest: Decimal | None = None
    interest_note: str | None = None
    route: str | None = None
    title: str = ""
    supplier: str = ""  # the lines' manufacturer ID; "several" when they differ
    month: str = ""  # YYYY-MM of the earliest entry concerned


def supplier_of(manufacturers: Iterable[str]) -> str:
    """The one manufacturer ID of some lines, "several" when they differ, "" when none."""
    found = {m for m in manufacturers if m}
    return found.pop() if len(found) == 1 else ("several" if found else "")


def ranked(found: Iterable[Opportunity]) -> list[Opportunity]:
    """Largest amount first; findings without an amount last, by kind and title."""
    return sorted(found, key=lambda o: (o.amount is None, -(o.amount or ZERO), o.kind, o.title))


@in_money_context
def totals(found: Iterable[Opportunity]) -> dict[str, Decimal | None]:
    """Kind -> the sum of the amounts that could be computed (kinds found, in KINDS order);
    None for a kind none of whose findings has an amount (never 0)."""
    sums: dict[str, Decimal | None] = {}
    for o in found:
        sums.setdefault(o.kind, None)
        if o.amount is not None:
            sums[o.kind] = (sums[o.kind] or ZERO) + o.amount
    return {k: sums[k] for k in KINDS if k in sums}
