"""What every use case needs, made once per process by the interface that runs it.

The CLI makes one per command, the API one per server; a test makes its own with a fixed
clock or a small tariff. Nothing in the layer below reads the environment to find these:
the interface decides where the books are, which tariff is loaded and what day it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff


@dataclass(frozen=True)
class Context:
    """The books' database URL (None where a use case needs no books), the tariff (loaded on
    first use: a command that never quotes never pays for it) and the clock that says
    "today" where a rule counts days from it (filing deadlines, alerts, drawback windows)."""

    database_url: str | None = None
    load_tariff: Callable[[], Tariff] = field(default=default_tariff, repr=False)
    clock: Callable[[], dt.date] = field(default=dt.date.today, repr=False)

    @cached_property
    def tariff(self) -> Tariff:
        """The tariff, loaded once for this context."""
        return self.load_tariff()

    def today(self) -> dt.date:
        """Today, by this context's clock."""
        return self.clock()
