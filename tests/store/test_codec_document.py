"""`codec.document` (what `verify` compares stored rows with) is `codec.plain` of the same
value, for every kind of record the books store: postings of each movement, lots of every
status including produced and PF-frozen ones, count discrepancies and suspense items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zk_store_samples import PF, admission, production, shipment

from zonekeeper.services.ledger import Ledger
from zonekeeper.store import codec
from zonekeeper.zone.events import Count, StatusChange, SuspenseReceipt


def test_document_is_plain_for_every_stored_record(ledger: Ledger) -> None:
    posted = ledger.post(
        [
            admission("A1", 3, "W", "10", "100.00"),
            admission("A2", 3, "C", "7", "70.35", PF),
            SuspenseReceipt(dt.date(2026, 8, 3), "SUS-1", "W", Decimal(2), "crate 4", "no 214"),
            StatusChange(dt.date(2026, 8, 4), "A1/1", PF),
            production("P1", 5, "K", "2"),
            shipment("S1", 6, "K", "1"),
            Count(dt.date(2026, 8, 7), "A2/1", Decimal(6)),
        ]
    )
    state = ledger.state()
    records: list[Any] = [
        *ledger.all_postings(),
        *state.lots.values(),
        *state.suspense.values(),
        *posted.discrepancies,
    ]
    kinds = {type(r).__name__ for r in records}
    assert {"Posting", "Lot", "SuspenseItem", "Discrepancy"} <= kinds
    for record in records:
        assert codec.document(record) == codec.plain(record)
        assert codec.parse(codec.dumps(record)) == codec.plain(record)
