"""Read the products to classify from CSV (`zonekeeper classify suggest --file FILE`).

Columns `sku,description` (header names case-insensitive; both required). Every problem in
the file is reported at once with its row and column, through the same reader as every other
input file (`io.tabular`: not UTF-8, ';' between columns, a broken row...), and nothing is
suggested unless the whole file is good.
"""

from __future__ import annotations

from pathlib import Path

from zonekeeper.errors import InputError, Problem
from zonekeeper.io.tabular import missing_columns, read_table

REQUIRED = ("sku", "description")
MAX_ROWS = 10_000


def read_sku_file(path: Path) -> list[tuple[str, str]]:
    """(sku, description) per data row, in file order; InputError listing every problem."""
    table = read_table(path, kind="csv")
    if table.unreadable:
        raise InputError(table.problems)
    missing = missing_columns(table, REQUIRED)
    if missing:
        table.problems.append(Problem(f"missing column(s): {', '.join(missing)}", table.file,
                                      1, ",".join(missing), code="classify.file.missing-column"))
    if table.header_broken or missing:
        raise InputError(table.problems)
    problems = list(table.problems)
    rows: list[tuple[str, str]] = []
    for number, raw in table.rows:
        sku = str(raw.get("sku") or "").strip()
        description = str(raw.get("description") or "").strip()
        if not sku:
            problems.append(Problem("sku is required", table.file, number, "sku",
                                    code="classify.file.no-sku"))
        if not description:
            problems.append(Problem("description is empty", table.file, number, "description",
                                    code="classify.file.empty-description"))
        rows.append((sku, description))
    if not rows and not problems:
        problems.append(Problem("no rows in the file", table.file, None, None,
                                code="classify.file.no-rows"))
    if len(rows) > MAX_ROWS:
        problems.append(Problem(f"{len(rows)} rows: at most {MAX_ROWS} per file",
                                table.file, None, None, code="classify.file.too-many-rows"))
    if problems:
        raise InputError(problems)
    return rows
