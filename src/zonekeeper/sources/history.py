"""The shipped tariff history (`zonekeeper/data/tariff/hts/history.zkh`): found, read, and
made into the schedule's revisions, each built only when a quote first needs it.

The file holds every HTSUS revision from HTS 2021 Revision 12 (in force 2021-12-07) to
HTS 2026 Revision 10 (2026-06-08) but the two the package ships as USITC CSV exports
(`SHIPPED_CSV`: HTS 2026 Basic Edition and Revision 3, whose answers stay exactly as they
were). `tariff.history` parses it (bytes in); this module reads it, and `build_history`
makes it again from the USITC exports and their MANIFEST.csv (a maintenance step:
`python -m bench.build_tariff_history FOLDER`). Provenance: `data/tariff/PROVENANCE.md`.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from zonekeeper.errors import InputError, Problem
from zonekeeper.sources import revision_cache
from zonekeeper.tariff.history import HistoryBuilder, LineHistory, RevisionInput
from zonekeeper.tariff.schedule import Parts, Revision, Row, Schedule, build_revision
from zonekeeper.tariff.usitc import parse_usitc

HISTORY_FILE = "hts/history.zkh"
# Editions of the MANIFEST the package ships as CSV exports instead (sources.revisions).
SHIPPED_CSV = frozenset({"HTS 2026 Basic", "HTS 2026 Rev 3"})
# Where only a year's last revision is shipped, it serves its year from this date (the day
# after its predecessor's in-force period ends, per MANIFEST.csv).
_SERVES_FROM = {
    "HTS 2022 Rev 12 (last 2022)": date(2022, 1, 1),
    "HTS 2023 Rev 11 (last 2023)": date(2023, 1, 1),
    "HTS 2024 Rev 10 (last 2024)": date(2024, 1, 26),
}


def history_path() -> Path:
    return Path(str(resources.files("zonekeeper") / "data" / "tariff" / HISTORY_FILE))


@cache
def _shipped() -> tuple[LineHistory, str]:
    """The shipped store, its header read, and the sha256 of its bytes (one read for both,
    so the digest is always the one of the store in use)."""
    path = history_path()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(f"cannot read the tariff history: {error.strerror or error}",
                                 str(path), code="tariff.history.unreadable")) from None
    return LineHistory(data, str(path)), hashlib.sha256(data).hexdigest()


def shipped_history() -> LineHistory:
    """The shipped store, its header read (members are read when a revision needs them)."""
    return _shipped()[0]


def history_digest() -> str:
    """The sha256 of the shipped store (what `load_schedule` keys its memo on, and the disk
    cache its revisions)."""
    return _shipped()[1]


def history_revisions() -> list[Revision]:
    """Every revision of the shipped store as a deferred `Revision` (`store_revisions`)."""
    store, digest = _shipped()
    return store_revisions(store, digest)


def store_revisions(store: LineHistory, digest: str) -> list[Revision]:
    """Every revision of `store` (whose bytes hash to `digest`) as a deferred `Revision`:
    made the first time any of its lines is needed, under one lock per store, with rows
    equal across revisions shared; read from the disk cache (`sources.revision_cache`)
    when a process built it before from the same store, else built and cached."""
    lock = threading.Lock()
    shared: dict[Row, Row] = {}
    texts = store.distinct_rate_texts
    out = []
    for index, info in enumerate(store.revisions):
        out.append(Revision.deferred(info.name, info.effective, f"{store.file}#{info.name}",
                                     _maker(store, digest, index, lock, shared),
                                     in_force=info.in_force, size=info.lines, texts=texts))
    return out


def _maker(store: LineHistory, digest: str, index: int, lock: threading.Lock,
           shared: dict[Row, Row]) -> Callable[[], Parts]:
    made: list[Parts] = []

    def parts() -> Parts:
        with lock:
            if not made:
                made.append(_cached_or_built(store, digest, index, shared))
            return made[0]

    return parts


def cache_file(key: str) -> Path:
    """The cache file of the history revision whose key is `key`."""
    return revision_cache.cache_dir() / f"history-{key}.json"


def _cached_or_built(store: LineHistory, digest: str, index: int,
                     shared: dict[Row, Row]) -> Parts:
    """Revision `index` of `store`: from the disk cache, keyed by the store's hash and the
    revision (a changed store, parser or version has other keys, so never reads a stale
    file), when a file of ours is there and reads back whole; else built from the store
    (about 0.3 s; the cached file reads in a fraction of it) and cached. Rows read from
    the cache are shared with the other revisions' equal rows, as built ones are."""
    info = store.revisions[index]
    key = revision_cache.key(info.name, info.effective, "history|", digest)
    path = cache_file(key)
    data = revision_cache.read(path, key)
    found = (None if data is None
             else revision_cache.decode(data, key, info.name, info.effective))
    if found is not None:
        rows, parents, rate_rows = found
        return [shared.setdefault(row, row) for row in rows], parents, rate_rows
    revision = build_revision(info.name, info.effective, store.rows(index),
                              f"{store.file}#{info.name}", shared)
    revision_cache.write(path, key, revision)
    return revision.parts()


def _edition_name(edition: str) -> str:
    """MANIFEST's edition label as the product cites it: `HTS 2025 Rev 18` ->
    `HTS 2025 Revision 18`, `HTS 2024 Basic CRLF (original form)` -> `HTS 2024 Basic
    Edition`, `HTS 2022 Rev 12 (last 2022)` -> `HTS 2022 Revision 12`."""
    found = re.fullmatch(r"HTS (\d{4}) (Basic|Rev (\d+)).*", edition)
    if found is None:
        raise ValueError(f"MANIFEST.csv: edition {edition!r} is not `HTS YYYY Basic|Rev N`")
    year, kind, number = found.groups()
    return f"HTS {year} Basic Edition" if kind == "Basic" else f"HTS {year} Revision {number}"


