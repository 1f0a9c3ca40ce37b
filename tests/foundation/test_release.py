"""What a new user meets first: the licence, `--version`, and versions that install beside
other software (ranges in pyproject.toml) yet reproduce the tested set (the lock files)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import zonekeeper

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)")


def _pins(name: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        found = PIN.match(line.strip())
        if found:
            pins[canonicalize_name(found[1])] = found[2]
    return pins


def test_licence_file_matches_the_declared_licence() -> None:
    assert PYPROJECT["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text


def test_version_option_prints_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zonekeeper", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"zonekeeper {zonekeeper.__version__}"


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("run.txt", ()), ("dev.txt", ("test", "lint")), ("bench.txt", ("test", "lint", "bench"))],
)
def test_every_declared_dependency_is_pinned_within_its_range(
    lock: str, extras: tuple[str, ...]
) -> None:
    pins = _pins(lock)
    declared = list(PYPROJECT["dependencies"])
    for extra in extras:
        declared += PYPROJECT["optional-dependencies"][extra]
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned in requirements/{lock}"
        assert requirement.specifier.contains(pins[name]), (
            f"requirements/{lock} pins {name}=={pins[name]} outside {requirement.specifier}"
        )


def test_runtime_dependencies_are_ranges_not_pins() -> None:
    # A library pinned exactly cannot install beside software that needs a neighbouring
    # version; the exact versions belong in the lock files.
    exact = [d for d in PYPROJECT["dependencies"] if "==" in d]
    assert exact == []


def test_the_demo_lock_holds_no_test_tools() -> None:
    assert not {"pytest", "hypothesis", "mypy", "ruff"} & set(_pins("run.txt"))
