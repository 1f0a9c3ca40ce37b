"""Worker of the kill and many-writer tests: post numbered batches to zone 49, one `post`
each, and say so.

`url tag first count size [ready go progress]`: batches `first` .. `first + count - 1`,
each `size - 1` admissions of part W (lots `{tag}{b}-{i}/1`) and one shipment of 2 units
of W drawn by the zone's method (so batches of different writers draw on the same lots).
`first` -1: the next batch after the ones in the books (`seq // size`). Once the books
are open it creates `ready` and waits for `go`; after each committed batch it appends the
batch's number to `progress`. `start` and `wait_for` run it from a test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from zk_store_samples import admission, shipment

from zonekeeper.services.ledger import Ledger


def batch(tag: str, b: int, size: int) -> list[object]:
    events: list[object] = [admission(f"{tag}{b}-{i}", 5, "W", "1", "10") for i in range(size - 1)]
    events.append(shipment(f"{tag}{b}", 6, "W", "2"))
    return events


def main() -> None:
    url, tag, first, count, size = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    ready, go, progress = (Path(a) for a in sys.argv[6:9])
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


Worker = tuple["subprocess.Popen[bytes]", Path, Path, Path]


def start(url: str, folder: Path, tag: str, first: int, count: int, size: int) -> Worker:
    """A worker process posting `count` batches of `size` from `first` (-1: after the
    books' last), and its ready, go and progress files."""
    ready, go, progress = folder / f"{tag}ready", folder / f"{tag}go", folder / f"{tag}done"
    here = Path(__file__)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(here.parent), *sys.path]))
    args = [url, tag, first, count, size, ready, go, progress]
    process = subprocess.Popen(
        [sys.executable, str(here), *map(str, args)], env=env, stderr=subprocess.PIPE
    )
    return process, ready, go, progress


def wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait until the worker makes `path` (fails if the worker dies first)."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, f"the worker never made {path.name}"
        time.sleep(0.01)


if __name__ == "__main__":
    main()
