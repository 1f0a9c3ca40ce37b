"""The classification bench's miss profile: where the right subheading or heading ranks
among all of them, so that a miss is told apart as the ranking's (near) or the evidence's
(nowhere)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from zonekeeper.classify.core import Index, ScheduleLine

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.classify_bench import depth_table, gold_rank, groups_of  # noqa: E402

LINES = [
    ScheduleLine("7324100010", ("Sanitary ware of iron or steel", "Sinks of stainless steel",
                                "Stainless steel sinks with drawn bowls"), "3.4%"),
    ScheduleLine("7323930060", ("Table, kitchen or other household articles of iron or steel",
                                "Of stainless steel", "Kitchen ware"), "2%"),
    ScheduleLine("0712904020", ("Dried vegetables", "Garlic", "Powder or flour"), "29.8%"),
]


def test_gold_rank_counts_the_groups_that_score_higher() -> None:
    index = Index.build(LINES, [])
    groups = groups_of(index, 6)
    assert groups[0] == ["071290", "732393", "732410"]
    scores = np.asarray([0.9, 0.5, 0.7], dtype=np.float32)
    assert gold_rank(scores, groups, ["7324100010"]) == 0
    assert gold_rank(scores, groups, ["7323930060"]) == 2
    assert gold_rank(scores, groups, ["7323930060", "0712904020"]) == 1  # the best gold
    assert gold_rank(scores, groups, ["8501100000"]) is None  # not in the index
    assert gold_rank(None, groups, ["7324100010"]) is None  # nothing scored


def test_depth_table_reports_each_level_and_the_rows_not_found() -> None:
    index = Index.build(LINES, [])
    rows = [("stainless steel sink with drawn bowls", ["7324100010"]),
            ("garlic powder", ["0712904020"]),
            ("stainless steel kitchen ware", ["8501100000"])]
    table = depth_table(index, rows).splitlines()
    assert table[2].startswith("| 6-digit | 66.7% |")
    assert table[2].endswith("| 1 |")  # the third row's code is in no group
    assert table[3].startswith("| 4-digit | 66.7% |")
