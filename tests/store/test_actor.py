"""Who posted an event (the web application's or the API's user) is inside its hash: the
books name them, `verify` passes, and changing the name breaks the chain like any edit."""

from __future__ import annotations

from sqlalchemy import select, update
from zk_store_samples import admission, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.store.chain import link_hash
from zonekeeper.store.schema import events


def test_link_hash_without_actor_is_the_old_formula_and_an_actor_changes_it() -> None:
    old = link_hash("0" * 64, "1", 1, b"{}")
    assert link_hash("0" * 64, "1", 1, b"{}", None) == old
    assert link_hash("0" * 64, "1", 1, b"{}", "alice") != old
    assert link_hash("0" * 64, "1", 1, b"{}", "alice") != link_hash("0" * 64, "1", 1, b"{}", "bob")


def test_posted_events_name_their_actor_and_verify_checks_it(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])  # from the CLI: no actor
    ledger.actor = "alice"
    posted = ledger.post([shipment("S1", 5, "W", "1")])
    with ledger.engine.connect() as connection:
        actors = dict(connection.execute(select(events.c.seq, events.c.actor)).all())
    assert actors[posted.first_seq] == "alice"
    assert actors[posted.first_seq - 1] is None
    assert ledger.verify().ok
    with ledger.engine.begin() as connection:
        connection.execute(
            update(events).where(events.c.seq == posted.first_seq).values(actor="mallory")
        )
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and mismatch.seq == posted.first_seq
