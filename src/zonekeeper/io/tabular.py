"""Reading a tabular input file: what every reader in `zonekeeper.io` does the same way.

CSV (header row), JSON lines (`.jsonl`/`.ndjson`, one object per line) or, where a format
allows it, a JSON list of objects (`.json`). This module opens the file, decodes it (UTF-8,
a leading byte-order mark dropped), normalises the column names, refuses a repeated column
and finds every *structural* problem — a byte that is not UTF-8, a row with more cells than
the header, an unclosed quote, a line that is not JSON or not an object — each with its file
and row, without stopping at the first. What the columns mean, which are required and
whether unknown ones are allowed stay with each format's reader.

Rows are numbered as a spreadsheet shows them (header = row 1, first data row = row 2); in
JSON lines the first line is row 1; in a JSON list the first object is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonekeeper.errors import Problem

ENCODING_HELP = (
    "save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'; "
    "elsewhere choose the UTF-8 encoding)"
)
JSON_LINES = (".jsonl", ".ndjson")


def lower(name: str) -> str:
    """The default column-name normalisation: trimmed, lower case."""
    return name.strip().lower()


@dataclass
class Table:
    """What was read: data rows (row number, normalised column -> raw value), the CSV
    header (None for JSON), and the problems found. `header_broken` means no row can be
    trusted (the header itself is wrong); `bad_rows` are rows with a structural problem
    (they are not in `rows`)."""

    file: str
    kind: str  # "csv", "jsonl" or "json"
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    header_broken: bool = False
    unreadable: bool = False

    def bad(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(reason, file=self.file, row=row, field=column))
        if row is not None:
            self.bad_rows.add(row)


def decode(data: bytes, file: str) -> tuple[str, list[Problem]]:
    """The text of `data` (UTF-8, BOM dropped) and one problem per line holding bytes that
    are not UTF-8 (row = line number, the byte's offset and value named); such bytes are
    replaced by U+FFFD so the rest of the file can still be checked. One pass over the file
    whatever the number of bad bytes (a Latin-1 export has one on almost every line)."""
    mark = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # counted in the file's byte offsets
    data = data[mark:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    _bad_bytes.offsets = []  # the first byte of each undecodable sequence, noted by _note
    text = data.decode("utf-8", errors=_NOTE_BAD_BYTES)
    bad: list[int] = _bad_bytes.offsets
    problems: list[Problem] = []
    line, line_start, counted = 1, 0, 0
    for start in bad:
        line += data.count(b"\n", counted, start)
        counted = start
        if problems and problems[-1].row == line:
            continue  # one problem per line
        line_start = data.rfind(b"\n", 0, start) + 1
        problems.append(
            Problem(
                f"not UTF-8 text: byte 0x{data[start]:02X} at byte {mark + start + 1} of the file "
                f"(character {start - line_start + 1} of the line) cannot be read; "
                f"{ENCODING_HELP}",
                file=file,
                row=line,
            )
        )
    return text, problems


def _note(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: note where the bad bytes start, read them as U+FFFD."""
    assert isinstance(error, UnicodeDecodeError)
    _bad_bytes.offsets.append(error.start)
    return "\ufffd", error.end


_NOTE_BAD_BYTES = "zonekeeper-note-bad-bytes"
_bad_bytes = threading.local()  # each thread decoding a file notes into its own list
codecs.register_error(_NOTE_BAD_BYTES, _note)


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The decoded text of a file, or None with the reason it cannot be read."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [Problem(f"cannot read the file: {reason}", file=name)]
    return decode(data, name)


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs, so a repeated key is seen (not silently lost)."""


def _pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    return _Pairs(pairs)


def _object(
    table: Table, row: int, pairs: _Pairs, normalise: Callable[[str], str]
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    repeated: list[str] = []
    for key, value in pairs:
        name = normalise(str(key))
        if name in out and name not in repeated:
            repeated.append(name)
        out[name] = dict(value) if isinstance(value, _Pairs) else value
    for name in repeated:
        table.bad(f"the key {name!r} is given twice in one object", row, name)
    return None if repeated else out


def read_table(
    path: Path,
    *,
    normalise: Callable[[str], str] = lower,
    json_list: bool = False,
    text: str | None = None,
    kind: str | None = None,
) -> Table:
    """Read `path` (or the already-decoded `text`, named `path`) into a `Table`.

    `.jsonl`/`.ndjson` are JSON lines; `.json` is a list of objects when `json_list`;
    anything else is CSV (`kind="csv"` forces CSV whatever the name). Never raises for a
    problem in the file: every problem is in `Table.problems`.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if kind is None:
        kind = (
            "jsonl" if suffix in JSON_LINES
            else "json" if json_list and suffix == ".json"
            else "csv"
        )
    table = Table(name, kind)
    if text is None:
        text, problems = read_text(path)
        table.problems.extend(problems)
        table.bad_rows.update(p.row for p in problems if p.row is not None)
        if text is None:
            table.unreadable = True
            return table
    if text.startswith("\ufeff"):
        text = text[1:]
    if kind == "jsonl":
        _json_lines(table, text, normalise)
    elif kind == "json":
        _json_list(table, text, normalise)
    else:
        _csv(table, text, normalise)
    return table


def _json_lines(table: Table, text: str, normalise: Callable[[str], str]) -> None:
    # Lines end at "\n" only: `splitlines` would also split at U+2028 and other characters
    # a JSON string may hold as they are, and would number rows unlike `decode`.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_pairs)
        except json.JSONDecodeError as error:
            table.bad(f"not JSON: {error.msg} (character {error.colno})", number)
            continue
        if not isinstance(obj, _Pairs):
            table.bad(f"not a JSON object (one object per line): {line.strip()[:40]}", number)
            continue
        values = _object(table, number, obj, normalise)
        if values is not None and number not in table.bad_rows:
            table.rows.append((number, values))


def _json_list(table: Table, text: str, normalise: Callable[[str], str]) -> None:
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as error:
        table.bad(f"not JSON: {error.msg} (line {error.lineno}, character {error.colno})")
        table.header_broken = True
        return
    if not isinstance(data, list):
        table.bad("expected a JSON list of objects")
        table.header_broken = True
        return
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, _Pairs):
            table.bad(f"expected an object, got {json.dumps(obj)[:40]}", number)
            continue
        values = _object(table, number, obj, normalise)
        if values is not None:
            table.rows.append((number, values))


