"""Ledger benchmark: post a realistic mix of zone events (admissions, production, shipments)
through the real service path into SQLite and PostgreSQL, side by side with
(1) a raw bulk insert of the very rows the books end up holding (the events, their natural
keys in `event_keys`, the postings, the lots and the inventory kept by status in
`zone_totals`; whatever the books hold, the peer writes too), into the same schema on the
same database, and (2) beancount's own loader with FIFO lot booking on an equivalent
synthetic ledger with the same number of transactions.

Size: `ZK_BENCH_EVENTS` (default 1,000,000); batch size `ZK_BENCH_BATCH` (default 10,000
events per posting, one transaction each); `ZK_BENCH_PG_URL` (default the local test server);
it also times opening the SQLite books (loading the state) and `verify` on them
(`ZK_BENCH_VERIFY=0` skips `verify`); `ZK_BENCH_BEANCOUNT=0` skips the beancount peer (ten
minutes at 1M events) while iterating. Every generated data set comes from a fixed
seed. Run: `python -m bench ledger_bench`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, text

from zonekeeper.app.books import Ledger
from zonekeeper.store.engine import SQLITE_CACHE_KIB
from zonekeeper.store.schema import event_keys, events, lots, metadata, postings, zone_totals
from zonekeeper.zone.events import Admission, Event, Production, Shipment
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

SEED = 20260803
BEGIN = dt.date(1900, 1, 1)
FIRST_DAY = dt.date(2026, 8, 3)
PER_DAY = 5000
# Every table a posting fills on the bench mix (no counts: no discrepancies; no suspense), in
# the order the service writes them.
TABLES = (events, event_keys, postings, lots, zone_totals)
# The raw peers' zone row (the columns named: the zones table grows with migrations).
ZONE_ROW = (
    "INSERT INTO zones (zone, site, method, head_seq, head_hash) "
    "VALUES ('1', 'bench', 'FIFO', 0, '')"
)

# Real 2026 HTS numbers whose goods no measure obliges to be privileged foreign from these
# origins once the Section 122 surcharge has ended (2026-07-24), so NPF admissions are
# lawful; and China-origin goods on a Section 301 list, admitted PF as the law requires.
NPF_GOODS = [
    ("3926909985", "DE"),
    ("9403200090", "MX"),
    ("4202923120", "VN"),
    ("6204624011", "IN"),
]
PF_GOODS = [("8414308030", "CN")]
DISPOSITIONS = [
    (ShipmentDisposition.CONSUMPTION, 0.70),
    (ShipmentDisposition.EXPORT, 0.20),
    (ShipmentDisposition.ZONE_TRANSFER, 0.07),
    (ShipmentDisposition.DESTRUCTION, 0.03),
]


@dataclass
class Workload:
    """The events, the master data and the equivalent beancount ledger text."""

    parts: list[Part]
    boms: list[Bom]
    events: list[Event]
    beancount: list[str] = field(default_factory=list)


def workload(size: int, seed: int = SEED) -> Workload:
    """`size` events: ~45% admissions, ~10% production runs, ~45% shipments, PER_DAY a day
    from FIRST_DAY; withdrawals never exceed what is on hand."""
    rng = random.Random(seed)
    components = [f"C{i:04d}" for i in range(500)]
    products = [f"F{i:03d}" for i in range(50)]
    goods = {c: rng.choice(NPF_GOODS if rng.random() < 0.9 else PF_GOODS) for c in components}
    parts = [Part(c, f"component {c}", *goods[c], "No.", BEGIN) for c in components] + [
        Part(p, f"product {p}", "8418690180", "US", "No.", BEGIN) for p in products
    ]
    boms = [
        Bom(
            p,
            BEGIN,
            tuple(BomLine(c, Decimal(rng.randint(1, 3))) for c in rng.sample(components, 3)),
        )
        for p in products
    ]
    bom_of = {b.product: b for b in boms}
    unit_cost = {c: Decimal(rng.randint(200, 20000)) / 100 for c in components}
    on_hand = dict.fromkeys(components + products, 0)
    out: list[Event] = []
    ledger = [
        'option "operating_currency" "USD"',
        'option "booking_method" "FIFO"',
        *(f"2026-08-01 open Assets:Zone:{p}" for p in components + products),
        "2026-08-01 open Equity:Admissions",
        "2026-08-01 open Equity:Production",
        "2026-08-01 open Income:Shipments",
    ]
    day = FIRST_DAY
    admitted = 0
    while len(out) < size:
        if len(out) % PER_DAY == 0 and out:
            day += dt.timedelta(days=1)
        roll = rng.random()
        if roll < 0.45 or not out:
            part = rng.choice(components)
            quantity = rng.randint(20, 400)
            admitted += 1
            status = (
                ZoneStatus.PRIVILEGED_FOREIGN
                if goods[part] in PF_GOODS
                else ZoneStatus.NONPRIVILEGED_FOREIGN
            )
            value = unit_cost[part] * quantity
            out.append(Admission(f"F{admitted}", 1, day, part, Decimal(quantity), value, status))
            on_hand[part] += quantity
            ledger += [
                f'{day} * "admission F{admitted}/1"',
                f"  Assets:Zone:{part}  {quantity} {part} {{{unit_cost[part]} USD}}",
                "  Equity:Admissions",
            ]
        elif roll < 0.55:
            product = rng.choice(products)
            runs = rng.randint(1, 10)
            lines = bom_of[product].lines
            if all(on_hand[line.component] >= int(line.quantity) * runs for line in lines):
                ref = f"R{len(out)}"
                out.append(Production(day, ref, product, Decimal(runs)))
                ledger.append(f'{day} * "production {ref}"')
                for line in lines:
                    used = int(line.quantity) * runs
                    on_hand[line.component] -= used
                    ledger.append(f"  Assets:Zone:{line.component}  -{used} {line.component} {{}}")
                on_hand[product] += runs
                cost = sum((unit_cost[ln.component] * ln.quantity for ln in lines), Decimal(0))
                ledger += [
                    f"  Assets:Zone:{product}  {runs} {product} {{{cost} USD}}",
                    "  Equity:Production",
                ]
        else:
            part = rng.choice(components if rng.random() < 0.8 else products)
            if on_hand[part] > 0:
                quantity = rng.randint(1, min(on_hand[part], 150))
                on_hand[part] -= quantity
                disposition = rng.choices(
                    [d for d, _ in DISPOSITIONS], [w for _, w in DISPOSITIONS]
                )[0]
                ref = f"S{len(out)}"
                out.append(
                    Shipment(day, ref, part, Decimal(quantity), disposition, Decimal(quantity) * 25)
                )
                ledger += [
                    f'{day} * "shipment {ref} ({disposition.value})"',
                    f"  Assets:Zone:{part}  -{quantity} {part} {{}}",
                    "  Income:Shipments",
                ]
    return Workload(parts, boms, out, ledger)


# ------------------------------------------------------------------------------ measuring


def _batches(items: Sequence[Event], size: int) -> Iterator[Sequence[Event]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def post_all(
    url: str, work: Workload, batch: int, *, pipelined: bool = True, cpu: list[float] | None = None
) -> float:
    """Seconds to post every event, one transaction per batch: by `Ledger.post_many` (the
    next batch made while the previous one is written), or by `Ledger.post` one batch after
    another. `cpu`, if given, gets the CPU seconds of the calling thread (the core's checks
    and allocation, the rows' JSON and hashes) and of the process's other threads (the
    writer: the database's own work), which a loaded machine inflates less than the wall
    time."""
    with Ledger.init(url, "1", "bench", "FIFO") as books:
        books.load_master(work.parts, work.boms)
        chunks = list(_batches(work.events, batch))
        started = time.perf_counter()
        thread, process = time.thread_time(), time.process_time()
        if pipelined:
            books.post_many(chunks)
        else:
            for chunk in chunks:
                books.post(chunk)
        seconds = time.perf_counter() - started
        if cpu is not None:
            caller = time.thread_time() - thread
            cpu += [caller, time.process_time() - process - caller]
        return seconds


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t.name: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {t.name}"))]
                for t in TABLES
            }
    finally:
        engine.dispose()


def raw_sqlite(rows: dict[str, list[tuple[Any, ...]]], path: Path) -> float:
    """Seconds to bulk-insert the rows with sqlite3's executemany, same schema and pragmas,
    one transaction."""
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    connection.execute(ZONE_ROW)
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        data = rows[table.name]
        marks = ", ".join("?" * len(data[0]))
        connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", data)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def raw_postgresql(rows: dict[str, list[tuple[Any, ...]]], url: str) -> float:
    """Seconds to COPY the rows into the same schema, one transaction."""
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as c:
        c.execute(text(ZONE_ROW))
    engine.dispose()
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in TABLES:
                with cursor.copy(f"COPY {table.name} FROM STDIN") as copy:
                    for row in rows[table.name]:
                        copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started


def beancount_seconds(text_lines: list[str], folder: Path) -> tuple[float, int, int]:
    """Seconds for beancount's loader (parse, FIFO booking, validation) on the ledger."""
    from beancount import loader

    path = folder / "zone.beancount"
    path.write_text("\n".join(text_lines) + "\n")
    started = time.perf_counter()
    entries, errors, _ = loader.load_file(str(path))
    return time.perf_counter() - started, len(entries), len(errors)


class _Skipped(Exception):
    """A peer the environment asked to skip."""


def _pg_schema(base: str) -> tuple[str, str]:
    schema = f"zk_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema, f"{base}?options=-csearch_path%3D{schema}"


def _drop_schema(base: str, schema: str) -> None:
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _rows_of(
    database: str, size: int, pipelined: float, one_by_one: float, raw: float
) -> list[str]:
    """The table rows of one database: both ways of posting, against the raw insert."""
    return [
        f"| {database}, `post_many` | {pipelined:.1f} | {size / pipelined:,.0f} | {raw:.1f} | "
        f"{pipelined / raw:.1f}× |",
        f"| {database}, `post` one batch after another | {one_by_one:.1f} | "
        f"{size / one_by_one:,.0f} | {raw:.1f} | {one_by_one / raw:.1f}× |",
    ]


def _verdict(size: int, seconds: float, raw: float) -> str:
    """The ledger's two targets for SQLite (`post_many`), each said met or not."""
    rate = size / seconds
    return (
        f"Target, SQLite by `post_many`: ≥ 20,000 events/s durable — "
        f"{'met' if rate >= 20_000 else 'not met'} ({rate:,.0f}); within 3× of the raw "
        f"insert — {'met' if seconds <= 3 * raw else 'not met'} ({seconds / raw:.1f}×)."
    )


def run() -> str:
    size = int(os.environ.get("ZK_BENCH_EVENTS", "1000000"))
    batch = int(os.environ.get("ZK_BENCH_BATCH", "10000"))
    pg_base = os.environ.get("ZK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    started = time.perf_counter()
    work = workload(size)
    generated = time.perf_counter() - started
    kinds: dict[str, int] = {}
    for e in work.events:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    lines = [
        "## Ledger: posting zone events (SQLite, PostgreSQL) vs raw bulk insert and beancount",
        "",
        f"{size:,} events ({', '.join(f'{n:,} {k}' for k, n in sorted(kinds.items()))}; "
        f"seed {SEED}, generated in {generated:.1f} s), posted in batches of {batch:,}, one "
        "transaction each (lock the zone, check the chain head, append to the hash chain, "
        "write lots/postings in bulk), two ways: `Ledger.post_many` makes the next batch (the "
        "pure core's checks and allocation, the rows' JSON and hashes) while a writer thread "
        "commits the previous one; `Ledger.post` does one batch after another. Raw peer: the "
        "rows the books end up holding (events, their natural keys, postings, lots, totals "
        "by status) bulk-inserted into the same "
        "schema with the same settings, one transaction (SQLite `executemany`, PostgreSQL "
        "`COPY`). beancount: `loader.load_file` (parse, FIFO "
        "lot booking, validation) on an equivalent ledger with one transaction per event and "
        "one account per part (one account holding every part makes its booking quadratic).",
        "",
        "| run | seconds | events/s | raw insert of the same rows (s) | service / raw |",
        "|---|---:|---:|---:|---:|",
    ]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="zk-bench-") as folder_name:
        folder = Path(folder_name)
        db = folder / "books.db"
        cpu: list[float] = []
        seconds = post_all(f"sqlite:///{db}", work, batch, cpu=cpu)
        rows = _rows(f"sqlite:///{db}")
        raw = raw_sqlite(rows, folder / "raw.db")
        counts = {k: len(v) for k, v in rows.items()}
        del rows
        gc.collect()
        one_by_one = post_all(f"sqlite:///{folder / 'serial.db'}", work, batch, pipelined=False)
        results["sqlite"] = seconds
        results["sqlite_raw"] = raw
        lines += _rows_of("SQLite (WAL, synchronous=FULL)", size, seconds, one_by_one, raw)
        lines.append(
            f"| of which CPU (`post_many`): the posting thread {cpu[0]:.1f} s, the writer "
            f"{cpu[1]:.1f} s | | | | |"
        )
        with Ledger.open(f"sqlite:///{db}") as books:
            t = time.perf_counter()
            loaded = len(books.state().lots)
            opening = time.perf_counter() - t
        lines.append(
            f"| opening the SQLite books: their state read back ({loaded:,} lots) | "
            f"{opening:.1f} | | | |"
        )
        if os.environ.get("ZK_BENCH_VERIFY") != "0":
            with Ledger.open(f"sqlite:///{db}") as books:
                t = time.perf_counter()
                ok = books.verify().ok
                results["verify"] = time.perf_counter() - t
            lines.append(
                f"| `verify` on SQLite (chain + full replay; ok={ok}) | "
                f"{results['verify']:.1f} | {size / results['verify']:,.0f} | | |"
            )
        try:
            schema, url = _pg_schema(pg_base)
            serial_schema, serial_url = _pg_schema(pg_base)
            raw_schema, raw_url = _pg_schema(pg_base)
        except Exception as error:  # noqa: BLE001 - report the missing peer, keep the rest
            lines.append(f"| PostgreSQL | not run: {type(error).__name__} | | | |")
        else:
            try:
                seconds = post_all(url, work, batch)
                rows = _rows(url)
                raw = raw_postgresql(rows, raw_url)
                del rows
                gc.collect()
                one_by_one = post_all(serial_url, work, batch, pipelined=False)
                results["postgresql"] = seconds
                lines += _rows_of("PostgreSQL (local, COPY)", size, seconds, one_by_one, raw)
            finally:
                for name in (schema, serial_schema, raw_schema):
                    _drop_schema(pg_base, name)
        events_list_size = len(work.events)
        ledger_text = work.beancount
        del work
        gc.collect()
        try:
            if os.environ.get("ZK_BENCH_BEANCOUNT") == "0":
                raise _Skipped
            bean, entries, errors = beancount_seconds(ledger_text, folder)
        except _Skipped:
            lines.append("| beancount | skipped (`ZK_BENCH_BEANCOUNT=0`) | | | |")
        except ImportError:
            lines.append("| beancount | not installed (`pip install -e '.[bench]'`) | | | |")
        else:
            lines.append(
                f"| beancount 3.2.3 `load_file`, FIFO booking ({entries:,} entries, "
                f"{errors} errors) | {bean:.1f} | {events_list_size / bean:,.0f} | | |"
            )
            ratios = ", ".join(
                f"{name} {results[name] / bean:.2f}× beancount's time"
                for name in ("sqlite", "postgresql")
                if name in results
            )
            lines += ["", f"Zonekeeper (`post_many`), durable in a database, took {ratios}."]
    lines += [
        "",
        f"Rows the books hold: {', '.join(f'{n:,} {k}' for k, n in counts.items())}.",
        "",
        _verdict(size, results["sqlite"], results["sqlite_raw"]),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
