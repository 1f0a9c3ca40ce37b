"""A batch posts whole or not at all, even when the process is killed half-way through it:
nothing partial is visible afterwards, `verify` passes and the books go on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from zk_post_batches import start, wait_for
from zk_store_samples import SET_UP, admission, shipment

from zonekeeper.services.ledger import Ledger
from zonekeeper.store.schema import events, lots, postings

WORKER = Path(__file__).with_name("zk_post_and_hang.py")


def _count(books: Ledger, table: object) -> int:
    with books.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_killed_batch_leaves_no_trace(ledger: Ledger, database_url: str, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    marker = tmp_path / "inside"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(WORKER.parent), *sys.path]))
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), database_url, str(marker), "3000"],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            assert time.monotonic() < deadline, "the worker never reached the middle of its batch"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    assert _count(ledger, events) == 3  # init's, the master data's, the first batch's
    assert _count(ledger, lots) == 1
    assert _count(ledger, postings) == 1
    assert ledger.verify().ok
    posted = ledger.post([shipment("S1", 6, "W", "3")])
    assert posted.head_seq == 3 + 1
    assert ledger.verify().ok


KILLS = 4
SIZE = 200  # events a batch: long enough that a kill often lands inside one


def test_killed_at_random_moments_the_books_hold_whole_batches_only(
    ledger: Ledger, database_url: str, tmp_path: Path
) -> None:
    """A poster killed (SIGKILL) at random moments, again and again, each time restarted
    from the books: every batch it was told is posted is there, each batch is there whole
    or not at all and only once, and `verify` passes after every kill."""
    import random

    rng = random.Random(20261206)
    reported: set[int] = set()
    for kill in range(KILLS):
        process, ready, go, progress = start(database_url, tmp_path, f"k{kill}.", -1, 1000, SIZE)
        wait_for(ready, process)
        go.touch()
        # Kill at a random moment after the round's first committed batch, so every round
        # posts something however loaded the machine is (a fixed delay from `go` could end
        # a round before its first batch on a busy machine).
        wait_for(progress, process)
        time.sleep(rng.uniform(0.0, 0.5))
        process.kill()  # SIGKILL
        process.join()
        assert process.exitcode == -signal.SIGKILL
        if progress.exists():
            reported |= {int(line) for line in progress.read_text().split()}

        seq = ledger.state().seq - SET_UP  # the events the worker posted
        assert seq % SIZE == 0, f"kill {kill}: {seq} events, not whole batches of {SIZE}"
        whole = seq // SIZE
        assert reported <= set(range(whole)), f"kill {kill}: a reported batch is missing"
        assert _count(ledger, events) == SET_UP + seq
        # Each batch made its own lots, once: batch b's admissions are lots `k{kill}.{b}-{i}/1`.
        admitted = [lot.id for lot in ledger.state().lots.values()]
        assert len(admitted) == whole * (SIZE - 1)
        batches: dict[int, int] = {}
        for lot in admitted:
            b = int(lot.split("-")[0].split(".")[1])
            batches[b] = batches.get(b, 0) + 1
        assert batches == dict.fromkeys(range(whole), SIZE - 1), f"kill {kill}: {batches}"
        result = ledger.verify()
        assert result.ok, f"kill {kill}: {result.mismatch}"
    assert len(reported) >= KILLS, "the worker posted too little to test anything"
