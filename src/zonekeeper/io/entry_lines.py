"""Read the lines of an entry to quote from CSV (`zonekeeper duty entry FILE.csv`).

One row per line. Columns (header names, case-insensitive; only the first three required):
- `hts`, `origin` (ISO alpha-2), `value` (customs value, USD);
- quantities: `qty` + `unit` (one pair), and/or `qty_<unit>` columns (`qty_kg`, `qty_each`,
  `qty_liter`...; every Unit of Quantity of the schedule (`No.`, `cy kg`, `Mo kg`, `kg
  cmsc`) and the keys of `tariff.units.read_unit`);
- `spi` (e.g. AU, S+), `mode` (vessel, air, truck, rail, mail);
- content: `content` as `steel=120;copper=30` and/or `content_<key>` columns (USD values of
  metal content; `copper_kg` etc. for content quantities);
- `adcvd` as `A-570-967=32.5;C-570-968=12` (case = cash-deposit %).
Every problem in the file is reported at once with its row and column (row 1 is the header),
and nothing is quoted unless the whole file is good (architecture rule 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from zonekeeper.duty.quote import LineItem
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import cells
from zonekeeper.io.tabular import Table, missing_columns, read_table
from zonekeeper.money import in_money_context, parse_decimal
from zonekeeper.tariff.measures import AdcvdCase
from zonekeeper.tariff.units import read_unit

REQUIRED = ("hts", "origin", "value")


def parse_pairs(text: str, what: str) -> dict[str, Decimal]:
    """`a=1;b=2.5` -> {'a': 1, 'b': 2.5}; ValueError naming the bad part."""
    out: dict[str, Decimal] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        key, sep, number = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{what} {part.strip()!r}: want KEY=NUMBER")
        out[key.strip()] = parse_decimal(number)
    return out


def _unit(text: str) -> str:
    found = read_unit(text)
    if found is None:
        raise ValueError(f"unknown unit {text!r}")
    return found.key


@in_money_context
def read_entry_file(path: Path) -> tuple[list[tuple[int, LineItem]], list[Problem]]:
    """The good rows of an entry file with their row numbers, and the problems of the bad
    ones (opening and decoding problems too: not UTF-8, which line, which byte), so that the
    caller can check the good rows against the tariff and report everything at once; an
    unreadable file raises InputError."""
    table = read_table(path, kind="csv")
    if table.unreadable:
        raise InputError(table.problems)
    return _lines(table)


def _lines(table: Table) -> tuple[list[tuple[int, LineItem]], list[Problem]]:
    file = table.file
    missing = missing_columns(table, REQUIRED)
    if missing:
        table.problems.append(
            Problem(f"missing column(s): {', '.join(missing)}", file, 1, ",".join(missing))
        )
    if table.header_broken or missing:
        raise InputError(table.problems)
    items: list[tuple[int, LineItem]] = []
    problems: list[Problem] = list(table.problems)
    for number, raw in table.rows:
        row = {k: str(v).strip() for k, v in raw.items()}
        item = _row(row, file, number, problems)
        if item is not None:
            items.append((number, item))
    if not items and not problems:
        problems.append(Problem("no lines in the file", file, None, None))
    return items, problems


def _row(
    row: Mapping[str, str], file: str, number: int, problems: list[Problem]
) -> LineItem | None:
    before = len(problems)

    def field(name: str, parse: object) -> object:
        try:
            return parse(row.get(name, ""))  # type: ignore[operator]
        except (ValueError, InputError) as error:
            reason = error.problems[0].message if isinstance(error, InputError) else str(error)
            problems.append(Problem(reason, file, number, name))
            return None

    hts = row.get("hts", "")
    if not hts:
        problems.append(Problem("hts is required", file, number, "hts"))
    origin = field("origin", cells.country)
    value = field("value", cells.nonnegative_decimal)
    quantities: dict[str, Decimal] = {}
    content: dict[str, Decimal] = {}
    if row.get("qty") or row.get("unit"):
        qty = field("qty", parse_decimal)
        unit = field("unit", _unit)
        if isinstance(qty, Decimal) and isinstance(unit, str):
            quantities[unit] = qty
    for name, text in row.items():
        if not text:
            continue
        if name.startswith("qty_"):
            unit = field(name, lambda _t, n=name: _unit(n[4:]))
            qty = field(name, parse_decimal)
            if isinstance(qty, Decimal) and isinstance(unit, str):
                quantities[unit] = qty
        elif name.startswith("content_"):
            amount = field(name, parse_decimal)
            if isinstance(amount, Decimal):
                content[name[8:]] = amount
    if row.get("content"):
        pairs = field("content", lambda t: parse_pairs(t, "content"))
        if isinstance(pairs, dict):
            content.update(pairs)
    cases: list[AdcvdCase] = []
    if row.get("adcvd"):
        pairs = field("adcvd", lambda t: parse_pairs(t, "AD/CVD case"))
        if isinstance(pairs, dict):
            cases = [AdcvdCase(c, pct, AdcvdCase.infer_kind(c)) for c, pct in pairs.items()]
    mode = field("mode", cells.mode) if row.get("mode") else None
    if len(problems) > before:
        return None
    assert isinstance(origin, str) and isinstance(value, Decimal)
    assert mode is None or isinstance(mode, str)
    return LineItem(
        hts=hts,
        origin=origin,
        value=value,
        quantities=quantities,
        spi=row.get("spi") or None,
        mode=mode,
        content=content,
        adcvd=tuple(cases),
    )
