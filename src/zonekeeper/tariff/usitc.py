"""Parsers of the USITC HTSUS exports (CSV and JSON) into `SourceRow`s: pure, bytes in.

The USITC "HTS Search" site exports the whole schedule as CSV (UTF-8 with a BOM, header
`HTS Number, Indent, Description, Unit of Quantity, General Rate of Duty, Special Rate of Duty,
Column 2 Rate of Duty, Quota Quantity, Additional Duties`) and as JSON (a list of objects with
`htsno, indent, description, units, general, special, other, footnotes, ...`). Both are read
whole and validated whole: every bad row is reported with its file, row and field, and a bad
file yields nothing (architecture rule 6). Gzipped bytes (`.gz`) are read transparently.
The file itself is read by `sources.revisions.read_usitc` (the shell); this module reads nothing.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from zonekeeper.errors import InputError, Problem
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.schedule import SourceRow

CSV_COLUMNS = {
    "hts": "HTS Number",
    "indent": "Indent",
    "description": "Description",
    "units": "Unit of Quantity",
    "general": "General Rate of Duty",
    "special": "Special Rate of Duty",
    "column2": "Column 2 Rate of Duty",
    "additional": "Additional Duties",
}
_REQUIRED = ("hts", "indent", "description", "general")
JSON_KEYS = {
    "hts": "htsno",
    "indent": "indent",
    "description": "description",
    "units": "units",
    "general": "general",
    "special": "special",
    "column2": "other",
    "additional": "additionalDuties",
}


_DOTTED = re.compile(r"\d{4}(?:\.\d{2}){0,3}")


def parse_usitc(data: bytes, file: str) -> list[SourceRow]:
    """The rows of a USITC CSV or JSON export given as its bytes (optionally gzipped);
    `file` names it in the problems. InputError lists every problem."""
    try:
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, file)
    except (EOFError, gzip.BadGzipFile, zlib.error):  # a cut file, a bad header, a bad body
        raise InputError(Problem("not a readable gzip file", file,
                                 code="tariff.export.not-gzip")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(Problem(f"not UTF-8 text (byte {error.start})", file,
                                 code="tariff.export.not-utf8")) from None
    if text.lstrip()[:1] in ("[", "{"):
        return parse_json(text, file)
    return parse_csv(text, file)


MAX_TEXT = 2**28
"""The most an export may hold once un-gzipped (256 MiB; the whole HTS is about 4 MB): a
small file that inflates without end (a "gzip bomb") is refused, not run out of memory."""


def _gunzip(data: bytes, file: str) -> bytes:
    """The un-gzipped bytes, at most MAX_TEXT of them (InputError beyond)."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        out = handle.read(MAX_TEXT + 1)
    if len(out) > MAX_TEXT:
        raise InputError(Problem(
            f"un-gzipped, the file holds more than {MAX_TEXT:,} bytes: not a USITC HTS "
            "export", file, code="tariff.export.too-big"))
    return out


