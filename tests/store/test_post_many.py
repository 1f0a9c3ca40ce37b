"""`Ledger.post_many`: batches made while the previous one is written give the books that
posting them one by one gives; a refused batch stops the run after the batches before it;
another clerk posting in between is absorbed (the batch is made again on the new books);
a correction of an event posted earlier in the same run finds its postings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from sqlalchemy import select
from zk_store_samples import BOMS, PARTS, SET_UP, admission, production, shipment

from zonekeeper.app.books import BatchRefused, Ledger, Posted
from zonekeeper.errors import InputError
from zonekeeper.store import pipeline, writes
from zonekeeper.store.schema import events, lots, postings
from zonekeeper.zone.events import Correction, Event


def _batches() -> list[list[Event]]:
    """Eight batches that draw on each other's lots (FIFO across batch boundaries)."""
    out: list[list[Event]] = []
    for b in range(8):
        day = 1 + b
        out.append(
            [
                admission(f"A{b}-{i}", day, "W", str(10 + i), f"{100 + 7 * i}.25")
                for i in range(5)
            ]
            + [shipment(f"S{b}", day, "W", "13"), production(f"P{b}", day, "K", "3")]
            + [shipment(f"SK{b}", day, "K", "2")]
        )
    return out


def _rows(books: Ledger) -> dict[str, list[tuple[object, ...]]]:
    """The stored rows without the zone key and the hashes (the chain hashes the zone)."""
    with books.engine.connect() as c:
        return {
            "events": [
                tuple(r)
                for r in c.execute(
                    select(events.c.seq, events.c.kind, events.c.date, events.c.payload)
                    .where(events.c.zone == books.zone)
                    .order_by(events.c.seq)
                )
            ],
            "postings": [
                tuple(r)
                for r in c.execute(
                    select(postings.c.seq, postings.c.n, postings.c.lot, postings.c.data)
                    .where(postings.c.zone == books.zone)
                    .order_by(postings.c.seq, postings.c.n)
                )
            ],
            "lots": [
                tuple(r)
                for r in c.execute(
                    select(lots.c.lot, lots.c.status, lots.c.quantity, lots.c.value, lots.c.data)
                    .where(lots.c.zone == books.zone)
                    .order_by(lots.c.lot)
                )
            ],
        }


def _other(database_url: str, zone: str) -> Ledger:
    books = Ledger.init(database_url, zone, "Dock 3", "FIFO")  # the same settings as 49
    books.load_master(PARTS, BOMS)
    return books


def test_post_many_gives_the_books_one_by_one_posting_gives(
    ledger: Ledger, database_url: str
) -> None:
    batches = _batches()
    told: list[int] = []
    many = ledger.post_many(batches, posted=lambda i, _p: told.append(i))
    with _other(database_url, "50") as one_by_one:
        singles = [one_by_one.post(b) for b in batches]
        assert _rows(ledger) == _rows(one_by_one)
        assert [(p.events, p.postings, p.head_seq) for p in many] == [
            (p.events, p.postings, p.head_seq) for p in singles
        ]
        assert one_by_one.verify().ok
    assert told == list(range(len(batches)))
    assert ledger.verify().ok
    # The state the run leaves cached is the committed one: the next post continues it.
    after = ledger.post([shipment("S-next", 20, "W", "1")])
    assert after.head_seq == many[-1].head_seq + 1
    assert ledger.verify().ok


def test_a_refused_batch_stops_the_run_after_the_batches_before_it(ledger: Ledger) -> None:
    batches = _batches()[:4]
    batches[2] = [*batches[2][:3], shipment("S-too-many", 3, "W", "100000")]
    with pytest.raises(BatchRefused) as refused:
        ledger.post_many(batches, sources=["day1.csv", "day2.csv", "day3.csv", "day4.csv"])
    error = refused.value
    assert isinstance(error, InputError)
    assert error.index == 2
    assert [p.head_seq for p in error.posted] == [SET_UP + 8, SET_UP + 16]
    assert all(p.file == "day3.csv" for p in error.problems)
    assert any(p.row == 4 for p in error.problems)
    assert ledger.state().seq == SET_UP + 16
    assert ledger.verify().ok


def test_an_empty_batch_is_refused_in_place(ledger: Ledger) -> None:
    with pytest.raises(BatchRefused) as refused:
        ledger.post_many([_batches()[0], []])
    assert refused.value.index == 1
    assert ledger.state().seq == SET_UP + 8


