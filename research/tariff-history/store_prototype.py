"""Prototype of the effective-dated line store (task 3; scratch code, not product code).

Every line of every shipped revision, each text kept once, each version of a line a *span*
(the UK trade-tariff-backend's validity_start_date/validity_end_date, an open end for the
newest): a line whose texts do not change over 40 revisions is one span, not 40 rows.

File layout (one file, `history.zkh`):

    b"ZKH1" | u32 header length | header (JSON) | members...

header: {"revisions": [{name, file, sha256, in_force_from, serves_from, exact, footnotes}],
         "members": {name: [offset, length, raw_length]}, "fields": [...]}
members (each compressed on its own, so a date reads only what it needs):
    strings       every distinct text, UTF-8, NUL-separated; id = position (append-only)
    keys          every line key (HTS number, or "<previous number>#<n>" for a label row)
    era-<YYYY>    the spans alive in that year: columns of u32 (key, first, last, indent,
                  description, units, general, special, other, footnotes, additional)

A span's `first`/`last` are revision indexes; its dates are those revisions' `serves_from`
and the day before the next span's. Appending a revision: compare each line with its open
span, extend it (last += 1) or close it and open a new one; new texts are appended to
`strings`; only the current era member and the header are rewritten.

    nice -n 19 .venv/bin/python research/tariff-history/store_prototype.py build OUT.zkh
    nice -n 19 .venv/bin/python research/tariff-history/store_prototype.py load OUT.zkh DATE
    nice -n 19 .venv/bin/python research/tariff-history/store_prototype.py append OUT.zkh
"""

from __future__ import annotations

import gzip
import hashlib
import json
import lzma
import os
import pickle
import re
import struct
import sys
import time
import zlib
from array import array
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))
import revisions as R  # noqa: E402

FIELDS = ("indent", "description", "units", "general", "special", "other", "footnotes",
          "additional")
TAG = re.compile(r"<[^>]*>")
SCRATCH = os.environ.get("ZK_SCRATCH", "/tmp/zk-history-scratch")


def clean(text: str) -> str:
    """Text without the export's HTML markup (`m<sup>3</sup>` -> `m3`), spaces collapsed."""
    return " ".join(TAG.sub("", text).split()) if "<" in text else text


