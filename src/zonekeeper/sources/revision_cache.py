"""The disk cache of built HTS revisions: one JSON file per revision, read back fast.

A built `Revision` (its rows, parents and rate rows: `tariff.schedule.Parts`) is written as
plain JSON data (its rows' strings and ints, column by column, repeated texts stored once)
to `$ZONEKEEPER_CACHE` (or `~/.cache/zonekeeper`) under a key its caller makes from
everything the build depends on (`key`: the source's bytes or the history store's hash, the
revision's name and date, the parser's own source, the package version), so a changed
source or parser never reads a stale file. Two callers: `sources.revisions` (the shipped and
imported CSV revisions, `revision-<key>.json`) and `sources.history` (each revision of the
shipped history store, `history-<key>.json`, built from the store on its first use).

The cache is data, never code: it used to be a pickle, and anyone who could write the
folder could have run code as the user through it. JSON read by orjson makes strings,
numbers, lists and dicts only. A cache file is used only if it is the user's own and no one
else may write it, and if it is exactly what this code writes for that key (format, key,
name, date; every column of the right length and type, every reference in range);
anything else is ignored and the revision built again from its source. Reading it pauses
the cyclic collector (tens of thousands of tuples are made at once), which keeps a warm
start as fast as the pickle was. The pickles earlier versions wrote (`revision-*.pickle`)
are never read; they are deleted when a JSON cache file is written.

Several processes may build the same revision at once: each writes a temporary file of its
own in the folder and renames it over the cache file (atomic on one file system), so a
reader sees a whole file or none, never a part.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from zonekeeper import __version__
from zonekeeper.tariff.schedule import Parts, Revision, Row

FORMAT = 2  # 1 was a pickle
# The text columns of a row after its code and indent, each stored as its distinct values
# and one index per row (descriptions like "Other" and rate texts repeat thousands of times).
TEXT_COLUMNS = ("description", "units", "general", "special", "column2", "additional")
# The modules whose output the cache holds (`tariff.history` reads the history store).
_PARSERS = ("codes.py", "units.py", "expressions.py", "rate_parser.py", "schedule.py",
            "usitc.py", "history.py")


def cache_dir() -> Path:
    env = os.environ.get("ZONEKEEPER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "zonekeeper"


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """Hash of the modules whose output the cache holds, so parser changes rebuild it."""
    digest = hashlib.sha256()
    here = resources.files("zonekeeper.tariff")
    for name in _PARSERS:
        digest.update(here.joinpath(name).read_bytes())
    return digest.digest()


def key(name: str, effective: date, *source: str | bytes) -> str:
    """A cache key: the format, the package version and the parsers' code, the revision's
    name and date, and whatever identifies its source (`source`: kind, bytes' hash...)."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{__version__}|".encode())
    digest.update(_code_fingerprint())
    digest.update(f"{name}|{effective.isoformat()}|".encode())
    for part in source:
        digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()[:32]


def read(path: Path, key: str) -> bytes | None:
    """The bytes of the cache file for `key`, or None when there is none or it is not to be
    trusted: not the user's own, writable by others, or not begun as `encode` begins it."""
    try:
        with path.open("rb") as handle:
            if not _own_file(os.fstat(handle.fileno())):
                return None
            data = handle.read()
    except OSError:
        return None
    return data if data.startswith(_header(key)) else None


def _header(key: str) -> bytes:
    """How `encode` begins the file for `key` (orjson keeps the keys' order)."""
    return orjson.dumps({"format": FORMAT, "key": key})[:-1] + b","


def _own_file(status: os.stat_result) -> bool:
    """A regular file of this user that no one else may write (where the OS says so)."""
    if not stat.S_ISREG(status.st_mode) or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def encode(key: str, revision: Revision) -> bytes:
    rows, parents, rate_rows = revision.parts()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 8
    plain: dict[str, Any] = {
        "format": FORMAT, "key": key, "name": revision.name,
        "effective": revision.effective.isoformat(),
        "code": columns[0], "indent": columns[1], "parents": parents, "rate_rows": rate_rows,
    }
    for name, column in zip(TEXT_COLUMNS, columns[2:], strict=True):
        values: dict[Any, int] = {}
        plain[name] = {"values": None,
                       "index": [values.setdefault(value, len(values)) for value in column]}
        plain[name]["values"] = list(values)
    return orjson.dumps(plain)


def decode(data: bytes, key: str, name: str, effective: date) -> Parts | None:
    """The revision's parts in `data` if it is what `encode` wrote for `key` and the revision
    `name` of `effective`; else None.
    Every column is checked for its length and its values' types, every reference for its
    range, whole columns at a time in C (`str.join`, `min`, `max`, `sum`), so a foreign file
    cannot make a revision that fails later, in a quote."""
    with _collector_paused():
        try:
            plain = orjson.loads(data)
            if (type(plain) is not dict or plain.get("format") != FORMAT
                    or plain.get("key") != key or plain.get("name") != name
                    or plain.get("effective") != effective.isoformat()):
                return None
            codes, indents = plain["code"], plain["indent"]
            parents, rate_rows = plain["parents"], plain["rate_rows"]
            count = len(codes)
            _strings(codes, count)
            _ints(indents, count, 0, 2**31)
            _ints(parents, count, -1, count)
            _ints(rate_rows, count, -1, count)
            texts = [_texts(plain[column], count, column == "units") for column in TEXT_COLUMNS]
            rows: list[Row] = list(zip(codes, indents, *texts, strict=True))
            return rows, parents, rate_rows
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            return None


def _strings(values: object, count: int) -> None:
    """`values` is a list of `count` strings (ValueError or TypeError if not)."""
    if type(values) is not list or len(values) != count:
        raise ValueError("not a column of the revision")
    "".join(values)  # TypeError at the first value that is not a str


def _ints(values: object, count: int, low: int, high: int) -> None:
    """`values` is a list of `count` ints from `low` to below `high`."""
    if type(values) is not list or len(values) != count:
        raise ValueError("not a column of the revision")
    # JSON numbers are ints or floats, and min() refuses any other value (TypeError); a
    # float anywhere makes the sum a float. Three passes in C, no loop in Python.
    if values and (type(sum(values)) is not int or min(values) < low or max(values) >= high):
        raise ValueError("not a column of row numbers in range")


def _texts(packed: object, count: int, units: bool) -> list[Any]:
    """A text column back from its distinct values and per-row index (units as tuples)."""
    if type(packed) is not dict:
        raise ValueError("not a column of the revision")
    values, index = packed["values"], packed["index"]
    if type(values) is not list:
        raise ValueError("not a column of the revision")
    if units:
        for unit in values:
            _strings(unit, len(unit))
        values = [tuple(unit) for unit in values]
    else:
        _strings(values, len(values))
    _ints(index, count, 0, len(values))
    return list(map(values.__getitem__, index))


def write(path: Path, key: str, revision: Revision) -> None:
    """Write atomically (a temporary file of this process, renamed over `path`), readable by
    the user alone (a new folder too); a cache that cannot be written only costs speed next
    time. The old pickles in the folder go with it."""
    data = encode(key, revision)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            try:
                tmp.write(data)  # NamedTemporaryFile makes it 0600
                tmp.close()
                os.replace(tmp.name, path)
            except OSError:
                os.unlink(tmp.name)  # a part-written file is nobody's
                raise
    except OSError:
        return
    _drop_pickles(path.parent)


def _drop_pickles(folder: Path) -> None:
    """Delete the cache files of earlier versions (`revision-<key>.pickle`, format 1):
    never read any more, they would only take space. One that cannot be deleted stays."""
    for old in folder.glob("revision-*.pickle"):
        try:
            old.unlink()
        except OSError:
            continue