def test_another_clerk_posting_meanwhile_is_absorbed(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other clerk's shipment draws on the lots our next batches draw on: neither
    over-draws, nothing is lost, and the chain is one. (The batch made right after the clerk's
    first posting was made on the books without it, so its commit must find the head moved.)"""
    moved: list[int] = []

    def commit(engine: object, zone: str, batch: writes.Prepared) -> None:
        try:
            writes.commit(engine, zone, batch)  # type: ignore[arg-type]
        except writes.HeadMoved:
            moved.append(batch.base[0])
            raise

    monkeypatch.setattr(pipeline, "commit", commit)
    ledger.post([admission("PRE", 1, "W", "50", "500")])  # stock the clerk can always draw on
    batches = _batches()[:5]
    clerk = Ledger.open(database_url, ledger.zone)

    def meanwhile(index: int, _posted: Posted) -> None:
        if index in (0, 2):
            clerk.post([shipment(f"X{index}", 1 + index, "W", "4")])

    try:
        many = ledger.post_many(batches, posted=meanwhile)
    finally:
        clerk.close()
    assert len(many) == 5
    assert moved
    state = ledger.state()
    assert state.seq == SET_UP + 1 + 5 * 8 + 2
    on_hand = sum((lot.balance for lot in state.lots.values() if lot.part == "W"), Decimal(0))
    admitted = 50 + sum(Decimal(10 + i) for i in range(5)) * 5
    assert on_hand == admitted - 5 * (13 + 6) - 2 * 4
    assert ledger.verify().ok


def test_a_correction_of_an_event_posted_earlier_in_the_run(ledger: Ledger) -> None:
    first: Sequence[Event] = [admission("C1", 1, "W", "10", "100")]
    fix = [Correction(dt.date(2026, 8, 2), SET_UP + 1, "keyed twice")]
    ledger.post_many([first, fix, [admission("C2", 3, "W", "5", "50")]])
    state = ledger.state()
    assert state.seq == SET_UP + 3
    assert sum((lot.balance for lot in state.lots.values()), Decimal(0)) == 5
    assert ledger.verify().ok


def test_a_failed_write_keeps_the_batches_before_it(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refusing a write (disk full, a constraint) stops the run: that batch
    and the ones after it are not in the books, the ones before it are, and the books go on."""
    calls: list[int] = []

    def commit(engine: object, zone: str, batch: writes.Prepared) -> None:
        calls.append(batch.base[0])
        if len(calls) == 3:
            raise OSError("disk full")
        writes.commit(engine, zone, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "commit", commit)
    with pytest.raises(OSError, match="disk full"):
        ledger.post_many(_batches()[:6])
    assert ledger.state().seq == SET_UP + 16
    assert ledger.verify().ok
    monkeypatch.undo()
    assert ledger.post([shipment("S-after", 20, "W", "1")]).head_seq == SET_UP + 17
    assert ledger.verify().ok


def test_a_clerk_moving_the_head_every_time_still_lets_the_run_through(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If every pipelined commit finds the head moved, each batch is posted under the lock
    instead (the run always gets on), and a batch refused there is still `BatchRefused`
    with the batches before it."""

    def always_moved(engine: object, zone: str, batch: writes.Prepared) -> None:
        raise writes.HeadMoved(zone)

    monkeypatch.setattr(pipeline, "commit", always_moved)
    batches = _batches()[:3]
    told: list[tuple[int, int]] = []
    many = ledger.post_many(batches, posted=lambda i, p: told.append((i, p.head_seq)))
    assert [p.head_seq - SET_UP for p in many] == [8, 16, 24]
    assert [(i, seq - SET_UP) for i, seq in told] == [(0, 8), (1, 16), (2, 24)]
    with pytest.raises(BatchRefused) as refused:
        ledger.post_many([_batches()[3], [shipment("S-too-many", 9, "W", "100000")]])
    assert refused.value.index == 1
    assert [p.head_seq for p in refused.value.posted] == [SET_UP + 32]
    assert ledger.verify().ok


def test_the_callback_hears_of_committed_batches_only_and_an_error_in_it_keeps_the_books(
    ledger: Ledger,
) -> None:
    heads: list[int] = []

    def fail_at_second(index: int, posted: Posted) -> None:
        heads.append(posted.head_seq)
        if index == 1:
            raise RuntimeError("the caller's own error")

    with pytest.raises(RuntimeError):
        ledger.post_many(_batches()[:6], posted=fail_at_second)
    seq = ledger.state().seq
    assert heads == [SET_UP + 8, SET_UP + 16] and seq >= SET_UP + 16 and (seq - SET_UP) % 8 == 0
    assert ledger.post([shipment("S-after", 20, "W", "1")]).head_seq == seq + 1
    assert ledger.verify().ok


def test_sources_name_every_batch(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="1 sources for 2 batches"):
        ledger.post_many(_batches()[:2], sources=["one.csv"])
    assert ledger.state().seq == SET_UP


def test_in_memory_sqlite_books_post_one_by_one() -> None:
    """A writer thread cannot see an in-memory SQLite database: its batches go by `post`."""
    with Ledger.init("sqlite://", "51", "Dock 5", "FIFO") as books:
        books.load_master(PARTS, BOMS)
        many = books.post_many(_batches()[:3])
        assert [p.head_seq - SET_UP for p in many] == [8, 16, 24]
        assert books.verify().ok
