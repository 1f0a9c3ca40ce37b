"""ACE ES-003 "Entry Summary Line Tariff Details" reports (CSV or XLSX) and the drawback
import format, read column-wise with Polars into `analytics.records.EntryLine`s.

In ES-003 every tariff ordinal of a line is a row of its own (CSMS 18-000624/18-000657:
Chapter 98 first, then Chapter 99 — 301 before IEEPA before 232/201 — then the chapter 1-97
commodity last). The commodity row carries the entered value and the base duty; each
Chapter 98/99 row carries its own duty. Here the rows are keyed on entry summary number +
line number and every Chapter 98/99 row is joined to its commodity row, whatever the order
in the file. The drawback import format (`entry_no`, `line`, `import_date`, `duty_ieepa`...)
is read by the same declaration: its per-program duty columns become Chapter 99 rows
without a heading.

Every check runs on whole columns (Polars expressions), not row by row; a bad file raises
one `InputError` with each problem's file, row, field and why, and nothing is returned.
Rows are numbered as a spreadsheet shows them (header = row 1).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

# Polars allocates through its own jemalloc, which it tells to keep freed pages half a
# second to a second before giving them back: the frames a read drops (the whole file's,
# once split into lines and Chapter 99 rows) stayed resident while the next step allocated,
# and a 1M-line report peaked at 1,892 MB; returned at once, 1,608 MB in the same time
# (docs/performance.md). Polars appends this variable to its own settings when it loads, so
# it must be set before; a value the user set is left alone (and wins the same way).
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

import fastexcel  # noqa: E402  # the XLSX engine under pl.read_excel (calamine): its errors
import polars as pl  # noqa: E402

from zonekeeper.analytics.records import Chapter99Row, EntryLine
from zonekeeper.dates import ACE_FORMATS
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.tabular import check_file, csv_text
from zonekeeper.tariff.codes import hts_digits

MAX_PROBLEMS = 200
"""At most this many problems are listed one by one; the rest are counted in one line."""


@dataclass(frozen=True)
class Column:
    """One column of the format: its field name, the headings it is known by (ES-003 and
    the drawback format, matched case- and space-insensitively), its kind and whether a
    file must have it."""

    field: str
    names: tuple[str, ...]
    kind: str = "text"  # text | id | integer | date | money | quantity | hts
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("entry", ("entry summary number", "entry_no", "entry number"), "id", True),
    Column("line", ("entry summary line number", "line", "line number"), "integer", True),
    Column("entry_type", ("entry type code", "entry_type")),
    Column("importer", ("importer number", "importer")),
    Column("port", ("port of entry code", "port")),
    Column("entry_date", ("entry date", "import_date", "entry_date"), "date", True),
    Column("origin", ("country of origin code", "origin")),
    Column("export_country", ("country of export code", "export_country")),
    Column("manufacturer", ("manufacturer id", "manufacturer", "mid")),
    Column("seller", ("seller id", "seller", "seller name")),
    Column("spi", ("line spi code", "spi")),
    Column("ordinal", ("tariff ordinal number", "ordinal"), "integer"),
    Column("hts", ("hts number - full", "hts"), "hts", True),
    Column("value", ("line tariff goods value amount", "value"), "money", True),
    Column("duty", ("line tariff duty amount", "duty"), "money", True),
    Column("quantity", ("line tariff quantity (1)", "quantity"), "quantity"),
    Column("unit", ("line tariff uom (1) code", "unit")),
    Column("liquidation_status", ("liquidation status", "liquidation_status")),
    Column("liquidation_date", ("liquidation date", "liquidation_date"), "date"),
    Column("part", ("part number", "part")),
    Column("description", ("product description", "description")),
)
PROGRAM_COLUMNS: Mapping[str, str] = {
    "duty_ieepa": "ieepa", "duty_ieepa_reciprocal": "ieepa", "duty_ieepa_fentanyl": "ieepa",
    "duty_301": "section301", "duty_232": "section232", "duty_122": "section122",
    "duty_adcvd": "adcvd",
}
"""The drawback format's per-program duty columns: each becomes a Chapter 99 row."""

