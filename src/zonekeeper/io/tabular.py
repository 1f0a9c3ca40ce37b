"""Reading a tabular input file: what every reader in `zonekeeper.io` does the same way.

CSV (header row), JSON lines (`.jsonl`/`.ndjson`, one object per line) or, where a format
allows it, a JSON list of objects (`.json`). This module opens the file, decodes it (UTF-8,
or the UTF-16/UTF-32 its byte-order mark names: `decoded`), normalises the column names,
refuses a repeated column and finds every *structural* problem — a byte that is not UTF-8,
a row with more cells than the header, an unclosed quote, a line that is not JSON or not an
object — each with its file and row, without stopping at the first. A file in another
encoding (Windows-1252, UTF-16 without its mark) is refused whole, in one line naming it; so
is a CSV file with ';' (Excel in a locale with a decimal comma) or tabs (Excel's "Unicode
Text") between its columns: its numbers cannot be read safely by the rules of a
comma-separated file. What the columns mean, which are required and whether unknown ones
are allowed stay with each format's reader.

Rows are numbered as a spreadsheet shows them (header = row 1, first data row = row 2); in
JSON lines the first line is row 1; in a JSON list the first object is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonekeeper.errors import InputError, Problem
from zonekeeper.zone.limits import unstorable

ENCODING_HELP = (
    "save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'; "
    "elsewhere choose the UTF-8 encoding)"
)
JSON_LINES = (".jsonl", ".ndjson")
SEMICOLON_HELP = (
    "the file uses ';' between columns, as Excel does in some regional settings (where ',' "
    "is the decimal mark, which would be misread here): save it with ',' between columns "
    "and '.' as the decimal mark (in Excel: Save As 'CSV UTF-8 (Comma delimited)' with the "
    "list separator ',' and decimal symbol '.' in the Windows Region settings), or as JSON "
    "lines"
)


def lower(name: str) -> str:
    """The default column-name normalisation: trimmed, lower case."""
    return name.strip().lower()


@dataclass
class Table:
    """What was read: data rows (row number, normalised column -> raw value), the CSV
    header (None for JSON), and the problems found. `header_broken` means no row can be
    trusted (the header itself is wrong); `bad_rows` are rows with a structural problem
    (they are not in `rows`); `unreadable` means the file could not be read at all (or not
    as CSV: `SEMICOLON_HELP`), `problems` say why and readers report nothing else."""

    file: str
    kind: str  # "csv", "jsonl" or "json"
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    header_broken: bool = False
    unreadable: bool = False
    encoding: str = "UTF-8"  # what the file was read as (`decoded`)

    def bad(
        self, reason: str, row: int | None = None, column: str | None = None, *, code: str
    ) -> None:
        self.problems.append(Problem(reason, file=self.file, row=row, field=column, code=code))
        if row is not None:
            self.bad_rows.add(row)


def decoded(data: bytes, file: str) -> tuple[str | None, list[Problem], str]:
    """The text of `data` (or None with the one reason it cannot be read as text), the
    problems found, and the name of the encoding it was read in.

    A byte-order mark says which encoding a file is in, and it is read so: UTF-8, UTF-16
    (Excel's "Unicode Text" and Windows PowerShell write UTF-16 LE) or UTF-32; the mark is
    dropped. Without one a file is UTF-8. Nothing is guessed: a file that is not UTF-8 and
    reads as Windows-1252 throughout (Excel's "CSV (Comma delimited)" on Windows) is
    refused in one line naming that encoding, as is one that looks like UTF-16 without its
    mark: their letters could be read other ways (Latin-1, Mac Roman), and a byte is never
    turned into a character the user did not write without saying so. A UTF-8 file with
    stray bytes gets one problem per line holding them (row = line number, the byte's offset
    and value named), the bytes read as U+FFFD so the rest of the file can still be checked.
    """
    for bom, codec, name in _UNICODE_MARKS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), [], name
            except UnicodeDecodeError as error:
                return None, [Problem(
                    f"the file starts with the byte-order mark of {name} but is not {name} "
                    f"text from byte {len(bom) + error.start + 1} ({error.reason}); "
                    f"{ENCODING_HELP}",
                    file=file, code="file.bad-unicode",
                )], name
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if not mark:
        unmarked = _utf16_unmarked(data)
        if unmarked is not None:
            return None, [Problem(
                f"the file looks like {unmarked} text (every other byte is 0) without the "
                f"byte-order mark that would say so; {ENCODING_HELP}",
                file=file, code="file.utf16-unmarked",
            )], unmarked
    data = data[mark:]  # the mark is counted in the file's byte offsets below
    try:
        return data.decode("utf-8"), [], "UTF-8"
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
                code="file.not-utf8",
            )
        )
    if not mark and _windows_1252(data, text):  # a UTF-8 mark says UTF-8: damaged
        first, byte = problems[0], data[bad[0]]
        more = len(problems) - 1
        return None, [Problem(
            f"the file is not UTF-8: it looks like Windows-1252 or Latin-1 text, as Excel "
            f"saves 'CSV (Comma delimited)' on Windows (byte 0x{byte:02X} at byte "
            f"{bad[0] + 1} of the file is {bytes([byte]).decode('cp1252')!r} in Windows-1252"
            + (f"; {more:,} more line{'s' if more > 1 else ''} hold such bytes" if more else "")
            + f"), and its letters are not guessed at; {ENCODING_HELP}",
            file=file, row=first.row, code="file.windows-1252",
        )], "Windows-1252"
    return text, problems, "UTF-8"


# The byte-order marks of the Unicode encodings other than UTF-8, UTF-32 first (its LE
# mark begins with the UTF-16 LE one).
_UNICODE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
_SNIFFED = 4096  # bytes looked at for UTF-16 without a mark
_HEADER_CHARS = 65536  # characters of a CSV's start enough to find its header
_VALID_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")


def _utf16_unmarked(data: bytes) -> str | None:
    """"UTF-16 LE" or "UTF-16 BE" for text whose every other byte is 0 (ASCII letters in
    UTF-16: a text file in any 8-bit encoding or UTF-8 has no 0 byte), else None."""
    head = data[:_SNIFFED]
    if len(head) < 4 or b"\x00" not in head:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= half * 0.8 and even <= half * 0.1:
        return "UTF-16 LE"
    if even >= half * 0.8 and odd <= half * 0.1:
        return "UTF-16 BE"
    return None


def _windows_1252(data: bytes, text: str) -> bool:
    """Whether no byte of `data` beyond ASCII is part of a UTF-8 character (`text` is
    `data` read as UTF-8, bad bytes as U+FFFD) and every byte is a character of
    Windows-1252: the file was written in that encoding, not damaged UTF-8."""
    if _VALID_NON_ASCII.search(text):
        return False  # real UTF-8 characters beside the bad bytes: UTF-8 with stray bytes
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _note(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: note where the bad bytes start, read them as U+FFFD."""
    assert isinstance(error, UnicodeDecodeError)
    _bad_bytes.offsets.append(error.start)
    return "\ufffd", error.end


_NOTE_BAD_BYTES = "zonekeeper-note-bad-bytes"
_bad_bytes = threading.local()  # each thread decoding a file notes into its own list
codecs.register_error(_NOTE_BAD_BYTES, _note)


MAX_BYTES_ENV = "ZONEKEEPER_MAX_INPUT_BYTES"
MAX_BYTES = 2**30
"""The largest input file read (1 GiB, ten million rows and more; `$ZONEKEEPER_MAX_INPUT_BYTES`
sets another): a file is read whole, so an endless or absurd one must stop with a message,
not with the machine out of memory."""


def max_bytes() -> int:
    """The size limit of an input file: `$ZONEKEEPER_MAX_INPUT_BYTES` if set, else MAX_BYTES."""
    text = os.environ.get(MAX_BYTES_ENV, "").strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return MAX_BYTES


def _kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_file(path: Path) -> Problem | None:
    """Why `path` cannot be read as an input file, or None: it must exist and be a regular
    file (a directory, a pipe or a device such as /dev/zero could block or never end: it is
    refused before it is opened) of at most `max_bytes()` bytes."""
    name = str(path)
    try:
        info = os.stat(path)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return Problem(f"cannot read the file: {reason}", file=name, code="file.unreadable")
    kind = _kind_of(info.st_mode)
    if kind is not None:
        return Problem(
            f"cannot read the file: it is {kind}, not a regular file",
            file=name,
            code="file.not-regular",
        )
    if info.st_size > max_bytes():
        return _too_big(name)
    return None


def _too_big(name: str) -> Problem:
    return Problem(
        f"the file is larger than {max_bytes():,} bytes, the most an input file may be "
        f"(split it, or set {MAX_BYTES_ENV} to a larger number of bytes)",
        file=name,
        code="file.too-big",
    )


def read_bytes(path: Path) -> tuple[bytes | None, list[Problem]]:
    """The bytes of an input file, or None with the reason it cannot be read. Every reader
    of a user's file comes through here (`check_file`), and never reads more than
    `max_bytes()` even if the file grows or says it is empty (/proc)."""
    name = str(path)
    refused = check_file(path)
    if refused is not None:
        return None, [refused]
    limit = max_bytes()
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [Problem(f"cannot read the file: {reason}", file=name, code="file.unreadable")]
    if len(data) > limit:
        return None, [_too_big(name)]
    return data, []


def read_text(path: Path) -> tuple[str | None, list[Problem], str]:
    """The decoded text of a file (or None with the reason it cannot be read), the
    problems found and the encoding it was read in (`decoded`)."""
    data, problems = read_bytes(path)
    if data is None:
        return None, problems, "UTF-8"
    return decoded(data, str(path))


def read_head(path: Path, size: int = _HEADER_CHARS) -> tuple[str | None, list[Problem], str]:
    """`read_text` of a file's first `size` bytes only (a USITC export runs to megabytes),
    cut back to its last whole character: a cut inside a character would make a good UTF-8
    file look like Windows-1252 (`decoded`)."""
    with open(path, "rb") as handle:
        data = handle.read(size + 1)
    if len(data) > size:
        data = _whole_characters(data[:size])
    return decoded(data, str(path))


def _whole_characters(data: bytes) -> bytes:
    """`data` without the partial character a cut may have left at its end: the bytes of
    an unfinished UTF-8 sequence or, when a byte-order mark names UTF-16 or UTF-32, of an
    unfinished code unit (and a UTF-16 high surrogate left without its pair)."""
    for bom, codec, _name in _UNICODE_MARKS:
        if data.startswith(bom):
            unit = 4 if "32" in codec else 2
            data = data[: len(bom) + (len(data) - len(bom)) // unit * unit]
            last = data[-2:] if unit == 2 and len(data) > len(bom) else b""
            high = int.from_bytes(last, "little" if codec.endswith("le") else "big")
            return data[:-2] if 0xD800 <= high <= 0xDBFF else data
    for back in range(1, min(4, len(data)) + 1):
        lead = data[-back]
        if lead & 0xC0 != 0x80:  # not a continuation byte: the last character starts here
            needs = 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            return data if back >= needs else data[:-back]
    return data


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
        table.bad(
            f"the key {name!r} is given twice in one object",
            row,
            name,
            code="file.repeated-key",
        )
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
        data, problems = read_bytes(path)
        if data is not None:
            text, problems, table.encoding = decoded(data, name)
            if text is None and table.encoding == "Windows-1252":
                # Excel's "CSV (Semicolon)": one line that says both how to save it as
                # UTF-8 and with ',' between columns (the header is ASCII either way).
                semicolons = separator_problem(data[:_SNIFFED].decode("cp1252"), name)
                problems = [semicolons] if semicolons is not None else problems
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
    _refuse_unstorable(table)
    return table


def _refuse_unstorable(table: Table) -> None:
    """Take out each row holding text the books cannot store or print (a NUL character, a
    lone surrogate: `zone.limits.unstorable`), naming the cell, whatever the file is for."""
    kept = []
    for number, values in table.rows:
        ok = True
        for key, value in values.items():
            reason = unstorable(key)
            if reason is not None:
                if table.header is None:  # a CSV header is reported once, on row 1
                    table.bad(f"a column name {reason}: {key!r}", number, code="file.column-name")
                ok = False
            elif isinstance(value, str):
                reason = unstorable(value)
                if reason is not None:
                    table.bad(reason, number, key, code="file.unstorable-text")
                    ok = False
        if ok:
            kept.append((number, values))
    table.rows = kept


# What a file of rows nested deeper than Python's JSON decoder goes (arrays in arrays, by
# the thousand) is told: no row of a zone or drawback file nests at all.
TOO_DEEP = "not JSON this reader can take: lists or objects nested thousands deep"


def _json_lines(table: Table, text: str, normalise: Callable[[str], str]) -> None:
    # Lines end at "\n" only: `splitlines` would also split at U+2028 and other characters
    # a JSON string may hold as they are, and would number rows unlike `decoded`.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_pairs)
        except json.JSONDecodeError as error:
            table.bad(
                f"not JSON: {error.msg} (character {error.colno})",
                number,
                code="file.not-json",
            )
            continue
        except RecursionError:  # the decoder's stack, not the reader's: said, not a crash
            table.bad(TOO_DEEP, number, code="file.not-json")
            continue
        if not isinstance(obj, _Pairs):
            table.bad(
                f"not a JSON object (one object per line): {line.strip()[:40]}",
                number,
                code="file.not-object",
            )
            continue
        values = _object(table, number, obj, normalise)
        if values is not None and number not in table.bad_rows:
            table.rows.append((number, values))


def _json_list(table: Table, text: str, normalise: Callable[[str], str]) -> None:
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as error:
        table.bad(
            f"not JSON: {error.msg} (line {error.lineno}, character {error.colno})",
            code="file.not-json",
        )
        table.header_broken = True
        return
    except RecursionError:
        table.bad(TOO_DEEP, code="file.not-json")
        table.header_broken = True
        return
    if not isinstance(data, list):
        table.bad("expected a JSON list of objects", code="file.not-list")
        table.header_broken = True
        return
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, _Pairs):
            table.bad(
                f"expected an object, got {json.dumps(obj)[:40]}",
                number,
                code="file.not-object",
            )
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
            table.bad(reason, first_line, code="file.not-csv")
            if header is None:
                table.header_broken = True
                return
            continue
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            refusal = _separator_refusal(record, table.file, first_line, table.encoding)
            if refusal is not None:
                table.problems = [refusal]
                table.bad_rows = {first_line}
                table.unreadable = True
                return
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
                    code="file.extra-cells",
                )
                continue
            record = record[: len(header)]
        if number in table.bad_rows:
            continue
        cells = list(record) + [""] * (len(header) - len(record))
        table.rows.append((number, dict(zip(header, cells, strict=True))))
    if header is None and not table.problems:
        table.bad("the file is empty: a header row is needed", code="file.empty")
        table.header_broken = True


def separator_problem(text: str, file: str, encoding: str = "UTF-8") -> Problem | None:
    """`SEMICOLON_HELP` (or `tabs_help`) for a CSV text whose first non-blank line is a
    header written with ';' (or tabs) between columns, else None: the same refusal for a
    CSV a module parses itself (the `--fees` table, an ES-003 report, a USITC export) as
    for every file `read_table` reads. Only the text's start is read (a header is not
    64 KB long; a report of a million lines is not copied to find it)."""
    head = text[:_HEADER_CHARS]
    if len(text) > _HEADER_CHARS and "\n" in head:
        head = head.rsplit("\n", 1)[0]  # whole lines only
    reader = csv.reader(io.StringIO(head.lstrip("\ufeff"), newline=""))
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                return _separator_refusal(record, file, reader.line_num, encoding)
    except csv.Error:  # not CSV at all: the module's own parser says where
        return None
    return None


def _separator_refusal(header: Sequence[str], file: str, row: int,
                       encoding: str) -> Problem | None:
    """The one-line refusal of a CSV whose header was written with ';' or tabs between its
    columns, else None. One line, not one per row: every row of such a file is wrong the
    same way. Its decimal commas must never be guessed at (`1.234,50` is 1234.50; read with
    ',' between columns it would split, or `1,5` become 15), and Excel's "Unicode Text"
    (UTF-16) and "Text (Tab delimited)" write numbers as the regional settings show them,
    so `1,234` could mean either: a guess would book 1,000 times the quantity."""
    if _semicolon_separated(header):
        return Problem(SEMICOLON_HELP, file=file, row=row, code="file.semicolons")
    if _tab_separated(header):
        return Problem(tabs_help(encoding), file=file, row=row, code="file.tab-separated")
    return None


def csv_text(path: Path) -> tuple[str, str]:
    """The text of a CSV file a module parses itself, and the encoding it was read in:
    decoded as every input file is (`read_text`), and refused in one line, as `read_table`
    refuses it, when its columns are separated by ';' or tabs. Raises InputError."""
    text, problems, encoding = read_text(path)
    if text is None or problems:
        raise InputError(problems)
    refused = separator_problem(text, str(path), encoding)
    if refused is not None:
        raise InputError(refused)
    return text, encoding


def _semicolon_separated(header: Sequence[str]) -> bool:
    """Whether a header read with ',' between columns was written with ';' (Excel's CSV in
    a locale whose decimal mark is ','): more ';' than ',' separate its cells. No column
    name of any input file holds a ';', so a real comma-separated header never has one;
    Excel's `sep=;` first line is caught the same way."""
    return sum(cell.count(";") for cell in header) >= len(header)


def _tab_separated(header: Sequence[str]) -> bool:
    """Whether a header read with ',' between columns was written with tabs (no column name
    holds a tab: `_semicolon_separated`'s rule)."""
    return sum(cell.count("\t") for cell in header) >= len(header)


def tabs_help(encoding: str) -> str:
    """Why a file with tabs between its columns is refused, and how to save it."""
    return (
        f"the file is {encoding} text with tabs between its columns, as Excel saves "
        "'Unicode Text' or 'Text (Tab delimited)': such a file writes numbers as the "
        "regional settings show them ('1,234' may be 1234 or 1.234), which would be a "
        "guess here; save it as 'CSV UTF-8 (Comma delimited)' (in Excel: Save As), or as "
        "JSON lines"
    )


def _check_header(table: Table, header: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            continue
        reason = unstorable(column)
        if reason is not None:
            table.bad(
                f"column {position} of the header {reason}: {column!r}",
                1,
                code="file.column-name",
            )
            table.header_broken = True
        if column in seen:
            table.bad(
                f"column {column!r} appears twice in the header (columns {seen[column]} and "
                f"{position}): keep one",
                1,
                column,
                code="file.repeated-column",
            )
            table.header_broken = True
        else:
            seen[column] = position


def missing_columns(table: Table, required: Sequence[str]) -> list[str]:
    """The required columns the CSV header lacks (none for JSON: checked per object)."""
    if table.header is None:
        return []
    return [c for c in required if c not in table.header]
