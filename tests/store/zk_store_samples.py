"""Sample master data and events of the storage tests (real HTS numbers from the shipped 2026
tariff). A module of its own so tests can import it under --import-mode=importlib."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zonekeeper.zone.events import Admission, Production, Shipment
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

BEGIN = dt.date(1900, 1, 1)
D = Decimal
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
PF = ZoneStatus.PRIVILEGED_FOREIGN

PARTS = [
    Part("W", "Control board", "8537109170", "DE", "No.", BEGIN),
    Part("K", "Control kit", "8537109170", "DE", "No.", BEGIN),
    Part("C", "Compressor", "8414308030", "CN", "No.", BEGIN),
]
BOMS = [Bom("K", BEGIN, (BomLine("W", D(2)),))]
# Events a zone's chain holds before its first posting when set up as the `ledger` fixture
# does: its settings (`init`) and the master data loaded (`load_master`), one event each.
SET_UP = 2


def admission(
    no: str, day: int, part: str, qty: str, value: str, status: ZoneStatus = NPF
) -> Admission:
    return Admission(no, 1, dt.date(2026, 8, day), part, D(qty), D(value), status)


def shipment(ref: str, day: int, part: str, qty: str, value: str = "1") -> Shipment:
    consumption = ShipmentDisposition.CONSUMPTION
    return Shipment(dt.date(2026, 8, day), ref, part, D(qty), consumption, D(value))


def production(ref: str, day: int, product: str, qty: str) -> Production:
    return Production(dt.date(2026, 8, day), ref, product, D(qty))


def post_as_before_keys(ledger: Any, batch: list[Any]) -> None:
    """Post as Zonekeeper did before natural keys were kept (no lookup, no key rows): how
    books of an older schema revision, which has no `event_keys` table, were written."""
    from zonekeeper.store import keys

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "holders", lambda *_: {})
        patch.setattr(keys, "write", lambda *_: None)
        ledger.post(batch)
