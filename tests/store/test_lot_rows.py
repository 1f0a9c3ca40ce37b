"""The stored `lots` rows follow every change a batch makes to a lot: the upsert sets only
the columns a lot can change (`projections.LOT_CHANGING`), and those must be all of them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from zk_store_samples import PF, admission, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.store.schema import lots
from zonekeeper.zone.events import StatusChange


def test_a_lot_row_follows_its_status_and_balance(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    ledger.post([StatusChange(dt.date(2026, 8, 4), "A1/1", PF), shipment("S1", 5, "W", "4")])
    with ledger.engine.connect() as connection:
        row = connection.execute(
            select(lots.c.part, lots.c.status, lots.c.quantity, lots.c.admission_no, lots.c.line)
            .where(lots.c.lot == "A1/1")
        ).one()
    assert (row.part, row.status, row.quantity, row.admission_no, row.line) == (
        "W",
        "PF",
        6,
        "A1",
        1,
    )
    assert ledger.verify().ok
