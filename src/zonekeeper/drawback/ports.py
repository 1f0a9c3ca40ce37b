"""What the drawback core asks of the tariff, as small protocols the shell implements.

The core never loads the schedule itself; the shell passes adapters over
`zonekeeper.tariff` (descriptions) and `zonekeeper.duty` (would-owe duty), and tests pass
the same adapters over the real HTS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from zonekeeper.drawback.measures import DutyClass


@dataclass(frozen=True)
class Owed:
    """What an article would owe if imported, per duty class, and how it was found.

    `by_class` holds the unrounded amount of each class (`DutyClass`: customs duties, MPF,
    HMF); a class that is absent would owe nothing. `derivation` says which rates and
    measures were applied (and which were left out, and why).
    """

    by_class: Mapping[DutyClass, Decimal]
    derivation: str

    @property
    def total(self) -> Decimal:
        return sum(self.by_class.values(), Decimal(0))


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
    ) -> Owed:
        """The amounts by class, unrounded; raise `CannotCompute(reason)` when they cannot
        be computed."""
        ...
