"""Frozen dataclasses of the zone core to JSON text and back, losslessly, by their type hints.

The projections keep each lot (and part, BOM, posting) whole in a `data` column next to the
few columns queries filter on, so loading the state for a posting is one read per table and
the core's dataclasses can grow fields without a migration. Decimals travel as their text,
dates as ISO text, enums as their values: nothing passes through float.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union

import orjson

T = TypeVar("T")


def plain(value: Any) -> Any:
    """A JSON-safe form of a dataclass / Decimal / date / enum / collection tree."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in _fields(type(value))}
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        items = [plain(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, frozenset | set) else items
    raise TypeError(f"cannot store a {type(value).__name__}")


def dumps(value: Any) -> str:
    """Compact JSON text of `value` (the document `plain` describes), keys in field order.

    orjson writes dataclasses, dates, enums and tuples in C; the only other type our
    dataclasses hold is Decimal, which it hands to `str` (a C call, no Python frame per
    value): its exact text. The posting hot path writes one such document per lot and posting.
    """
    return orjson.dumps(value, default=str).decode("utf-8")


def document(value: Any) -> Any:
    """`dumps(value)` read back as plain JSON values: what a stored `data` column holds,
    to compare with `parse(stored)`. Equal to `plain(value)` for the books' dataclasses
    (which hold no sets), at a fraction of its cost: `verify` makes one per posting and lot.
    """
    return orjson.loads(orjson.dumps(value, default=str))


def parse(text: str) -> Any:
    """A stored `data` column as plain JSON values."""
    return orjson.loads(text)


def loads(cls: type[T], text: str) -> T:
    """Rebuild an instance of `cls` from `dumps` text."""
    result: T = build(cls, json.loads(text))
    return result


@cache
def _fields(cls: type[Any]) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def build(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `plain` turned into `data`."""
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or origin is Union:
        if data is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return build(inner[0], data)
    if origin in (tuple,):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(build(args[0], v) for v in data)
        return tuple(build(a, v) for a, v in zip(args, data, strict=True))
    if origin in (frozenset, set):
        return frozenset(build(args[0], v) for v in data)
    if origin in (list,):
        return [build(args[0], v) for v in data]
    if origin in (dict, Mapping):
        key_hint, value_hint = args
        return {build(key_hint, k): build(value_hint, v) for k, v in data.items()}
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            hints = _hints(hint)
            return hint(
                **{
                    f.name: build(hints[f.name], data[f.name])
                    for f in _fields(hint)
                    if f.name in data
                }
            )
        if issubclass(hint, Enum):
            return hint(data)
        if hint is Decimal:
            return Decimal(data)
        if hint is dt.date:
            return dt.date.fromisoformat(data)
        if hint in (str, int, bool):
            return hint(data)
    raise TypeError(f"cannot rebuild a {hint!r}")
