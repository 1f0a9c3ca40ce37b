"""Posting through the service: projections equal the events, batches are all or nothing,
state is shared correctly between clerks, corrections append, master data is dated."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from zk_store_samples import BEGIN, BOMS, PARTS, PF, SET_UP, admission, production, shipment

from zonekeeper.app.books import Ledger, Where
from zonekeeper.errors import InputError
from zonekeeper.store import event_log
from zonekeeper.store.schema import events, postings
from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.events import MasterChange, from_record
from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.posting import post

D = Decimal


def _event_count(books: Ledger) -> int:
    with books.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(events)).scalar_one())


def test_projections_equal_a_replay_of_the_events(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), admission("A2", 4, "W", "4", "48")])
    ledger.post([production("P1", 4, "K", "2"), shipment("S1", 5, "W", "7", "20")])
    stored = {b.lot.id: (b.quantity, b.value) for b in ledger.balances()}
    # FIFO: the kit took 4 of A1; the shipment the other 6 of A1, then 1 of A2.
    assert stored == {
        "A1/1": (D(0), D(0)),
        "A2/1": (D(3), D(36)),
        "P/P1": (D(2), D(40)),
    }
    with ledger.engine.connect() as connection:
        stored_events = [
            from_record(e.kind, json.loads(e.payload)) for e in event_log.read(connection, "49")
        ]
    # The zone's settings and its master data come first; they move no goods.
    assert all(isinstance(e, MasterChange) for e in stored_events[:SET_UP])
    start = ZoneState.new("49", AllocationMethod.FIFO, PARTS, BOMS).advanced(SET_UP)
    replay = post(start, stored_events[SET_UP:])
    assert replay.ok
    assert {k: (lot.balance, lot.value_on_hand) for k, lot in replay.state.lots.items()} == stored
    assert ledger.verify().ok


def test_balance_as_of_a_past_date_sums_the_postings_up_to_it(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), shipment("S1", 6, "W", "4", "20")])
    before = {b.lot.id: b.quantity for b in ledger.balances(as_of=dt.date(2026, 8, 5))}
    after = {b.lot.id: b.quantity for b in ledger.balances(as_of=dt.date(2026, 8, 6))}
    assert before == {"A1/1": D(10)} and after == {"A1/1": D(6)}
    assert [b.lot.id for b in ledger.balances(part="K")] == []


def test_an_over_withdrawal_refuses_the_whole_batch_and_writes_nothing(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    before = _event_count(ledger)
    with pytest.raises(InputError) as refused:
        ledger.post(
            [shipment("S1", 5, "W", "4"), shipment("S2", 5, "W", "7")],
            source="ship.csv",
            rows=[2, 3],
        )
    problem = refused.value.problems[0]
    assert problem.file == "ship.csv" and problem.row == 3
    assert _event_count(ledger) == before
    assert {b.lot.id: b.quantity for b in ledger.balances()} == {"A1/1": D(10)}
    assert ledger.verify().ok


def test_a_mandatory_pf_admission_in_npf_status_is_refused(ledger: Ledger) -> None:
    # 8414.30.80 from China is on a Section 301 list: admitted on or after the list's date
    # it must be privileged foreign (15 CFR 400.13(c); domain.md section 1).
    with pytest.raises(InputError) as refused:
        ledger.post([admission("A9", 3, "C", "5", "800")])
    assert "9903.88" in str(refused.value)
    ledger.post([admission("A9", 3, "C", "5", "800", PF)])
    assert [b.lot.status.value for b in ledger.balances()] == ["PF"]


def test_a_second_clerk_sees_the_first_clerks_postings(ledger: Ledger, database_url: str) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    with Ledger.open(database_url) as other:
        assert other.zone == "49"
        other.post([shipment("S1", 4, "W", "6")])
    # The first clerk's cached state is stale now; it must reload, not over-draw.
    with pytest.raises(InputError):
        ledger.post([shipment("S2", 5, "W", "5")])
    ledger.post([shipment("S2", 5, "W", "4")])
    assert {b.lot.id: b.quantity for b in ledger.balances()} == {"A1/1": D(0)}
    assert ledger.verify().ok


def test_a_correction_is_a_new_event_that_reverses_the_old_one(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    ledger.post([shipment("S1", 4, "W", "6")])
    posted = ledger.correct(SET_UP + 2, "keyed twice")
    assert posted.head_seq == SET_UP + 3
    assert {b.lot.id: b.quantity for b in ledger.balances()} == {"A1/1": D(10)}
    with ledger.engine.connect() as connection:
        kinds = list(connection.execute(select(events.c.kind).order_by(events.c.seq)).scalars())
        assert kinds == ["master", "master", "admission", "shipment", "correction"]
        assert connection.execute(select(func.count()).select_from(postings)).scalar_one() == 3
    with pytest.raises(InputError):
        ledger.correct(99, "no such event")
    assert ledger.verify().ok


def test_master_data_cannot_be_changed_behind_posted_events(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    assert ledger.load_master([Part("W", "Control board", "8537109170", "DE", "No.", BEGIN)]) == 0
    with pytest.raises(InputError):
        ledger.load_master([Part("W", "Board", "8537109170", "CN", "No.", BEGIN)])
    later = Part("W", "Board", "8537109170", "CN", "No.", dt.date(2026, 9, 1))
    assert ledger.load_master([later]) == 1
    assert ledger.verify().ok


def test_a_bom_must_join_parts_of_the_master_whoever_loads_it(ledger: Ledger) -> None:
    """The rule holds in the service (an API caller, a script), not only in the CLI: a BOM
    naming a part the master lacks is refused, with the line's row when the caller gives
    it; a part loaded in the same call joins."""
    relay = Part("X", "Relay", "8537109170", "DE", "No.", BEGIN)
    kit = Bom("K2", BEGIN, (BomLine("W", D(1)), BomLine("X", D(2))))
    with pytest.raises(InputError) as refused:
        ledger.load_master([Part("K2", "Kit 2", "8537109170", "DE", "No.", BEGIN)], [kit],
                           where=Where("kits.csv", bom_rows=[5], line_rows=[[5, 6]]))
    assert [(p.file, p.row, p.field) for p in refused.value.problems] == [
        ("kits.csv", 6, "component")
    ]
    assert "K2" not in ledger.master().parts  # nothing of the call was loaded
    with pytest.raises(InputError) as refused:  # an unknown product is one problem
        ledger.load_master(boms=[Bom("GHOST", BEGIN, (BomLine("W", D(1)), BomLine("C", D(1))))])
    assert [p.field for p in refused.value.problems] == ["product"]
    with pytest.raises(InputError, match="no components"):  # a product made of nothing
        ledger.load_master(boms=[Bom("W", dt.date(2026, 9, 1), ())])
    kit2 = Part("K2", "Kit 2", "8537109170", "DE", "No.", BEGIN)
    assert ledger.load_master([kit2, relay], [kit]) == 3
    assert ledger.master().boms["K2"][0] == kit


def test_opening_books_that_do_not_exist_is_bad_input(tmp_path: object, database_url: str) -> None:
    with pytest.raises(InputError):
        Ledger.open(database_url)
    with Ledger.init(database_url, "7", None, "LIFO"):
        pass
    with pytest.raises(InputError):
        Ledger.init(database_url, "7", None, "FIFO")  # the method cannot change
    with pytest.raises(InputError):
        Ledger.open(database_url, "8")
