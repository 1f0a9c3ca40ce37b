"""What quoting caches belongs to the tariff it was computed from (`Tariff.caches`), not to
the process: two tariffs never share a plan, forgetting one tariff's plans leaves the
other's, and a tariff no one holds is freed with everything cached from it."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from decimal import Decimal

from zonekeeper.duty import LineItem, quote_line
from zonekeeper.duty.entry import known_content_keys
from zonekeeper.duty.quote import forget_plans, prepare
from zonekeeper.tariff import Tariff

ON = date(2026, 6, 1)
ITEM = LineItem("8414.30.80.30", "CN", Decimal(10000))


def _copy(tariff: Tariff) -> Tariff:
    return Tariff(tariff.schedule, tariff.measures, tariff.programs, tariff.fees, tariff.column2)


def test_each_tariff_keeps_its_own_plans(tariff: Tariff) -> None:
    one, two = _copy(tariff), _copy(tariff)
    assert quote_line(one, ITEM, ON) == quote_line(tariff, ITEM, ON)
    assert one.caches.get("duty.plans") and not two.caches
    quote_line(two, ITEM, ON)
    forget_plans(one)
    assert "duty.plans" not in one.caches and two.caches["duty.plans"]


def test_a_tariff_no_one_holds_is_freed_with_its_caches(tariff: Tariff) -> None:
    mine = _copy(tariff)
    quote_line(mine, ITEM, ON)
    prepare(mine)
    known_content_keys(mine)
    gone = weakref.ref(mine)
    del mine
    gc.collect()
    assert gone() is None