def _footnotes(data: bytes) -> list[str]:
    """One text per record of a USITC JSON export: its footnotes as `columns:text`, joined
    by ` || ` (marker and type dropped)."""
    out = []
    for record in json.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data):
        notes = record.get("footnotes") or []
        out.append(" || ".join(
            f"{','.join(n.get('columns') or [])}:{' '.join(str(n.get('value') or '').split())}"
            for n in notes))
    return out


def build_history(folder: Path) -> bytes:
    """The store made from the USITC exports listed in `folder/MANIFEST.csv` (every edition
    but `SHIPPED_CSV`), in the order they came into force; read back whole before it is
    returned (`HistoryBuilder.to_bytes`)."""
    with (folder / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    manifest.sort(key=lambda m: m["in_force_from"].split("..")[0])
    builder = HistoryBuilder()
    for entry in manifest:
        if entry["edition"] in SHIPPED_CSV:
            continue
        in_force = date.fromisoformat(entry["in_force_from"].split("..")[0])
        data = (folder / entry["file"]).read_bytes()
        builder.add(RevisionInput(
            name=_edition_name(entry["edition"]),
            effective=_SERVES_FROM.get(entry["edition"], in_force),
            in_force=in_force,
            source=entry["file"],
            sha256=hashlib.sha256(gzip.decompress(data)).hexdigest(),
            rows=parse_usitc(data, entry["file"]),
            footnotes=_footnotes(data) if entry["file"].endswith(".json.gz") else (),
        ))
    return builder.to_bytes()


def _store_index(schedule: Schedule) -> dict[str, int]:
    """Name -> store position of the schedule's revisions that come from the store (not
    replaced by an imported one of the same name)."""
    store = shipped_history()
    positions = {info.name: i for i, info in enumerate(store.revisions)}
    return {r.name: positions[r.name] for r in schedule.revisions
            if r.name in positions and r.source == f"{store.file}#{r.name}"}


def rate_text_sources(schedule: Schedule) -> list[tuple[str, Iterable[tuple[str, str, str]]]]:
    """(name, its rate texts) per revision of `schedule`, in date order, what `tariff
    check` parses: the store's revisions read from the store, without building them."""
    store = shipped_history()
    from_store = _store_index(schedule)
    return [(r.name, store.rate_texts(from_store[r.name]) if r.name in from_store
             else r.rate_texts()) for r in schedule.revisions]


def codes_and_footnotes(
    schedule: Schedule,
) -> list[tuple[str, list[str], dict[str, tuple[str, ...]] | None]]:
    """(name, its HTS numbers as digits, HTS digits -> the line's footnote texts) per
    revision of `schedule`, in date order: what `tariff check --measures` compares with the
    shipped lists. The store's revisions are read from the store without building them and
    carry the JSON exports' footnotes; a revision shipped or imported as a USITC CSV has
    none (None: only absent list codes can be checked on it)."""
    store = shipped_history()
    from_store = _store_index(schedule)
    out: list[tuple[str, list[str], dict[str, tuple[str, ...]] | None]] = []
    for r in schedule.revisions:
        if r.name not in from_store:
            out.append((r.name, [c.digits for c in r.codes()], None))
            continue
        index = from_store[r.name]
        codes = [row.hts.replace(".", "") for row in store.rows(index) if row.hts]
        notes = {hts.replace(".", ""): tuple(text.split(" || "))
                 for hts, text in store.footnotes(index).items()}
        out.append((r.name, codes, notes or None))
    return out


@dataclass(frozen=True)
class RevisionStatus:
    """One loaded revision as `zonekeeper tariff status` lists it."""

    name: str
    serves_from: date  # the first date quotes are priced from it
    in_force: date  # the date the revision itself came into force
    origin: str  # 'history' | 'shipped' | 'imported'


NO_HORIZON = "no tariff revision is loaded: there is no horizon to count days from"


@dataclass(frozen=True)
class TariffStatus:
    """What `tariff status` reports. `days_beyond` is how far `today` lies after the horizon
    (0 when not after it); None when no revision is loaded, with the reason in
    `cannot_compute` (never 0: nothing says the data is current)."""

    revisions: tuple[RevisionStatus, ...]
    horizon: date | None  # the newest revision's date: later quotes warn
    today: date
    days_beyond: int | None
    cannot_compute: tuple[str, ...] = ()


def tariff_status(schedule: Schedule, today: date) -> TariffStatus:
    """What the loaded tariff covers: every revision with its dates and where it comes
    from, and the horizon (quotes dated after it warn that a newer revision may apply)."""
    from_store = _store_index(schedule)
    package = str(history_path().parent)
    listed = []
    for r in schedule.revisions:
        origin = ("history" if r.name in from_store
                  else "shipped" if r.source.startswith(package) else "imported")
        listed.append(RevisionStatus(r.name, r.effective, r.in_force or r.effective, origin))
    newest = schedule.horizon()
    horizon = newest.effective if newest is not None else None
    if horizon is None:
        return TariffStatus(tuple(listed), None, today, None, (NO_HORIZON,))
    return TariffStatus(tuple(listed), horizon, today, max(0, (today - horizon).days))
