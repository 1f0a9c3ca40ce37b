"""`verify` re-checks the hash chain and the projections and names the first event that
does not match: a row changed directly in the database is found, not trusted."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update
from zk_store_samples import BOMS, PARTS, SET_UP, admission, production, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.errors import CannotCompute
from zonekeeper.store.schema import discrepancies, events, lots, postings
from zonekeeper.zone.events import Count


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


def _counted_short(ledger: Ledger, *, theft: bool) -> None:
    """A: 10 boards; counted 8 (a 20% shortage), with or without theft."""
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    ledger.post([Count(dt.date(2026, 8, 6), "A1/1", Decimal(8), theft=theft)])


def _forge_discrepancy(ledger: Ledger, **fields: object) -> None:
    with ledger.engine.begin() as connection:
        data = connection.execute(select(discrepancies.c.data)).scalar_one()
        connection.execute(
            update(discrepancies).values(data=json.dumps({**json.loads(data), **fields}))
        )


def test_a_cleared_report_flag_of_a_theft_is_caught(ledger: Ledger) -> None:
    """Hiding a shortage CBP must be told of at once (146.53(a)(1)): the flag and its reasons
    follow from the count event and the duty stored with the shortage."""
    _counted_short(ledger, theft=True)
    assert ledger.verify().ok
    _forge_discrepancy(ledger, report_to_cbp=False, reasons=[])
    result = ledger.verify()
    assert result.mismatch is not None and result.mismatch.seq == SET_UP + 2
    assert result.mismatch.reason == "its stored count discrepancies differ from a replay"


def test_report_flags_made_with_a_duty_rule_verify_and_a_raised_one_is_caught(
    database_url: str,
) -> None:
    """A shortage priced at $40 is under 146.53(a)(3)'s $100: not reportable. Verify replays
    it with the duty stored, so the untouched books pass and a flag set by hand does not."""

    def duty(_lot: object, quantity: Decimal, _on: object) -> Decimal:
        if quantity > 5:
            raise CannotCompute("no rate for the day")
        return Decimal("40.00")

    with Ledger.init(database_url, "49", "Dock 3", "FIFO", duty_rule=duty) as books:
        books.load_master(PARTS, BOMS)
        _counted_short(books, theft=False)
        books.post([admission("A2", 7, "W", "10", "100.00")])
        books.post([Count(dt.date(2026, 8, 8), "A2/1", Decimal(2))])  # 8 short: no duty
        assert books.verify().ok
        [first, second] = _discrepancies(books)
        assert (first["duty"], first["report_to_cbp"]) == ("40.00", False)
        assert second["duty"] is None and second["report_to_cbp"] is True
        assert second["duty_note"] == "duty not computed: no rate for the day"
        _forge_discrepancy_at(books, 0, report_to_cbp=True)
        assert books.verify().mismatch is not None


def _discrepancies(ledger: Ledger) -> list[dict[str, object]]:
    with ledger.engine.connect() as connection:
        rows = connection.execute(
            select(discrepancies.c.data).order_by(discrepancies.c.seq)).scalars()
        return [json.loads(r) for r in rows]


def _forge_discrepancy_at(ledger: Ledger, index: int, **fields: object) -> None:
    with ledger.engine.begin() as connection:
        seq, data = connection.execute(
            select(discrepancies.c.seq, discrepancies.c.data).order_by(discrepancies.c.seq)
        ).all()[index]
        connection.execute(
            update(discrepancies)
            .where(discrepancies.c.seq == seq)
            .values(data=json.dumps({**json.loads(data), **fields}))
        )


@pytest.mark.parametrize("data", ['{"quantity": "x"}', "[1, 2]", "not json"])
def test_a_posting_edited_past_reading_is_a_mismatch_not_a_crash(ledger: Ledger, data: str) -> None:
    """The chain does not cover the projection rows: one edited into something unreadable is
    reported as the mismatch it is (at its event), never a traceback."""
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(
            update(postings)
            .where(postings.c.seq == SET_UP + 3, postings.c.n == 1)
            .values(data=data)
        )
    result = ledger.verify()
    assert result.mismatch is not None and result.mismatch.seq == SET_UP + 3
