"""Writers bench: many clerks posting at once, each in a process of its own, against one
clerk alone, on SQLite and PostgreSQL.

Three runs on each database, every writer posting by `Ledger.post`, one batch after another
(one transaction each), on books already holding `ZK_BENCH_WRITERS_PRELOAD` events:

- one writer, one zone: one process posts every measured batch;
- `ZK_BENCH_WRITERS` writers (default 8) on one zone: the same batches, each writer its own
  share; posting is serialized per zone, and before each batch a writer brings the books it
  holds up to date with what the others committed since its last batch;
- as many writers on as many zones: each writer its share into a zone of its own (preloaded
  with its share of the preload), so nothing is shared but the database.

Each writer's events come from `ledger_bench.workload` with its own seed, its parts,
admission numbers and references prefixed with its number, so no writer's batch depends on
another's and none is refused. Throughput: all measured events over the wall time from the
moment every writer was ready (processes started, tariff and books loaded, by a dry run of
its first batch) to the last one's last commit.

Size: `ZK_BENCH_WRITERS_EVENTS` (measured events per run, default 48,000),
`ZK_BENCH_WRITERS_PRELOAD` (default 64,000), `ZK_BENCH_WRITERS_BATCH` (events per batch,
default 1,000), `ZK_BENCH_PG_URL` (default the local test server). Run:
`python -m bench writers_bench`.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import queue
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.ledger_bench import _drop_schema, _pg_schema, workload
from zonekeeper.app.books import Ledger
from zonekeeper.zone.events import Admission, Event, Production, Shipment
from zonekeeper.zone.master import Bom, BomLine, Part

SEED = 20261206


@dataclasses.dataclass(frozen=True)
class Size:
    writers: int
    events: int  # measured, per run
    preload: int
    batch: int


def _size() -> Size:
    env = os.environ.get
    return Size(
        writers=int(env("ZK_BENCH_WRITERS", "8")),
        events=int(env("ZK_BENCH_WRITERS_EVENTS", "48000")),
        preload=int(env("ZK_BENCH_WRITERS_PRELOAD", "64000")),
        batch=int(env("ZK_BENCH_WRITERS_BATCH", "1000")),
    )


def _renamed(event: Event, tag: str) -> Event:
    if isinstance(event, Admission):
        return dataclasses.replace(
            event, admission_no=tag + event.admission_no, part=tag + event.part
        )
    if isinstance(event, Production):
        return dataclasses.replace(event, ref=tag + event.ref, product=tag + event.product)
    if isinstance(event, Shipment):
        return dataclasses.replace(event, ref=tag + event.ref, part=tag + event.part)
    raise TypeError(type(event))


def share(writer: int, size: Size) -> tuple[list[Part], list[Bom], list[Event], list[Event]]:
    """Writer `writer`'s master data, preload and measured events (its own names)."""
    per_preload = size.preload // size.writers
    per_events = size.events // size.writers
    work = workload(per_preload + per_events, seed=SEED + writer)
    tag = f"W{writer}"
    parts = [dataclasses.replace(p, number=tag + p.number) for p in work.parts]
    boms = [
        dataclasses.replace(
            b,
            product=tag + b.product,
            lines=tuple(BomLine(tag + ln.component, ln.quantity) for ln in b.lines),
        )
        for b in work.boms
    ]
    events = [_renamed(e, tag) for e in work.events]
    return parts, boms, events[:per_preload], events[per_preload:]


def _batches(events: Sequence[Event], size: int) -> list[Sequence[Event]]:
    return [events[i : i + size] for i in range(0, len(events), size)]


def _writer(
    url: str, zone: str, writers: list[int], size: Size, ready: Any, results: Any
) -> None:
    """One writer process: post the measured batches of `writers`' shares (round robin)."""
    shares = [_batches(share(w, size)[3], size.batch) for w in writers]
    batches = [b for round_ in zip(*shares, strict=True) for b in round_]
    with Ledger.open(url, zone) as books:
        books.check(batches[0])  # loads the tariff's measures and the books
        ready.wait()
        started = time.monotonic()
        for batch in batches:
            books.post(batch)
        results.put((started, time.monotonic(), sum(len(b) for b in batches)))


def _setup(url: str, zones: dict[str, list[int]], size: Size) -> None:
    """Each zone with the master data and preload of its writers' shares."""
    for zone, writers in zones.items():
        with Ledger.init(url, zone, "bench", "FIFO") as books:
            preload: list[Sequence[Event]] = []
            for w in writers:
                parts, boms, first, _ = share(w, size)
                books.load_master(parts, boms)
                preload += _batches(first, size.batch)
            books.post_many(preload)


