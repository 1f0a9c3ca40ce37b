"""Dashboard benchmark: render the web application's dashboard (`GET /`, the HTML page a
signed-in user sees first) on books of a million events, against the issue's target of
300 ms.

The books are the ledger bench's workload (`ledger_bench.workload`, same seed) posted once
into a SQLite file kept between runs under the temporary directory
(`zonekeeper-bench/dashboard-<size>.db`; it is made again when missing). The page is
rendered through the whole application (routing, the session's user, the inventory by zone
status the postings keep in `zone_totals`, the template and its SVG chart) by an in-process
client: the first render after the server opens the books, the median and the worst of the
next renders, then a clerk posts a small file of admissions (`app.postings.post_file`, as
the CLI and the pages post) and the first render after it, which must show the new head.
The week's entry and the open alerts load after the page (htmx), so they are timed apart,
after that posting, as what a user waits for beside it. Cached books made by an older
Zonekeeper are upgraded first (`zonekeeper db upgrade`), and the time it took is said.

Size: `ZK_BENCH_EVENTS` (default 1,000,000); `ZK_BENCH_RENDERS` (default 10) renders
timed; `ZK_BENCH_PANELS=0` leaves the panels out. Run: `python -m bench dashboard_bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from bench.ledger_bench import FIRST_DAY, PER_DAY, post_all, workload
from zonekeeper.app import duty
from zonekeeper.app.books import Ledger, Posted, upgrade_books
from zonekeeper.app.context import Context
from zonekeeper.app.postings import post_file
from zonekeeper.app.users import Directory, Role
from zonekeeper.web.server import create_app

RENDERS = int(os.environ.get("ZK_BENCH_RENDERS", "10"))
TARGET_MS = 300.0
PANEL_TARGET_MS = 1000.0
SMALL = 20  # admissions in the file a clerk posts before the dashboard is rendered again
PANELS = ("alerts", "week?week=2026-W32")


def books(size: int) -> tuple[Path, float | None]:
    """The books file of `size` events and the seconds it took to make (None: cached)."""
    folder = Path(tempfile.gettempdir()) / "zonekeeper-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"dashboard-{size}.db"
    if path.exists():
        return path, None
    partial = folder / f"dashboard-{size}.partial.db"
    for stale in folder.glob(f"dashboard-{size}.partial.db*"):
        stale.unlink()
    started = time.perf_counter()
    post_all(f"sqlite:///{partial}", workload(size), 10_000)
    partial.rename(path)
    return path, time.perf_counter() - started


def upgraded(context: Context) -> tuple[str, float] | None:
    """Bring cached books made by an older Zonekeeper to this schema (`zonekeeper db
    upgrade`, as a user would): what it did and the seconds it took; None if current."""
    started = time.perf_counter()
    done = upgrade_books(context)
    if not done.changed:
        return None
    return f"{done.was} -> {done.now}", time.perf_counter() - started


def small_file(folder: Path, size: int) -> Path:
    """A file of `SMALL` admissions dated the workload's last day, numbered so that no run
    posts the same documents twice (the books refuse a document already posted)."""
    day = FIRST_DAY + dt.timedelta(days=(size - 1) // PER_DAY)
    tag = uuid.uuid4().hex[:10]
    path = folder / "admissions.csv"
    lines = ["admission_no,line,date,part,quantity,value,status"]
    lines += [f"B{tag},{n},{day},C{n:04d},10,125.50,PF" for n in range(1, SMALL + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _timed(client: TestClient, url: str, headers: dict[str, str], *, shows: str = "") -> float:
    started = time.perf_counter()
    answer = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, answer.text[:500]
    assert shows in answer.text, f"{url} does not show {shows!r}"
    return elapsed


def run() -> str:
    size = int(os.environ.get("ZK_BENCH_EVENTS", "1000000"))
    path, made = books(size)
    context = Context(database_url=f"sqlite:///{path}")
    migrated = upgraded(context)
    duty.warm_up(context)  # as a server worker does before its first request
    directory = Directory.open(context)
    directory.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if not any(u.name == "bench" for u, _ in directory.users()):
        directory.add("bench", Role.VIEWER, "bench password")
    session = directory.sign_in("bench", "bench password")
    assert session.token is not None
    headers = {"accept": "text/html", "cookie": f"zk_session={session.token}"}
    panels: dict[str, float] = {}
    with TestClient(create_app(context, directory)) as client:
        first = _timed(client, "/", headers)
        times = [_timed(client, "/", headers) for _ in range(RENDERS)]
        # A clerk posts a small file (another process would do the same: the server's
        # books see the head move), then the dashboard is rendered again: no sum is kept
        # for the new head in memory; the page must show it.
        with tempfile.TemporaryDirectory() as folder, Ledger.open(context.database_url or "",
                                                                   "1") as clerk:
            started = time.perf_counter()
            outcome = post_file(context, clerk, "admission", small_file(Path(folder), size))
            posting = time.perf_counter() - started
        assert isinstance(outcome.result, Posted) and outcome.result.events == SMALL
        head = outcome.head.seq
        after_post = _timed(client, "/", headers, shows=f"books at event {head}")
        if os.environ.get("ZK_BENCH_PANELS", "1") != "0":
            panels = {name: _timed(client, f"/zones/1/panels/{name}", headers)
                      for name in PANELS}
    directory.close()
    median, worst = statistics.median(times), max(times)
    megabytes = path.stat().st_size / 1e6
    worst_first = max(first, after_post)
    verdict = "met" if worst_first <= TARGET_MS else "not met"
    panel_verdict = ("met" if panels and max(panels.values()) <= PANEL_TARGET_MS
                     else "not met")
    return "\n".join([
        "## Dashboard: the web application's first page on 1M-event books",
        "",
        f"{size:,} events (the ledger bench's workload, SQLite file of {megabytes:,.0f} MB"
        + (f", made in {made:.0f} s" if made is not None else ", cached from an earlier run")
        + (f"; schema upgraded {migrated[0]} in {migrated[1]:.1f} s, `zonekeeper db upgrade`"
           if migrated else "")
        + "). `GET /` through the whole application, signed in by session: first render in "
        f"a fresh process {first:,.0f} ms; next {RENDERS} renders median {median:,.0f} ms, "
        f"worst {worst:,.0f} ms; after a clerk posts a file of {SMALL} admissions "
        f"({posting:,.1f} s, its first posting in its process, the books' state read "
        f"first), the first render {after_post:,.0f} ms. "
        + (f"The panels loaded after it (the first load after that posting): open alerts "
           f"{panels[PANELS[0]]:,.0f} ms, the week's entry {panels[PANELS[1]]:,.0f} ms."
           if panels else "(Panels not timed.)"),
        "",
        f"Target: dashboard ≤ {TARGET_MS:.0f} ms — {verdict} for the first render, in a "
        f"fresh process and after a posting ({worst_first:,.0f} ms at worst): the inventory "
        "by zone status is kept by every posting (`zone_totals`, a row per status), not "
        "summed over every lot."
        + (f" Panels ≤ {PANEL_TARGET_MS:,.0f} ms each — {panel_verdict}." if panels else ""),
        "",
    ])


if __name__ == "__main__":
    print(run())
