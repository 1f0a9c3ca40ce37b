"""`verify` while another clerk posts to the same zone: it checks one consistent snapshot of
the books (the chain, its head and every projection as of one moment), so a batch committed
half-way through the check is neither half-seen nor reported as tampering."""

from __future__ import annotations

import threading
import time

from zk_store_samples import admission, shipment

from zonekeeper.app.books import Ledger

OVERLAPS = 3  # verify runs during which the poster committed at least one batch
DEADLINE_S = 60.0


def test_verify_passes_while_another_clerk_posts(ledger: Ledger, database_url: str) -> None:
    ledger.post([admission(f"A{i}", 3, "W", "50", "500") for i in range(40)])
    stop = threading.Event()
    failures: list[BaseException] = []

    def poster() -> None:
        try:
            with Ledger.open(database_url, pf_rule=None) as books:
                n = 0
                while not stop.is_set():
                    n += 1
                    books.post(
                        [admission(f"P{n}-{i}", 4, "W", "3", "30") for i in range(20)]
                        + [shipment(f"S{n}", 5, "W", "30")]
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    thread = threading.Thread(target=poster, daemon=True)
    thread.start()
    overlapped = runs = 0
    started = time.monotonic()
    try:
        with Ledger.open(database_url) as checker:
            while overlapped < OVERLAPS and time.monotonic() - started < DEADLINE_S:
                before = checker.state().seq
                result = checker.verify()
                runs += 1
                assert result.ok, f"verify run {runs}: {result.mismatch}"
                assert result.events is not None and result.events >= before
                if ledger.state().seq > before:
                    overlapped += 1
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not failures, failures
    assert overlapped >= OVERLAPS, f"only {overlapped} of {runs} verify runs overlapped a post"
    assert ledger.verify().ok
