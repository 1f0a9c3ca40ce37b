"""Throughput of `post` alone on synthetic events (not collected by pytest).

Run: .venv/bin/python tests/zone/perf_post.py [events] [batch]
A seeded mix: 40% admissions over 200 parts, 42% shipments (FIFO, several lots each
now and then), 6% productions (2-component BOM), 6% status changes NPF->PF, 6% counts.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal

from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.events import Admission, Count, Event, Production, Shipment, StatusChange
from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.posting import post
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

START = dt.date(2026, 1, 1)
N_PARTS = 200


def master() -> tuple[list[Part], list[Bom]]:
    parts = [Part(f"P{i}", f"part {i}", "7318.15.20", "VN", "pcs", START) for i in range(N_PARTS)]
    parts.append(Part("KIT", "kit", "8479.89.94", "US", "pcs", START))
    bom = Bom("KIT", START, (BomLine("P0", Decimal(2)), BomLine("P1", Decimal(1), Decimal("0.1"))))
    return parts, [bom]


def synthetic(n: int, seed: int = 7) -> list[Event]:
    rnd = random.Random(seed)
    events: list[Event] = []
    on_hand = [0] * N_PARTS
    recent_npf: list[str] = []  # lots FIFO has not reached yet: valid status-change targets
    recent: list[tuple[str, int]] = []
    statuses = (ZoneStatus.NONPRIVILEGED_FOREIGN, ZoneStatus.PRIVILEGED_FOREIGN)
    day = START
    for i in range(n):
        if i % 5000 == 0:
            day += dt.timedelta(days=1)
        r = rnd.random()
        part = rnd.randrange(N_PARTS)
        if r < 0.40 or on_hand[part] < 10:
            qty = rnd.randrange(10, 200)
            status = statuses[rnd.random() < 0.3]
            events.append(
                Admission(f"A{i}", 1, day, f"P{part}", Decimal(qty), Decimal(qty * 13), status)
            )
            on_hand[part] += qty
            if status is ZoneStatus.NONPRIVILEGED_FOREIGN:
                recent_npf.append(f"A{i}/1")
                del recent_npf[:-20]
            recent.append((f"A{i}/1", qty))
            del recent[:-20]
        elif r < 0.82:
            qty = rnd.randrange(1, min(on_hand[part], 300) + 1)
            events.append(
                Shipment(
                    day,
                    f"E{i}",
                    f"P{part}",
                    Decimal(qty),
                    ShipmentDisposition.CONSUMPTION,
                    Decimal(qty * 20),
                )
            )
            on_hand[part] -= qty
        elif r < 0.88 and on_hand[0] > 50 and on_hand[1] > 50:
            events.append(Production(day, f"R{i}", "KIT", Decimal(5)))
            on_hand[0] -= 10
            on_hand[1] -= 6
        elif r < 0.94 and recent_npf:
            events.append(StatusChange(day, recent_npf.pop(), ZoneStatus.PRIVILEGED_FOREIGN))
        elif recent:
            lot, qty = recent.pop()
            events.append(Count(day, lot, Decimal(qty)))
    return events


def valid_events(events: list[Event], state: ZoneState, batch: int) -> list[Event]:
    """Drop the few events the generator cannot know are refused (a status change or count
    of a lot FIFO has just emptied), so the timed run posts every batch at once."""
    kept: list[Event] = []
    for i in range(0, len(events), batch):
        chunk = events[i : i + batch]
        result = post(state, chunk)
        if result.problems:
            bad = {p.row for p in result.problems}
            chunk = [e for j, e in enumerate(chunk, 1) if j not in bad]
            result = post(state, chunk)
            assert not result.problems, result.problems[:3]
        kept.extend(chunk)
        state = result.state
    return kept


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else n
    parts, boms = master()
    start = ZoneState.new("Z", AllocationMethod.FIFO, parts, boms)
    events = valid_events(synthetic(n), start, batch)
    state = start
    postings = 0
    t0 = time.perf_counter()
    for i in range(0, len(events), batch):
        result = post(state, events[i : i + batch])
        state = result.state
        postings += len(result.postings)
    elapsed = time.perf_counter() - t0
    assert state.seq == len(events)
    print(
        f"{len(events):,} events in batches of {batch:,}: {elapsed:.1f} s, "
        f"{len(events) / elapsed:,.0f} events/s ({postings:,} postings, {len(state.lots):,} lots)"
    )


if __name__ == "__main__":
    main()