_BY_NAME = {name: column for column in COLUMNS for name in column.names}
_BY_FIELD = {column.field: column for column in COLUMNS}
_TEXT_FIELDS = ("origin", "spi", "entry_type", "importer", "unit", "manufacturer", "seller",
                "part", "description", "liquidation_status")
_PATTERNS = {
    # at most 9 digits (leading zeros aside): a line number fits the Int64 it is cast to
    # (ES-003 numbers lines in the hundreds at most); more is a damaged cell, refused
    "integer": r"^0*\d{1,9}$",
    "money": r"^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$",
    "quantity": r"^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$",
    "hts": r"^\d{8}(\d{2})?$",
}
_WHY = {
    "integer": "is not a whole number of at most 9 digits",
    "money": "is not an amount in USD (digits, ',' between thousands, '.' for decimals, "
             "not negative)",
    "quantity": "is not a quantity (digits, ',' between thousands, '.' for decimals, not "
                "negative)",
    "hts": "is not an HTS number (8 or 10 digits)",
    "date": "is not a date (YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)",
}


def is_spreadsheet(path: Path) -> bool:
    """Whether the report is read as a workbook (by its name), not as CSV."""
    return path.suffix.lower() in (".xlsx", ".xlsm", ".xls")


def _key(name: str) -> str:
    return " ".join(name.strip().lstrip("\ufeff").lower().split())


def _csv_bytes(path: Path) -> bytes:
    """The CSV report as UTF-8 for Polars, decoded as every input file is (`tabular.
    decoded`: UTF-8, or the UTF-16 its byte-order mark names). Refused in one line when it
    is in another encoding, or saved with ';' (Excel where ',' is the decimal mark) or tabs
    (Excel's "Unicode Text") between its columns: its numbers must not be guessed at."""
    try:
        text, _encoding = csv_text(path)
    except InputError as refused:  # the report's own code for a semicolon-separated one
        raise InputError([replace(p, code="es003.semicolon-separated")
                          if p.code == "file.semicolons" else p
                          for p in refused.problems]) from None
    return text.encode("utf-8")


def _read_frame(path: Path) -> pl.DataFrame:
    """Every cell as text; raise InputError when the file cannot be read as a table."""
    name = str(path)
    problem = check_file(path)
    if problem is not None:
        raise InputError(Problem(problem.message, file=name, code="es003.unreadable"))
    excel = is_spreadsheet(path)
    text = None if excel else _csv_bytes(path)
    try:
        if text is None:
            frame = pl.read_excel(path, engine="calamine", infer_schema_length=0,
                                  drop_empty_rows=False, raise_if_empty=False)
        else:
            frame = pl.read_csv(io.BytesIO(text), infer_schema=False, encoding="utf8")
    except (pl.exceptions.PolarsError, OSError, ValueError, fastexcel.FastExcelError) as error:
        raise InputError(Problem(f"cannot be read as a table: {error}".splitlines()[0],
                                 file=name, code="es003.unreadable")) from error
    return frame


def _header(frame: pl.DataFrame, name: str) -> dict[str, str]:
    """Raw column name -> field name; InputError for a repeated or missing column."""
    fields: dict[str, str] = {}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for raw in frame.columns:
        key = _key(raw)
        column = _BY_NAME.get(key)
        field = column.field if column else (key if key in PROGRAM_COLUMNS else None)
        if field is None:
            continue  # other columns of a user's report are allowed and ignored
        if field in seen:
            problems.append(Problem(f"columns {seen[field]!r} and {raw!r} are the same field",
                                    file=name, row=1, field=raw, code="es003.repeated-column"))
            continue
        seen[field] = raw
        fields[raw] = field
    for column in COLUMNS:
        if column.required and column.field not in seen:
            problems.append(Problem(
                f"missing column {column.names[0]!r} (also read as: "
                f"{', '.join(repr(n) for n in column.names[1:])})",
                file=name, row=1, field=column.names[0], code="es003.missing-column"))
    if problems:
        raise InputError(problems)
    return fields


