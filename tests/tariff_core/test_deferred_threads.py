"""Threads that meet at a deferred revision's first use: the core holds no lock (it may call
`parts()` from each of them and fills equal values), the shell makes the parts once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from zonekeeper.sources import revision_cache
from zonekeeper.sources import revisions as store
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.schedule import Parts, Revision, Schedule

CODE = HtsCode.parse("8414.30.80.30")
THREADS = 8


def _together(work: Callable[[], object]) -> list[object]:
    """`work()` in THREADS threads released at once; their results (or errors) in order."""
    start = threading.Barrier(THREADS)
    out: list[object] = [None] * THREADS

    def run(i: int) -> None:
        start.wait()
        try:
            out[i] = work()
        except Exception as error:  # noqa: BLE001 - the test reports what each thread met
            out[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def test_the_core_fills_a_deferred_revision_from_many_threads(schedule: Schedule) -> None:
    made = schedule.revisions[-1].parts()
    calls: list[int] = []

    def slow_parts() -> Parts:
        calls.append(1)
        time.sleep(0.02)  # the others arrive while the first is filling
        return made

    revision = Revision.deferred("R", date(2026, 2, 13), "test", slow_parts)
    lines = _together(lambda: revision.get(CODE))
    assert all(line == lines[0] for line in lines) and lines[0] is not None
    assert revision.parts() == made and calls  # whoever filled, the rows are the right ones


def test_the_shell_makes_the_parts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path
) -> None:
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(shared_cache))
    monkeypatch.setattr(store, "_memo", {})
    store.load_schedule()  # the cache files are there
    source = store.shipped_sources()[-1]
    decode = revision_cache.decode
    decoded: list[int] = []

    def slow_decode(*args: object) -> Parts | None:
        decoded.append(1)
        time.sleep(0.02)
        return decode(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(revision_cache, "decode", slow_decode)
    revision = store._load_revision(source, store.source_key(source))
    lines = _together(lambda: revision.get(CODE))
    assert all(line == lines[0] for line in lines) and lines[0] is not None
    assert decoded == [1]
