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
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union

import orjson

from zonekeeper.zone.ledger import frozen_from_dict

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


def encoded(value: Any) -> bytes:
    """`dumps(value)` as UTF-8 bytes (what SQLite's bulk path takes beside its rows,
    `store.bulk.Texts`: no text made only to be encoded again)."""
    return orjson.dumps(value, default=str)


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
    """Rebuild an instance of `cls` from `dumps` text. orjson reads it, several times as
    fast as `json`; the one thing it reads differently is a whole number beyond 64 bits
    (a float, not an int), which an int field's builder refuses: such a text (written by an
    older version through `json`) is read again by `json`."""
    try:
        result: T = build(cls, orjson.loads(text))
    except _NotAnInt:
        result = build(cls, json.loads(text))
    return result


class _NotAnInt(TypeError):
    """An int field holds something else (orjson's float for a number beyond 64 bits)."""


def _int(data: Any) -> int:
    if type(data) is not int:
        raise _NotAnInt(f"not a whole number: {data!r}")
    return data


@cache
def _fields(cls: type[Any]) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def build(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `plain` turned into `data`."""
    return _builder(hint)(data)


def builder(hint: Any) -> Callable[[Any], Any]:
    """The function `build` uses for values of type `hint` (to call it without the look-up
    for each value of a hot loop)."""
    return _builder(hint)


Build = Callable[[Any], Any]


@cache
def _builder(hint: Any) -> Build:
    """A function that rebuilds values of type `hint`, made once per type from its hints.

    Loading the books reads every lot back (one document per lot, some 30 values each);
    walking the type hints for every value made that the slowest part of opening a large
    zone, so the walk is done once here and its result reused.
    """
    if hint is Any:
        return _same
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or origin is Union:
        inner = _builder([a for a in args if a is not type(None)][0])
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            return lambda data: tuple([item(v) for v in data])
        parts = tuple(_builder(a) for a in args)
        return lambda data: tuple([b(v) for b, v in zip(parts, data, strict=True)])
    if origin in (frozenset, set):
        item = _builder(args[0])
        return lambda data: frozenset([item(v) for v in data])
    if origin is list:
        item = _builder(args[0])
        return lambda data: [item(v) for v in data]
    if origin in (dict, Mapping):
        key, value = _builder(args[0]), _builder(args[1])
        return lambda data: {key(k): value(v) for k, v in data.items()}
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return _dataclass_builder(hint)
        if issubclass(hint, Enum):
            return _enum_builder(hint)
        if hint is Decimal:
            return Decimal
        if hint is dt.date:
            return dt.date.fromisoformat
        if hint is int:
            return _int
        if hint in (str, bool):
            return hint
    raise TypeError(f"cannot rebuild a {hint!r}")


def _same(data: Any) -> Any:
    return data


def _enum_builder(cls: type[Enum]) -> Build:
    """Members of `cls` by value from its own table (calling the class runs the enum
    machinery's Python for every value: about 1 µs, as much as the rest of a lot's status);
    a value that is not a member's goes through the class, which refuses it as before."""
    members = cls._value2member_map_

    def build_enum(data: Any) -> Any:
        try:
            return members[data]
        except (KeyError, TypeError):
            return cls(data)

    return build_enum


def _dataclass_builder(cls: Any) -> Build:
    """Instances of dataclass `cls`. A frozen dataclass with a `__dict__` and nothing to
    run at init (the books' `Lot` and `Posting`, read back by the hundred thousand when
    the books are opened) is made by filling its `__dict__`, as the posting core makes
    them (`zone.ledger.frozen_from_dict`): a frozen `__init__` sets each field through
    `object.__setattr__`, which costs more than the rest of the build."""
    hints = _hints(cls)
    fields = tuple((f.name, _builder(hints[f.name])) for f in _fields(cls))
    every = dataclasses.fields(cls)
    fast = (
        cls.__dataclass_params__.init  # its __init__ is the generated one
        and "__slots__" not in cls.__dict__
        and not hasattr(cls, "__post_init__")
        and len(fields) == len(every)
        and all(f.default_factory is dataclasses.MISSING for f in every)
    )
    if not fast:
        return lambda data: cls(**{name: b(data[name]) for name, b in fields if name in data})
    defaults = {f.name: f.default for f in every}

    def build_fast(data: Any) -> Any:
        values = {}
        for name, b in fields:
            if name in data:
                values[name] = b(data[name])
            elif defaults[name] is dataclasses.MISSING:
                raise TypeError(f"{cls.__name__} lacks field {name!r}")
            else:
                values[name] = defaults[name]
        return frozen_from_dict(cls, values)

    return build_fast
