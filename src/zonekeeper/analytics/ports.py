"""The seam through which the analytics ask the tariff (answered by `bindings.analytics`).

The core never reads the schedule itself: it asks what duty a line owes on its entry date
(with the preference it claims, or one it could claim) and which partner programs the line's
Special column lists for its origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from zonekeeper.analytics.records import EntryLine


@dataclass(frozen=True)
class Priced:
    """A line's duty recomputed by the duty engine: the total (base and every Chapter 99
    measure), or None with the reasons; `spi_refused` says why a claimed preference was not
    granted (the line then takes the General rate)."""

    duty: Decimal | None
    reasons: tuple[str, ...] = ()
    spi_refused: str | None = None


@dataclass(frozen=True)
class Program:
    """A preference program the line's Special column lists for its origin."""

    spi: str
    name: str
    general_note: str


class Pricer(Protocol):
    """The duty engine behind the analytics (`bindings.analytics.TariffPricer`)."""

    def price(self, line: EntryLine, spi: str | None) -> Priced:
        """The line's duty on its entry date claiming `spi` (None: no claim)."""
        ...

    def programs(self, line: EntryLine) -> Sequence[Program]:
        """Partner programs granted for the line's HTS and origin on its entry date."""
        ...
