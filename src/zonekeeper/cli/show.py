"""How the commands show a figure to people, written once for every printer.

A document's amount is None only where it cannot be computed; a screen then says so (or
why) in place of the amount, never `$0` (a total with an unknown part is unknown).
"""

from __future__ import annotations

from decimal import Decimal

from zonekeeper.money import usd

CANNOT_COMPUTE = "cannot compute"


def money_or(amount: Decimal | str | None, missing: str = CANNOT_COMPUTE) -> str:
    """Money as every screen shows it (`money.usd`; a document's cent string too), or
    `missing` (that it cannot be computed, or why) where there is no amount."""
    return missing if amount is None else usd(amount)
