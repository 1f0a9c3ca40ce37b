"""The REST API under load: duty quotes per second through `zonekeeper serve`.

The server runs as it does in production (`zonekeeper serve --workers N`, uvicorn worker
processes, each with the tariff loaded once) over SQLite books, with an API token checked
on every request. The load comes from one async client in this process (httpx2 on uvloop,
many concurrent keep-alive connections) posting a few real 2026 quote lines round-robin
for a fixed time; each request's latency is measured from sending to the parsed answer.

The client is Python too and shares the machine's cores with the workers: on a small
machine it is a large part of the cost, so the figures are what this one machine does with
both ends on it, a floor for a server with cores of its own.
Targets: >= 1,000 quotes/s and p95 <= 50 ms with 4 workers.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from zonekeeper.app.books import init_books
from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory, Role

SECONDS = float(os.environ.get("ZK_API_BENCH_SECONDS", "20"))
CONCURRENCY = 64
WORKERS = (4, 2, 1)
LINES = (
    {"hts": "8414.30.80.60", "origin": "CN", "value": "800", "date": "2026-03-01",
     "mode": "vessel", "qty": [{"quantity": "1", "unit": "No."}]},
    {"hts": "8537.10.91.70", "origin": "DE", "value": "12500", "date": "2026-03-01",
     "mode": "air", "qty": [{"quantity": "4", "unit": "No."}]},
    {"hts": "7411.10.50.00", "origin": "CN", "value": "120", "date": "2026-03-01",
     "content": ["copper=110"]},
    {"hts": "8418.50.00.80", "origin": "MX", "value": "2400", "date": "2026-03-01",
     "spi": "S", "mode": "truck", "qty": [{"quantity": "2", "unit": "No."}]},
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _books(folder: Path) -> tuple[str, str]:
    """SQLite books with zone 1 and an admin's API token."""
    url = f"sqlite:///{folder / 'books.db'}"
    context = Context(database_url=url)
    init_books(context, "1", "Bench dock", "FIFO").close()
    directory = Directory.open(context)
    try:
        directory.add("bench", Role.ADMIN, "bench password 1")
        token = directory.issue_token("bench")
    finally:
        directory.close()
    return url, token


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "zonekeeper", "--database-url", url, "serve", "--port",
         str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def _ready(client: httpx.AsyncClient, workers: int) -> None:
    """Wait for the server, then warm every worker (its first quote loads the tariff)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            if (await client.get("/api/v1/zones")).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.2)
    for _ in range(3):  # connections spread over the workers by the kernel
        answers = await asyncio.gather(*(client.post("/api/v1/duty/quote", json=LINES[0])
                                         for _ in range(8 * workers)))
        assert all(a.status_code == 200 for a in answers), answers[0].text


async def _load(client: httpx.AsyncClient, seconds: float) -> tuple[list[float], int]:
    """Quotes from CONCURRENCY tasks for `seconds`: each latency (s), and the failures."""
    latencies: list[float] = []
    failed = 0
    stop = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal failed
        n = offset
        while time.perf_counter() < stop:
            body = LINES[n % len(LINES)]
            n += 1
            started = time.perf_counter()
            answer = await client.post("/api/v1/duty/quote", json=body)
            answer.json()
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                failed += 1

    await asyncio.gather(*(worker(i) for i in range(CONCURRENCY)))
    return latencies, failed


async def _measure(port: int, token: str, workers: int) -> tuple[float, float, float, int]:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 headers={"Authorization": f"Bearer {token}"},
                                 timeout=30) as client:
        await _ready(client, workers)
        started = time.perf_counter()
        latencies, failed = await _load(client, SECONDS)
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[94] * 1000, failed


def measure(workers: int) -> tuple[float, float, float, int]:
    """(quotes/s, p50 ms, p95 ms, failed requests) with `workers` server processes."""
    with tempfile.TemporaryDirectory(prefix="zk-api-bench-") as folder:
        url, token = _books(Path(folder))
        port = _free_port()
        server = _serve(url, port, workers)
        try:
            try:
                import uvloop

                return uvloop.run(_measure(port, token, workers))
            except ImportError:
                return asyncio.run(_measure(port, token, workers))
        finally:
            server.terminate()
            server.wait(timeout=30)


def run() -> str:
    rows = []
    results = {}
    for workers in WORKERS:
        rate, p50, p95, failed = results[workers] = measure(workers)
        rows.append(f"| {workers} | {rate:,.0f} | {p50:.1f} ms | {p95:.1f} ms | {failed} |")
    rate, _, p95, _ = results[WORKERS[0]]
    verdict = ("meets both" if rate >= 1000 and p95 <= 50 else
               f"quotes/s {'meets' if rate >= 1000 else 'misses'} the target, p95 "
               f"{'meets' if p95 <= 50 else 'misses'} it")
    return "\n".join([
        "## REST API: duty quotes through `zonekeeper serve`",
        "",
        f"`POST /api/v1/duty/quote` with a bearer token, {CONCURRENCY} concurrent keep-alive "
        f"connections from one async client (httpx2 on uvloop) for {SECONDS:.0f} s per row, "
        f"{len(LINES)} real 2026 lines round-robin; SQLite books; {os.cpu_count()} cores "
        "shared by the server's workers and the client.",
        "",
        "| workers | quotes/s | p50 | p95 | failed |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Targets with {WORKERS[0]} workers (>= 1,000 quotes/s, p95 <= 50 ms): {verdict}. "
        "The load generator is Python in the same machine: it takes a core of its own, so "
        "more workers than the cores left compete with it rather than add throughput.",
        "",
    ])


if __name__ == "__main__":
    print(run())
