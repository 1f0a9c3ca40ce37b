"""Posting commands for scripts and for a try first: `--json` prints what was posted as one
JSON document (each event's ledger position, kind and natural key; postings, skipped rows,
discrepancies, warnings and the books' head), and `--dry-run` runs every check of the file
and of the posting against the books and writes nothing (exit 0 saying what would be
posted, or 2 with the problems). Bad input stays on standard error with exit 2, also with
--json. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from zk_store_samples import SET_UP
from zk_store_samples import cli_out as _ok
from zk_store_samples import run_cli as _run

from zonekeeper.app.books import Ledger
from zonekeeper.errors import InputError

PARTS_CSV = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
ADM = "admission_no,line,date,part,quantity,value,status\n"
SHIP = "shipment_no,date,part,quantity,disposition,value\n"


def _json(url: str, *args: str) -> dict[str, Any]:
    data = json.loads(_ok(url, *args))
    assert isinstance(data, dict)
    return data


def _problems(url: str, *args: str) -> list[tuple[int | None, str | None, str]]:
    result = _run(url, *args)
    assert isinstance(result.exception, InputError), result.output  # the shell: exit 2
    assert result.stdout == ""  # nothing on standard output, JSON or not
    return [(p.row, p.field, p.message) for p in result.exception.problems]


def _head(url: str) -> tuple[int, str, str]:
    """The chain head and the balance: what must not move under a dry run."""
    with Ledger.open(url, "9") as books:
        verified = books.verify()
        assert verified.ok, verified.mismatch
        head = books.head()
    return head.seq, head.hash, _ok(url, "balance", "--json")


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def books(database_url: str, tmp_path: Path) -> str:
    _ok(database_url, "init", "--zone", "9")
    _ok(database_url, "parts", "load", _file(tmp_path, "parts.csv", PARTS_CSV))
    return database_url


def test_admit_json_names_each_event_its_position_key_and_the_head(
    books: str, tmp_path: Path
) -> None:
    adm = _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n"
                "A-1,2,2026-08-03,W,5,50,N\n")
    data = _json(books, "admit", "--json", adm)
    assert data["dry_run"] is False and data["posted"] == 2 and data["skipped"] == 0
    assert data["events"] == [
        {"seq": SET_UP + 1, "kind": "admission", "key": "admission A-1 line 1"},
        {"seq": SET_UP + 2, "kind": "admission", "key": "admission A-1 line 2"},
    ]
    assert data["postings"] == 2 and data["discrepancies"] == [] and data["warnings"] == []
    seq, hash_, _ = _head(books)
    assert data["books"] == {"zone": "9", "head_seq": seq, "head_hash": hash_}
    assert seq == SET_UP + 2


def test_skip_posted_json_counts_the_rows_left_out_and_lists_only_the_new(
    books: str, tmp_path: Path
) -> None:
    _ok(books, "admit", _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n"))
    ship = _file(tmp_path, "ship.csv", SHIP + "S1,2026-08-05,W,1,consumption,20\n")
    _ok(books, "ship", ship)
    both = _file(tmp_path, "both.csv", SHIP + "S1,2026-08-05,W,1,consumption,20\n"
                 "S2,2026-08-06,W,2,export,40\n")
    data = _json(books, "ship", "--skip-posted", "--json", both)
    assert (data["posted"], data["skipped"]) == (1, 1)
    assert data["events"] == [
        {"seq": SET_UP + 3, "kind": "shipment", "key": "shipment S2 line 1"}
    ]
    again = _json(books, "ship", "--skip-posted", "--json", both)
    assert (again["posted"], again["skipped"], again["events"]) == (0, 2, [])
    assert again["books"]["head_seq"] == SET_UP + 3


def test_dry_run_writes_nothing_and_says_what_would_be_posted(
    books: str, tmp_path: Path
) -> None:
    adm = _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n")
    before = _head(books)
    said = _ok(books, "admit", "--dry-run", adm)
    assert "would post 1 admission event(s): 1 posting(s)" in said
    assert "nothing was written" in said
    assert f"at event {before[0]:,} " in said  # the head it was checked at
    data = _json(books, "admit", "--dry-run", "--json", adm)
    assert data["dry_run"] is True and data["posted"] == 1
    assert data["events"] == [{"seq": None, "kind": "admission", "key": "admission A-1 line 1"}]
    assert data["books"] == {"zone": "9", "head_seq": before[0], "head_hash": before[1]}
    assert _head(books) == before
    _ok(books, "admit", adm)  # and it does post, as it said
    assert _head(books)[0] == before[0] + 1


def test_dry_run_refuses_what_posting_would_refuse_with_every_problem(
    books: str, tmp_path: Path
) -> None:
    _ok(books, "admit", _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n"))
    # a bad date (format), an over-withdrawal (posting), an unknown part (posting)
    ship = _file(tmp_path, "ship.csv", SHIP + "S1,2026-13-01,W,1,consumption,20\n"
                 "S2,2026-08-06,W,50,consumption,20\nS3,2026-08-06,Q,1,export,1\n")
    for extra in ([], ["--json"]):
        found = _problems(books, "ship", "--dry-run", *extra, ship)
        assert [row for row, _, _ in found] == [2, 3, 4], found
    # a document the books already hold: refused by its natural key, as posting would
    _ok(books, "ship", _file(tmp_path, "one.csv", SHIP + "S9,2026-08-05,W,1,consumption,1\n"))
    before = _head(books)
    [(row, field, reason)] = _problems(books, "ship", "--dry-run", str(tmp_path / "one.csv"))
    assert (row, field) == (2, "shipment_no") and "already in the books" in reason
    data = _json(books, "ship", "--dry-run", "--skip-posted", "--json",
                 str(tmp_path / "one.csv"))
    assert (data["posted"], data["skipped"]) == (0, 1)
    assert _head(books) == before


def test_count_json_lists_its_discrepancies(books: str, tmp_path: Path) -> None:
    _ok(books, "admit", _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n"))
    counts = _file(tmp_path, "count.csv", "date,part,counted_quantity\n2026-08-04,W,7\n")
    tried = _json(books, "count", "--dry-run", "--json", counts)
    data = _json(books, "count", "--json", counts)
    for found in (tried, data):
        [d] = found["discrepancies"]
        assert (d["kind"], d["lot"], d["book"], d["counted"], d["difference"]) == (
            "shortage", "A-1/1", "10", "7", "-3"
        )
        assert d["value"] == "-30.00" and isinstance(d["report_to_cbp"], bool)
    assert tried["events"][0]["seq"] is None
    assert data["events"] == [
        {"seq": SET_UP + 2, "kind": "count", "key": "count of 2026-08-04 lot A-1/1"}
    ]


def test_correct_dry_run_and_json(books: str, tmp_path: Path) -> None:
    _ok(books, "admit", _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,10,100,N\n"))
    before = _head(books)
    event = str(SET_UP + 1)
    tried = _json(books, "correct", event, "--reason", "typo", "--dry-run", "--json")
    assert tried["dry_run"] is True
    assert tried["events"] == [
        {"seq": None, "kind": "correction", "key": f"correction of event {event}"}
    ]
    assert _head(books) == before
    data = _json(books, "correct", event, "--reason", "typo", "--json")
    assert data["events"] == [
        {"seq": SET_UP + 2, "kind": "correction", "key": f"correction of event {event}"}
    ]
    [(_, field, reason)] = _problems(books, "correct", event, "--reason", "x", "--dry-run")
    assert field == "EVENT" and "already been corrected" in reason


def test_filings_and_suspense_take_json_and_dry_run(books: str, tmp_path: Path) -> None:
    before = _head(books)
    suspense = _file(tmp_path, "susp.csv", "ref,date,part,quantity\nR1,2026-08-03,W,4\n")
    assert _json(books, "suspense", "--dry-run", "--json", suspense)["posted"] == 1
    filings = _file(tmp_path, "filed.csv", "kind,ref,date,covers\n"
                    "entry_summary,E-1,2026-08-20,2026-W32\n")
    tried = _json(books, "file", "--dry-run", "--json", filings)
    assert tried["events"] == [
        {"seq": None, "kind": "filing", "key": "filing entry_summary ref E-1"}
    ]
    assert _head(books) == before
    assert _json(books, "suspense", "--json", suspense)["events"][0]["seq"] == SET_UP + 1
    assert _json(books, "file", "--json", filings)["events"][0]["seq"] == SET_UP + 2
    [(row, _, reason)] = _problems(books, "file", "--dry-run", filings)
    assert row == 2 and "already recorded" in reason
    one = _json(books, "filed", "entry_summary", "E-2", "--date", "2026-08-27",
                "--covers", "2026-W33", "--dry-run", "--json")
    assert one["dry_run"] is True and one["posted"] == 1
    assert _head(books)[0] == SET_UP + 2


def test_parts_and_bom_load_dry_run_write_nothing(books: str, tmp_path: Path) -> None:
    before = _head(books)
    parts = _file(tmp_path, "parts2.csv", PARTS_CSV + "K,Kit,8537.10.91.70,DE,No.\n")
    tried = _json(books, "parts", "load", "--dry-run", "--json", parts)
    assert (tried["dry_run"], tried["read"], tried["changed"]) == (True, 2, None)
    assert "nothing was written" in _ok(books, "parts", "load", "--dry-run", parts)
    bom = _file(tmp_path, "bom.csv", "product,component,quantity_per_unit\nK,W,2\n")
    [(row, _, _)] = _problems(books, "bom", "load", "--dry-run", bom)  # K is not loaded yet
    assert row == 2
    assert _head(books) == before
    data = _json(books, "parts", "load", "--json", parts)
    assert (data["dry_run"], data["changed"]) == (False, 1)
    assert data["books"]["head_seq"] == before[0] + 1
    assert _json(books, "bom", "load", "--dry-run", "--json", bom)["changed"] is None


def test_bad_input_with_json_is_on_standard_error_with_exit_2(
    books: str, tmp_path: Path
) -> None:
    adm = _file(tmp_path, "adm.csv", ADM + "A-1,1,2026-08-03,W,ten,100,N\n")
    for extra in (["--json"], ["--json", "--dry-run"]):
        [(row, field, _)] = _problems(books, "admit", *extra, adm)
        assert (row, field) == (2, "quantity")
