"""A part the master does not know is an unknown part, named as such: a shipment or a
count of one is a typo to fix, not a shortage of a real part (which would send a clerk
looking for goods that never existed). On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from zk_store_samples import run_cli as _run

from zonekeeper.errors import InputError

PARTS = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
ADMIT = "admission_no,line,date,part,quantity,value,status\nA-1,1,2026-08-03,W,10,100,N\n"


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> str:
    for name, text in (("parts.csv", PARTS), ("adm.csv", ADMIT)):
        (tmp_path / name).write_text(text)
    assert _run(database_url, "init", "--zone", "9").exit_code == 0
    assert _run(database_url, "parts", "load", str(tmp_path / "parts.csv")).exit_code == 0
    assert _run(database_url, "admit", str(tmp_path / "adm.csv")).exit_code == 0
    return database_url


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("ship", "shipment_no,date,part,quantity,disposition,value\n"
                 "S1,2026-08-06,WIDGTE,1,consumption,20\n"),
        ("count", "date,part,counted_quantity\n2026-08-06,WIDGTE,3\n"),
    ],
)
def test_an_unknown_part_is_named_unknown_not_short(
    books: str, tmp_path: Path, command: str, text: str
) -> None:
    path = tmp_path / f"{command}.csv"
    path.write_text(text)
    result = _run(books, command, str(path))
    assert isinstance(result.exception, InputError), result.output
    [problem] = result.exception.problems
    assert (problem.row, problem.field) == (2, "part")
    assert problem.message == "unknown part 'WIDGTE': it is not in the part master"


def test_a_known_part_short_on_hand_is_still_a_shortage(books: str, tmp_path: Path) -> None:
    path = tmp_path / "ship.csv"
    path.write_text("shipment_no,date,part,quantity,disposition,value\n"
                    "S1,2026-08-06,W,11,consumption,20\n")
    result = _run(books, "ship", str(path))
    assert isinstance(result.exception, InputError), result.output
    [problem] = result.exception.problems
    assert "not enough W" in problem.message and "need 11, have 10" in problem.message


def test_a_part_counted_twice_in_one_file_is_refused_and_nothing_is_posted(
    books: str, tmp_path: Path
) -> None:
    """Two counts of W on two days, the second a lot of it: the file was posted and the
    second silently overwrote what the first had spread (exit 0); now it is refused with
    both rows named, and the books are unchanged."""
    before = _run(books, "balance", "--json").stdout
    path = tmp_path / "count.csv"
    path.write_text("date,part,counted_quantity,lot\n2026-08-06,W,8,\n2026-08-07,W,10,A-1/1\n")
    result = _run(books, "count", str(path))
    assert isinstance(result.exception, InputError), result.output
    [problem] = result.exception.problems
    assert (problem.row, problem.field, problem.code) == (3, "part", "count.part-twice")
    assert "counted on row 2 and again on this row" in problem.message
    assert _run(books, "balance", "--json").stdout == before
