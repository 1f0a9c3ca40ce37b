"""What the books can hold: the sizes of identifiers and the text every store accepts.

The books must accept and refuse the same input on SQLite and on PostgreSQL. PostgreSQL
enforces the column sizes and refuses a NUL character in text; SQLite does neither, and
stores an integer too large for the column as a float. So the limits live here, in the
core, and are checked before anything is stored: `store.schema` takes its column sizes from
these constants (the two cannot drift), the file readers check the same limits so a
problem names the file's column, and the posting engine checks every event so a Python
caller gets the same problems as the command line. docs/files.md lists every limit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Any

ID = 100
"""Characters in an identifier the books index: a lot, an admission number, a part (and a
BOM's product and components), a suspense receipt's reference."""
ZONE = 32
"""Characters in a zone number (`49`, `49A`: the FTZ Board's numbering)."""
SITE = 200
"""Characters in a zone's site name or address."""
LINE_MAX = 2**31 - 1
"""The largest admission line number (a CBP Form 214 has a handful of lines; the bound is
the largest integer every database stores as an integer)."""

# A lone surrogate (half of a UTF-16 pair, e.g. `\ud800` in JSON) is not a character: it
# cannot be written as UTF-8, so it can be neither stored nor printed.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored in the books, or None: a NUL character (PostgreSQL text
    cannot hold one) or a lone surrogate (not a character; no UTF-8 form)."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "holds a NUL character (U+0000), which the books cannot store"
    return (
        f"holds a lone surrogate (U+{ord(found.group()):04X}, half of a UTF-16 pair), "
        "which is not a character: fix the text where it was exported"
    )


def too_long(text: str, limit: int = ID, what: str = "") -> str | None:
    """Why `text` is too long for an identifier of at most `limit` characters, or None."""
    if len(text) <= limit:
        return None
    named = f"{what} " if what else ""
    return f"{named}is {len(text)} characters long: at most {limit} are allowed"


def line_refusal(line: object) -> str | None:
    """Why `line` is not an admission line number (a whole number 1..LINE_MAX), or None."""
    if isinstance(line, bool) or not isinstance(line, int):
        return f"the line must be a whole number, not {line!r}"
    if not 1 <= line <= LINE_MAX:
        return f"the line must be a whole number from 1 to {LINE_MAX:,}, not {line}"
    return None


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a record type, looked up once per type: posting checks every event,
    and `dataclasses.fields` on each would cost more than the check itself."""
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


_FIELDS: dict[type, tuple[str, ...]] = {}
# Field values that hold no text a user wrote: not looked into.
_SCALARS = (Decimal, dt.date, int, float, Enum, type(None))


def _gather(record: Any, name: str, texts: list[tuple[str, str]]) -> None:
    """Append (field, text) for every text of a record, nested records and tuples
    included (`name` names the field a nested record sits in)."""
    for field in _field_names(type(record)):
        value = getattr(record, field)
        if type(value) is str:  # the usual cases first: posting checks every event
            texts.append((name or field, value))
        elif isinstance(value, _SCALARS):  # amounts, dates, codes of the product's own
            continue
        elif isinstance(value, str):
            texts.append((name or field, str(value)))
        elif isinstance(value, tuple | list):
            for item in value:
                if isinstance(item, str):
                    texts.append((name or field, item))
                elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                    _gather(item, field, texts)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            _gather(value, field, texts)


def text_problems(record: object) -> list[tuple[str, str]]:
    """(field, reason) for every text of `record` (an event, a part, a BOM, nested lines
    too) that cannot be stored, one per field. One search over all its texts decides the
    usual case (nothing wrong); the texts are looked at one by one only when it finds
    something."""
    texts: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        _gather(record, "", texts)
    elif isinstance(record, str):
        texts.append(("", record))
    if _UNSTORABLE.search("".join(text for _, text in texts)) is None:
        return []
    found: dict[str, str] = {}
    for name, text in texts:
        if name not in found:
            reason = unstorable(text)
            if reason is not None:
                found[name] = reason
    return list(found.items())


def identifier_problems(fields: dict[str, str | None]) -> list[tuple[str, str]]:
    """(field, reason) for each identifier longer than `ID`."""
    found = []
    for name, value in fields.items():
        reason = None if value is None else too_long(value)
        if reason is not None:
            found.append((name, reason))
    return found


def zone_problems(zone: str, site: str | None) -> list[tuple[str, str]]:
    """(option, reason) for a zone number or site the books cannot hold."""
    found = []
    for option, value, limit in (("--zone", zone, ZONE), ("--site", site, SITE)):
        if value is None:
            continue
        reason = unstorable(value) or too_long(value, limit)
        if reason is not None:
            found.append((option, reason))
    return found

