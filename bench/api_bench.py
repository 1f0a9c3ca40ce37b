"""The REST API under load: duty quotes per second and their latency through `zonekeeper serve`.

The server runs as it does in production (`zonekeeper serve --workers N`: uvicorn on uvloop
and httptools, worker processes each with the tariff loaded once, no access log) over
SQLite books, with an API token checked on every request.

The requests are real and many: LINES distinct lines drawn (seeded) from the shipped
schedule's latest revision (2026), origins weighted like US import shares, dates over the
revision's first DAYS days (goods entered now: the measures in force move inside them), each
with the quantities its units and rate need, metal content values and a transport mode, sent
round-robin. A worker reads an older revision from the disk cache on its first quote dated
in it (about 50 ms of CPU, once per worker and revision): back-dated quotes would measure
those reads as much as the API for as long as a run lasts, so they are left out. Each
line is quoted in this process first (the use case the CLI calls): a line the tariff refuses
is left out, and every other line's document is the answer the server must give. Before the
load, every line is sent once and its answer compared with that document, whole; under load
every answer is checked (status 200, and the `total` of the line its `hts` names), and a
failure is counted, never dropped. Nothing caches an answer: each request is quoted (the
tariff keeps each line's plan, its classification and rates, after its first quote, as it
does for any caller; the warm-up sends every line to every worker first).

The load generator is wrk (C, one thread, keep-alive connections, each sending its next
request when the last is answered) when it is installed, or installable (`apt-get install
wrk` as root, as `make chromium` does); otherwise one async Python client (httpx2 on
uvloop), which costs the 2 cores far more per request than wrk. The section says which ran.
CONNECTIONS is 16, four per worker: on this 2-core machine throughput is flat from 8 to 64
connections while latency grows with them (a closed loop: each connection waits for its
answer, so the mean latency is connections / throughput); 16 is four per worker of 4 (uvicorn's
workers share one socket, so the connections spread unevenly: docs/api.md, Throughput).

Targets (issue 15): >= 1,000 quotes/s and p95 <= 50 ms with 4 workers.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx2 as httpx

from zonekeeper.app import duty
from zonekeeper.app.books import init_books
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.duty import DutyQuote
from zonekeeper.app.users import Directory, Role
from zonekeeper.errors import InputError
from zonekeeper.tariff.units import UNITS

SECONDS = float(os.environ.get("ZK_API_BENCH_SECONDS", "20"))
WARM_SECONDS = 3.0
CONNECTIONS = int(os.environ.get("ZK_API_BENCH_CONNECTIONS", "16"))
WORKERS = (4, 2, 1)
LINES = 400
DAYS = 180  # the lines' dates: the latest revision's first 180 days
SEED = 15
ORIGINS = (
    ["CN"] * 14 + ["MX"] * 16 + ["CA"] * 13 + ["DE"] * 5 + ["VN"] * 5 + ["JP"] * 4
    + ["KR"] * 4 + ["IN"] * 3 + ["TW"] * 4 + ["IE"] * 3 + ["IT"] * 2 + ["GB"] * 2
    + ["FR"] * 2 + ["TH"] * 2 + ["CH"] * 2 + ["MY"] * 2 + ["BR"] + ["AU"] + ["SG"]
)  # fmt: skip
MODES = ("vessel", "vessel", "vessel", "air", "truck", "rail")
CONTENT = ["steel=300", "aluminum=100", "copper=50"]
PATH = "/api/v1/duty/quote"
WRK_INSTALL = "apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk)"


@dataclass(frozen=True)
class Line:
    body: dict[str, object]
    document: dict[str, object]  # what the server must answer, as the use case makes it

    @property
    def hts(self) -> str:
        return str(self.document["hts"])

    @property
    def total(self) -> str:
        """The answer's `total` as JSON writes it (`"123.45"`, or `null`)."""
        return json.dumps(self.document["total"])


