"""What the books can hold is the same on SQLite and PostgreSQL (`zone.limits`): an
admission line outside 1..2,147,483,647, an identifier over 100 characters (the lot a
production names by default included), a zone number over 32 or a site over 200
characters, text with a NUL character or a lone surrogate — each is a problem naming the
field, from a file (exit 2, nothing posted) and from a Python caller alike, never a
database error; and the integer cells take ASCII digits only."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.app.books import Ledger
from zonekeeper.cli import application
from zonekeeper.errors import InputError, Problem
from zonekeeper.zone.events import Admission, Production, SuspenseReceipt
from zonekeeper.zone.limits import ID, LINE_MAX
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ZoneStatus

app = application()
runner = CliRunner()
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
DAY = dt.date(2026, 8, 3)
ADMIT = "admission_no,line,date,part,quantity,value,status"


def _cli(url: str, *args: str) -> tuple[int, list[Problem]]:
    """Run a command in-process: 0, or 2 with the problems (an InputError); anything else
    (a traceback) fails the test."""
    result = runner.invoke(app, ["--database-url", url, *args])
    if result.exit_code == 0:
        return 0, []
    assert isinstance(result.exception, InputError), (result.output, result.exception)
    return 2, list(result.exception.problems)


def _zone(url: str, folder: Path) -> None:
    parts = folder / "parts.csv"
    parts.write_text("part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
                     "K,Kit,8537.10.91.70,DE,No.\n")
    bom = folder / "bom.csv"
    bom.write_text("product,component,quantity_per_unit\nK,W,1\n")
    assert _cli(url, "init", "--zone", "49")[0] == 0
    assert _cli(url, "parts", "load", str(parts))[0] == 0
    assert _cli(url, "bom", "load", str(bom))[0] == 0


def _balances(url: str) -> object:
    result = runner.invoke(app, ["--database-url", url, "balance", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _where(problems: list[Problem]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.field) for p in problems}


def test_admission_lines_are_bounded_alike_on_both_databases(
    database_url: str, tmp_path: Path
) -> None:
    _zone(database_url, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{ADMIT}\nA,0,2026-08-03,W,1,1,NPF\nA,{LINE_MAX + 1},2026-08-03,W,1,1,NPF\n"
                   f"A,{2**64},2026-08-03,W,1,1,NPF\nA,{2**64 - 1},2026-08-03,W,1,1,NPF\n")
    code, problems = _cli(database_url, "admit", str(bad))
    assert code == 2 and _where(problems) == {(2, "line"), (3, "line"), (4, "line"), (5, "line")}
    assert _balances(database_url) == []
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"admission_no": "A", "line": LINE_MAX, "date": "2026-08-03",
                                "part": "W", "quantity": 1, "value": 1, "status": "NPF"}))
    assert _cli(database_url, "admit", str(good)) == (0, [])
    [lot] = _balances(database_url)  # type: ignore[misc]
    assert lot["line"] == LINE_MAX and lot["lot"] == f"A/{LINE_MAX}"


def test_a_python_caller_gets_the_same_line_problem(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        books.load_master([Part("W", "Widget", "8537109170", "DE", "No.", DAY)])
        for line in (2**64, LINE_MAX + 1, 0):
            event = Admission("A", line, DAY, "W", Decimal(1), Decimal(1), NPF)
            with pytest.raises(InputError) as refused:
                books.post([event])
            assert [p.field for p in refused.value.problems] == ["line"]
        assert books.balances() == []


@pytest.mark.parametrize("cell", ["1_0", "٣", "１２", "+", "1.5", "$3", "1e3"])
def test_integer_cells_take_ascii_digits_only(
    database_url: str, tmp_path: Path, cell: str
) -> None:
    _zone(database_url, tmp_path)
    bad = tmp_path / "adm.csv"
    bad.write_text(f"{ADMIT}\nA,{cell},2026-08-03,W,1,1,NPF\n", encoding="utf-8")
    code, problems = _cli(database_url, "admit", str(bad))
    assert code == 2 and _where(problems) == {(2, "line")}


def test_whole_numbers_as_written_are_accepted(database_url: str, tmp_path: Path) -> None:
    _zone(database_url, tmp_path)
    good = tmp_path / "adm.csv"
    good.write_text(f"{ADMIT}\nA,1000,2026-08-03,W,1,1,NPF\nA,\"2,000\",2026-08-03,W,1,1,NPF\n"
                    "A, 7 ,2026-08-03,W,1,1,NPF\n")
    assert _cli(database_url, "admit", str(good)) == (0, [])
    assert sorted(lot["line"] for lot in _balances(database_url)) == [7, 1000, 2000]  # type: ignore[attr-defined]


LONG = "X" * (ID + 1)
FITS = "Y" * ID


@pytest.mark.parametrize(
    ("name", "body", "where"),
    [
        ("admission_no", f"{ADMIT}\n{LONG},1,2026-08-03,W,1,1,NPF\n", (2, "admission_no")),
        ("part", f"{ADMIT}\nA,1,2026-08-03,{LONG},1,1,NPF\n", (2, "part")),
        ("lot", f"{ADMIT},lot\nA,1,2026-08-03,W,1,1,NPF,{LONG}\n", (2, "lot")),
        ("suspense_ref", f"{ADMIT},suspense_ref\nA,1,2026-08-03,W,1,1,NPF,{LONG}\n",
         (2, "suspense_ref")),
        ("default lot", f"{ADMIT}\n{FITS},1,2026-08-03,W,1,1,NPF\n", (2, "admission_no")),
    ],
)
def test_admission_identifiers_over_the_limit_are_refused(
    database_url: str, tmp_path: Path, name: str, body: str, where: tuple[int, str]
) -> None:
    _zone(database_url, tmp_path)
    bad = tmp_path / "adm.csv"
    bad.write_text(body)
    code, problems = _cli(database_url, "admit", str(bad))
    assert code == 2 and _where(problems) == {where}, problems
    assert "at most 100" in problems[0].message
    assert _balances(database_url) == []


def test_the_longest_identifiers_are_stored(database_url: str, tmp_path: Path) -> None:
    _zone(database_url, tmp_path)
    good = tmp_path / "adm.csv"
    good.write_text(f"{ADMIT},lot\n{FITS},1,2026-08-03,W,1,1,NPF,{'L' * ID}\n"
                    f"{'Z' * (ID - 2)},1,2026-08-03,W,1,1,NPF,\n")
    assert _cli(database_url, "admit", str(good)) == (0, [])
    assert {lot["lot"] for lot in _balances(database_url)} == {"L" * ID, f"{'Z' * (ID - 2)}/1"}  # type: ignore[attr-defined]


def test_a_production_number_that_makes_a_long_lot_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    _zone(database_url, tmp_path)
    adm = tmp_path / "adm.csv"
    adm.write_text(f"{ADMIT}\nA,1,2026-08-03,W,5,5,NPF\n")
    assert _cli(database_url, "admit", str(adm))[0] == 0
    prod = tmp_path / "prod.csv"
    prod.write_text(f"production_no,date,product,quantity\n{'P' * (ID - 1)},2026-08-04,K,1\n")
    code, problems = _cli(database_url, "produce", str(prod))
    assert code == 2 and _where(problems) == {(2, "lot")}
    assert "production number" in problems[0].message
    prod.write_text(f"production_no,date,product,quantity,lot\n{'P' * 300},2026-08-04,K,1,P1\n")
    assert _cli(database_url, "produce", str(prod)) == (0, [])


@pytest.mark.parametrize(
    ("file", "body", "where"),
    [
        ("parts.csv", f"part,hts,origin\n{LONG},8537.10.91.70,DE\n", (2, "part")),
        ("bom.csv", f"product,component,quantity_per_unit\n{LONG},W,1\n", (2, "product")),
        ("bom.csv", f"product,component,quantity_per_unit\nK,{LONG},1\n", (2, "component")),
        ("suspense.csv", f"ref,date,part,quantity\n{LONG},2026-08-03,W,1\n", (2, "ref")),
    ],
)
def test_master_and_suspense_identifiers_over_the_limit_are_refused(
    database_url: str, tmp_path: Path, file: str, body: str, where: tuple[int, str]
) -> None:
    _zone(database_url, tmp_path)
    path = tmp_path / f"bad-{file}"
    path.write_text(body)
    command = {"parts.csv": ["parts", "load"], "bom.csv": ["bom", "load"],
               "suspense.csv": ["suspense"]}[file]
    code, problems = _cli(database_url, *command, str(path))
    assert code == 2 and _where(problems) == {where}, problems


def test_a_python_caller_gets_the_identifier_problems(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        with pytest.raises(InputError) as refused:
            books.load_master([Part(LONG, "", "8537109170", "DE", "No.", DAY)])
        assert [p.field for p in refused.value.problems] == ["part"]
        books.load_master([Part("W", "", "8537109170", "DE", "No.", DAY),
                           Part(FITS, "", "8537109170", "DE", "No.", DAY)])
        with pytest.raises(InputError) as refused:
            books.load_master(boms=[Bom("W", DAY, (BomLine(LONG, Decimal(1)),))])
        assert ("component", ) == tuple({p.field for p in refused.value.problems})
        with pytest.raises(InputError) as refused:
            books.post([SuspenseReceipt(DAY, LONG, "W", Decimal(1))])
        assert [p.field for p in refused.value.problems] == ["ref"]
        events = [Admission(FITS, 1, DAY, "W", Decimal(1), Decimal(1), NPF),
                  Production(DAY, "R" * (ID - 1), "W", Decimal(1))]
        with pytest.raises(InputError) as refused:
            books.post(events)
        assert [(p.row, p.field) for p in refused.value.problems] == [
            (1, "admission_no"), (2, "lot")]
        assert books.balances() == []


def test_a_scrap_lot_over_the_limit_is_refused(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        component = "C" * (ID - 5)  # its scrap part, C...-SCRAP, would be 101 characters
        books.load_master([Part(component, "", "8537109170", "DE", "No.", DAY),
                           Part("K", "", "8537109170", "DE", "No.", DAY)],
                          [Bom("K", DAY, (BomLine(component, Decimal(1), scrap=Decimal("0.1")),))])
        books.post([Admission("A", 1, DAY, component, Decimal(10), Decimal(10), NPF)])
        with pytest.raises(InputError) as refused:
            books.post([Production(DAY, "R", "K", Decimal(1), lot="Q")])
        assert [p.field for p in refused.value.problems] == ["lot"]
        assert "scrap" in refused.value.problems[0].message


@pytest.mark.parametrize(
    ("option", "value"), [("--zone", "Z" * 33), ("--site", "S" * 201), ("--zone", "4\x009"),
                          ("--site", "a\ud800b")])
def test_init_refuses_a_zone_or_site_the_books_cannot_hold(
    database_url: str, option: str, value: str
) -> None:
    args = ["init", "--zone", "49", option, value] if option == "--site" else [
        "init", "--zone", value]
    code, problems = _cli(database_url, *args)
    assert code == 2 and [p.field for p in problems] == [option]
    assert _cli(database_url, "init", "--zone", "Z" * 32, "--site", "S" * 200) == (0, [])


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "nul\u0000here"])
def test_unstorable_text_in_a_json_cell_is_refused(
    database_url: str, tmp_path: Path, text: str
) -> None:
    _zone(database_url, tmp_path)
    bad = tmp_path / "adm.jsonl"
    row = {"admission_no": "A", "line": 1, "date": "2026-08-03", "part": "W", "quantity": 1,
           "value": 1, "status": "NPF", "description": text}
    bad.write_text(json.dumps(row) + "\n" + json.dumps({**row, "line": 2, text: "x"}) + "\n")
    code, problems = _cli(database_url, "admit", str(bad))
    assert code == 2 and {p.row for p in problems} == {1, 2}
    assert (1, "description") in _where(problems)
    assert _balances(database_url) == []
    for problem in problems:
        str(problem).encode("utf-8")  # every message can be printed


@pytest.mark.parametrize("text", ["\ud800", "nul\u0000here"])
def test_a_python_caller_gets_the_text_problem(database_url: str, text: str) -> None:
    """One check for every caller: what PostgreSQL refuses, SQLite refuses too."""
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        with pytest.raises(InputError) as refused:
            books.load_master([Part("W", text, "8537109170", "DE", "No.", DAY)])
        assert [p.field for p in refused.value.problems] == ["description"]
        books.load_master([Part("W", "", "8537109170", "DE", "No.", DAY)])
        with pytest.raises(InputError) as refused:
            books.post([Admission("A", 1, DAY, "W", Decimal(1), Decimal(1), NPF, lot=text)])
        assert [p.field for p in refused.value.problems] == ["lot"]
        assert books.balances() == []
