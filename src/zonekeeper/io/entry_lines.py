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

The format is declared once (`ENTRY_LINES`): its columns with their cell parsers
(`io.cells`), which must be present, which are read in pairs, and the column families named
by a prefix; the header check and the row mapping both come from the declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from zonekeeper.duty.quote import LineItem
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import cells
from zonekeeper.io.tabular import Table, missing_columns, read_table
from zonekeeper.money import in_money_context, parse_decimal
from zonekeeper.tariff.measures import AdcvdCase
from zonekeeper.tariff.units import read_unit


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


def _hts(text: str) -> str:
    """The HTS code as written: the tariff says whether it is a line (and names the nearest)."""
    if not text:
        raise ValueError("hts is required")
    return text


def _content(text: str) -> dict[str, Decimal]:
    return parse_pairs(text, "content")


def _cases(text: str) -> tuple[AdcvdCase, ...]:
    pairs = parse_pairs(text, "AD/CVD case")
    return tuple(AdcvdCase(c, pct, AdcvdCase.infer_kind(c)) for c, pct in pairs.items())


@dataclass(frozen=True)
class Column:
    """One column: its cell parser, and when a cell is read: `required` columns always (a
    blank cell is refused by its parser), a column of a `pair` when either of the two is
    filled, any other only when filled."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    pair: str | None = None


@dataclass(frozen=True)
class Family:
    """Columns named `<prefix><key>` (`qty_kg`, `content_steel`): the key read from the
    name (`key`), the cell's number from its text; read when filled."""

    prefix: str
    key: Callable[[str], str]


@dataclass(frozen=True)
class EntryLines:
    """The entry-lines format: fixed columns, in the order their problems are reported, and
    the column families read between `head` and `tail` (in the file's column order)."""

    head: tuple[Column, ...]
    families: tuple[Family, ...]
    tail: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in (*self.head, *self.tail) if c.required)

    @in_money_context
    def read_items(self, path: Path) -> tuple[list[tuple[int, LineItem]], list[Problem]]:
        """The good rows of an entry file with their row numbers, and the problems of the bad
        ones (opening and decoding problems too: not UTF-8, which line, which byte), so that
        the caller can check the good rows against the tariff and report everything at once;
        an unreadable file or a broken header raises InputError."""
        table = read_table(path, kind="csv")
        if table.unreadable:
            raise InputError(table.problems)
        return self.items(table)

    def items(self, table: Table) -> tuple[list[tuple[int, LineItem]], list[Problem]]:
        file = table.file
        missing = missing_columns(table, self.required)
        if missing:
            table.problems.append(Problem(f"missing column(s): {', '.join(missing)}", file, 1,
                                          ",".join(missing), code="duty.file.missing-column"))
        if table.header_broken or missing:
            raise InputError(table.problems)
        items: list[tuple[int, LineItem]] = []
        problems: list[Problem] = list(table.problems)
        for number, raw in table.rows:
            row = {k: str(v).strip() for k, v in raw.items()}
            before = len(problems)
            values, quantities, content = self._cells(row, file, number, problems)
            if len(problems) == before:
                items.append((number, _item(values, quantities, content)))
        if not items and not problems:
            problems.append(Problem("no lines in the file", file, None, None,
                                    code="duty.file.no-lines"))
        return items, problems

    def _cells(
        self, row: Mapping[str, str], file: str, number: int, problems: list[Problem]
    ) -> tuple[dict[str, Any], dict[str, Decimal], dict[str, Decimal]]:
        """Every cell of one row read by its declaration; each refusal a problem naming
        file, row and column. Quantities and content by key, in the file's order."""

        def read(name: str, parse: Callable[[str], Any], text: str) -> Any:
            try:
                return parse(text)
            except ValueError as error:
                problems.append(Problem(str(error), file, number, name, code="duty.file.cell"))
                return None

        def fixed(columns: tuple[Column, ...]) -> None:
            for c in columns:
                text = row.get(c.name, "")
                if c.required or text or (c.pair is not None and row.get(c.pair)):
                    values[c.name] = read(c.name, c.parse, text)

        values: dict[str, Any] = {}
        fixed(self.head)
        families: dict[str, dict[str, Decimal]] = {f.prefix: {} for f in self.families}
        for name, text in row.items():
            family = next((f for f in self.families if name.startswith(f.prefix)), None)
            if family is None or not text:
                continue
            key = read(name, family.key, name[len(family.prefix) :])
            amount = read(name, parse_decimal, text)
            if key is not None and amount is not None:
                families[family.prefix][key] = amount
        fixed(self.tail)
        quantities, content = families["qty_"], families["content_"]
        if values.get("qty") is not None and values.get("unit") is not None:
            quantities = {values["unit"]: values["qty"], **quantities}
        return values, quantities, {**content, **(values.get("content") or {})}


ENTRY_LINES = EntryLines(
    head=(
        Column("hts", _hts, required=True),
        Column("origin", cells.country, required=True),
        Column("value", cells.nonnegative_decimal, required=True),
        Column("qty", parse_decimal, pair="unit"),
        Column("unit", _unit, pair="qty"),
    ),
    families=(Family("qty_", _unit), Family("content_", cells.text)),
    tail=(
        Column("content", _content),
        Column("adcvd", _cases),
        Column("mode", cells.mode),
        Column("spi", cells.text),
    ),
)
"""The one declaration of the entry-lines CSV (docs/duty.md)."""


def _item(
    values: Mapping[str, Any], quantities: dict[str, Decimal], content: dict[str, Decimal]
) -> LineItem:
    return LineItem(
        hts=values["hts"],
        origin=values["origin"],
        value=values["value"],
        quantities=quantities,
        spi=values.get("spi") or None,
        mode=values.get("mode"),
        content=content,
        adcvd=values.get("adcvd") or (),
    )


def read_entry_file(path: Path) -> tuple[list[tuple[int, LineItem]], list[Problem]]:
    """`ENTRY_LINES.read_items`: the good rows of an entry file and the problems of the rest."""
    return ENTRY_LINES.read_items(path)