@dataclass(frozen=True)
class Figures:
    rate: float
    p50: float  # ms
    p95: float
    p99: float
    failed: int
    requests: int
    server_cpu_ms: float | None  # server CPU per answered request; None where not measurable
    client_cpu_ms: float  # the load generator's CPU per answered request


def lines(context: Context) -> list[Line]:
    """LINES real 2026 lines, each quoted here by the use case: its body and its document."""
    tariff = context.tariff
    rng = random.Random(SEED)
    revision = tariff.schedule.revisions[-1]
    codes = [c.dotted for c in revision.codes() if len(c.digits) == 10]
    rng.shuffle(codes)
    out: list[Line] = []
    for code in codes:
        if len(out) == LINES:
            break
        on = revision.effective + timedelta(days=rng.randrange(DAYS))
        try:  # a code new in a later revision is not a line on an earlier date
            rate_line, _ = tariff.schedule.line(code, on)
        except InputError:
            continue
        units = sorted({*rate_line.unit_keys, *rate_line.general.needs,
                        *rate_line.column2.needs} & set(UNITS))
        body: dict[str, object] = {
            "hts": code, "origin": rng.choice(ORIGINS), "value": str(rng.randrange(100, 500_000)),
            "date": on.isoformat(), "mode": rng.choice(MODES),
            "qty": [{"quantity": str(rng.randrange(1, 500)), "unit": unit} for unit in units],
            "content": CONTENT,
        }  # fmt: skip
        quantities, problems = duty.quantities(
            (q["quantity"], q["unit"]) for q in body["qty"]  # type: ignore[attr-defined]
        )
        request = duty.LineRequest(code, str(body["origin"]), str(body["value"]), on.isoformat(),
                                   None, str(body["mode"]), quantities, CONTENT)
        try:
            quote = duty.quote(context, request, problems)
        except InputError:
            continue  # the API refuses it too (a 422 is not a quote)
        out.append(Line(body, DutyQuote.of_entry(quote).document()))
    hts = {line.hts for line in out}
    assert len(hts) == len(out), "each line's hts names it in the answer"
    return out


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


