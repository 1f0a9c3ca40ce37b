"""The filed 3461 estimates file (`entry weekly --estimates`): read by the zone files'
reader, so a short row, an empty part, a bad cell or an unknown column is a located
problem, never a crash and never a silent default."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from zonekeeper.app.outputs.entries import Estimate
from zonekeeper.errors import InputError
from zonekeeper.io.documents import read_estimates


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "est.csv"
    path.write_text(text)
    return path


def test_estimates_are_grouped_by_week_filing_and_supplemental(tmp_path: Path) -> None:
    path = _file(tmp_path,
        "Week,Filed_On,Part,Quantity,Supplemental,HTS\n"
        "2026-W32,2026-08-03,F001,100,,8418690180\n"
        "2026-W32,2026-08-03,F002,50,no,\n"
        "2026-W32,2026-08-06,F001,20,yes,8418690180\n"
    )
    [original, supplemental] = read_estimates(path)
    assert (original.filed_on, original.supplemental) == (dt.date(2026, 8, 3), False)
    assert [(line.part, line.quantity) for line in original.lines] == [
        ("F001", Decimal(100)), ("F002", Decimal(50))
    ]
    assert supplemental.supplemental and supplemental.lines[0].hts == "8418690180"
    # The file carries units only: its values are not known, never 0.
    assert {(line.zone_value, line.dutiable_value) for line in original.lines} == {(None, None)}
    shown = Estimate.of(original).document()["lines"][0]
    assert (shown["zone_value"], shown["dutiable_value"]) == (None, None)


def test_a_short_row_and_an_empty_part_are_located_problems(tmp_path: Path) -> None:
    path = _file(tmp_path,
        "week,filed_on,part,quantity\n"
        "2026-W32,2026-08-03\n"
        "2026-W32,2026-08-03,,5\n"
        "2026-W32,2026-08-03,F001,0\n"
    )
    with pytest.raises(InputError) as refused:
        read_estimates(path)
    assert {(p.file, p.row) for p in refused.value.problems} == {
        (str(path), 2), (str(path), 3), (str(path), 4)
    }
    assert ("part", 3) in {(p.field, p.row) for p in refused.value.problems}


def test_every_bad_cell_is_named_and_nothing_is_guessed(tmp_path: Path) -> None:
    """A bad filing date names its column; a second bad cell on the row is reported too;
    `ja` is neither yes nor no (it used to mean "not supplemental"); an unknown column
    (a misspelt `supplemental`) is refused rather than ignored."""
    path = _file(tmp_path,
        "week,filed_on,part,quantity,supplemental\n"
        "2026-W99,bad,F001,5,no\n"
        "2026-W32,2026-08-03,F001,5,ja\n"
    )
    with pytest.raises(InputError) as refused:
        read_estimates(path)
    assert {(p.row, p.field) for p in refused.value.problems} == {
        (2, "week"), (2, "filed_on"), (3, "supplemental")
    }
    misspelt = _file(
        tmp_path, "week,filed_on,part,quantity,suplemental\n2026-W32,2026-08-03,F001,5,y\n"
    )
    with pytest.raises(InputError) as refused:
        read_estimates(misspelt)
    assert [p.field for p in refused.value.problems] == ["suplemental"]
