"""Several `zonekeeper init --zone N` at once on an existing schema (API workers, deploy
scripts started together): creating a zone is idempotent under the race. The first init
to commit decides the zone's settings; a racing init with the same settings opens those
books, one with another --method or --site is refused as bad input (exit 2), exactly as it
would be had it come after."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError
from zonekeeper.store.engine import write_transaction
from zonekeeper.store.schema import zones
from zonekeeper.store.zones import find_zone

INITS = 8


def _waiting_on_locks(url: str, application: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name = :app AND wait_event_type = 'Lock'"
                    ),
                    {"app": application},
                ).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("settings", ["same", "mixed"])
def test_racing_inits_of_one_zone_never_crash(
    ledger: Ledger, database_url: str, settings: str
) -> None:
    postgres = database_url.startswith("postgresql")
    application = f"zk_init_race_{uuid.uuid4().hex[:8]}"
    url = f"{database_url}&application_name={application}" if postgres else database_url
    wanted = [
        ("Dock 9", "LIFO" if settings == "mixed" and i % 2 else "FIFO") for i in range(INITS)
    ]
    outcomes: list[object] = [None] * INITS
    started = threading.Barrier(INITS + 1)

    def init(i: int) -> None:
        started.wait()
        try:
            site, method = wanted[i]
            with Ledger.init(url, "NEW", site, method) as books:
                outcomes[i] = books.zone
        except BaseException as error:  # noqa: BLE001 - checked below
            outcomes[i] = error

    threads = [threading.Thread(target=init, args=(i,), daemon=True) for i in range(INITS)]
    # Another init holds the zone's row, written but not committed, while the eight start:
    # each finds no zone yet and tries to create it (the race the field saw, made certain).
    with write_transaction(ledger.engine) as first:
        first.execute(
            zones.insert().values(
                zone="NEW", site="Dock 9", method="FIFO", head_seq=0,
                head_hash="0" * 64, master_rev=0,
            )
        )
        for t in threads:
            t.start()
        started.wait()
        deadline = time.monotonic() + 30
        if postgres:  # every one of them is waiting on the row
            while _waiting_on_locks(database_url, application) < INITS:
                assert time.monotonic() < deadline, "the inits never reached the zone's row"
                time.sleep(0.05)
        else:  # each waits for the write lock (BEGIN IMMEDIATE)
            time.sleep(1.0)
    for t in threads:
        t.join(timeout=60)
    for (_site, method), outcome in zip(wanted, outcomes, strict=True):
        if method == "FIFO":
            assert outcome == "NEW", outcome
        else:
            assert isinstance(outcome, InputError), outcome
            assert "zone NEW is already set up (site 'Dock 9', method FIFO)" in str(outcome)
    with ledger.engine.connect() as connection:
        row = find_zone(connection, "NEW")
    # The row the test wrote stands for an init that committed before recording the zone's
    # settings in its chain: exactly one of the eight recorded them (event 1), none twice.
    assert row is not None and (row.site, row.method, row.head_seq) == ("Dock 9", "FIFO", 1)
    with Ledger.open(url, "NEW") as books:
        assert books.verify().ok
