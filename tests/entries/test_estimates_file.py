"""The filed 3461 estimates file (`entry weekly --estimates`): read by the shared tabular
reader, so a short row, an empty part or a bad cell is a located problem, never a crash."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zonekeeper.errors import InputError
from zonekeeper.io.documents import estimate_json, read_estimates


def test_estimates_are_grouped_by_week_filing_and_supplemental() -> None:
    text = (
        "Week,Filed_On,Part,Quantity,Supplemental,HTS\n"
        "2026-W32,2026-08-03,F001,100,,8418690180\n"
        "2026-W32,2026-08-03,F002,50,no,\n"
        "2026-W32,2026-08-06,F001,20,yes,8418690180\n"
    )
    [original, supplemental] = read_estimates(text, "est.csv")
    assert (original.filed_on, original.supplemental) == (dt.date(2026, 8, 3), False)
    assert [(line.part, line.quantity) for line in original.lines] == [
        ("F001", Decimal(100)), ("F002", Decimal(50))
    ]
    assert supplemental.supplemental and supplemental.lines[0].hts == "8418690180"
    # The file carries units only: its values are not known, never 0.
    assert {(line.zone_value, line.dutiable_value) for line in original.lines} == {(None, None)}
    shown = estimate_json(original)["lines"][0]
    assert (shown["zone_value"], shown["dutiable_value"]) == (None, None)


def test_a_short_row_and_an_empty_part_are_located_problems() -> None:
    text = (
        "week,filed_on,part,quantity\n"
        "2026-W32,2026-08-03\n"
        "2026-W32,2026-08-03,,5\n"
        "2026-W32,2026-08-03,F001,0\n"
    )
    with pytest.raises(InputError) as refused:
        read_estimates(text, "est.csv")
    assert [(p.file, p.row) for p in refused.value.problems] == [
        ("est.csv", 2), ("est.csv", 3), ("est.csv", 4)
    ]
    assert refused.value.problems[1].field == "part"
