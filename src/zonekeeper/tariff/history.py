"""The effective-dated line store: every HTSUS revision since December 2021 in one file.

Drawback looks back five years (19 CFR 190.51(e)), refunds of the 2025 IEEPA duties need the
2025 schedule, and an auditor asks what the rate was on the day of entry (19 CFR 141.69: the
rate in force when the goods are entered). So the product ships every revision it has, not
only the newest: 49 revisions of about 35,000 records each. Stored one by one that is 1.7
million records; but a line's texts rarely change between revisions, so the store keeps each
version of a line once, as a *span*: its texts and the first and last revision that print
them (the UK trade-tariff-backend dates its records the same way, validity_start_date and
validity_end_date). A span's dates are its revisions' dates; every quote names the revision.

Format (bytes; this module is pure: the shell reads the file, `sources.history`):

    b"ZKH1" | u32 header length | header (JSON) | members, each compressed alone (lzma)

- header: `revisions` (name, effective = first date the store serves it, in_force = the date
  the revision itself came into force, source file and its sha256, line count) and
  `members` (name -> offset, length, sha256 of the compressed bytes);
- `strings`: every distinct text, NUL-separated (an id is a position); `keys`: every line key
  (the HTS number; a label row is `<number above>#<n>`);
- `era-YYYY`: the spans of the revisions served from year YYYY, in schedule order, as u32
  columns (key, first, last, indent, description, units, general, special, column 2,
  additional, footnotes); a quote on one date reads one era only.

Texts are stored without the export's HTML markup (`m<sup>3</sup>` is `m3`): the markup
carries no meaning, breaks the rate parser and would multiply the spans.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from zonekeeper.errors import InputError, Problem
from zonekeeper.tariff.schedule import SourceRow

MAGIC = b"ZKH1"
FORMAT = 1
_TEXTS = ("description", "units", "general", "special", "column2", "additional", "footnotes")
_COLUMNS = 4 + len(_TEXTS)  # key, first, last, indent, then the texts
_UNIT_SEP = "\x1f"
_TAG = re.compile(r"<[^>]*>")


def clean_markup(text: str) -> str:
    """Text without the export's HTML tags, spaces collapsed (`m<sup>2 </sup>+ 0.4%` ->
    `m2 + 0.4%`); text without a tag is returned as it is."""
    return " ".join(_TAG.sub("", text).split()) if "<" in text else text


@dataclass(frozen=True)
class HistoryRevision:
    """One revision held by the store.

    `effective` is the first date the store serves it; `in_force` the date the revision
    itself came into force. They differ where only a year's last revision is shipped
    (2022-2024): it then serves the whole year before it too, and a quote dated before
    `in_force` says the rate may differ (the year's earlier revisions are missing).
    """

    name: str
    effective: date
    in_force: date
    source: str
    sha256: str
    lines: int
    footnotes: bool

    @property
    def exact_from(self) -> date:
        """The first date this revision is the one actually in force."""
        return max(self.effective, self.in_force)


def _problem(message: str, file: str) -> InputError:
    return InputError(Problem(f"the tariff history is damaged: {message}; reinstall the "
                              "package or rebuild the file", file, code="tariff.history.damaged"))


class LineHistory:
    """A store read from its bytes: the header at once, each member when first needed."""

    def __init__(self, data: bytes, file: str) -> None:
        self.file = file
        if data[:4] != MAGIC or len(data) < 8:
            raise _problem("not a Zonekeeper tariff history (no ZKH1 header)", file)
        (size,) = struct.unpack_from("<I", data, 4)
        try:
            header = json.loads(data[8 : 8 + size])
            if header["format"] != FORMAT:
                raise _problem(f"format {header['format']}, this version reads {FORMAT}", file)
            self.revisions = tuple(
                HistoryRevision(r["name"], date.fromisoformat(r["effective"]),
                                date.fromisoformat(r["in_force"]), r["source"], r["sha256"],
                                int(r["lines"]), bool(r["footnotes"]))
                for r in header["revisions"])
            self._members: dict[str, tuple[int, int, str]] = {
                name: (int(offset), int(length), str(digest))
                for name, (offset, length, digest) in header["members"].items()}
        except (ValueError, KeyError, TypeError) as error:
            raise _problem(f"unreadable header ({error})", file) from None
        self._data = memoryview(data)[8 + size :]
        self._strings: list[str] | None = None
        self._keys: list[str] | None = None
        self._eras: dict[str, tuple[array[int], ...]] = {}
        self._distinct: frozenset[tuple[str, str]] | None = None

    def _member(self, name: str) -> bytes:
        found = self._members.get(name)
        if found is None:
            raise _problem(f"member {name!r} is missing", self.file)
        offset, length, digest = found
        packed = self._data[offset : offset + length]
        if hashlib.sha256(packed).hexdigest() != digest:
            raise _problem(f"member {name!r} does not match its checksum", self.file)
        try:
            return lzma.decompress(packed)
        except lzma.LZMAError as error:
            raise _problem(f"member {name!r}: {error}", self.file) from None

    def _texts(self) -> tuple[list[str], list[str]]:
        if self._strings is None or self._keys is None:
            self._strings = self._member("strings").decode("utf-8").split("\0")
            self._keys = self._member("keys").decode("utf-8").split("\0")
        return self._strings, self._keys

    def _era(self, index: int) -> tuple[array[int], ...]:
        name = f"era-{self.revisions[index].effective.year}"
        found = self._eras.get(name)
        if found is None:
            raw = self._member(name)
            (count,) = struct.unpack_from("<I", raw)
            if len(raw) != 4 + 4 * count * _COLUMNS:
                raise _problem(f"member {name!r} has the wrong size", self.file)
            columns = []
            for c in range(_COLUMNS):
                column = array("I")
                column.frombytes(raw[4 + 4 * count * c : 4 + 4 * count * (c + 1)])
                if sys.byteorder == "big":
                    column.byteswap()
                columns.append(column)
            found = self._eras[name] = tuple(columns)
        return found

    def _alive(self, index: int) -> list[int]:
        """The positions in its era of the spans alive in revision `index`, in order."""
        columns = self._era(index)
        return [j for j, (first, last) in enumerate(zip(columns[1], columns[2], strict=True))
                if first <= index <= last]

    def _spans(self, index: int) -> Iterable[tuple[int, ...]]:
        """The spans alive in revision `index`, in schedule order."""
        columns = self._era(index)
        for j in self._alive(index):
            yield tuple(column[j] for column in columns)

    def distinct_rate_texts(self) -> frozenset[tuple[str, str]]:
        """Every (column, text) a rate column prints in any revision of the store, read
        from whole columns at once (what `duty.entry.known_content_keys` needs)."""
        if self._distinct is None:
            strings, _keys = self._texts()
            found: set[tuple[str, str]] = set()
            for year in sorted({r.effective.year for r in self.revisions}):
                first = next(i for i, r in enumerate(self.revisions)
                             if r.effective.year == year)
                columns = self._era(first)
                for column, position in (("general", 6), ("special", 7), ("column2", 8)):
                    found.update((column, strings[i]) for i in set(columns[position]))
            self._distinct = frozenset(t for t in found if t[1])
        return self._distinct

    def rows(self, index: int) -> list[SourceRow]:
        """The records of revision `index` as `SourceRow`s (row numbers from 1)."""
        strings, keys = self._texts()
        out = []
        try:
            for number, span in enumerate(self._spans(index), start=1):
                key = keys[span[0]]
                desc, units, general, special, column2, additional = (
                    strings[i] for i in span[4:10])
                out.append(SourceRow(number, "" if "#" in key else key, span[3], desc,
                                     tuple(units.split(_UNIT_SEP)) if units else (),
                                     general, special, column2, additional))
        except IndexError:
            raise _problem(f"a span of {self.revisions[index].name} points past its "
                           "tables", self.file) from None
        return out

    def footnotes(self, index: int) -> dict[str, str]:
        """HTS number -> the footnotes printed on that line in revision `index`, as
        `columns:text` joined by ` || ` (the JSON exports only; the CSV exports have none).
        They name the Chapter 99 headings the schedule itself attaches to a line."""
        strings, keys = self._texts()
        return {keys[span[0]]: strings[span[10]] for span in self._spans(index)
                if strings[span[10]] and "#" not in keys[span[0]]}

    def rate_texts(self, index: int) -> Iterable[tuple[str, str, str]]:
        """(column, text, digits) of every rate printed in revision `index`, without building
        the revision (what `tariff check` reads)."""
        strings, keys = self._texts()
        columns = self._era(index)
        general, special, column2 = columns[6], columns[7], columns[8]
        for j in self._alive(index):
            digits = ""
            for column, ids in (("general", general), ("special", special),
                                ("column2", column2)):
                if ids[j]:  # id 0 is the empty text
                    digits = digits or keys[columns[0][j]].replace(".", "")
                    yield column, strings[ids[j]], digits


@dataclass(frozen=True)
class RevisionInput:
    """One revision as the builder takes it: its dates, source and records in order."""

    name: str
    effective: date
    in_force: date
    source: str
    sha256: str
    rows: Sequence[SourceRow]
    footnotes: Sequence[str]  # one per row ('' where none, or none at all for a CSV export)


def _keys_of(rows: Sequence[SourceRow]) -> list[str]:
    """A key per record: the HTS number, or `<number above>#<n>` for the n-th label row
    under it (a label row has no number of its own)."""
    keys, last, n = [], "", 0
    for row in rows:
        if row.hts:
            last, n = row.hts, 0
            keys.append(row.hts)
        else:
            n += 1
            keys.append(f"{last}#{n}")
    return keys


class HistoryBuilder:
    """Spans from revisions added in date order; `to_bytes()` writes the store."""

    def __init__(self) -> None:
        self._strings: dict[str, int] = {"": 0}
        self._keys: dict[str, int] = {}
        self._spans: list[list[int]] = []  # key, first, last, indent, text ids
        self._open: dict[int, int] = {}  # key id -> its span open at the newest revision
        self._order: dict[str, list[int]] = {}  # era -> its spans in a schedule order
        self._revisions: list[RevisionInput] = []

    def _sid(self, text: str) -> int:
        return self._strings.setdefault(text, len(self._strings))

    def add(self, revision: RevisionInput) -> None:
        """Add the next revision (dates must not go back). A line whose texts are those of
        its open span extends it, unless the line moved (its span would then sit out of
        the schedule's order in its era): then, as for changed texts, a new span opens."""
        if self._revisions and revision.effective <= self._revisions[-1].effective:
            raise ValueError(f"{revision.name} is not after {self._revisions[-1].name}")
        r = len(self._revisions)
        self._revisions.append(revision)
        order = self._order.setdefault(str(revision.effective.year), [])
        rank = {span: n for n, span in enumerate(order)}
        notes = list(revision.footnotes) or [""] * len(revision.rows)
        opened: dict[int, int] = {}
        sequence: list[int] = []
        last_rank = -1
        for key, row, note in zip(_keys_of(revision.rows), revision.rows, notes, strict=True):
            k = self._keys.setdefault(key, len(self._keys))
            if k in opened:
                raise ValueError(f"{revision.name}: line {key} twice")
            texts = [self._sid(clean_markup(row.description)),
                     self._sid(_UNIT_SEP.join(clean_markup(u) for u in row.units)),
                     self._sid(clean_markup(row.general)), self._sid(clean_markup(row.special)),
                     self._sid(clean_markup(row.column2)),
                     self._sid(clean_markup(row.additional)), self._sid(clean_markup(note))]
            i = self._open.get(k)
            in_order = not order or rank.get(i if i is not None else -1, -1) > last_rank
            if (i is not None and in_order and self._spans[i][2] == r - 1
                    and self._spans[i][3:] == [row.indent, *texts]):
                self._spans[i][2] = r
                last_rank = rank.get(i, last_rank)
            else:
                i = len(self._spans)
                self._spans.append([k, r, r, row.indent, *texts])
            opened[k] = i
            sequence.append(i)
        self._open = opened
        _merge(order, sequence, rank)

    def to_bytes(self) -> bytes:
        """The store; every revision is read back and compared before it is returned."""
        members: dict[str, bytes] = {
            "strings": "\0".join(self._strings).encode("utf-8"),
            "keys": "\0".join(self._keys).encode("utf-8"),
        }
        for era, order in self._order.items():
            alive = [self._spans[i] for i in order]
            raw = struct.pack("<I", len(alive))
            for c in range(_COLUMNS):
                column = array("I", (s[c] for s in alive))
                if sys.byteorder == "big":
                    column.byteswap()
                raw += column.tobytes()
            members[f"era-{era}"] = raw
        blobs: list[bytes] = []
        index: dict[str, list[object]] = {}
        offset = 0
        for name, raw in members.items():
            packed = lzma.compress(raw, preset=9 | lzma.PRESET_EXTREME)
            index[name] = [offset, len(packed), hashlib.sha256(packed).hexdigest()]
            blobs.append(packed)
            offset += len(packed)
        header = {"format": FORMAT, "members": index, "revisions": [
            {"name": r.name, "effective": r.effective.isoformat(),
             "in_force": r.in_force.isoformat(), "source": r.source, "sha256": r.sha256,
             "lines": sum(1 for row in r.rows if row.hts), "footnotes": bool(r.footnotes)}
            for r in self._revisions]}
        head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        data = MAGIC + struct.pack("<I", len(head)) + head + b"".join(blobs)
        self._verify(data)
        return data

    def _verify(self, data: bytes) -> None:
        """Every revision reads back as it was added (markup removed): the store loses
        nothing else. ValueError names the first revision that does not."""
        store = LineHistory(data, "<built>")
        for r, revision in enumerate(self._revisions):
            want = [(row.hts, row.indent, clean_markup(row.description),
                     tuple(clean_markup(u) for u in row.units), clean_markup(row.general),
                     clean_markup(row.special), clean_markup(row.column2),
                     clean_markup(row.additional)) for row in revision.rows]
            have = [(row.hts, row.indent, row.description, row.units, row.general,
                     row.special, row.column2, row.additional) for row in store.rows(r)]
            if want != have:
                raise ValueError(f"{revision.name} does not read back as it was added")


def _merge(order: list[int], sequence: list[int], rank: dict[int, int]) -> None:
    """Merge one revision's spans (`sequence`, in its order) into its era's `order`, where
    the spans already there (`rank`) come in increasing rank: a new span goes right after
    the span before it in its revision, so the era lists every revision's lines in order."""
    if not order:
        order.extend(sequence)
        return
    after: dict[int, list[int]] = {}
    anchor = -1  # the last span of this revision already in the order
    for span in sequence:
        if span in rank:
            anchor = span
        else:
            after.setdefault(anchor, []).append(span)
    merged = after.get(-1, [])
    for span in order:
        merged.append(span)
        merged.extend(after.get(span, []))
    order[:] = merged
