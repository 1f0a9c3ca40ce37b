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
from zk_store_samples import admission, shipment

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
