"""The ledger commands end to end: files in, balances out, bad input exit 2 with every
problem located, verify exit 0 / 1."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from zk_store_samples import app, runner
from zk_store_samples import run_cli as _run

from zonekeeper.errors import InputError

FILES = {
    "parts.csv": "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
    "K,Kit,8537.10.91.70,DE,No.\n",
    "bom.csv": "product,component,quantity_per_unit,waste_pct\nK,W,2,0\n",
    "adm.csv": "admission_no,line,date,part,quantity,value,status\n"
    "A1,1,2026-08-03,W,10,100.00,NPF\nA1,2,2026-08-04,W,4,48.00,N\n",
    "prod.jsonl": '{"production_no": "P1", "date": "2026-08-04", "product": "K", "quantity": 2}\n',
    "ship.csv": "shipment_no,date,part,quantity,disposition,value\n"
    "S1,2026-08-05,W,7,consumption,20\n",
    "count.csv": "date,part,counted_quantity\n2026-08-06,W,2\n",
}


def _books(url: str, folder: Path) -> None:
    for name, body in FILES.items():
        (folder / name).write_text(body)
    steps = [
        ["init", "--zone", "49", "--method", "FIFO"],
        ["parts", "load", str(folder / "parts.csv")],
        ["bom", "load", str(folder / "bom.csv")],
        ["admit", str(folder / "adm.csv")],
        ["produce", str(folder / "prod.jsonl")],
        ["ship", str(folder / "ship.csv")],
        ["count", str(folder / "count.csv")],
    ]
    for step in steps:
        result = _run(url, *step)
        assert result.exit_code == 0, (step, result.output, result.exception)  # type: ignore[attr-defined]


def test_a_day_in_the_zone_from_files(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    result = runner.invoke(app, ["--database-url", database_url, "balance", "--json"])
    lots = {row["lot"]: row for row in json.loads(result.stdout)}
    assert set(lots) == {"A1/2", "P/P1"}
    assert lots["A1/2"] | {"description": None, "pf_date": None} == {
        "lot": "A1/2",
        "admission_no": "A1",
        "line": 2,
        "part": "W",
        "status": "NPF",
        "quantity": "2",  # 3 on the books, 2 counted: a shortage of 1 (146.53)
        "value": "24.00",
        "date": "2026-08-04",
        "origin": "DE",
        "description": None,
        "hts": "8537109170",
        "pf_date": None,
    }
    assert lots["P/P1"]["status"] == "NPF" and lots["P/P1"]["quantity"] == "2"
    history = json.loads(_run(database_url, "history", "A1/1", "--json").stdout)  # type: ignore[attr-defined]
    assert [p["movement"] for p in history["postings"]] == ["receipt", "consumed", "shipped"]
    assert _run(database_url, "verify").exit_code == 0  # type: ignore[attr-defined]
    past = json.loads(_run(database_url, "balance", "--as-of", "2026-08-03", "--json").stdout)  # type: ignore[attr-defined]
    assert [(r["lot"], r["quantity"]) for r in past] == [("A1/1", "10")]


def test_bad_rows_are_all_reported_and_nothing_is_posted(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "admission_no,line,date,part,quantity,value,status\n"
        "A2,1,2026-08-03,W,-1,1,NPF\nA2,2,2026-13-01,W,1,x,QQ\n"
    )
    result = _run(database_url, "admit", str(bad))
    assert isinstance(result.exception, InputError)  # type: ignore[attr-defined]
    where = {(p.row, p.field) for p in result.exception.problems}  # type: ignore[attr-defined]
    assert where == {(2, "quantity"), (3, "date"), (3, "value"), (3, "status")}
    over = tmp_path / "over.csv"
    over.write_text(
        "shipment_no,date,part,quantity,disposition,value\nS9,2026-08-09,W,50,export,1\n"
    )
    refused = _run(database_url, "ship", str(over))
    assert isinstance(refused.exception, InputError)  # type: ignore[attr-defined]
    assert refused.exception.problems[0].row == 2  # type: ignore[attr-defined]
    assert _run(database_url, "verify").exit_code == 0  # type: ignore[attr-defined]


def test_verify_exits_1_and_names_a_tampered_event(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            # event 4: the first admission, after init, parts load and bom load
            text("UPDATE events SET payload = replace(payload, '\"10\"', '\"11\"') WHERE seq = 4")
        )
    engine.dispose()
    result = _run(database_url, "verify", "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["mismatch"]["seq"] == 4  # type: ignore[attr-defined]


def test_the_installed_command_exits_2_on_bad_input(tmp_path: Path) -> None:
    db = str(tmp_path / "z.db")
    zk = [sys.executable, "-m", "zonekeeper", "--db", db]
    assert subprocess.run([*zk, "init", "--zone", "1"], capture_output=True).returncode == 0
    bad = tmp_path / "parts.csv"
    bad.write_text("part,hts,origin,colour\nW,85X,Germany,red\n")
    result = subprocess.run([*zk, "parts", "load", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "row 2:hts" in result.stderr and "row 2:origin" in result.stderr
    assert "colour" in result.stderr


def test_annual_reports_read_the_stored_postings(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    reconciliation = json.loads(
        _run(database_url, "reconcile", "--year", "2026", "--json").stdout  # type: ignore[attr-defined]
    )
    assert reconciliation["start"] == "2026-01-01" and reconciliation["lots"]
    assert {"lot", "opening", "receipts", "closing"} <= set(reconciliation["lots"][0])
    board = json.loads(
        _run(database_url, "report", "board", "--year", "2026", "--json").stdout  # type: ignore[attr-defined]
    )
    assert board["year"] == 2026 and board["received_foreign"] == "148.00"


def test_balance_by_part_and_status(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    result = runner.invoke(
        app, ["--database-url", database_url, "balance", "--by", "part", "--json"]
    )
    assert result.exit_code == 0, result.output
    lots = json.loads(
        runner.invoke(app, ["--database-url", database_url, "balance", "--json"]).stdout
    )
    by_part = json.loads(result.stdout)
    # one row per part and status, summing its lots
    assert {(r["part"], r["status"]) for r in by_part} == {(r["part"], r["status"]) for r in lots}
    for row in by_part:
        mine = [r for r in lots if (r["part"], r["status"]) == (row["part"], row["status"])]
        assert Decimal(row["quantity"]) == sum(Decimal(r["quantity"]) for r in mine)
    bad = runner.invoke(app, ["--database-url", database_url, "balance", "--by", "lots"])
    assert isinstance(bad.exception, InputError)


def test_reconcile_table_fits_80_columns(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    result = runner.invoke(
        app, ["--database-url", database_url, "reconcile", "--year", "2026"],
        env={"COLUMNS": "80"},
    )
    header = next(line for line in result.stdout.splitlines() if "open" in line)
    for name in ("lot", "part", "st", "open", "in", "out", "adj+", "adj-", "close"):
        assert f" {name} " in header, header


STEEL = {  # goods within Section 232 (metals annex 1a, PF required from 2026-04-06) only if
    # their content says so, which an admission row does not carry
    "parts.csv": "part,description,hts,origin,unit\nSCREW,Steel article,7326.90.86.88,DE,No.\n",
    "adm.csv": "admission_no,line,date,part,quantity,value,status\n"
    "A9,1,2026-09-15,SCREW,10,1000.00,NPF\n",
}


def test_strict_pf_turns_the_section_232_warning_of_admit_into_a_refusal(
    database_url: str, tmp_path: Path
) -> None:
    """`admit --strict-pf` (docs/files.md): an NPF admission of goods a Section 232 measure
    may require in PF is refused, nothing posted; without it the admission is posted with a
    warning to check the Form 214."""
    for name, body in STEEL.items():
        (tmp_path / name).write_text(body)
    adm = str(tmp_path / "adm.csv")
    for step in (["init", "--zone", "49"], ["parts", "load", str(tmp_path / "parts.csv")]):
        assert _run(database_url, *step).exit_code == 0  # type: ignore[attr-defined]
    for strict in (["--strict-pf", "--dry-run"], ["--strict-pf"]):
        refused = _run(database_url, "admit", *strict, adm)  # exit 2 from the entry point
        assert isinstance(refused.exception, InputError), refused.output  # type: ignore[attr-defined]
        assert "row 2:status" in str(refused.exception)  # type: ignore[attr-defined]
        assert "9903.82.02" in str(refused.exception)  # type: ignore[attr-defined]
    assert json.loads(_run(database_url, "balance", "--json").stdout) == []  # type: ignore[attr-defined]
    posted = _run(database_url, "admit", adm)
    assert posted.exit_code == 0, posted.output  # type: ignore[attr-defined]
    assert "warning:" in posted.stderr and "9903.82.02" in posted.stderr  # type: ignore[attr-defined]
    assert [r["lot"] for r in json.loads(_run(database_url, "balance", "--json").stdout)] == [  # type: ignore[attr-defined]
        "A9/1"]