def _clean(frame: pl.DataFrame, fields: Mapping[str, str]) -> pl.DataFrame:
    """The known columns under their field names, trimmed; ids without a spreadsheet's
    trailing '.0'; HTS without dots; origin and SPI in capitals; amounts without a leading
    '$' (their thousands commas are dropped only once the cells are checked)."""
    out = frame.select([pl.col(raw).cast(pl.String).alias(f) for raw, f in fields.items()])
    out = out.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
    exprs = []
    for f in out.columns:
        if f == "row":
            continue
        kind = _BY_FIELD[f].kind if f in _BY_FIELD else "money"  # else a program's duty
        e = pl.col(f).fill_null("").str.strip_chars()
        if f in ("origin", "spi"):
            e = e.str.to_uppercase()
        if kind in ("id", "integer"):
            e = e.str.replace(r"\.0+$", "")
        if kind == "hts":  # a spreadsheet's float (8537109170.0), not a dotted code's .00
            e = pl.when(e.str.contains(r"^\d+\.0+$")).then(e.str.replace(r"\.0+$", "")).otherwise(e)
        if kind in ("money", "quantity"):
            e = e.str.replace(r"^\$\s*", "")  # thousands commas stay until checked
        if kind == "date":
            e = e.str.replace(r"[ T]00:00(:00)?(\.0+)?$", "")
        exprs.append(e.alias(f))
    out = out.with_columns(exprs)
    for f in (f for f in out.columns if f in _BY_FIELD and _BY_FIELD[f].kind == "hts"):
        out = out.with_columns(pl.col(f).replace(_hts_forms(out[f].unique().to_list())))
    return out


def _hts_forms(written: list[str | None]) -> dict[str, str]:
    """Each distinct HTS text as the digits every other reader makes of it
    (`tariff.codes.hts_digits`: dots and spaces dropped, a leading zero a spreadsheet ate
    restored); a text that is no HTS number is left as written, for the check to refuse."""
    forms = {}
    for text in written:
        if text:
            try:
                forms[text] = hts_digits(text)
            except ValueError:
                forms[text] = text
    return forms


def _dates(field: str) -> pl.Expr:
    parsed = [pl.col(field).str.to_date(fmt, strict=False) for fmt, _ in ACE_FORMATS]
    return pl.coalesce(parsed).alias(f"{field}__date")


def _cell_problems(frame: pl.DataFrame, name: str, headings: Mapping[str, str],
                   ) -> list[Problem]:
    """Every cell that is required and empty or does not read as its kind, named by the
    file's own column heading."""
    problems: list[Problem] = []
    commodity = ~pl.col("hts").str.starts_with("98") & ~pl.col("hts").str.starts_with("99")
    checks: list[tuple[str, pl.Expr, str, str]] = []
    for f in frame.columns:
        column = _BY_FIELD.get(f)
        kind = column.kind if column else ("money" if f in PROGRAM_COLUMNS else "text")
        empty = pl.col(f) == ""
        if column is not None and column.required:
            must = commodity if f in ("entry_date", "value") else pl.lit(True)
            checks.append((f, empty & must, "is empty", "es003.missing-value"))
        if kind in _PATTERNS:
            checks.append((f, ~empty & ~pl.col(f).str.contains(_PATTERNS[kind]), _WHY[kind],
                           "es003.bad-value"))
        elif kind == "date":
            checks.append((f, ~empty & pl.col(f"{f}__date").is_null(), _WHY["date"],
                           "es003.bad-value"))
    if not checks:
        return problems
    flagged = frame.select(
        "row", *[cond.alias(f"bad{i}") for i, (_, cond, _, _) in enumerate(checks)],
        *[pl.col(f) for f in dict.fromkeys(c[0] for c in checks)],
    )
    for i, (f, _, why, code) in enumerate(checks):
        bad = flagged.filter(pl.col(f"bad{i}")).select("row", f).head(MAX_PROBLEMS)
        heading = headings[f]
        for row, text in bad.iter_rows():
            shown = f" {text!r}" if text else ""
            problems.append(Problem(f"{heading}{shown} {why}", file=name, row=row,
                                    field=heading, code=code))
    return problems


