"""`verify` re-checks the hash chain and the projections and names the first event that
does not match: a row changed directly in the database is found, not trusted."""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update
from zk_store_samples import SET_UP, admission, production, shipment

from zonekeeper.services.ledger import Ledger
from zonekeeper.store.schema import events, lots, postings


def _books(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), admission("A2", 4, "W", "4", "48")])
    ledger.post([production("P1", 4, "K", "2")])
    ledger.post([shipment("S1", 5, "W", "7", "20")])


def test_untouched_books_verify(ledger: Ledger) -> None:
    _books(ledger)
    result = ledger.verify()
    assert result.ok and result.events == SET_UP + 4 and result.lots == 3


def test_a_changed_event_row_is_named(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        second = events.c.seq == SET_UP + 2
        payload = connection.execute(select(events.c.payload).where(second)).scalar_one()
        record = json.loads(payload)
        record["quantity"] = "40"
        forged = json.dumps(record, sort_keys=True, separators=(",", ":"))
        connection.execute(update(events).where(second).values(payload=forged))
    result = ledger.verify()
    assert not result.ok
    assert result.mismatch is not None
    assert (result.mismatch.seq, result.mismatch.kind) == (SET_UP + 2, "admission")
    # The chain check stopped before any count was made: none is reported as 0.
    assert (result.events, result.lots) == (None, None)


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_event(ledger: Ledger) -> None:
    from zonekeeper.store.chain import link_hash

    _books(ledger)
    with ledger.engine.begin() as connection:
        row = connection.execute(select(events).where(events.c.seq == SET_UP + 2)).one()
        record = json.loads(row.payload)
        record["value"] = "1.00"
        forged = json.dumps(record, sort_keys=True, separators=(",", ":"))
        new_hash = link_hash(row.prev_hash, "49", SET_UP + 2, forged.encode())
        connection.execute(
            update(events)
            .where(events.c.seq == SET_UP + 2)
            .values(payload=forged, hash=new_hash)
        )
    result = ledger.verify()
    assert result.mismatch is not None and result.mismatch.seq == SET_UP + 3


def test_a_removed_last_event_is_found(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(delete(events).where(events.c.seq == SET_UP + 4))
    result = ledger.verify()
    assert not result.ok and "removed" in result.mismatch.reason  # type: ignore[union-attr]
    # it names the missing event, not "event 5 (None)"
    assert str(result.mismatch).startswith("event 6: event 6 is missing")
    assert "None" not in str(result.mismatch)


def test_a_changed_lot_balance_is_named_with_the_event_that_last_moved_it(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(update(lots).where(lots.c.lot == "A2/1").values(quantity=99))
    result = ledger.verify()
    assert result.mismatch is not None
    assert result.mismatch.seq == SET_UP + 4 and "A2/1" in result.mismatch.reason
    assert result.lots is None  # it stopped at that lot: no count of lots is claimed


def test_a_changed_posting_is_named_by_its_event(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(
            update(postings)
            .where(postings.c.seq == SET_UP + 3, postings.c.n == 1)
            .values(quantity=-1)
        )
    result = ledger.verify()
    assert result.mismatch is not None and result.mismatch.seq == SET_UP + 3
    assert result.events == SET_UP + 4 and result.lots is None  # chained, lots never compared
