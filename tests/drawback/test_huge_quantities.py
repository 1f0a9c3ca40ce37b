"""A drawback plan counts quantities as int64 units of 10^-6 (`plan.FLOW_LIMIT`): a quantity
the readers accept (below 10^15, six decimals) must still plan — with fewer decimals — rather
than overflow (found by the importers' fuzz)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zonekeeper.cli import application

app = application()
runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples" / "drawback"


def test_the_largest_quantity_a_file_may_hold_plans(tmp_path: Path) -> None:
    imports = tmp_path / "imports.csv"
    text = (EXAMPLES / "imports.csv").read_text()
    imports.write_text(text.replace(",1000,No.,20000.00,", ",999999999999999.999999,No.,20000.00,"))
    assert "999999999999999.999999" in imports.read_text()
    result = runner.invoke(app, ["drawback", "plan", "--imports", str(imports), "--exports",
                                 str(EXAMPLES / "exports.csv"), "--type", "j1", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    plan = json.loads(result.stdout)
    assert plan["designations"]
