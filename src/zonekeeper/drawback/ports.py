"""What the drawback core asks of the tariff, as small protocols the shell implements.

The core never loads the schedule itself; the shell passes adapters over
`zonekeeper.tariff` (descriptions) and `zonekeeper.duty` (would-owe duty), and tests pass
the same adapters over the real HTS.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Protocol


class DescriptionSource(Protocol):
    """The article description of an 8- or 10-digit HTS line as in force on a date."""

    def own_description(self, code: str, on: date) -> str | None:
        """The line's own description (not its ancestors'); None when the code is unknown."""
        ...


class DutyEstimator(Protocol):
    """Duties, taxes and fees an article would owe if it were imported (the lesser-of rule)."""

    def would_owe(
        self,
        hts: str,
        value: Decimal,
        quantity: Decimal,
        unit: str,
        on: date,
        origin: str | None,
    ) -> Decimal:
        """The amount, unrounded; raise `CannotCompute(reason)` when it cannot be computed."""
        ...
