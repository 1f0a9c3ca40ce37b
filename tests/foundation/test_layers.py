"""The dependency direction (docs/internals.md "Dependency direction"), checked on the source.

Every module under `src/zonekeeper` is parsed (nothing is imported) and every import it makes
is collected: top-level and inside functions, relative ones resolved, and the literal names
given to `importlib.import_module`. Then:

- only `store/` speaks SQL: nothing outside it imports `sqlalchemy` or `zonekeeper.store.schema`
  (the services call the store's functions: `store.reads`, `store.projections`, ...);
- each package imports only the packages the direction allows (`tariff` only the shared
  foundation, so the tariff's shell module `tariff/store.py` reads its files itself and never
  reaches into `io`; `cli` never `store`; ...).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import zonekeeper

ROOT = Path(zonekeeper.__file__).parent
SHARED = frozenset({"money", "errors", "workdays"})
CORE = frozenset({"tariff", "duty", "zone", "drawback"})
ALLOWED: dict[str, frozenset[str]] = {
    "tariff": frozenset(),
    "duty": frozenset({"tariff"}),
    "zone": frozenset({"tariff", "duty"}),
    "drawback": frozenset({"tariff", "duty"}),
    "store": frozenset({"tariff", "duty", "zone"}),
    "io": CORE,
    "services": CORE | {"store", "io"},
    "classify": frozenset(),  # pure scorer + the loader of its shipped index
    "cli": CORE | {"services", "io", "classify"},
}
SQL = ("sqlalchemy", "zonekeeper.store.schema")


def _modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def _package(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted module) of every import in the file; `from a import b` yields both `a`
    and `a.b` (b may be a module: `from zonekeeper.store import schema`)."""
    rel = path.relative_to(ROOT)
    here = ["zonekeeper", *rel.with_suffix("").parts]  # level 1 drops the last part
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level] + [node.module or ""]).rstrip(".")
            else:
                base = node.module or ""
            yield node.lineno, base
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{base}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            == "import_module"
            and node.args
        ):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value
            elif isinstance(first, ast.JoinedStr) and first.values:
                head = first.values[0]  # f"zonekeeper.cli.{name}": the literal prefix
                if isinstance(head, ast.Constant) and isinstance(head.value, str):
                    yield node.lineno, head.value.rstrip(".")


def _is(module: str, target: str) -> bool:
    return module == target or module.startswith(target + ".")


def _where(path: Path, line: int, module: str) -> str:
    return f"{path.relative_to(ROOT.parent)}:{line} imports {module}"


def _first_per_line(found: list[str]) -> list[str]:
    """One report per import statement (`from a import b, c` yields a, a.b and a.c)."""
    seen: dict[str, str] = {}
    for text in found:
        seen.setdefault(text.split(" imports ")[0], text)
    return list(seen.values())


def test_the_scan_sees_every_kind_of_import() -> None:
    """The collector itself: lazy, relative and `import_module` imports are all found."""
    found = {m for _, m in _imports(ROOT / "services" / "ledger.py")}
    assert "zonekeeper.tariff.spi" in found  # importlib.import_module("...")
    assert "zonekeeper.store.reads" in found
    found = {m for _, m in _imports(ROOT / "services" / "entries.py")}
    assert "zonekeeper.services.ledger.Ledger" in found  # inside a function
    assert any(p.parts[-2] == "store" for p in _modules())


def test_only_the_store_speaks_sql() -> None:
    wrong = [
        _where(path, line, module)
        for path in _modules()
        if _package(path) != "store"
        for line, module in _imports(path)
        if any(_is(module, target) for target in SQL)
    ]
    wrong = _first_per_line(wrong)
    assert not wrong, "SQL outside store/ (move the query into a store function):\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependency_direction(package: str) -> None:
    wrong = []
    for path in _modules():
        if _package(path) != package:
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "zonekeeper" or len(parts) < 2:
                continue
            target = parts[1]
            if target in SHARED or target == package or target not in ALLOWED:
                continue  # the foundation, itself, or not a package (`zonekeeper.__version__`)
            if target not in ALLOWED[package]:
                wrong.append(_where(path, line, module))
    wrong = _first_per_line(wrong)
    assert not wrong, f"{package} may import only {sorted(ALLOWED[package] | SHARED)}:\n" + (
        "\n".join(wrong)
    )


def test_every_package_has_a_place() -> None:
    """A new package must be placed in the direction (ALLOWED) before it is checked."""
    packages = {_package(p) for p in _modules() if len(p.relative_to(ROOT).parts) > 1}
    assert packages <= ALLOWED.keys(), sorted(packages - ALLOWED.keys())


def test_the_shared_foundation_imports_no_package() -> None:
    wrong = [
        _where(path, line, module)
        for path in _modules()
        if _package(path) in SHARED
        for line, module in _imports(path)
        if module.split(".")[0] == "zonekeeper"
        and len(module.split(".")) > 1
        and module.split(".")[1] in ALLOWED
    ]
    assert not wrong, "\n".join(wrong)
