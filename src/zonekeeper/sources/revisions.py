"""The tariff store and cache: where HTS revisions come from, and how they load fast.

The shell's side of the schedule (files, environment, home directory, cache); the tariff
core only parses what is read here (`tariff.usitc.parse_usitc`, bytes in) and builds
revisions from rows (`tariff.schedule.build_revision`).

- Shipped revisions: the history, every revision from HTS 2021 Revision 12 (2021-12-07) to
  HTS 2026 Revision 10 (2026-06-08), in one store (`sources.history`), and two USITC CSV
  exports in the package (`zonekeeper/data/tariff/hts`), HTS 2026 Basic Edition (in force
  2026-01-01) and Revision 3 (2026-02-13; its latest cited change is 13 Feb 2026 — see
  docs/domain.md §8).
- Imported revisions: `zonekeeper tariff import FILE --effective D` validates a USITC export
  and writes its parsed rows, gzipped JSON, to `<home>/tariff/revisions/` where `<home>` is
  `$ZONEKEEPER_HOME` or `~/.local/share/zonekeeper`.
- Cache: each built `Revision` is written to the disk cache (`sources.revision_cache`)
  under a key hashing its source file, the parser's own source and the package version, so
  a changed source or parser never reads a stale cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import threading
from dataclasses import asdict, dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from zonekeeper.errors import InputError, Problem
from zonekeeper.sources import revision_cache
from zonekeeper.sources.history import history_digest, history_revisions
from zonekeeper.tariff.schedule import (
    Parts,
    Revision,
    Schedule,
    SourceRow,
    build_revision,
)
from zonekeeper.tariff.usitc import parse_usitc


@dataclass(frozen=True)
class Source:
    """One revision's source: a shipped CSV or an imported, parsed file."""

    name: str
    effective: date
    path: Path
    kind: str  # 'usitc' (a USITC export) | 'parsed' (our gzipped JSON rows)


SHIPPED = (
    ("HTS 2026 Basic Edition", date(2026, 1, 1), "hts_2026_basic_edition_csv.csv.gz"),
    ("HTS 2026 Revision 3", date(2026, 2, 13), "hts_2026_revision_3_csv.csv.gz"),
)


def home_dir() -> Path:
    env = os.environ.get("ZONEKEEPER_HOME")
    return Path(env) if env else Path.home() / ".local" / "share" / "zonekeeper"


def revisions_dir() -> Path:
    return home_dir() / "tariff" / "revisions"


def shipped_sources() -> list[Source]:
    base = resources.files("zonekeeper") / "data" / "tariff" / "hts"
    return [Source(name, effective, Path(str(base / file)), "usitc")
            for name, effective, file in SHIPPED]


def imported_sources() -> list[Source]:
    """Revisions imported by the user, in the order they were imported."""
    folder = revisions_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json.gz")):
        meta_path = path.with_name(path.name.replace(".json.gz", ".meta.json"))
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            out.append((int(meta.get("imported_seq", 0)),
                        Source(meta["name"], date.fromisoformat(meta["effective"]), path,
                               "parsed")))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an incomplete import (no readable metadata) is not a revision
    return [source for _, source in sorted(out, key=lambda pair: pair[0])]


def all_sources() -> list[Source]:
    return shipped_sources() + imported_sources()


def source_key(source: Source) -> str:
    """Cache key of one revision: its bytes, name, date, the parser's code and the version."""
    return revision_cache.key(source.name, source.effective, f"{source.kind}|",
                              hashlib.sha256(source.path.read_bytes()).digest())


def read_usitc(path: Path) -> list[SourceRow]:
    """Read a USITC CSV or JSON export (optionally gzipped; parsed by `tariff.usitc`);
    InputError lists every problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror or error}", str(path),
                                 code="tariff.import.unreadable")) from None
    return parse_usitc(data, str(path))


def read_source(source: Source) -> list[SourceRow]:
    """The rows of a source (I/O)."""
    if source.kind == "parsed":
        return read_parsed(source.path)
    return read_usitc(source.path)


def build_schedule(sources: list[Source]) -> Schedule:
    """Parse every source into a revision (no cache)."""
    return Schedule(build_revision(source.name, source.effective, read_source(source),
                                   str(source.path)) for source in sources)


_memo: dict[tuple[str, ...], Schedule] = {}


def load_schedule(*, use_cache: bool = True) -> Schedule:
    """The shipped history (`sources.history`), the shipped CSV revisions and the imported
    ones; each CSV or imported one from the disk cache when it is fresh.

    Revisions are cached one file each, so importing a revision parses only that revision.
    """
    sources = all_sources()
    keys = (history_digest(), *(source_key(source) for source in sources))
    if keys in _memo:
        return _memo[keys]
    if not use_cache:
        loaded = build_schedule(sources).revisions
    else:
        loaded = tuple(_load_revision(source, key)
                       for source, key in zip(sources, keys[1:], strict=True))
    # the history first: a shipped or imported revision of the same name or date wins
    schedule = Schedule([*history_revisions(), *loaded])
    _memo.clear()
    _memo[keys] = schedule
    return schedule


def cache_file(key: str) -> Path:
    """The cache file of the revision whose `source_key` is `key`."""
    return revision_cache.cache_dir() / f"revision-{key}.json"


def _load_revision(source: Source, key: str) -> Revision:
    """The revision of `source`: from the cache when a file of ours is there (read now, made
    into rows when first used), else built from the source and cached."""
    path = cache_file(key)
    data = revision_cache.read(path, key)
    if data is None:
        return _build(source, key, path)

    made: list[Parts] = []
    making = threading.Lock()

    def parts() -> Parts:
        """Made once: threads that meet at the revision's first use wait for the first."""
        with making:
            if not made:
                found = revision_cache.decode(data, key, source.name, source.effective)
                made.append(found if found is not None else _build(source, key, path).parts())
            return made[0]

    return Revision.deferred(source.name, source.effective, str(source.path), parts)