def _check_answers(base: str, token: str, quoted: list[Line]) -> None:
    """Wait for the server, then send every line once: each answer must be its document."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        deadline = time.monotonic() + 120
        while True:
            try:
                if client.get("/api/v1/zones").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        for line in quoted:
            answer = client.post(PATH, json=line.body)
            if answer.status_code != 200 or answer.json() != line.document:
                raise RuntimeError(f"the server's answer to {line.body} is not the use case's: "
                                   f"{answer.status_code} {answer.text[:300]}")


def _settled(server: subprocess.Popen[bytes]) -> None:
    """Wait until every worker has started: the first one answers while the others may still
    be loading the tariff (seconds each, more on a busy machine), and a connection opened
    meanwhile goes to the ones ready. Started is idle: the server's CPU still for a second."""
    deadline = time.monotonic() + 180
    before = _cpu_ms(server.pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = _cpu_ms(server.pid)
        if before is None or now is None:
            time.sleep(10)  # no /proc: give them time instead
            return
        if now - before < 50:
            return
        before = now
    raise RuntimeError("the server's workers did not settle")


def _cpu_ms(pid: int) -> float | None:
    """CPU time (user + system, ms) of process `pid` and its children, from /proc (Linux)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


# wrk's script: every request string made once per thread, round-robin; every answer checked
# (status 200 and the total of the line its hts names); the figures printed as one JSON line.
_WRK_LUA = r"""
-- failures and checked are globals: done() reads them from each thread with thread:get
local requests, expected, n = {}, {}, 0
failures, checked = 0, 0
local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args)
  local bodies_path, expected_path = args[1], args[2]
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. args[3]}
  for body in io.lines(bodies_path) do
    table.insert(requests, wrk.format("POST", wrk.path, headers, body))
  end
  for row in io.lines(expected_path) do
    local hts, total = row:match("^([^\t]+)\t(.*)$")
    expected[hts] = total
  end
  n = math.random(#requests) - 1
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function response(status, headers, body)
  checked = checked + 1
  local hts = body:match('"hts":"([^"]+)"')
  local total = body:match('"total":([^,}]*)')
  if status ~= 200 or hts == nil or expected[hts] == nil or expected[hts] ~= total then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed, answered = 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    answered = answered + thread:get("checked")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "answered": %d, "failed": %d, "socket_errors": %d, "seconds": %f, ' ..
    '"p50": %f, "p95": %f, "p99": %f}\n',
    summary.requests, answered, failed, e.connect + e.read + e.write + e.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def wrk_command() -> str | None:
    """wrk's path, installing the Debian package first when missing and allowed (root, or
    sudo); None when there is no way to have it."""
    found = shutil.which("wrk")
    if found is not None:
        return found
    if shutil.which("apt-get") is not None:
        command = (["sh", "-c", WRK_INSTALL] if os.geteuid() == 0 else
                   ["sudo", "-n", "sh", "-c", WRK_INSTALL] if shutil.which("sudo") else None)
        if command is not None:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
    return shutil.which("wrk")


def _wrk(wrk: str, folder: Path, base: str, token: str, seconds: float) -> dict[str, float]:
    """One wrk run's figures, with its CPU time (s) under `cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds:.0f}s", "--timeout", "10s",
         "-s", str(folder / "quote.lua"), base + PATH, "--",
         str(folder / "bodies.jsonl"), str(folder / "expected.tsv"), token],
        capture_output=True, text=True, check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


def _measure_wrk(wrk: str, folder: Path, base: str, token: str,
                 server: subprocess.Popen[bytes]) -> Figures:
    _wrk(wrk, folder, base, token, WARM_SECONDS)
    cpu_before = _cpu_ms(server.pid)
    found = _wrk(wrk, folder, base, token, SECONDS)
    cpu_after = _cpu_ms(server.pid)
    answered = int(found["answered"])
    cpu = (None if cpu_before is None or cpu_after is None or not answered
           else (cpu_after - cpu_before) / answered)
    failed = int(found["failed"] + found["socket_errors"])
    return Figures(answered / found["seconds"], found["p50"], found["p95"], found["p99"],
                   failed, answered, cpu, found["cpu"] * 1000 / max(answered, 1))


async def _load_httpx(base: str, token: str, quoted: list[Line], seconds: float
                      ) -> tuple[list[float], int, float]:
    """Quotes from CONNECTIONS tasks for `seconds`: each latency (s), the failures, and the
    time it took."""
    expected = {line.hts: line.document["total"] for line in quoted}
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        started = time.perf_counter()
        stop = started + seconds

        async def worker(offset: int) -> None:
            nonlocal failed
            n = offset
            while time.perf_counter() < stop:
                line = quoted[n % len(quoted)]
                n += 1
                sent = time.perf_counter()
                answer = await client.post(PATH, json=line.body)
                body = answer.json()
                latencies.append(time.perf_counter() - sent)
                if answer.status_code != 200 or expected.get(body.get("hts")) != body.get(
                        "total", "missing"):
                    failed += 1

        await asyncio.gather(*(worker(i * 7) for i in range(CONNECTIONS)))
        return latencies, failed, time.perf_counter() - started


def _measure_httpx(base: str, token: str, quoted: list[Line],
                   server: subprocess.Popen[bytes]) -> Figures:
    try:
        import uvloop

        run = uvloop.run
    except ImportError:
        run = asyncio.run
    run(_load_httpx(base, token, quoted, WARM_SECONDS))
    cpu_before = _cpu_ms(server.pid)
    client_before = time.process_time()
    latencies, failed, elapsed = run(_load_httpx(base, token, quoted, SECONDS))
    client_cpu = time.process_time() - client_before
    cpu_after = _cpu_ms(server.pid)
    cuts = statistics.quantiles(latencies, n=100)
    cpu = (None if cpu_before is None or cpu_after is None
           else (cpu_after - cpu_before) / len(latencies))
    return Figures(len(latencies) / elapsed, cuts[49] * 1000, cuts[94] * 1000,
                   cuts[98] * 1000, failed, len(latencies), cpu,
                   client_cpu * 1000 / len(latencies))


def measure(workers: int, quoted: list[Line], wrk: str | None) -> Figures:
    """The figures with `workers` server processes, wrk's load if `wrk`, else httpx's."""
    with tempfile.TemporaryDirectory(prefix="zk-api-bench-") as name:
        folder = Path(name)
        url, token = _books(folder)
        (folder / "quote.lua").write_text(_WRK_LUA)
        (folder / "bodies.jsonl").write_text(
            "".join(json.dumps(line.body) + "\n" for line in quoted))
        (folder / "expected.tsv").write_text(
            "".join(f"{line.hts}\t{line.total}\n" for line in quoted))
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(url, port, workers)
        try:
            _check_answers(base, token, quoted)
            _settled(server)
            if wrk is not None:
                return _measure_wrk(wrk, folder, base, token, server)
            return _measure_httpx(base, token, quoted, server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run() -> str:
    context = Context()
    quoted = lines(context)
    for line in quoted:  # the wrk script reads one `total` and one `hts` per answer
        text = json.dumps(line.document, separators=(",", ":"))
        assert len(re.findall(r'"total":', text)) == 1 and f'"hts":"{line.hts}"' in text
    wrk = wrk_command()
    client = ("wrk 4 (C, 1 thread)" if wrk is not None else
              "httpx2 on uvloop in the bench process (wrk is not installed and could not be)")
    rows = []
    results = {}
    for workers in WORKERS:
        f = results[workers] = measure(workers, quoted, wrk)
        cpu = "not measured" if f.server_cpu_ms is None else f"{f.server_cpu_ms:.2f} ms"
        rows.append(f"| {workers} | {f.rate:,.0f} | {f.p50:.1f} ms | {f.p95:.1f} ms | "
                    f"{f.p99:.1f} ms | {cpu} | {f.client_cpu_ms:.2f} ms | {f.requests:,} | "
                    f"{f.failed} |")
    top = results[WORKERS[0]]
    verdict = ("meets both" if top.rate >= 1000 and top.p95 <= 50 else
               f"quotes/s {'meets' if top.rate >= 1000 else 'misses'} the target, p95 "
               f"{'meets' if top.p95 <= 50 else 'misses'} it")
    return "\n".join([
        "## REST API: duty quotes through `zonekeeper serve`",
        "",
        f"`POST /api/v1/duty/quote` with a bearer token; load from {client}, {CONNECTIONS} "
        f"keep-alive connections for {SECONDS:.0f} s per row after {WARM_SECONDS:.0f} s of "
        f"warm-up; {len(quoted)} distinct real lines (seeded draw from the shipped "
        f"schedule's latest revision, dated over its first {DAYS} days, with quantities, "
        "metal content, transport modes) round-robin, each answer "
        "checked against the use case's own quote of its line; SQLite books; "
        f"{os.cpu_count()} cores shared by the server's workers and the client. Server CPU is "
        "the workers' user + system time per answered quote (/proc), client CPU the load "
        "generator's.",
        "",
        "| workers | quotes/s | p50 | p95 | p99 | server CPU / quote | client CPU / quote "
        "| quotes | failed |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Targets with {WORKERS[0]} workers (>= 1,000 quotes/s, p95 <= 50 ms): {verdict}. "
        "With 2 cores, 4 workers share them with each other and with the client: they add "
        "no throughput over 2, and each waits its turn for a core.",
        "",
    ])


if __name__ == "__main__":
    print(run())