def read_revision(row: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """(key, texts) per record of one revision, via the product's own USITC reader."""
    from zonekeeper.tariff.usitc import parse_usitc

    with open(os.path.join(R.HISTORY, row["file"]), "rb") as f:
        packed = f.read()
    rows = parse_usitc(packed, row["file"])
    notes: list[str] = []
    if row["file"].endswith(".json.gz"):
        notes = [R.norm_footnotes(r.get("footnotes")) for r in json.loads(gzip.decompress(packed))]
    out = []
    last, n = "", 0
    for r in rows:
        if r.hts:
            last, n, key = r.hts, 0, r.hts
        else:
            n += 1
            key = f"{last}#{n}"
        out.append((key, (str(r.indent), clean(r.description), "|".join(r.units),
                          clean(r.general), clean(r.special), clean(r.column2),
                          notes[r.row - 1] if notes else "", clean(r.additional))))
    return out


def all_revisions() -> tuple[list[dict[str, object]], list[list[tuple[str, tuple[str, ...]]]]]:
    """Every revision (cached in SCRATCH as a pickle of plain tuples: scratch only)."""
    os.makedirs(SCRATCH, exist_ok=True)
    cache = os.path.join(SCRATCH, "revisions.pkl")
    manifest = R.manifest()
    if os.path.exists(cache):
        with open(cache, "rb") as f:
            return pickle.load(f)  # noqa: S301 (our own scratch file)
    metas, contents = [], []
    for row in manifest:
        with open(os.path.join(R.HISTORY, row["file"]), "rb") as f:
            sha = hashlib.sha256(gzip.decompress(f.read())).hexdigest()
        metas.append({"name": row["label"], "file": row["file"], "sha256": sha,
                      "in_force_from": row["from"],
                      "footnotes": row["file"].endswith(".json.gz")})
        contents.append(read_revision(row))
        print(f"read {row['label']}", file=sys.stderr)
    with open(cache, "wb") as f:
        pickle.dump((metas, contents), f)
    return metas, contents


def serving_dates(metas: list[dict[str, object]]) -> None:
    """`serves_from`: the first date the store uses a revision for. Where only a year's last
    revision is shipped (2021-2024 CSVs) it serves the whole year up to its successor, and is
    marked `exact: False` for the days before its own in-force date (PROVENANCE.md: 'a rate
    that changed inside one of those years is priced from the year's last revision')."""
    prev_year = ""
    for m in metas:
        start = str(m["in_force_from"])
        year = start[:4]
        m["serves_from"] = start
        m["exact"] = True
        if str(m["file"]).startswith("2021-2024/") and "basic" not in str(m["file"]):
            if year != prev_year and not start.endswith("-12-07"):
                m["serves_from"] = f"{year}-01-01"
                m["exact"] = False  # exact only from in_force_from on
        prev_year = year
    # 2024 Rev 10 follows 2024 Basic: it serves from the day after the Basic's known end
    for i, m in enumerate(metas):
        if str(m["name"]).startswith("2024 Rev 10"):
            m["serves_from"] = "2024-01-26"
            m["exact"] = False
        del i


class Builder:
    """Spans from revisions, in order; `append` is the one-command import of a new one."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.spans: list[list[int]] = []  # key, first, last, *field ids
        self.open: dict[int, int] = {}  # key id -> index of its open span
        self.revisions = 0

    def sid(self, text: str) -> int:
        found = self.strings.get(text)
        if found is None:
            found = self.strings[text] = len(self.strings)
        return found

    def append(self, lines: list[tuple[str, tuple[str, ...]]]) -> tuple[int, int, int]:
        """Add the next revision; returns (extended, opened, closed) span counts."""
        r = self.revisions
        seen: set[int] = set()
        extended = opened = 0
        for key, texts in lines:
            k = self.keys.get(key)
            if k is None:
                k = self.keys[key] = len(self.keys)
            seen.add(k)
            ids = [int(texts[0])] + [self.sid(clean(t)) for t in texts[1:]]
            i = self.open.get(k)
            if i is not None and self.spans[i][3:] == ids and self.spans[i][2] == r - 1:
                self.spans[i][2] = r
                extended += 1
            else:
                self.open[k] = len(self.spans)
                self.spans.append([k, r, r, *ids])
                opened += 1
        closed = sum(1 for k in self.open if k not in seen)
        self.open = {k: i for k, i in self.open.items() if k in seen}
        self.revisions += 1
        return extended, opened, closed


def eras(metas: list[dict[str, object]]) -> dict[str, tuple[int, int]]:
    """Era name -> (first, last) revision index: one era per calendar year served."""
    out: dict[str, tuple[int, int]] = {}
    for i, m in enumerate(metas):
        year = str(m["serves_from"])[:4]
        first, _ = out.get(year, (i, i))
        out[year] = (first, i)
    return out


def pack(codec: str, raw: bytes) -> bytes:
    if codec == "lzma":
        return lzma.compress(raw, preset=9 | lzma.PRESET_EXTREME)
    return zlib.compress(raw, 9)


def unpack(codec: str, data: bytes) -> bytes:
    return lzma.decompress(data) if codec == "lzma" else zlib.decompress(data)


def era_bytes(alive: list[list[int]]) -> bytes:
    """The spans alive in one era, column by column (each column compresses on its own
    pattern); the key column as deltas
    modulo 2**32 (mostly small: spans are created in schedule order)."""
    cols = []
    for c in range(3 + len(FIELDS)):
        col = array("I", (s[c] for s in alive))
        if c == 0 and col:
            col = array("I", [col[0]] + [(col[j] - col[j - 1]) & 0xFFFFFFFF
                                         for j in range(1, len(col))])
        cols.append(col.tobytes())
    return struct.pack("<I", len(alive)) + b"".join(cols)


def write(path: str, metas: list[dict[str, object]], b: Builder, codec: str) -> dict[str, int]:
    """Serialize; returns the compressed size of each member."""
    members: dict[str, bytes] = {}
    strings = sorted(b.strings, key=b.strings.__getitem__)
    members["strings"] = "\0".join(strings).encode("utf-8")
    keys = sorted(b.keys, key=b.keys.__getitem__)
    members["keys"] = "\0".join(keys).encode("utf-8")
    for name, (lo, hi) in eras(metas).items():
        alive = [s for s in b.spans if s[1] <= hi and s[2] >= lo]
        members[f"era-{name}"] = era_bytes(alive)
    header: dict[str, object] = {"format": 1, "codec": codec, "fields": list(FIELDS),
                                 "revisions": metas, "members": {}}
    blobs = []
    offset = 0
    sizes = {}
    for name, raw in members.items():
        packed = pack(codec, raw)
        header["members"][name] = [offset, len(packed), len(raw)]  # type: ignore[index]
        blobs.append(packed)
        offset += len(packed)
        sizes[name] = len(packed)
    head = json.dumps(header, separators=(",", ":")).encode()
    with open(path, "wb") as f:
        f.write(b"ZKH1" + struct.pack("<I", len(head)) + head)
        for blob in blobs:
            f.write(blob)
    sizes["header"] = len(head) + 8
    return sizes


def load_date(path: str, on: date) -> tuple[str, bool, list[tuple[str, tuple[object, ...]]]]:
    """The lines in force on `on`: (revision name, exact?, [(key, texts)]). Reads the header,
    the string table, the key table and one era member."""
    with open(path, "rb") as f:
        magic, n = f.read(4), struct.unpack("<I", f.read(4))[0]
        if magic != b"ZKH1":
            raise ValueError("not a ZKH1 store")
        header = json.loads(f.read(n))
        base = 8 + n
        revs = header["revisions"]
        r = max((i for i, m in enumerate(revs) if m["serves_from"] <= on.isoformat()),
                default=None)
        if r is None:
            raise LookupError(f"no tariff for {on}: the store starts {revs[0]['serves_from']}")
        era = revs[r]["serves_from"][:4]

        def member(name: str) -> bytes:
            off, length, _raw = header["members"][name]
            f.seek(base + off)
            return unpack(header["codec"], f.read(length))

        strings, keys = [], []
        for name in header["members"]:  # base table, then each appended revision's delta
            if header["members"][name][2] == 0:
                continue  # an empty delta (no new texts) adds nothing, not one ''
            if name == "strings" or name.startswith("strings+"):
                strings += member(name).decode("utf-8").split("\0")
            elif name == "keys" or name.startswith("keys+"):
                keys += member(name).decode("utf-8").split("\0")
        raw = member(f"era-{era}")
    count = struct.unpack_from("<I", raw)[0]
    width = 3 + len(header["fields"])
    cols = []
    for c in range(width):
        col = array("I")
        col.frombytes(raw[4 + c * 4 * count: 4 + (c + 1) * 4 * count])
        cols.append(col)
    k = 0
    out = []
    firsts, lasts = cols[1], cols[2]
    for j in range(count):
        k = (k + cols[0][j]) & 0xFFFFFFFF
        if firsts[j] <= r <= lasts[j]:
            out.append((keys[k], (cols[3][j],) + tuple(strings[cols[c][j]]
                                                       for c in range(4, width))))
    exact = bool(revs[r]["exact"]) or on.isoformat() >= revs[r]["in_force_from"]
    return revs[r]["name"], exact, out


def build(out: str) -> None:
    t0 = time.perf_counter()
    metas, contents = all_revisions()
    serving_dates(metas)
    t1 = time.perf_counter()
    b = Builder()
    timings = []
    for m, lines in zip(metas, contents, strict=False):
        s = time.perf_counter()
        stats = b.append(lines)
        timings.append((m["name"], round(time.perf_counter() - s, 3), *stats))
    t2 = time.perf_counter()
    report: dict[str, object] = {
        "revisions": len(metas), "spans": len(b.spans), "strings": len(b.strings),
        "keys": len(b.keys), "records_total": sum(len(c) for c in contents),
        "seconds_read": round(t1 - t0, 1), "seconds_spans": round(t2 - t1, 2),
        "append_seconds": timings,
    }
    for codec in ("zlib", "lzma"):
        path = out if codec == "lzma" else out + ".zlib"
        s = time.perf_counter()
        report[f"members_{codec}"] = write(path, metas, b, codec)
        report[f"file_bytes_{codec}"] = os.path.getsize(path)
        report[f"seconds_write_{codec}"] = round(time.perf_counter() - s, 2)
    report["raw_bytes"] = {"strings": sum(len(x.encode()) + 1 for x in b.strings),
                           "spans_u32": len(b.spans) * 4 * (3 + len(FIELDS))}
    print(json.dumps(report, indent=1))


def append_file(path: str, metas: list[dict[str, object]], b: Builder, n_strings: int,
                n_keys: int) -> None:
    """Rewrite `path` after one appended revision: every member is copied as it is except
    the newest era (recompressed); the texts and keys new in this revision are added as
    delta members `strings+N` / `keys+N` (ids stay stable: append-only)."""
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack_from("<I", blob, 4)[0]
    header = json.loads(blob[8:8 + n])
    base = 8 + n
    codec = header["codec"]
    r = len(metas) - 1
    era = str(metas[r]["serves_from"])[:4]
    lo = min(i for i, m in enumerate(metas) if str(m["serves_from"])[:4] == era)
    members: dict[str, bytes] = {}
    raws: dict[str, int] = {}
    for name, (off, length, raw) in header["members"].items():
        if name != f"era-{era}":
            members[name] = blob[base + off: base + off + length]
            raws[name] = raw
    strings = sorted(b.strings, key=b.strings.__getitem__)[n_strings:]
    keys = sorted(b.keys, key=b.keys.__getitem__)[n_keys:]
    for name, items in ((f"strings+{r}", strings), (f"keys+{r}", keys)):
        raw_b = "\0".join(items).encode("utf-8")
        members[name], raws[name] = pack(codec, raw_b), len(raw_b)
    alive = [s for s in b.spans if s[1] <= r and s[2] >= lo]
    raw_b = era_bytes(alive)
    members[f"era-{era}"], raws[f"era-{era}"] = pack(codec, raw_b), len(raw_b)
    header["revisions"] = metas
    header["members"] = {}
    offset = 0
    for name, packed in members.items():
        header["members"][name] = [offset, len(packed), raws[name]]
        offset += len(packed)
    head = json.dumps(header, separators=(",", ":")).encode()
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"ZKH1" + struct.pack("<I", len(head)) + head)
        for packed in members.values():
            f.write(packed)
    os.replace(tmp, path)


def append_last(out: str) -> None:
    """Time the import of one revision on top of all earlier ones (2026 Rev 10 onto a store
    of 2021 .. 2026 Rev 9): read and parse the USITC file, build the spans, rewrite the file
    incrementally (`append_file`)."""
    metas, contents = all_revisions()
    serving_dates(metas)
    b = Builder()
    for lines in contents[:-1]:
        b.append(lines)
    write(out, metas[:-1], b, "lzma")
    n_strings, n_keys = len(b.strings), len(b.keys)
    t0 = time.perf_counter()
    lines = read_revision(R.manifest()[-1])
    t1 = time.perf_counter()
    stats = b.append(lines)
    t2 = time.perf_counter()
    append_file(out, metas, b, n_strings, n_keys)
    t3 = time.perf_counter()
    name, exact, got = load_date(out, date.fromisoformat(str(metas[-1]["serves_from"])))
    whole = sorted((k, tuple(map(str, v))) for k, v in got)
    want = sorted((k, (t[0],) + tuple(clean(x) for x in t[1:])) for k, t in lines)
    print(json.dumps({"parse_s": round(t1 - t0, 2), "spans_s": round(t2 - t1, 3),
                      "write_s": round(t3 - t2, 2), "total_s": round(t3 - t0, 2),
                      "extended_opened_closed": stats, "bytes": os.path.getsize(out),
                      "new_strings": len(b.strings) - n_strings,
                      "read_back_equal": whole == want, "revision": name}))


def verify(path: str) -> None:
    """Every revision read back from the store on its first serving date equals its source
    (texts without markup): the store loses nothing but the markup."""
    metas, contents = all_revisions()
    serving_dates(metas)
    bad = []
    for m, lines in zip(metas, contents, strict=False):
        name, _exact, got = load_date(path, date.fromisoformat(str(m["serves_from"])))
        have = [(k, tuple(map(str, v))) for k, v in got]
        want = [(k, (t[0],) + tuple(clean(x) for x in t[1:])) for k, t in lines]
        if name != m["name"] or sorted(have) != sorted(want):
            bad.append(str(m["name"]))
    print(json.dumps({"revisions": len(metas), "differ": bad}))


def main(argv: list[str]) -> None:
    if argv[0] == "verify":
        verify(argv[1])
    elif argv[0] == "build":
        build(argv[1])
    elif argv[0] == "append":
        append_last(argv[1])
    elif argv[0] == "load":
        t0 = time.perf_counter()
        name, exact, lines = load_date(argv[1], date.fromisoformat(argv[2]))
        t1 = time.perf_counter()
        probe = dict(lines).get(argv[3]) if len(argv) > 3 else None
        print(json.dumps({"date": argv[2], "revision": name, "exact": exact,
                          "lines": len(lines), "seconds": round(t1 - t0, 3),
                          "probe": probe}, ensure_ascii=False))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    del timedelta
    main(sys.argv[1:])