def _structure_problems(
    commodity: pl.DataFrame, extra: pl.DataFrame, name: str, hts: str
) -> list[Problem]:
    """A line given twice, or a Chapter 98/99 row whose line has no commodity row."""
    problems: list[Problem] = []
    twice = (commodity.with_columns(pl.len().over("entry", "line").alias("n"))
             .filter(pl.col("n") > 1).sort("row").head(MAX_PROBLEMS))
    for row, entry, line in twice.select("row", "entry", "line").iter_rows():
        problems.append(Problem(
            f"entry {entry} line {line} has more than one commodity (chapter 1-97) row",
            file=name, row=row, field=hts, code="es003.line-twice"))
    orphans = extra.join(commodity.select("entry", "line"), on=["entry", "line"], how="anti")
    for row, entry, line, code in (orphans.sort("row").head(MAX_PROBLEMS)
                                   .select("row", "entry", "line", "hts").iter_rows()):
        problems.append(Problem(
            f"Chapter 98/99 row {code} for entry {entry} line {line}, which has no commodity "
            "(chapter 1-97) row", file=name, row=row, field=hts, code="es003.orphan-row"))
    return problems


def _capped(problems: Sequence[Problem], name: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    return [*problems[:MAX_PROBLEMS], Problem(
        f"and {len(problems) - MAX_PROBLEMS} more problems", file=name,
        code="es003.more-problems")]


CHUNK = 100_000
"""Lines turned into records at a time: the Python copies of a chunk's cells are freed before
the next, so the peak is the records plus one chunk."""
_KEPT = ("row", "entry", "line", "entry_date__date", "hts", "value", "duty", "quantity",
         "liquidation_date__date", *_TEXT_FIELDS, *PROGRAM_COLUMNS)


def read_entry_lines(path: Path) -> tuple[EntryLine, ...]:
    """The entry lines of an ES-003 report or a drawback import file, sorted by entry and
    line, each with its Chapter 98/99 rows. See the module docstring."""
    name = str(path)
    frame = _read_frame(path)
    fields = _header(frame, name)
    frame = _clean(frame, fields)
    date_fields = [c.field for c in COLUMNS if c.kind == "date" and c.field in frame.columns]
    frame = frame.with_columns([_dates(f) for f in date_fields])
    problems = _cell_problems(frame, name, {f: raw for raw, f in fields.items()})
    if frame.height == 0:
        problems.append(Problem("the file has no data rows", file=name, code="es003.empty"))
    if problems:
        raise InputError(_capped(problems, name))
    amounts = [f for f in frame.columns
               if f in PROGRAM_COLUMNS or (f in _BY_FIELD and _BY_FIELD[f].kind in
                                           ("money", "quantity"))]
    frame = frame.with_columns(pl.col("line").cast(pl.Int64),
                               *[pl.col(f).str.replace_all(",", "") for f in amounts])
    is_extra = pl.col("hts").str.starts_with("98") | pl.col("hts").str.starts_with("99")
    commodity = frame.filter(~is_extra).select([c for c in _KEPT if c in frame.columns])
    extra = frame.filter(is_extra).select([c for c in ("row", "entry", "line", "ordinal", "hts",
                                                       "duty") if c in frame.columns])
    del frame  # the records are made from these two: the whole file's frame can go
    hts = next(raw for raw, f in fields.items() if f == "hts")
    problems = _structure_problems(commodity, extra, name, hts)
    if problems:
        raise InputError(_capped(problems, name))
    lines = _joined(commodity, extra)
    del commodity, extra
    return _records(lines)


def _joined(commodity: pl.DataFrame, extra: pl.DataFrame) -> pl.DataFrame:
    """Each commodity row with its line's Chapter 98/99 rows (by ordinal, then row) as lists,
    sorted by entry and line."""
    order = ["ordinal", "row"] if "ordinal" in extra.columns else ["row"]
    grouped = (extra.sort(["entry", "line", *order])
               .group_by("entry", "line", maintain_order=True)
               .agg(pl.col("hts").alias("x_hts"), pl.col("duty").alias("x_duty"),
                    pl.col("row").alias("x_row")))
    return commodity.join(grouped, on=["entry", "line"], how="left").sort("entry", "line")


def _records(lines: pl.DataFrame) -> tuple[EntryLine, ...]:
    """The joined lines handed over as records: the one pass in Python (the core takes plain
    values), over whole columns taken out of Polars a chunk at a time."""
    pool: dict[Any, Any] = {}  # one object per distinct code, entry, date or heading
    out: list[EntryLine] = []
    for start in range(0, lines.height, CHUNK):
        out.extend(_chunk(lines.slice(start, CHUNK), pool))
    return tuple(out)


def _chunk(lines: pl.DataFrame, pool: dict[Any, Any]) -> list[EntryLine]:
    n = lines.height

    def column(name: str, shared: bool = False) -> list[Any]:
        if name not in lines.columns:
            return [""] * n
        values = lines.get_column(name).to_list()
        return [pool.setdefault(v, v) for v in values] if shared else values

    text = {f: column(f, shared=True) for f in _TEXT_FIELDS}
    quantity, liquidated = column("quantity"), column("liquidation_date__date", shared=True)
    extras = zip(column("x_hts"), column("x_duty"), column("x_row"), strict=True)
    programs = [(column(c), PROGRAM_COLUMNS[c]) for c in PROGRAM_COLUMNS if c in lines.columns]
    rows = column("row")
    out: list[EntryLine] = []
    for i, (entry, line, day, hts, value, duty, (x_hts, x_duty, x_row)) in enumerate(zip(
            column("entry", shared=True), column("line"),
            column("entry_date__date", shared=True), column("hts", shared=True),
            column("value"), column("duty"), extras, strict=True)):
        ch99 = [Chapter99Row(pool.setdefault(h, h), Decimal(d), row=r)
                for h, d, r in zip(x_hts or (), x_duty or (), x_row or (), strict=True)]
        for cells, program in programs:
            if cells[i]:
                ch99.append(Chapter99Row("", Decimal(cells[i]), program, rows[i]))
        out.append(EntryLine(
            entry, line, day, hts, Decimal(value), Decimal(duty),
            origin=text["origin"][i], spi=text["spi"][i],
            entry_type=text["entry_type"][i], importer=text["importer"][i],
            quantity=_pooled_decimal(quantity[i], pool), unit=text["unit"][i],
            manufacturer=text["manufacturer"][i], seller=text["seller"][i], part=text["part"][i],
            description=text["description"][i],
            liquidation_status=text["liquidation_status"][i],
            liquidation_date=liquidated[i] or None, chapter99=tuple(ch99), row=rows[i]))
    return out


def _pooled_decimal(text: str | None, pool: dict[Any, Any]) -> Decimal | None:
    """The quantity as one shared Decimal per distinct text (a Decimal is immutable, and a
    report's quantities repeat: 500 of them over a million lines save a hundred MB)."""
    if not text:
        return None
    key = ("quantity", text)
    found = pool.get(key)
    if found is None:
        found = pool[key] = Decimal(text)
    return found

