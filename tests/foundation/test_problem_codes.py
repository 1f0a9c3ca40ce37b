"""Every problem the product reports carries a stable code, and every code is documented.

A script branches on `Problem.code` (the `--json` refusal, the API), so a code must be
explicit where the problem is made — never the placeholder default — and listed with its
meaning in docs/problems.md. The source is read as Python (ast), so a code in a comment or a
message does not count."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "zonekeeper"
DOC = Path(__file__).resolve().parents[2] / "docs" / "problems.md"


def _problem_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else (
                    node.func.attr if isinstance(node.func, ast.Attribute) else None
                )
                if name == "Problem":
                    calls.append((str(path.relative_to(SRC)), node.lineno, node))
    return calls


def _codes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for where, line, call in _problem_calls():
        for keyword in call.keywords:
            if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                found.setdefault(str(keyword.value.value), []).append(f"{where}:{line}")
    return found


def test_every_problem_is_made_with_a_code() -> None:
    missing = [
        f"{where}:{line}"
        for where, line, call in _problem_calls()
        if not any(k.arg == "code" or k.arg is None for k in call.keywords)
    ]
    assert missing == []


def test_every_code_is_documented_and_well_formed() -> None:
    documented = set(re.findall(r"^\| `([a-z0-9.-]+)` \|", DOC.read_text(), re.MULTILINE))
    codes = _codes()
    assert all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", code) for code in codes), sorted(codes)
    assert sorted(set(codes) - documented) == []
