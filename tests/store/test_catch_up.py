"""Books kept in memory are brought up to date with what other clerks committed by applying
only that (`projections.changes_since` + `zone.book.catch_up`), not by reading the whole
zone again; and what they catch up to is exactly the books a fresh load reads."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from zk_store_samples import BEGIN, NPF, PF, admission, production, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError
from zonekeeper.store import projections
from zonekeeper.zone.events import (
    Correction,
    Count,
    Event,
    Manipulation,
    StatusChange,
    SuspenseReceipt,
)
from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.master import Part
from zonekeeper.zone.status import ZoneStatus

ROUNDS = 60
SEED = 20261206


def _same_books(held: ZoneState, fresh: ZoneState) -> None:
    assert held.seq == fresh.seq
    assert dict(held.lots) == dict(fresh.lots)
    assert {k: list(v) for k, v in held.pools.items()} == {
        k: list(v) for k, v in fresh.pools.items()
    }
    assert dict(held.suspense) == dict(fresh.suspense)
    assert held.corrected == fresh.corrected
    assert held.master == fresh.master
    assert held == fresh


def _random_batch(rng: random.Random, state: ZoneState, n: int) -> list[Event]:
    """A few events of every kind against the books as they are (some may be refused)."""
    day = 3 + min(state.seq // 20, 20)
    on = dt.date(2026, 8, day)
    lots = [lot for lot in state.lots.values() if lot.balance > 0]
    batch: list[Event] = []
    for i in range(rng.randint(1, 4)):
        roll = rng.random()
        tag = f"{n}-{i}"
        if roll < 0.3 or not lots:
            part = rng.choice(["W", "W", "C"])
            status = PF if part == "C" else rng.choice([NPF, NPF, PF])
            batch.append(admission(f"A{tag}", day, part, str(rng.randint(1, 9)),
                                   str(rng.randint(10, 90)), status))
        elif roll < 0.5:
            part = rng.choice(["W", "C"])
            batch.append(shipment(f"S{tag}", day, part, str(rng.randint(1, 6))))
        elif roll < 0.55:
            lot = rng.choice(lots)  # a lot drawn out of turn: a hole in its pool
            batch.append(_ship_lot(day, lot.id, lot.part, lot.balance))
        elif roll < 0.63:
            batch.append(production(f"P{tag}", day, "K", str(rng.randint(1, 2))))
        elif roll < 0.7:
            lot = rng.choice(lots)
            batch.append(StatusChange(on, lot.id, rng.choice([PF, ZoneStatus.ZONE_RESTRICTED])))
        elif roll < 0.78:
            lot = rng.choice(lots)
            batch.append(Count(on, lot.id, lot.balance + rng.choice([-1, 0, 1, 2])))
        elif roll < 0.83:
            lot = rng.choice(lots)
            batch.append(Manipulation(on, lot.id, Decimal(1), new_lot=f"M{tag}"))
        elif roll < 0.88:
            batch.append(SuspenseReceipt(on, f"R{tag}", "W", Decimal(2)))
        elif roll < 0.92 and state.suspense:
            ref = rng.choice(sorted(state.suspense))
            batch.append(_admit_suspended(day, f"Q{tag}", ref))
        elif state.seq:
            batch.append(Correction(on, rng.randint(1, state.seq), f"mistake {tag}"))
    return batch


def _ship_lot(day: int, lot: str, part: str, quantity: Decimal) -> Event:
    import dataclasses

    return dataclasses.replace(shipment(f"X{lot}", day, part, str(quantity)), lot=lot)


def _admit_suspended(day: int, number: str, ref: str) -> Event:
    import dataclasses

    return dataclasses.replace(admission(number, day, "W", "2", "20"), suspense_ref=ref)


@pytest.mark.parametrize("compare_each_round", [True, False])
def test_caught_up_books_equal_a_fresh_load_after_interleaved_posts(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch, compare_each_round: bool
) -> None:
    """`compare_each_round` False: the clerks post on books caught up from the other's
    batches without anything reading those lots whole first (comparing reads every field),
    so the core draws on, changes and corrects lots still deferred (`DeferredLot`)."""
    rng = random.Random(SEED)
    loads = 0
    load_state = projections.load_state

    def counted(*args: object, **kwargs: object) -> ZoneState:
        nonlocal loads
        loads += 1
        return load_state(*args, **kwargs)  # type: ignore[arg-type]

    with Ledger.open(database_url, pf_rule=None) as a, Ledger.open(
        database_url, pf_rule=None
    ) as b:
        a.post([admission("A0", 3, "W", "20", "200"), admission("C0", 3, "C", "5", "50", PF)])
        b.state()
        monkeypatch.setattr(projections, "load_state", counted)
        kinds: set[str] = set()
        posted = 0
        for n in range(ROUNDS):
            clerk, other = (a, b) if rng.random() < 0.5 else (b, a)
            batch = _random_batch(rng, clerk.state(), n)
            try:
                clerk.post(batch)
            except InputError:
                continue
            posted += 1
            kinds.update(e.kind for e in batch)
            if compare_each_round:
                with Ledger.open(database_url, pf_rule=None) as fresh:
                    _same_books(other.state(), fresh.state())
                    _same_books(clerk.state(), fresh.state())
            else:
                other.state()  # caught up, and not compared until the end
        with Ledger.open(database_url, pf_rule=None) as fresh:
            _same_books(a.state(), fresh.state())
            _same_books(b.state(), fresh.state())
        # Loading parts moves the master revision: the books are read whole once more.
        a.load_master([Part("Z", "New part", "8537109170", "DE", "No.", BEGIN)])
        with Ledger.open(database_url, pf_rule=None) as fresh:
            _same_books(b.state(), fresh.state())
    # Each fresh Ledger loads once (its second `state()` is its cache); the two clerks
    # caught up every time, except the one reading after the master-data change.
    fresh_ledgers = (posted if compare_each_round else 0) + 1 + 1
    assert loads == fresh_ledgers + 1
    # most random batches post; some are refused (overdrawn lots, a key already posted)
    assert posted >= ROUNDS // 3
    assert kinds >= {
        "admission", "shipment", "production", "status_change", "count", "manipulation",
        "suspense_receipt", "correction",
    }
    assert ledger.verify().ok
