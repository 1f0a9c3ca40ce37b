"""The index build keeps out a subject-only ruling that may be the very source of an
evaluation or development row (`bench.classify_build._guarded`), both ways round: the
row's words within the subject, or a specific subject's words within the row."""

from __future__ import annotations

import sys
from pathlib import Path

from zonekeeper.classify.text import terms

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.classify_build import _guarded  # noqa: E402

ROWS = [set(terms(d)) for d in (
    "a liquid crystal lighting device",
    "Fluralaner (CAS No. 864731-61-3) in bulk powder form",
    "a men's knitted pullover made of 100% cotton with a rib knit spread collar",
)]


def test_a_word_for_word_subject_is_kept_out() -> None:
    assert _guarded("liquid crystal lighting device", ROWS)
    assert _guarded("Fluralaner (CAS No. 864731-61-3) in bulk powder form", ROWS)


def test_a_specific_subject_within_a_row_is_kept_out() -> None:
    assert _guarded("men's knitted cotton pullover", ROWS)  # four terms, all in the row


def test_a_short_generic_subject_stays() -> None:
    assert not _guarded("men’s pullover", ROWS)  # two terms: many rulings say as much
    assert not _guarded("wooden bookends", ROWS)
