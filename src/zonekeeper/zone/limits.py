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
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from typing import Any, cast

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
# The getter of all a record type's field values at once (`operator.attrgetter`), by type:
# one C call per record instead of a `getattr` per field. Filled by `_texts_of`.
_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
# The exact types of the values a record's texts are gathered from without looking further:
# `str` itself and the `_SCALARS` (subclasses too: an enum of the product's codes); grown as
# types are met, so a record holding only these is checked by one search (`text_problems`).
_FLAT: set[type] = {str, Decimal, dt.date, int, float, type(None)}


def _values_getter(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    names = _field_names(kind)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    if not names:
        return lambda record: ()
    return cast("Callable[[Any], tuple[Any, ...]]", attrgetter(*names))


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


def _learn(kinds: set[type]) -> None:
    """Add the scalar types among `kinds` to `_FLAT` (a `str` subclass that is no enum,
    a tuple, a nested record: not flat, `_gather` walks them)."""
    for kind in kinds:
        if kind not in _FLAT and issubclass(kind, _SCALARS):
            _FLAT.add(kind)


def text_problems(record: object) -> list[tuple[str, str]]:
    """(field, reason) for every text of `record` (an event, a part, a BOM, nested lines
    too) that cannot be stored, one per field.

    The usual case (nothing wrong) is decided by one search over all its texts run
    together, gathered by one `attrgetter` call when every value is a text or a scalar
    (`_FLAT`; an event of the posting path); the texts are looked at one by one, and
    nested records walked, only otherwise or when the search finds something."""
    getter = _VALUES.get(type(record))
    if getter is not None:
        values = getter(record)
        other = set(map(type, values)) - _FLAT
        if not other:
            texts = [v for v in values if type(v) is str]
        elif other == _TUPLE:  # a production's lots: texts, looked into one level down
            texts = [v for v in values if type(v) is str]
            for value in values:
                if type(value) is tuple:
                    if not set(map(type, value)) <= _STR:
                        return _one_by_one(record)
                    texts += value
        else:
            _learn(other)
            return _one_by_one(record)
        if _UNSTORABLE.search("".join(texts)) is None:
            return []
    return _one_by_one(record)


_TUPLE = frozenset({tuple})
_STR = frozenset({str})


def _one_by_one(record: object) -> list[tuple[str, str]]:
    """`text_problems` by walking every field (nested records and sequences included);
    a record type met here gets its `attrgetter` for the next time."""
    texts: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        kind = type(record)
        if kind not in _VALUES:
            _VALUES[kind] = _values_getter(kind)
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

