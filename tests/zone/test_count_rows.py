"""A count file's rows as count events (`zone.counts.count_rows`): one pass over the file,
and a part counted twice in one file refused naming both rows, never one count silently
overwriting the other's lots."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
from zone_helpers import admit, day, zone

from zonekeeper.errors import InputError
from zonekeeper.zone.counts import count_events, count_rows
from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.posting import post


class Row(dict[str, Any]):
    """A parsed count row as `io.zone_files` hands it: values, its file and row."""

    file = "counts.csv"

    def __init__(self, row: int, on: str, part: str, counted: str, lot: str | None = None):
        super().__init__(date=day(on), part=part, counted_quantity=Decimal(counted), lot=lot)
        self.row = row


def _books() -> ZoneState:
    result = post(zone(), [
        admit("A1", 1, "2026-03-02", "BOLT", 10, 100),
        admit("A2", 1, "2026-03-03", "BOLT", 10, 100),
        admit("A3", 1, "2026-03-04", "TIRE", 4, 400),
    ])
    assert not result.problems
    return result.state


def test_a_part_counted_twice_is_refused_naming_both_rows() -> None:
    rows = [
        Row(2, "2026-03-09", "BOLT", "15"),
        Row(3, "2026-03-09", "TIRE", "4"),
        Row(4, "2026-03-10", "BOLT", "3"),  # by part again: would overwrite row 2's lots
        Row(5, "2026-03-10", "BOLT", "9", lot="A1/1"),  # a lot of a part counted by part
    ]
    found, lines, problems = count_rows(_books(), rows)
    assert [(p.row, p.field, p.code) for p in problems] == [
        (4, "part", "count.part-twice"), (5, "part", "count.part-twice")]
    assert all("counted on row 2 and again on this row" in p.message for p in problems)
    assert lines == [2, 2, 3]  # row 2 spread over A2/1 and A1/1, row 3 on A3/1
    assert [(c.lot, c.counted) for c in found] == [
        ("A2/1", Decimal(10)), ("A1/1", Decimal(5)), ("A3/1", Decimal(4))]
    with pytest.raises(InputError):
        count_events(_books(), rows)


def test_a_part_counted_lot_by_lot_then_by_part_is_refused_too() -> None:
    rows = [Row(2, "2026-03-09", "BOLT", "9", lot="A1/1"),
            Row(3, "2026-03-09", "BOLT", "10", lot="A2/1"),
            Row(4, "2026-03-09", "BOLT", "19")]
    _, lines, problems = count_rows(_books(), rows)
    assert lines == [2, 3]
    [problem] = problems
    assert (problem.row, problem.code) == (4, "count.part-twice")
    assert "counted on row 2" in problem.message


class _CountingPools(Mapping[Any, Any]):
    """The zone's pools, counting how often they are walked."""

    def __init__(self, pools: Mapping[Any, Any]) -> None:
        self.pools, self.walks = pools, 0

    def __getitem__(self, key: Any) -> Any:
        return self.pools[key]

    def __iter__(self) -> Iterator[Any]:
        self.walks += 1
        return iter(self.pools)

    def __len__(self) -> int:
        return len(self.pools)


def test_the_pools_are_walked_once_for_the_whole_file() -> None:
    """The lots on hand of each part are indexed once: walking every pool per row made a
    count file of n parts over a zone of n parts cost n^2."""
    pools = _CountingPools(_books().pools)
    state = dataclasses.replace(_books(), pools=pools)
    rows = [Row(2, "2026-03-09", "BOLT", "20"), Row(3, "2026-03-09", "TIRE", "4")]
    found, _, problems = count_rows(state, rows)
    assert not problems and len(found) == 3
    assert pools.walks == 1