def _build(source: Source, key: str, path: Path) -> Revision:
    revision = build_revision(source.name, source.effective, read_source(source),
                              str(source.path))
    revision_cache.write(path, key, revision)
    return revision


def write_parsed(path: Path, rows: list[SourceRow]) -> None:
    payload = json.dumps([asdict(row) for row in rows], ensure_ascii=False)
    path.write_bytes(gzip.compress(payload.encode("utf-8"), mtime=0))


def read_parsed(path: Path) -> list[SourceRow]:
    try:
        items = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        return [SourceRow(row=i["row"], hts=i["hts"], indent=i["indent"],
                          description=i["description"], units=tuple(i["units"]),
                          general=i["general"], special=i["special"], column2=i["column2"],
                          additional=i["additional"]) for i in items]
    except (OSError, ValueError, KeyError, TypeError, EOFError) as error:
        raise InputError(Problem(f"imported revision is damaged ({error}); import it again",
                                 str(path), code="tariff.store.damaged-revision")) from None


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-") or "revision"


def import_revision(file: Path, effective: date, name: str | None = None, *,
                    replace: bool = False) -> Revision:
    """Validate a USITC export and store it as a revision; nothing is written on error.

    Two revisions in force from the same date are ambiguous, so a date already taken by a
    loaded revision is refused (listed with the file's own problems) unless `replace`: then
    the imported revisions of that date are removed and the new one governs from it (over a
    shipped revision of that date too, the later-loaded one governing).
    """
    problems: list[Problem] = []
    label = name or file.name.split(".")[0]
    taken = [r for r in load_schedule().revisions if r.effective == effective]
    if taken and not replace:
        names = ", ".join(r.name for r in taken)
        problems.append(Problem(
            f"a revision is already in force from {effective.isoformat()} ({names}); two "
            f"revisions of one date are ambiguous: give --replace to make this one govern "
            f"from that date, or another --effective date", field="--effective",
            code="tariff.import.date-taken"))
    try:
        rows = read_usitc(file)
        revision = build_revision(label, effective, rows, str(file))
    except InputError as error:
        raise InputError([*error.problems, *problems]) from None
    if problems:
        raise InputError(problems)
    folder = revisions_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = _slug(label)
    seq = max((_seq_of(s) for s in imported_sources()), default=0) + 1
    data_path = folder / f"{stem}.json.gz"
    meta_path = folder / f"{stem}.meta.json"
    tmp = folder / f".{stem}.json.gz.tmp"
    write_parsed(tmp, rows)
    os.replace(tmp, data_path)
    meta = {"name": label, "effective": effective.isoformat(), "source": str(file),
            "sha256": hashlib.sha256(file.read_bytes()).hexdigest(), "rows": len(rows),
            "imported_seq": seq}
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    if replace:
        for source in imported_sources():
            if source.effective == effective and source.path != data_path:
                _remove(source)
    stored = Source(label, effective, data_path, "parsed")
    key = source_key(stored)
    revision_cache.write(cache_file(key), key, revision)
    _memo.clear()
    return revision


def _remove(source: Source) -> None:
    """Delete an imported revision (its data, then its metadata)."""
    meta_path = source.path.with_name(source.path.name.replace(".json.gz", ".meta.json"))
    for path in (source.path, meta_path):
        path.unlink(missing_ok=True)


def _seq_of(source: Source) -> int:
    meta_path = source.path.with_name(source.path.name.replace(".json.gz", ".meta.json"))
    try:
        return int(json.loads(meta_path.read_text(encoding="utf-8")).get("imported_seq", 0))
    except (OSError, ValueError, TypeError):
        return 0
