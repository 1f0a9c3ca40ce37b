"""The index build keeps out a subject-only ruling that may be the very source of an
evaluation or development row (`bench.classify_build._guarded`), both ways round: the
row's words within the subject, or a specific subject's words within the row; and it reads
CROSS search results (`_page_rulings`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zonekeeper.classify.text import terms

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.classify_build import _guarded, _page_rulings  # noqa: E402

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


def test_search_pages_give_classification_rulings_with_their_codes(tmp_path: Path) -> None:
    """From CROSS search results only classification rulings with codes are taken, their
    subject without "The tariff classification of"."""
    page = {"rulings": [
        {"rulingNumber": "N362641", "subject": "The eligibility of the USMCA of a cabinet",
         "categories": "Trade", "rulingDate": "2026-07-20T00:00:00", "tariffs": ""},
        {"rulingNumber": "N362001", "subject": "The tariff classification of a steel pry bar "
         "from Taiwan", "categories": "Classification, Marking",
         "rulingDate": "2026-07-01T00:00:00", "tariffs": "8205.59.5560, 8205.59.8000"},
    ], "totalHits": 2}
    (tmp_path / "page_0001.json").write_text(json.dumps(page), encoding="utf-8")
    assert _page_rulings(tmp_path) == {
        "N362001": ("2026-07-01", "steel pry bar from Taiwan", ["8205595560", "8205598000"])}
