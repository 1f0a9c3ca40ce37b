"""The disk cache of the history store's revisions (`sources.history`,
`sources.revision_cache`): a revision built once is read back by the next process, keyed by
the store's hash and the revision, and anything else in its place is ignored and rebuilt."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zonekeeper.duty.quote import LineItem, LineQuote, quote_line
from zonekeeper.money import money_context
from zonekeeper.sources import history, revision_cache
from zonekeeper.sources.shipped import load_column2, load_fees, load_measures, load_programs
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.history import HistoryBuilder, LineHistory, RevisionInput
from zonekeeper.tariff.schedule import Revision, Schedule, SourceRow, build_revision

# Real lines on dates the history serves (2023 from its last revision, two 2025 revisions).
QUOTES = [
    (LineItem("6505.00.01.00", "GB", Decimal("800")), date(2025, 9, 1)),
    (LineItem("8414.30.80.30", "CN", Decimal("12000")), date(2025, 3, 15)),
    (LineItem("9403.20.00.90", "MX", Decimal("5000")), date(2023, 6, 1)),
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(folder))
    return folder


def _counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the revisions `sources.history` builds from its store from now on."""
    built: list[str] = []
    real = history.build_revision

    def counting(name: str, *args: Any, **kwargs: Any) -> Revision:
        built.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(history, "build_revision", counting)
    return built


def _quotes() -> list[LineQuote]:
    """The quotes on a tariff of the shipped history alone, made fresh (no process memo)."""
    tariff = Tariff(Schedule(history.history_revisions()), load_measures(), load_programs(),
                    load_fees(), load_column2())
    with money_context():
        return [quote_line(tariff, item, on) for item, on in QUOTES]


def test_a_cached_revision_quotes_as_the_one_built(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _counting_builds(monkeypatch)
    cold = _quotes()
    assert len(built) == len(set(built)) >= 2  # each revision the dates need, once
    assert len(list(cache_dir.glob("history-*.json"))) == len(built)
    assert not [p for p in cache_dir.iterdir() if not p.name.startswith("history-")]
    built.clear()
    warm = _quotes()
    assert built == []  # every revision read from the cache
    assert warm == cold
    assert [q.revision for q in warm] == [
        "HTS 2025 Revision 21", "HTS 2025 Revision 6", "HTS 2023 Revision 11"]
    assert all(q.duty is not None for q in warm)


def _rows(*lines: tuple[str, int, str, str]) -> list[SourceRow]:
    return [SourceRow(n, hts, indent, desc, ("No.",) if hts else (), general)
            for n, (hts, indent, desc, general) in enumerate(lines, start=1)]


A = _rows(("0101", 0, "Live horses:", ""), ("0101.21.00", 1, "Breeding", "Free"),
          ("0101.29.00", 1, "Other", "4.5%"))
B = _rows(("0101", 0, "Live horses:", ""), ("0101.21.00", 1, "Breeding", "Free"),
          ("0101.29.00", 1, "Other", "6%"))


def _store(second: list[SourceRow]) -> tuple[LineHistory, str]:
    """A store of two revisions, R1 (rows A) and R2 (`second`), and its bytes' sha256."""
    builder = HistoryBuilder()
    for name, on, rows in (("R1", date(2025, 1, 1), A), ("R2", date(2025, 3, 1), second)):
        builder.add(RevisionInput(name, on, on, f"{name}.csv", "0" * 64, rows, ()))
    data = builder.to_bytes()
    return LineHistory(data, "fixture.zkh"), hashlib.sha256(data).hexdigest()


def _r2(store: tuple[LineHistory, str]) -> Revision:
    return history.store_revisions(*store)[1]


def _expected(rows: list[SourceRow]) -> Any:
    return build_revision("R2", date(2025, 3, 1), rows).parts()


def test_a_changed_store_is_not_served_from_the_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R2 of the same name and date in another store: the other store's hash keys it, so
    the first store's cached R2 is never read for it."""
    first, changed = _store(A), _store(B)
    assert _r2(first).parts() == _expected(A)
    built = _counting_builds(monkeypatch)
    assert _r2(first).parts() == _expected(A) and built == []  # cached
    assert _r2(changed).parts() == _expected(B)
    assert built == ["R2"]
    assert len(list(cache_dir.glob("history-*.json"))) == 2


def _damages(path: Path, other: Path) -> list[Callable[[], None]]:
    """Ways the cache file of a revision can be wrong: garbage, cut short, another
    revision's file under its name, a file others may write."""
    good = path.read_bytes()
    damages = [
        lambda: path.write_bytes(b"not a cache"),
        lambda: path.write_bytes(good[: len(good) // 2]),
        lambda: path.write_bytes(other.read_bytes()),
    ]
    if hasattr(os, "getuid"):
        damages.append(lambda: path.chmod(0o666))
    return damages


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(B)
    revisions = history.store_revisions(*store)
    r1, r2 = (r.parts() for r in revisions)
    [path] = [p for p in cache_dir.glob("history-*.json") if b'"name":"R2"' in p.read_bytes()]
    [other] = [p for p in cache_dir.glob("history-*.json") if p != path]
    built = _counting_builds(monkeypatch)
    for damage in _damages(path, other):
        damage()
        built.clear()
        assert _r2(store).parts() == r2 == _expected(B)
        assert built == ["R2"]
        assert path.stat().st_mode & 0o077 == 0  # rewritten, the user's alone
        built.clear()
        assert _r2(store).parts() == r2 and built == []  # ... and read next time
    assert history.store_revisions(*store)[0].parts() == r1


def test_a_cache_file_is_written_whole_or_not_at_all(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written to a temporary file of its own and renamed over the cache file, so a process
    reading meanwhile sees a whole file or none; a write that fails leaves nothing behind,
    and the revision is still made."""
    store = _store(B)

    def no_rename(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(revision_cache.os, "replace", no_rename)
    assert _r2(store).parts() == _expected(B)
    assert not cache_dir.exists() or list(cache_dir.iterdir()) == []