def _run(url: str, zones: dict[str, list[list[int]]], size: Size) -> tuple[float, int]:
    """Events/s of writer processes posting at once (`zones`: each zone's writers, each
    writer the shares it posts), and the events they posted."""
    _setup(url, {z: [w for ws in writers for w in ws] for z, writers in zones.items()}, size)
    # Each writer a fresh process (no engine or heap inherited), forked from a server that
    # imported Zonekeeper once: starting eight is then quick.
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["bench.writers_bench"])
    processes = [(z, ws) for z, writers in zones.items() for ws in writers]
    ready = context.Barrier(len(processes))
    results = context.Queue()
    running = [
        context.Process(target=_writer, args=(url, z, ws, size, ready, results))
        for z, ws in processes
    ]
    for p in running:
        p.start()
    done = _results(results, running)
    for p in running:
        p.join()
    started = min(d[0] for d in done)
    ended = max(d[1] for d in done)
    count = sum(d[2] for d in done)
    return count / (ended - started), count


def _results(results: Any, running: list[Any]) -> list[tuple[float, float, int]]:
    """Each writer's (start, end, events) as they come; the moment a writer has died
    without one, the others are stopped and the run fails (it used to wait an hour)."""
    done: list[tuple[float, float, int]] = []
    while len(done) < len(running):
        try:
            done.append(results.get(timeout=1))
        except queue.Empty:
            failed = [p.exitcode for p in running if p.exitcode not in (None, 0)]
            if failed:
                for p in running:
                    p.terminate()
                raise RuntimeError(f"a writer failed (exit {failed[0]})") from None
    return done


RUNS = ("one writer, one zone", "{n} writers, one zone", "{n} writers, {n} zones")


def _database(new_url: Any, size: Size) -> list[float]:
    """events/s of the three runs, each on books of its own."""
    n = size.writers
    everyone = list(range(n))
    layouts: list[dict[str, list[list[int]]]] = [
        {"1": [everyone]},
        {"1": [[w] for w in everyone]},
        {str(w + 1): [[w]] for w in everyone},
    ]
    rates = []
    for layout in layouts:
        with new_url() as url:
            rate, _ = _run(url, layout, size)
            rates.append(rate)
    return rates


class _SqliteFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0

    def __call__(self) -> Any:
        self.n += 1
        url = f"sqlite:///{self.folder / f'books{self.n}.db'}"
        return _Given(url, lambda: None)


class _Given:
    def __init__(self, url: str, drop: Any) -> None:
        self.url, self.drop = url, drop

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *_: object) -> None:
        self.drop()


def _pg_schemas(base: str) -> Any:
    def make() -> _Given:
        schema, url = _pg_schema(base)
        return _Given(url, lambda: _drop_schema(base, schema))

    return make


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "not known"


def run() -> str:
    size = _size()
    pg_base = os.environ.get("ZK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    n = size.writers
    load_before = _load()
    lines = [
        f"## Writers: {n} clerks posting at once (processes) against one alone",
        "",
        f"{size.events:,} events posted by `Ledger.post` in batches of {size.batch:,} (one "
        f"transaction each) into books already holding {size.preload:,} events (the ledger "
        f"bench's mix, each writer's own parts, seeds {SEED}+writer), three ways: one writer "
        f"process posting every batch; {n} writer processes sharing the batches on one zone "
        f"(posting is serialized per zone; each writer brings the books it holds up to date "
        f"with the batches the others committed, `zone.book.catch_up`); {n} writer "
        f"processes each on a zone of its own. events/s = all events over the wall time from "
        f"every writer ready to the last commit. Load average (1, 5, 15 min) before: "
        f"{load_before}.",
        "",
        "| database | " + " | ".join(r.format(n=n) for r in RUNS)
        + f" | {n} on one zone / one | {n} on {n} zones / one |",
        "|---|" + "---:|" * (len(RUNS) + 2),
    ]
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="zk-writers-") as folder:
        runs = [("SQLite (WAL, synchronous=FULL)", _SqliteFiles(Path(folder)))]
        runs.append(("PostgreSQL (local)", _pg_schemas(pg_base)))
        for name, make in runs:
            try:
                one, shared, apart = _database(make, size)
            except Exception as error:  # noqa: BLE001 - report the missing database
                lines.append(f"| {name} | not run: {type(error).__name__}: {error} | | | | |")
                continue
            lines.append(
                f"| {name} | {one:,.0f} | {shared:,.0f} | {apart:,.0f} | "
                f"{shared / one:.2f} | {apart / one:.2f} |"
            )
            verdicts.append(
                f"{name}: {n} writers on one zone ≥ 60% of one writer — "
                f"{'met' if shared >= 0.6 * one else 'not met'} ({shared / one:.0%}); "
                f"{n} writers on {n} zones ≥ 1.5× — "
                f"{'met' if apart >= 1.5 * one else 'not met'} ({apart / one:.2f}×)."
            )
    lines += ["", f"Load average after: {_load()}.", "", "Targets: " + " ".join(verdicts), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
