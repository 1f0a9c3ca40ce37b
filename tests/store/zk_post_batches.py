"""Worker of the kill and many-writer tests: post numbered batches to zone 49, one `post`
each, and say so.

`post_batches(url, tag, first, count, size, ready, go, progress)`: batches `first` ..
`first + count - 1`, each `size - 1` admissions of part W (lots `{tag}{b}-{i}/1`) and one
shipment of 2 units of W drawn by the zone's method (so batches of different writers draw
on the same lots). `first` -1: the next batch after the ones in the books (`seq // size`).
Once the books are open it creates `ready` and waits for `go`; after each committed batch
it appends the batch's number to `progress`. `start` runs it in a process of its own,
`wait_for` waits for its files."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

from zk_store_samples import admission, shipment

from zonekeeper.app.books import Ledger


def batch(tag: str, b: int, size: int) -> list[object]:
    events: list[object] = [admission(f"{tag}{b}-{i}", 5, "W", "1", "10") for i in range(size - 1)]
    events.append(shipment(f"{tag}{b}", 6, "W", "2"))
    return events


def post_batches(
    url: str, tag: str, first: int, count: int, size: int, ready: Path, go: Path, progress: Path
) -> None:
    """The worker's work (see the module's docstring)."""
    with Ledger.open(url, pf_rule=None) as books:
        if first < 0:
            first = books.state().seq // size
        ready.touch()
        while not go.exists():
            time.sleep(0.01)
        for b in range(first, first + count):
            books.post(batch(tag, b, size))  # type: ignore[arg-type]
            with progress.open("a") as out:
                out.write(f"{b}\n")


Worker = tuple["mp.process.BaseProcess", Path, Path, Path]


def start(url: str, folder: Path, tag: str, first: int, count: int, size: int) -> Worker:
    """A worker process posting `count` batches of `size` from `first` (-1: after the
    books' last), and its ready, go and progress files. Each is a fresh process forked from
    a server that imported Zonekeeper once (no engine or books inherited from the test),
    so starting eight takes a second, not one each."""
    ready, go, progress = folder / f"{tag}ready", folder / f"{tag}go", folder / f"{tag}done"
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["zk_post_batches"])
    process = context.Process(
        target=post_batches, args=(url, tag, first, count, size, ready, go, progress)
    )
    process.start()
    return process, ready, go, progress


def wait_for(path: Path, process: mp.process.BaseProcess, seconds: float = 300) -> None:
    """Wait until the worker makes `path` (fails if the worker ends first). Generous: eight
    workers opening the books at once on a two-core machine at load 16 took over a minute."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.is_alive(), f"the worker ended with exit code {process.exitcode}"
        assert time.monotonic() < deadline, f"the worker never made {path.name}"
        time.sleep(0.01)
