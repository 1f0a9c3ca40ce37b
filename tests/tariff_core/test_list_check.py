"""`tariff check --measures`: the shipped product lists against each revision.

Expected figures worked from the research cross-check (research/tariff-history/DESIGN.md §5,
`measurements/crosscheck_301.csv`): in 2026 Rev 3, 24 codes of list 3 (9903.88.03) and 81 of
list 4B (9903.88.16) are on no line; the derivative list 9903.85.08 names 7302.90.00, which
the 2026 schedule does not have (PROVENANCE.md).
"""

from __future__ import annotations

import json

import pytest

from zk_cli import run_main as run
from zonekeeper.tariff.list_check import check_lists, footnoted_headings

LISTS = {
    "s301:9903.88.15": [("01012100", None), ("85076000", None), ("99999999", None)],
    "s301:9903.88.03": [("84713001", None)],
    "s232_base:steel": [("7208", None)],  # a heading prefix: not compared at 8 digits
}
CODES = ["0101210010", "8507600010", "8507600020", "8471300100", "7208101500"]


def kinds(found):
    return {(d.heading, d.kind): d.codes for d in found if d.codes}


def test_every_kind_with_footnotes():
    footnotes = {
        "0101210010": ("See 9903.88.15.",),
        "8471300100": ("See 9903.88.15.",),  # named under 4A, listed under 3
    }
    found = kinds(check_lists("R", CODES, LISTS, footnotes))
    assert found == {
        ("9903.88.15", "listed_absent"): ("99999999",),
        ("9903.88.15", "listed_unfootnoted"): ("85076000",),
        ("9903.88.15", "footnoted_unlisted"): ("84713001",),
        ("9903.88.03", "listed_unfootnoted"): ("84713001",),
    }


def test_without_footnotes_only_absent_codes_are_checked():
    found = check_lists("R", CODES, LISTS, None)
    assert [d.kind for d in found if not d.codes][0] == "not_checkable"
    assert kinds(found) == {("9903.88.15", "listed_absent"): ("99999999",)}
    assert {d.heading for d in found if d.kind == "not_footnoted_by_design"} == {
        "9903.01-9903.02", "9903.03", "9903.79", "9903.82",
    }  # fmt: skip


def test_footnote_texts_name_headings():
    assert footnoted_headings(["See 9903.88.15.", "See 9903.88.69 and 9903.88.03"]) == {
        "9903.88.15", "9903.88.69", "9903.88.03",
    }  # fmt: skip


@pytest.mark.xdist_group("tariff")
def test_cli_on_the_shipped_revisions(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "tariff", "check", "--measures", "--json")
    assert code == 0
    rows = {(r["revision"], r["heading"], r["kind"]): r for r in json.loads(out)}
    rev3 = "HTS 2026 Revision 3"
    assert rows[(rev3, "9903.88.03", "listed_absent")]["count"] == 24
    assert rows[(rev3, "9903.88.16", "listed_absent")]["count"] == 81
    assert rows[(rev3, "9903.85.08", "listed_absent")]["codes"] == ["73029000"]
    assert (rev3, "*", "not_checkable") in rows


def test_the_shipped_lists_against_the_history_footnotes() -> None:
    """`tariff check --measures` on the shipped history (JSON exports with footnotes): the
    differences of 2026 Revision 10, as first counted by hand on Revision 3 — list 3
    (9903.88.03) names 284 codes no line footnotes, 24 of them in no line at all; list 4A
    (9903.88.15) differs by 5 and 1; 9903.91.01 by 1; the suspended list 4B (9903.88.16) is
    never footnoted."""
    from zonekeeper.app.tariff import check_measures

    found = {(d.heading, d.kind): len(d.codes) for d in check_measures()
             if d.revision == "HTS 2026 Revision 10"}
    assert found[("9903.88.03", "listed_unfootnoted")] + found[
        ("9903.88.03", "listed_absent")] == 284
    assert found[("9903.88.03", "listed_absent")] == 24
    assert found[("9903.88.15", "listed_unfootnoted")] == 5
    assert found[("9903.88.15", "footnoted_unlisted")] == 1
    assert found[("9903.91.01", "footnoted_unlisted")] == 1
    assert found[("9903.88.16", "listed_unfootnoted")] > 1000
    assert ("*", "not_checkable") not in found  # the store's revisions carry footnotes
