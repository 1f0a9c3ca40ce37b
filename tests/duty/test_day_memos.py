"""The day memos of a long-running process stay bounded: the priced measures per (measure,
day) and the schedule's notes per (revision, day) start again when full, and a quote made
after a memo was emptied is the quote made before."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zonekeeper.duty import quote as quoting
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import schedule as schedule_module

ITEM = LineItem("8467990190", "CN", Decimal("1000"))


def test_day_memos_stay_within_their_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    tariff = default_tariff()
    monkeypatch.setattr(quoting, "_PRICED_LIMIT", 3)
    monkeypatch.setattr(schedule_module, "_NOTES_LIMIT", 2)
    quoting.forget_plans(tariff)  # the process's tariff: other tests filled its memos
    tariff.caches.pop("duty.priced", None)
    tariff.schedule._notes.clear()
    first = quote_line(tariff, ITEM, date(2026, 3, 2))
    for day in range(12):
        quote_line(tariff, ITEM, date(2026, 3, 2) + timedelta(days=day))
        assert len(tariff.caches["duty.priced"]) <= 3 + 8  # one plan adds its measures
        assert len(tariff.schedule._notes) <= 2
    quoting.forget_plans(tariff)
    again = quote_line(tariff, ITEM, date(2026, 3, 2))
    assert again == first
