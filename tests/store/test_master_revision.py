"""Books kept in memory follow master data another process loads: the zone row's master
revision moves with every change of parts or BOMs, a Ledger's cached books and a batch made
on them hold only while it does (`store.zones.Version`)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from sqlalchemy import event
from zk_store_samples import SET_UP, admission, production

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError
from zonekeeper.store.zones import find_zone
from zonekeeper.zone.events import Event
from zonekeeper.zone.ledger import PostResult
from zonekeeper.zone.master import Bom, BomLine, Part

D = Decimal
# Kit K from 2026-08-05 takes three boards a kit instead of two.
BOM_V2 = Bom("K", dt.date(2026, 8, 5), (BomLine("W", D(3)),))
NEW_PART = Part("X", "Relay", "8537109170", "DE", "No.", dt.date(2026, 8, 1))


def _master_rev(books: Ledger) -> int:
    with books.engine.connect() as connection:
        row = find_zone(connection, books.zone)
        assert row is not None
        return row.master_rev


def _boards_left(books: Ledger) -> Decimal:
    return sum((b.quantity for b in books.balances(part="W")), D(0))


def test_cached_books_read_a_bom_another_process_loaded(ledger: Ledger, database_url: str) -> None:
    ledger.post([admission("A1", 1, "W", "100", "1000.00")])  # the books are now cached
    with Ledger.open(database_url, "49") as other:
        assert other.load_master(boms=[BOM_V2]) == 1
    ledger.post([production("P1", 6, "K", "4")])
    assert _boards_left(ledger) == 100 - 4 * 3  # not 100 - 4 * 2 from the cached BOM
    assert ledger.verify().ok


def test_cached_books_read_a_part_another_process_loaded(ledger: Ledger, database_url: str) -> None:
    ledger.post([admission("A1", 1, "W", "100", "1000.00")])
    with Ledger.open(database_url, "49") as other:
        other.load_master([NEW_PART])
    ledger.post([admission("A2", 2, "X", "5", "50.00")])  # refused as unknown if stale
    assert [b.lot.part for b in ledger.balances(part="X")] == ["X"]


def test_the_revision_moves_only_when_the_master_data_changes(ledger: Ledger) -> None:
    before = _master_rev(ledger)
    assert ledger.load_master([NEW_PART]) == 1
    assert _master_rev(ledger) == before + 1
    assert ledger.load_master([NEW_PART]) == 0  # the same version again: nothing changed
    assert _master_rev(ledger) == before + 1
    # The Ledger that loaded it keeps its books current (no re-read) and posts with them.
    ledger.post([admission("A2", 2, "X", "5", "50.00")])
    assert ledger.verify().ok


def _load_between_batches(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch, load: object
) -> list[int]:
    """Make `post_many` run batch 1 on books read before another process loads master data
    (after batch 0 is committed): the calls of the core, by first event seq."""
    runs: list[int] = []
    real = Ledger._run

    def run(self: Ledger, state: object, batch: list[Event], postings_of: object) -> PostResult:
        runs.append(state.seq)  # type: ignore[attr-defined]
        if len(runs) == 2:
            deadline = time.monotonic() + 30
            while ledger.state().seq < SET_UP + 2 and time.monotonic() < deadline:
                time.sleep(0.01)  # batch 0 committed: the writer has nothing left to check
            with Ledger.open(database_url, "49") as other:
                other.load_master(**load)  # type: ignore[arg-type]
        return real(self, state, batch, postings_of)  # type: ignore[arg-type]

    monkeypatch.setattr(Ledger, "_run", run)
    return runs


def test_a_batch_made_on_an_old_bom_in_post_many_is_made_again(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.post([admission("A1", 1, "W", "100", "1000.00")])
    runs = _load_between_batches(ledger, database_url, monkeypatch, {"boms": [BOM_V2]})
    ledger.post_many([[admission("A2", 2, "W", "10", "100.00")], [production("P1", 6, "K", "4")]])
    # batch 1 was made twice: on the old books, then on the new, after the master event
    assert runs == [SET_UP + 1, SET_UP + 2, SET_UP + 3]
    assert _boards_left(ledger) == 110 - 4 * 3
    assert ledger.verify().ok


def test_a_batch_refused_on_an_old_part_master_in_post_many_is_made_again(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.post([admission("A1", 1, "W", "100", "1000.00")])
    runs = _load_between_batches(ledger, database_url, monkeypatch, {"parts": [NEW_PART]})
    posted = ledger.post_many(
        [[admission("A2", 2, "W", "10", "100.00")], [admission("A3", 3, "X", "5", "50.00")]]
    )
    # the other process's master event between them
    assert [p.head_seq for p in posted] == [SET_UP + 2, SET_UP + 4]
    # refused on the old books, posted on the new
    assert SET_UP + 2 in runs and runs[-1] == SET_UP + 3
    assert [b.lot.part for b in ledger.balances(part="X")] == ["X"]
    assert ledger.verify().ok


def test_a_master_load_that_fails_to_commit_leaves_the_cached_books_as_they_were(
    ledger: Ledger, database_url: str
) -> None:
    """The load of X fails at COMMIT; another process then loads Y, moving the revision to
    where X's load would have moved it. Books cached with X under that revision would
    admit X, a part the master does not hold."""
    ledger.post([admission("A1", 1, "W", "100", "1000.00")])

    def refuse(_connection: object) -> None:
        raise RuntimeError("the disk is full")

    event.listen(ledger.engine, "commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            ledger.load_master([NEW_PART])
    finally:
        event.remove(ledger.engine, "commit", refuse)
    with Ledger.open(database_url, "49") as other:
        other.load_master([Part("Y", "Fuse", "8536100040", "DE", "No.", dt.date(2026, 8, 1))])
    with pytest.raises(InputError):
        ledger.post([admission("A2", 2, "X", "5", "50.00")])
    ledger.post([admission("A3", 2, "Y", "5", "50.00")])
    assert ledger.verify().ok