def parse_csv(text: str, file: str) -> list[SourceRow]:
    """Rows of a USITC CSV export; the header is row 1, the first record row 2."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(Problem("the file is empty", file, code="tariff.export.empty")) from None
    except csv.Error as error:
        raise InputError(Problem(f"not CSV: {error}", file, 1,
                                 code="tariff.export.not-csv")) from None
    where = {key: header.index(name) for key, name in CSV_COLUMNS.items() if name in header}
    missing = [CSV_COLUMNS[key] for key in _REQUIRED if key not in where]
    if missing:
        raise InputError([Problem(f"missing column {name!r} (not a USITC HTS CSV export?)",
                                  file, 1, name,
                                  code="tariff.export.missing-column") for name in missing])
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < len(header):
                cells = cells + [""] * (len(header) - len(cells))
            records.append({key: cells[i] for key, i in where.items()} | {"_row": number})
    except csv.Error as error:
        problems.append(Problem(f"not CSV: {error}", file, reader.line_num,
                                code="tariff.export.not-csv"))
    rows = _validate(records, file, CSV_COLUMNS, problems)
    return rows


def parse_json(text: str, file: str) -> list[SourceRow]:
    """Rows of a USITC JSON export: a list of objects (row n = the n-th object, from 1)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(Problem(f"not JSON: {error.msg} at line {error.lineno}", file,
                                 code="tariff.export.not-json")) from None
    if isinstance(document, dict):
        for key in ("data", "results", "hts"):
            if isinstance(document.get(key), list):
                document = document[key]
                break
    if not isinstance(document, list):
        raise InputError(Problem("want a JSON list of HTS rows", file,
                                 code="tariff.export.not-a-list"))
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            problems.append(Problem("not a JSON object", file, number,
                                    code="tariff.export.not-an-object"))
            continue
        if "htsno" not in item or "indent" not in item:
            problems.append(Problem("missing key 'htsno' or 'indent'", file, number,
                                    code="tariff.export.missing-key"))
            continue
        records.append({key: item.get(name) for key, name in JSON_KEYS.items()}
                       | {"_row": number})
    return _validate(records, file, JSON_KEYS, problems)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value)


def parse_units(value: Any) -> tuple[str, ...]:
    """`["No.","kg"]` (a JSON-ish string in the CSV, a list in the JSON) -> ('No.', 'kg')."""
    if isinstance(value, list):
        return _clean_units(tuple(_text(v) for v in value))
    return _units_text(_text(value).strip())


@lru_cache(maxsize=1024)
def _units_text(raw: str) -> tuple[str, ...]:
    if not raw:
        return ()
    try:
        parsed = json.loads(raw)
        items = [_text(v) for v in parsed] if isinstance(parsed, list) else [raw]
    except json.JSONDecodeError:
        items = re.split(r"[;,]", raw.strip("[]"))
    return _clean_units(tuple(items))


def _clean_units(items: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = (re.sub(r"\s+", " ", i.replace('"', "")).strip() for i in items)
    return tuple(i for i in cleaned if i)


# A lone surrogate (half of a UTF-16 pair; JSON may spell one as `\ud800`) is not a
# character: it has no UTF-8 form, so a revision holding one could not be stored.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _validate(records: Iterable[Mapping[str, Any]], file: str, names: Mapping[str, str],
              problems: list[Problem]) -> list[SourceRow]:
    rows: list[SourceRow] = []
    for record in records:
        number = int(record["_row"])
        hts = _text(record.get("hts")).strip()
        indent_text = _text(record.get("indent")).strip()
        ok = True
        for key, name in names.items():
            found = _SURROGATE.search(_text(record.get(key)))
            if found:
                problems.append(Problem(
                    f"holds a lone surrogate (U+{ord(found.group()):04X}, half of a UTF-16 "
                    "pair), which is not a character: fix the text where it was exported",
                    file, number, name, code="tariff.export.lone-surrogate"))
                ok = False
        if hts and not _DOTTED.fullmatch(hts):
            try:
                HtsCode.parse(hts)
            except InputError:
                problems.append(Problem(f"not an HTS number: {hts!r}", file, number,
                                        names["hts"], code="tariff.export.not-an-hts-number"))
                ok = False
        try:
            indent = int(indent_text)
            if not 0 <= indent <= 20:
                raise ValueError
        except ValueError:
            problems.append(Problem(f"indent must be a whole number 0-20, not {indent_text!r}",
                                    file, number, names["indent"], code="tariff.export.bad-indent"))
            ok = False
        if not ok:
            continue
        rows.append(SourceRow(
            row=number,
            hts=hts,
            indent=indent,
            description=_text(record.get("description")).strip(),
            units=parse_units(record.get("units")),
            general=_text(record.get("general")).strip(),
            special=_text(record.get("special")).strip(),
            column2=_text(record.get("column2")).strip(),
            additional=_text(record.get("additional")).strip(),
        ))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem("no HTS rows found", file, code="tariff.export.no-rows"))
    return rows
