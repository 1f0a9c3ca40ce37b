"""Two clerks posting withdrawals against the same lots at once, on their own connections:
posting is serialized per zone, so no lot is over-drawn and no event is lost."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from zk_post_batches import start, wait_for
from zk_store_samples import SET_UP, admission, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError
from zonekeeper.store.schema import events

ATTEMPTS = 10
EACH = Decimal(7)


def test_concurrent_withdrawals_never_over_draw_and_never_lose_an_event(
    ledger: Ledger, database_url: str
) -> None:
    ledger.post([admission("A1", 3, "W", "60", "600"), admission("A2", 3, "W", "40", "400")])
    start = threading.Barrier(2)
    outcomes: dict[str, list[bool]] = {"a": [], "b": []}
    failures: list[BaseException] = []

    def clerk(name: str) -> None:
        try:
            with Ledger.open(database_url) as books:
                start.wait()
                for i in range(ATTEMPTS):
                    try:
                        books.post([shipment(f"{name}{i}", 5, "W", str(EACH))])
                        outcomes[name].append(True)
                    except InputError:
                        outcomes[name].append(False)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in outcomes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    posted = sum(sum(o) for o in outcomes.values())
    # 100 on hand, 20 attempts of 7: exactly 14 fit, whatever the interleaving.
    assert posted == 14
    on_hand = sum((b.quantity for b in ledger.balances()), Decimal(0))
    assert on_hand == Decimal(100) - EACH * posted >= 0
    with ledger.engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(events)).scalar_one()
    assert stored == 2 + 2 + posted  # init and master data (2), the two admissions, the shipments
    assert ledger.verify().ok


def test_readers_do_not_wait_for_a_clerk_who_is_posting(ledger: Ledger, database_url: str) -> None:
    import time

    from zonekeeper.store.engine import write_transaction
    from zonekeeper.store.zones import find_zone

    ledger.post([admission("A1", 3, "W", "10", "100")])
    with Ledger.open(database_url) as reader, write_transaction(ledger.engine) as held:
        find_zone(held, "49", lock=True)  # a posting in progress holds the zone
        started = time.monotonic()
        assert [b.quantity for b in reader.balances()] == [Decimal(10)]
        assert time.monotonic() - started < 5


WRITERS = 8
BATCHES = 3  # each writer's
SIZE = 25  # events a batch


def test_eight_writer_processes_on_one_zone_never_fork_the_chain(
    ledger: Ledger, database_url: str, tmp_path: Path
) -> None:
    """Eight processes post batches to one zone at once, each drawing on the lots the
    others admitted: the chain is one (contiguous, every link and hash checked by `verify`),
    every batch is in it exactly once and whole, and nothing is over-drawn."""
    workers = [start(database_url, tmp_path, f"w{w}.", 0, BATCHES, SIZE) for w in range(WRITERS)]
    for process, ready, _, _ in workers:
        wait_for(ready, process)
    for _, _, go, _ in workers:
        go.touch()
    for process, *_ in workers:
        process.join(timeout=120)
        assert process.exitcode == 0, f"a writer failed (exit {process.exitcode}): see its stderr"

    state = ledger.state()
    assert state.seq == SET_UP + WRITERS * BATCHES * SIZE
    with ledger.engine.connect() as connection:
        rows = connection.execute(select(events.c.seq, events.c.kind, events.c.payload)).all()
    assert sorted(seq for seq, _, _ in rows) == list(range(1, state.seq + 1))
    # Each batch's events are consecutive in the chain: it was posted whole, in one go.
    tags: dict[str, list[int]] = {}
    for seq, kind, payload in rows:
        if kind == "master":  # the zone's set-up, before the writers
            continue
        record = json.loads(payload)
        name = record["admission_no"] if kind == "admission" else record["ref"]
        tags.setdefault(name.split("-")[0], []).append(seq)
    assert len(tags) == WRITERS * BATCHES
    for name, seqs in tags.items():
        assert len(seqs) == SIZE and max(seqs) - min(seqs) == SIZE - 1, name
    assert sum(b.quantity for b in ledger.balances()) == WRITERS * BATCHES * (SIZE - 1 - 2)
    result = ledger.verify()
    assert result.ok, result.mismatch