def _csv(table: Table, text: str, normalise: Callable[[str], str]) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    while True:
        first_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            reason = str(error)
            if "unexpected end of data" in reason or "EOF" in reason:
                reason = (
                    f"a quoted cell opened on row {first_line} is never closed: add the "
                    "closing double quote (\") or remove the opening one"
                )
            else:
                reason = f"not valid CSV: {reason} (a quote inside a cell is written \"\")"
            table.bad(reason, first_line)
            if header is None:
                table.header_broken = True
                return
            continue
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            header = [normalise(cell) for cell in record]
            table.header = tuple(header)
            _check_header(table, header)
            continue
        number = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            extra = [c for c in record[len(header):] if c.strip()]
            if extra:
                table.bad(
                    f"{len(record)} cells but the header names {len(header)} columns "
                    "(a comma inside a value needs the value in double quotes)",
                    number,
                )
                continue
            record = record[: len(header)]
        if number in table.bad_rows:
            continue
        cells = list(record) + [""] * (len(header) - len(record))
        table.rows.append((number, dict(zip(header, cells, strict=True))))
    if header is None and not table.problems:
        table.bad("the file is empty: a header row is needed")
        table.header_broken = True


def _check_header(table: Table, header: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            continue
        if column in seen:
            table.bad(
                f"column {column!r} appears twice in the header (columns {seen[column]} and "
                f"{position}): keep one",
                1,
                column,
            )
            table.header_broken = True
        else:
            seen[column] = position


def missing_columns(table: Table, required: Sequence[str]) -> list[str]:
    """The required columns the CSV header lacks (none for JSON: checked per object)."""
    if table.header is None:
        return []
    return [c for c in required if c not in table.header]
