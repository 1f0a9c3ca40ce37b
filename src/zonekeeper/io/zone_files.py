"""Readers of the zone's input files: parts, bills of materials, admissions, production,
shipments, physical counts, status changes, suspense receipts and filings (docs/files.md
documents every column).

Each file is CSV with a header row, or JSON lines (`.jsonl`, one object per line). A reader
checks the whole file and returns typed rows, or raises `InputError` carrying *every*
problem found (file, row, column, reason) so the user fixes a file in one pass and nothing is
posted from a file with any problem in it (architecture rule 6). Row numbers are the line
numbers a spreadsheet shows: the header is row 1, the first data row is row 2; in JSON lines
the first line is row 1.

The readers know formats, not the law: whether a withdrawal over-draws a lot or a status
change is allowed is the zone core's decision when the rows are posted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zonekeeper.errors import InputError, Problem
from zonekeeper.io.cells import (
    country,
    disposition,
    hts,
    identifier,
    iso_date,
    mode,
    nonnegative_decimal,
    percent,
    positive_decimal,
    positive_int,
    status,
    text,
)
from zonekeeper.io.cells import method as method
from zonekeeper.io.tabular import missing_columns, read_table
from zonekeeper.zone.events import (
    Admission,
    Filing,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
)
from zonekeeper.zone.filings import parse_kind
from zonekeeper.zone.master import Bom, BomLine, Part

# Master data without a date is in force from the beginning of the books.
BEGINNING = date(1900, 1, 1)

Parser = Callable[[str], Any]
# The cell parsers are `io.cells`' (one set for every reader). `method` (the zone's
# inventory method, `init --method`) is re-exported for the command line.


@dataclass(frozen=True)
class Column:
    """One column of a file, declared once: its name, its cell parser (`io.cells`), whether
    it must be present and filled, and the field of the core record it fills (`to`: its
    own name by default, None for a column read and checked but not recorded) with the
    value a blank cell gives (`default`). The header check (`read_file`) and the row
    mapping (`Format.records`) are both derived from it."""

    name: str
    parse: Parser
    required: bool = True
    to: str | None = ""
    default: Any = None

    @property
    def field(self) -> str | None:
        return self.name if self.to == "" else self.to


@dataclass(frozen=True)
class Format:
    """A file format: its columns, the core record each row makes, and the columns that
    name a row once (`key`, refused twice in a file as `what`)."""

    columns: tuple[Column, ...]
    record: Callable[..., Any] | None = None
    key: tuple[str, ...] = ()
    what: str = ""

    def read(self, path: Path, problems: Problems = None) -> list[Row]:
        rows = read_file(path, self.columns, problems)
        return unique(rows, self.key, self.what, problems) if self.key else rows

    def records(self, rows: Sequence[Row]) -> list[Any]:
        """One record a row: each mapped column's value, or its default when blank."""
        assert self.record is not None
        mapped = [(c.name, c.field, c.default) for c in self.columns if c.field is not None]
        return [self.record(**{field: r.get(name, default) for name, field, default in mapped})
                for r in rows]  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One parsed row: where it came from and its typed values (absent optionals are None)."""

    file: str
    row: int
    values: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value


# ------------------------------------------------------------------------------ formats

PARTS = Format(
    (
        Column("part", identifier, to="number"),
        Column("description", text, required=False, default=""),
        Column("hts", hts),
        Column("origin", country),
        Column("unit", text, required=False, default=""),
        Column("valid_from", iso_date, required=False, default=BEGINNING),
    ),
    Part, ("part",), "part",
)  # fmt: skip
BOMS = Format(
    (
        Column("product", identifier),
        Column("component", identifier),
        Column("quantity_per_unit", positive_decimal),
        Column("waste_pct", percent, required=False),
        Column("scrap_pct", percent, required=False),
        Column("effective_from", iso_date, required=False),
    ),
    None, ("product", "component", "effective_from"), "bill of materials line",
)  # fmt: skip
ADMISSIONS = Format(
    (
        Column("admission_no", identifier),
        Column("line", positive_int),
        Column("date", iso_date),
        Column("part", identifier),
        Column("quantity", positive_decimal),
        Column("value", nonnegative_decimal),
        Column("status", status),
        Column("hts", hts, required=False),
        Column("origin", country, required=False),
        Column("description", text, required=False, to=None),  # the part master's is kept
        Column("unit", text, required=False, to=None),
        Column("mode", mode, required=False),
        Column("pf_date", iso_date, required=False),
        Column("lot", identifier, required=False),
        Column("suspense_ref", identifier, required=False),
    ),
    Admission, ("admission_no", "line"), "admission line",
)  # fmt: skip
PRODUCTION = Format(
    (
        Column("production_no", text, to="ref"),
        Column("date", iso_date),
        Column("product", identifier),
        Column("quantity", positive_decimal),
        Column("lot", identifier, required=False),
        Column("status", status, required=False),
    ),
    Production, ("production_no", "product"), "production",
)  # fmt: skip
SHIPMENTS = Format(
    (
        Column("shipment_no", text, to="ref"),
        Column("date", iso_date),
        Column("part", identifier),
        Column("quantity", positive_decimal),
        Column("disposition", disposition),
        Column("value", nonnegative_decimal),
        Column("lot", identifier, required=False),
        Column("status", status, required=False),
        Column("line", positive_int, required=False, default=1),
    ),
    Shipment,
)
COUNTS = Format(
    (
        Column("date", iso_date),
        Column("part", identifier),
        Column("counted_quantity", nonnegative_decimal),
        Column("lot", identifier, required=False),
    ),
    None, ("date", "part", "lot"), "count",
)  # fmt: skip
STATUS_CHANGES = Format(
    (
        Column("date", iso_date),
        Column("lot", identifier, required=False),
        Column("admission_no", identifier, required=False),
        Column("line", positive_int, required=False),
        Column("to_status", status),
        Column("pf_date", iso_date, required=False),
        Column("reference", text, required=False),
    ),
)
SUSPENSE = Format(
    (
        Column("ref", identifier),
        Column("date", iso_date),
        Column("part", identifier),
        Column("quantity", positive_decimal),
        Column("description", text, required=False, default=""),
        Column("reason", text, required=False, default=""),
    ),
    SuspenseReceipt, ("ref",), "suspense receipt",
)  # fmt: skip
FILINGS = Format(
    (
        Column("kind", parse_kind, to="document"),
        Column("ref", text),
        Column("date", iso_date),
        Column("covers", text),
        Column("note", text, required=False, default=""),
    ),
    Filing, ("kind", "ref", "covers"), "filing",
)  # fmt: skip


# ------------------------------------------------------------------------------ reading


def _cell(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"expected text or a number, got {json.dumps(raw)}")
    if isinstance(raw, float):
        # JSON numbers arrive as float; go through repr, never through binary arithmetic.
        return repr(raw)
    # Text the books cannot store (NUL, lone surrogates) is refused by `tabular.read_table`.
    return str(raw).strip()


Problems = list[Problem] | None
"""Where a reader puts the problems it finds: None raises InputError with all of them; a
list collects them, and the reader returns only the rows that are good, so the caller can
run the posting checks on those too and report everything at once."""


def _found(problems: Problems, found: Sequence[Problem]) -> None:
    if not found:
        return
    if problems is None:
        raise InputError(list(found))
    problems.extend(found)


def read_file(path: Path, columns: Sequence[Column], problems: Problems = None) -> list[Row]:
    """Every row of `path` parsed by `columns`; InputError with every problem found (or,
    given `problems`, those collected there and only the rows that parsed returned).
    Opening, decoding and the file's structure are `tabular.read_table`'s."""
    given = problems
    name = str(path)
    known = {c.name for c in columns}
    table = read_table(path)
    if table.unreadable:
        raise InputError(table.problems)
    problems = list(table.problems)
    bad_rows = set(table.bad_rows)
    json_lines = table.kind != "csv"
    if table.header is not None:
        for extra in sorted({h for h in table.header if h} - known):
            problems.append(
                Problem(
                    f"unknown column {extra!r} (known: {', '.join(c.name for c in columns)})",
                    file=name,
                    row=1,
                    field=extra,
                    code="file.unknown-column",
                )
            )
        for column_name in missing_columns(table, [c.name for c in columns if c.required]):
            problems.append(Problem(
                "required column is missing",
                file=name,
                field=column_name,
                code="file.missing-column",
            ))
    header_broken = table.header_broken or any(
        p.row in (None, 1) and not json_lines for p in problems
    )
    rows: list[Row] = []
    for number, raw in table.rows:
        if json_lines:
            for extra in sorted(set(raw) - known):
                problems.append(
                    Problem(
                        f"unknown column {extra!r} (known: {', '.join(c.name for c in columns)})",
                        file=name,
                        row=number,
                        field=extra,
                        code="file.unknown-column",
                    )
                )
                bad_rows.add(number)
        elif "" in raw:
            if raw[""].strip():
                problems.append(
                    Problem(
                        "a value under a column with no name in the header",
                        file=name,
                        row=number,
                        code="file.unnamed-column",
                    )
                )
                bad_rows.add(number)
        values: dict[str, Any] = {}
        for column in columns:
            try:
                cell = _cell(raw.get(column.name))
                if cell == "":
                    if column.required and column.name in raw:
                        raise ValueError("is empty but required")
                    if column.required and json_lines:
                        raise ValueError("is missing but required")
                    values[column.name] = None
                    continue
                values[column.name] = column.parse(cell)
            except ValueError as error:
                problems.append(Problem(
                    str(error),
                    file=name,
                    row=number,
                    field=column.name,
                    code="file.bad-cell",
                ))
                bad_rows.add(number)
        rows.append(Row(name, number, values))
    if not rows and not problems:
        problems.append(Problem("the file has no data rows", file=name, code="file.no-rows"))
    if header_broken:  # a header problem: no row can be trusted
        bad_rows.update(r.row for r in rows)
    _found(given, problems)
    return [r for r in rows if r.row not in bad_rows]


def unique(
    rows: Sequence[Row], key: Sequence[str], what: str, problems: Problems = None
) -> list[Row]:
    """Refuse a file that names the same `key` twice (e.g. one admission line twice); the
    rows without the repeats (collecting the problems when `problems` is given)."""
    seen: dict[tuple[Any, ...], int] = {}
    found: list[Problem] = []
    kept: list[Row] = []
    for row in rows:
        k = tuple(row.get(name) for name in key)
        if k in seen:
            found.append(
                Problem(
                    f"{what} {'/'.join(str(v) for v in k)} is already on row {seen[k]}",
                    file=row.file,
                    row=row.row,
                    field=key[-1],
                    code="file.repeated-row",
                )
            )
        else:
            seen[k] = row.row
            kept.append(row)
    _found(problems, found)
    return kept


def read_parts(path: Path, problems: Problems = None) -> list[Row]:
    return PARTS.read(path, problems)


def read_boms(path: Path, problems: Problems = None) -> list[Row]:
    return BOMS.read(path, problems)


def read_admissions(path: Path, problems: Problems = None) -> list[Row]:
    """Admission lines, one per CBP Form 214 line (19 CFR 146.22, 146.32)."""
    return ADMISSIONS.read(path, problems)


def read_production(path: Path, problems: Problems = None) -> list[Row]:
    """Production runs (manufacture in the zone, 19 CFR 146.52; 15 CFR 400.14)."""
    return PRODUCTION.read(path, problems)


def read_shipments(path: Path, problems: Problems = None) -> list[Row]:
    """Shipments out of the zone (19 CFR 146.24, 146.61-146.71). A shipment of several rows
    numbers them in `line` (default 1): shipment number and line are its natural key, and a
    key given twice is refused when posted (`zone.keys`), naming both rows."""
    return SHIPMENTS.read(path, problems)


def read_counts(path: Path, problems: Problems = None) -> list[Row]:
    """Physical inventory counts (19 CFR 146.23(c))."""
    return COUNTS.read(path, problems)


def read_status_changes(path: Path, problems: Problems = None) -> list[Row]:
    """Changes of zone status (19 CFR 146.41(b), 146.44): by lot, or admission number + line."""
    rows = STATUS_CHANGES.read(path, problems)
    unnamed = [
        row
        for row in rows
        if row.get("lot") is None and (row.get("admission_no") is None or row.get("line") is None)
    ]
    _found(
        problems,
        [Problem(
            "name the lot, or the admission_no and line",
            row.file,
            row.row,
            "lot",
            code="status-change.unnamed-lot",
        )
         for row in unnamed],
    )
    return [row for row in rows if row not in unnamed]


def read_suspense(path: Path, problems: Problems = None) -> list[Row]:
    """Receipts into suspense: goods in the zone without complete documents (146.22(c))."""
    return SUSPENSE.read(path, problems)


def read_filings(path: Path, problems: Problems = None) -> list[Row]:
    """Documents filed with CBP (entry summaries, 214s, reports, permits; zone.filings)."""
    return FILINGS.read(path, problems)


# ------------------------------------------------------------------------------ to the core


def parts_from(rows: Sequence[Row]) -> list[Part]:
    """Part master versions (one per row)."""
    return PARTS.records(rows)


def boms_from(rows: Sequence[Row]) -> list[Bom]:
    """Bills of materials: the rows of one product and effective date make one version.
    Waste and scrap percentages become fractions of the quantity per unit."""
    return [
        Bom(
            product,
            valid_from,
            tuple(
                BomLine(
                    component=r["component"],
                    quantity=r["quantity_per_unit"],
                    waste=r.get("waste_pct", Decimal(0)) / 100,
                    scrap=r.get("scrap_pct", Decimal(0)) / 100,
                )
                for r in group
            ),
        )
        for (product, valid_from), group in _bom_versions(rows).items()
    ]


def bom_line_rows(rows: Sequence[Row]) -> list[list[int]]:
    """The file row of each line of each of `boms_from(rows)`, in the same order."""
    return [[r.row for r in group] for group in _bom_versions(rows).values()]


def _bom_versions(rows: Sequence[Row]) -> dict[tuple[str, date], list[Row]]:
    grouped: dict[tuple[str, date], list[Row]] = {}
    for r in rows:
        grouped.setdefault((r["product"], r.get("effective_from", BEGINNING)), []).append(r)
    return grouped


def admissions_from(rows: Sequence[Row]) -> list[Admission]:
    """Admission events, one per Form 214 line (146.32)."""
    return ADMISSIONS.records(rows)


def production_from(rows: Sequence[Row]) -> list[Production]:
    return PRODUCTION.records(rows)


def shipments_from(rows: Sequence[Row]) -> list[Shipment]:
    return SHIPMENTS.records(rows)


def status_changes_from(rows: Sequence[Row]) -> list[StatusChange]:
    """Status changes; a row naming admission_no and line means that line's lot (the
    default zone lot number `<admission_no>/<line>`)."""
    return [
        StatusChange(
            date=r["date"],
            lot=r.get("lot") or f"{r['admission_no']}/{r['line']}",
            status=r["to_status"],
            pf_date=r.get("pf_date"),
            reference=r.get("reference"),
        )
        for r in rows
    ]


def suspense_from(rows: Sequence[Row]) -> list[SuspenseReceipt]:
    return SUSPENSE.records(rows)


def filings_from(rows: Sequence[Row]) -> list[Filing]:
    return FILINGS.records(rows)
