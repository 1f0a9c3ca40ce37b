"""Every CSV the product writes goes through `io.csv_out` (formula cells neutralized): no
other module makes a `csv.writer` or `csv.DictWriter` of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import zonekeeper

ROOT = Path(zonekeeper.__file__).parent
HELPER = ROOT / "io" / "csv_out.py"


def test_only_the_helper_makes_csv_writers() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == HELPER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    name = f"csv.{node.attr}"
            elif isinstance(node, ast.ImportFrom) and node.module == "csv":
                if any(a.name in ("writer", "DictWriter") for a in node.names):
                    name = "from csv import writer"
            if name:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert found == []
