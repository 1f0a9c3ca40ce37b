"""The application context: the tariff is loaded once and only when asked for; the clock is
the context's own."""

from __future__ import annotations

import datetime as dt

from zonekeeper.app.context import Context
from zonekeeper.sources.tariff import default_tariff


def test_tariff_is_loaded_once_and_only_when_asked() -> None:
    loads: list[int] = []

    def load():  # type: ignore[no-untyped-def]
        loads.append(1)
        return default_tariff()

    context = Context(load_tariff=load)
    assert loads == []
    assert context.tariff is context.tariff
    assert loads == [1]


def test_clock_is_the_contexts() -> None:
    context = Context(clock=lambda: dt.date(2026, 9, 1))
    assert context.today() == dt.date(2026, 9, 1)
