"""Every CSV the product writes goes through `io.csv_out` (formula cells neutralized): no
other module makes a CSV writer of its own — `csv.writer` or `csv.DictWriter` under any
name it is imported as, nor a dataframe's `write_csv`/`to_csv` — and every CSV download
is made by it."""

from __future__ import annotations

import ast
from pathlib import Path

import zonekeeper

ROOT = Path(zonekeeper.__file__).parent
HELPER = ROOT / "io" / "csv_out.py"
WRITERS = {"writer", "DictWriter"}
FRAME_WRITERS = {"write_csv", "to_csv"}  # Polars, pandas


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(ROOT.rglob("*.py")) if path != HELPER]


def csv_writers(tree: ast.Module) -> list[tuple[int, str]]:
    """Where `tree` makes a CSV writer without the helper: the csv module's writers under
    whatever name the module is imported as, a writer imported by name (aliased or not),
    and a dataframe written as CSV."""
    modules = {"csv"}
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "csv"}
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            names |= {a.asname or a.name for a in node.names if a.name in WRITERS}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in WRITERS and isinstance(node.value, ast.Name) and (
                    node.value.id in modules):
                found.append((node.lineno, f"{node.value.id}.{node.attr}"))
            elif node.attr in FRAME_WRITERS:
                found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [(node.lineno, f"from csv import {a.name}") for a in node.names
                      if a.name in WRITERS]
        elif isinstance(node, ast.Name) and node.id in names:
            found.append((node.lineno, node.id))
    return found


def test_only_the_helper_makes_csv_writers() -> None:
    found = [f"{path.relative_to(ROOT)}:{line} {what}"
             for path, tree in _modules() for line, what in csv_writers(tree)]
    assert found == []


def test_the_check_sees_a_writer_under_any_name() -> None:
    """The check itself: each way a module could write CSV around the helper is seen."""
    for source in ("import csv\ncsv.writer(out)", "import csv as c\nc.DictWriter(out, [])",
                   "from csv import writer\nwriter(out)",
                   "from csv import DictWriter as W\nW(out, [])",
                   "frame.write_csv(path)", "frame.to_csv(path)"):
        assert csv_writers(ast.parse(source)), source
    assert csv_writers(ast.parse("import csv\ncsv.reader(text)")) == []


def test_every_csv_answer_is_made_by_the_helper() -> None:
    """A module that answers `text/csv` (a download) builds its text with `csv_out`, or
    with `io.documents.weekly_entry_csv`, which does."""
    offenders = []
    for path, tree in _modules():
        text = ast.unparse(tree)
        if "text/csv" in text and "csv_out" not in text and "weekly_entry_csv" not in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
