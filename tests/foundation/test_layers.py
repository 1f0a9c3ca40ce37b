"""The dependency direction (docs/internals.md "Dependency direction") is import-linter's
job: `[tool.importlinter]` in pyproject.toml, run by `make lint` (`lint-imports`). What it
cannot see is checked here, on the source (nothing is imported):

- every package and top-level module has a place in the layers (a module missing from the
  layers contract would be constrained by nothing);
- a module loaded by name (`importlib.import_module("zonekeeper....")`, the CLI's lazy
  commands) obeys the same direction as a plain import.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import zonekeeper

ROOT = Path(zonekeeper.__file__).parent
PYPROJECT = ROOT.parent.parent / "pyproject.toml"


def _layers() -> list[list[str]]:
    """The layers contract's layers, top first, each a list of sibling names."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [
        [name.strip().strip("()") for name in layer.replace(":", "|").split("|")]
        for layer in layers["layers"]
    ]


def _level(name: str) -> int | None:
    for index, siblings in enumerate(_layers()):
        if name in siblings:
            return index
    return None


def _top(module: str) -> str | None:
    """The package or top-level module of a dotted `zonekeeper.` name."""
    parts = module.split(".")
    return parts[1] if parts[0] == "zonekeeper" and len(parts) > 1 else None


def _loaded_by_name(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of each `import_module` call with a literal name (an f-string's
    literal head: f"zonekeeper.cli.{name}" -> zonekeeper.cli)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name != "import_module":
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node.lineno, first.value
        elif isinstance(first, ast.JoinedStr) and first.values:
            head = first.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                yield node.lineno, head.value.rstrip(".")


def test_every_package_has_a_place() -> None:
    here = {p.stem if p.suffix == ".py" else p.name for p in ROOT.iterdir()
            if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    placed = {name for layer in _layers() for name in layer}
    assert here <= placed, f"not in the layers contract: {sorted(here - placed)}"


def test_the_scan_sees_import_module() -> None:
    found = {module for _, module in _loaded_by_name(ROOT / "cli" / "__init__.py")}
    assert "zonekeeper.cli" in found


def test_modules_loaded_by_name_follow_the_direction() -> None:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        mine = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for line, module in _loaded_by_name(path):
            target = _top(module)
            if target is None or target == mine:
                continue
            low, high = _level(target), _level(mine)
            if low is None or high is None or low <= high:
                wrong.append(f"{rel}:{line} loads {module} by name")
    assert not wrong, "against the dependency direction:\n" + "\n".join(wrong)
