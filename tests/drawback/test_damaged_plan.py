"""`drawback claim` refuses a plan whose values no plan can hold — even one sealed again
with a matching digest — with a problem (exit 2), never a traceback (found by the
importers' fuzz): a lone surrogate (no UTF-8 form, so no digest), a list of texts that is
not, a reference that is not text, a number that is NaN, infinite or beyond any figure of
the books."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import seal_plan

app = application()
runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples" / "drawback"


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    result = runner.invoke(app, ["drawback", "plan", "--imports", str(EXAMPLES / "imports.csv"),
                                 "--exports", str(EXAMPLES / "exports.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "sealed"),
    [
        (("claim_type",), "\ud800", False),
        (("designations", 0, "components"), "duty", True),
        (("designations", 0, "reasons"), [None], True),
        (("notes",), [1, 2], True),
        (("note_codes",), ["drawback.plan.basis", "x", "y", "z", "w", "v", "u"], True),
        (("note_codes",), [None], True),
        (("designations", 0, "quantity"), "NaN", True),
        (("designations", 0, "refund_per_unit_exact"), "Infinity", True),
        (("designations", 0, "quantity"), "9" * 40, True),
        (("designations", 0, "import_line"), True, True),
        (("designations", 0, "production_ref"), [1], True),
        (("demand_quantity", 0, "production_ref"), {"a": 1}, True),
    ],
)
def test_a_damaged_plan_is_refused_with_a_problem(
    plan: dict[str, Any], tmp_path: Path, path: tuple[Any, ...], value: Any, sealed: bool
) -> None:
    data = _set(plan, path, value)
    if sealed:
        data = seal_plan(data)
    file = tmp_path / "plan.json"
    file.write_text(json.dumps(data))  # ASCII: a lone surrogate written as \ud800
    result = runner.invoke(app, ["drawback", "claim", str(file), "--out", str(tmp_path / "o")])
    assert isinstance(result.exception, InputError), (result.output, result.exception)
    assert all(p.file == str(file) for p in result.exception.problems)
    for problem in result.exception.problems:
        str(problem).encode("utf-8")
    assert not (tmp_path / "o").exists()


def test_the_plan_itself_still_makes_a_claim(plan: dict[str, Any], tmp_path: Path) -> None:
    file = tmp_path / "plan.json"
    file.write_text(json.dumps(plan))
    result = runner.invoke(app, ["drawback", "claim", str(file), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, (result.output, result.exception)
