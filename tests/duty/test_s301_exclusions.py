"""Section 301 product exclusions (U.S. note 20(vvv) and (www) to subchapter III): named where
they may apply, applied only when claimed (`--claim-exclusion`).

Worked from the note text (HTSUS 2026 Rev 6): 20(vvv)(iii)(1) excludes statistical number
0304.72.50.00 from list 3 (9903.88.03) when entered under 9903.88.69; 20(vvv)(i)(8) excludes
"rotary compressors, each exceeding 746 W but not exceeding 2,238 W, with a cooling capacity
ranging from 2.3 kW to 5.5 kW" of 8414.30.80.60 from list 1 (9903.88.01). 9903.88.69 runs
from 2024-06-15 and was extended through 2026-11-09 (heading text, 2025 Rev 31).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from zk_cli import run_main as run
from zonekeeper.errors import InputError
from zonekeeper.tariff.measures import parse_exclusions

pytestmark = pytest.mark.xdist_group("tariff")

CLAIM = frozenset({"9903.88.69"})


def test_issue_line_names_the_exclusion_to_claim(tariff):
    found, warnings = tariff.measures.applicable("0304725000", "CN", date(2026, 3, 1))
    assert "9903.88.03" in [m.heading for m in found]
    (named,) = [w for w in warnings if w.startswith("exclusion 9903.88.69")]
    assert "may lift 9903.88.03" in named and "U.S. note 20(vvv)(iii)(1)" in named
    assert "through 2026-11-09" in named


def test_claimed_exclusion_lifts_the_list_duty_and_cites_the_note(tariff):
    found, warnings = tariff.measures.applicable("0304725000", "CN", date(2026, 3, 1), claims=CLAIM)
    assert "9903.88.03" not in [m.heading for m in found]
    assert any(
        w.startswith("9903.88.03 (") and "exclusion 9903.88.69 claimed" in w for w in warnings
    )


def test_where_the_description_decides_it_is_quoted(tariff):
    warnings = tariff.measures.applicable("8414308060", "CN", date(2025, 9, 1))[1]
    (named,) = [w for w in warnings if w.startswith("exclusion 9903.88.69 may lift 9903.88.01")]
    assert "Rotary compressors, each exceeding 746 W" in named


def test_outside_its_dates_the_exclusion_is_not_named_and_a_claim_changes_nothing(tariff):
    book = tariff.measures
    for on in (date(2024, 6, 14), date(2026, 11, 10)):
        found, warnings = book.applicable("0304725000", "CN", on, claims=CLAIM)
        assert "9903.88.03" in [m.heading for m in found], on
        assert any("claimed but it lifts no Section 301 duty" in w for w in warnings), on
        assert not any(w.startswith("exclusion 9903.88.69 may lift") for w in warnings), on


def test_quote_with_the_claim(quote):
    qty = {"kg": Decimal(100)}
    plain = quote("0304.72.50.00", "CN", "1000", date(2026, 3, 1), quantities=qty)
    claimed = quote(
        "0304.72.50.00", "CN", "1000", date(2026, 3, 1), quantities=qty, claims=("9903.88.69",)
    )
    assert {c.heading for c in plain.components} - {c.heading for c in claimed.components} == {
        "9903.88.03"
    }
    assert plain.duty is not None and claimed.duty == plain.duty - Decimal("250.00")


def test_cli_claim_exclusion(monkeypatch, capsys):
    args = ["duty", "quote", "--hts", "0304.72.50.00", "--origin", "CN", "--value", "1000"]
    args += ["--date", "2026-03-01", "--qty", "100", "kg", "--json"]
    code, out, _ = run(monkeypatch, capsys, *args, "--claim-exclusion", "9903.88.69")
    assert code == 0
    assert "9903.88.03" not in {c["heading"] for c in json.loads(out)["components"]}
    code, _, err = run(monkeypatch, capsys, *args[:-1], "--claim-exclusion", "9903.01.25")
    assert code == 2 and "--claim-exclusion" in err and "not a Section 301 exclusion" in err


def test_bad_exclusion_rows_are_refused_with_row_and_code():
    good = {
        "heading": "9903.88.69", "excludes": "9903.88.03", "note": "20(vvv)(iii)(1)",
        "hts10": "0304725000", "description": "", "valid_from": "2024-06-15",
        "valid_to": "2026-11-09",
    }  # fmt: skip
    assert len(parse_exclusions([good], "x.csv")) == 1
    with pytest.raises(InputError) as error:
        parse_exclusions([good, {**good, "hts10": "030472"}, {**good, "valid_to": ""}], "x.csv")
    assert [(p.row, p.code) for p in error.value.problems] == [
        (3, "tariff.exclusions.bad-row"),
        (4, "tariff.exclusions.bad-row"),
    ]


def test_a_short_or_long_exclusion_row_is_a_problem_naming_its_row_not_a_crash():
    """csv.DictReader gives a short row None for its missing cells (no str method) and puts
    a long row's extra cells under None: each is refused with its file and row."""
    text = (
        "heading,excludes,note,hts10,description,valid_from,valid_to\n"
        "9903.88.69,9903.88.03,20(vvv)(iii)(1),0304725000,,2024-06-15,2026-11-09\n"
        "9903.88.69,9903.88.03,20(vvv)(iii)(1)\n"
        "9903.88.69,9903.88.03,20(vvv)(iii)(1),0304725000,fish, frozen,2024-06-15,2026-11-09\n"
    )
    with pytest.raises(InputError) as error:
        parse_exclusions(csv.DictReader(io.StringIO(text)), "s301_exclusions.csv")
    short, long = error.value.problems
    assert (short.file, short.row, short.field, short.code) == (
        "s301_exclusions.csv", 3, "hts10", "tariff.exclusions.bad-row")
    assert "fewer cells than the header: no hts10, description, valid_from" in short.message
    assert (long.row, long.code) == (4, "tariff.exclusions.bad-row")
    assert "1 cell(s) more than the header" in long.message
