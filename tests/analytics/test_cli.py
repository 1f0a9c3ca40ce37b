"""`zonekeeper opportunities` and `zonekeeper refunds ieepa` end to end: the JSON contract
(issue 14), the HTML page, and a bad file refused with exit 2 and coded problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from es003_files import HEADER_MORE, WriteFile, row

from zk_cli import run_main

ROWS = [
    row("ZZ1", 1, "2026-02-10", "MX", 1, "9903.01.01", "", "250.00", mid="MXACME1"),
    row("ZZ1", 1, "2026-02-10", "MX", 2, "8537109170", "1000.00", "27.00", mid="MXACME1"),
    row("ZZ2", 1, "2025-09-04", "CN", 1, "9903.88.03", "", "250.00", liquidated="2026-06-01"),
    # China on 2025-09-04: the fentanyl duty (9903.01.24, 20%) and the reciprocal (9903.01.25,
    # 10%) beside Section 301 list 3 (25%, never refundable through CAPE)
    row("ZZ2", 1, "2025-09-04", "CN", 2, "9903.01.24", "", "200.00", liquidated="2026-06-01"),
    row("ZZ2", 1, "2025-09-04", "CN", 3, "9903.01.25", "", "100.00", liquidated="2026-06-01"),
    row("ZZ2", 1, "2025-09-04", "CN", 4, "8537109170", "1000.00", "27.00",
        liquidated="2026-06-01"),
    row("ZZ3", 1, "2026-08-04", "DE", 1, "8537109170", "200.00", "10.00"),
]


def test_opportunities_json(es003: WriteFile, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, out, err = run_main(monkeypatch, capsys, "opportunities", "--entries",
                              str(es003(ROWS)), "--as-of", "2026-09-01", "--json",
                              "--html", str(page))
    assert code == 0, err
    document = json.loads(out)
    found = document["opportunities"]
    assert [(o["kind"], o["amount"], o["entries"]) for o in found] == [
        ("ieepa_refund", "300.00", ["ZZ2"]),
        ("preference_unclaimed", "277.00", ["ZZ1"]),
        ("ieepa_refund", "250.00", ["ZZ1"]),
        ("data_quality", "4.60", ["ZZ3"]),
    ]
    assert document["totals"] == {"preference_unclaimed": "277.00", "ieepa_refund": "550.00",
                                  "data_quality": "4.60"}
    zz2 = found[0]
    assert (zz2["route"], zz2["deadline"]) == ("protest", "2026-11-28")  # 180 days
    assert zz2["interest"] is not None and "2026-06-30" in zz2["interest_note"]
    for o in found:
        assert {"kind", "amount", "entries", "evidence", "risk", "action", "deadline"} <= set(o)
    assert document["quality"]["lines_recomputed"] == 3  # ZZ2 of 2025 too, from the history
    html = page.read_text()
    assert "Savings by kind" in html and "Savings by supplier" in html and "MXACME1" in html
    assert "Savings by month of entry" in html and "2026-02" in html


def test_every_kind_looked_for(es003: WriteFile, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Drawback against the exports, the zone's economics (two entries 92 days apart, every
    unit exported), a first sale candidate and, with --classify, the product's classifier
    on a sink declared under 7324.10.00 (3.4%). Which alternatives the shipped classifier
    proposes, and so whether one costs less, moves with its index (tests/analytics/
    test_classification.py pins the finding itself with a stand-in classifier): here it is
    looked for, and reported either as a finding for the sink's line or as none found."""
    exports = tmp_path / "exports.csv"
    exports.write_text("export_ref,export_date,hts,quantity,unit,value\n"
                       "X1,2026-04-20,6109100012,2000,DOZ,900000\n", encoding="utf-8")
    sink = "stainless steel kitchen sink"
    path = es003([
        row("ZZ1", 1, "2026-01-05", "DE", 1, "6109100012", "400000.00", "50000.00",
            qty="1000", unit="DOZ", mid="DESHIRT", seller="HKTRADE1", description=""),
        row("ZZ2", 1, "2026-04-06", "DE", 1, "6109100012", "400000.00", "50000.00",
            qty="1000", unit="DOZ", mid="DESHIRT", seller="DESHIRT", description=""),
        row("ZZ3", 1, "2026-03-02", "DE", 1, "7324100010", "1000.00", "134.00", mid="DESINK",
            seller="", description=sink)], header=HEADER_MORE)
    page = tmp_path / "report.html"
    code, out, err = run_main(monkeypatch, capsys, "opportunities", "--entries", str(path),
                              "--exports", str(exports), "--as-of", "2026-09-01", "--json",
                              "--classify", "--html", str(page))
    assert code == 0, err
    document = json.loads(out)
    totals = document["totals"]
    # the zone of test_opportunity_kinds (299,239.13) and the sink's duty deferred: 134.00 at
    # 8% over 30 days, 0.88, is 3.50 a year over the 92 days
    assert (totals["zone"], totals["first_sale"]) == ("299242.63", "50000.00")
    assert totals["drawback"] == "99000.00"  # 99% of the duty on 2,000 dozen exported
    found = [o for o in document["opportunities"] if o["kind"] == "classification"]
    assert all(o["entries"] == ["ZZ3"] for o in found)
    assert bool(found) != ("classification" in document["none_found"])
    assert document["not_looked_for"] == {}
    assert set(document["none_found"]) <= {"classification"}
    html = page.read_text()
    for kind in ("drawback", "zone", "first_sale", *(["classification"] if found else [])):
        assert f"<td>{kind}</td>" in html


def test_refunds_ieepa_json(es003: WriteFile, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(monkeypatch, capsys, "refunds", "ieepa", "--entries",
                              str(es003(ROWS)), "--as-of", "2026-07-01", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert [(r["entries"], r["amount"], r["route"]) for r in document["refunds"]] == [
        (["ZZ1"], "250.00", "cape"), (["ZZ2"], "300.00", "cape")]
    assert document["total"] == "550.00" and document["by_route"] == {"cape": "550.00"}
    assert document["cape_upload"] == [["ZZ1", "ZZ2"]]
    code, out, _ = run_main(monkeypatch, capsys, "refunds", "ieepa", "--entries",
                            str(es003(ROWS)), "--as-of", "2026-07-01")
    assert code == 0 and "CAPE upload 1 (2 entries)" in out


def test_a_bad_file_is_refused_with_codes(es003: WriteFile, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = es003([row("ZZ1", 1, "2026-02-30", "MX", 1, "8537109170", "1000.00", "27.00")])
    code, out, err = run_main(monkeypatch, capsys, "opportunities", "--entries", str(path),
                              "--json")
    assert code == 2 and "Entry Date '2026-02-30' is not a date" in err
    [problem] = json.loads(out)["problems"]
    assert problem["code"] == "es003.bad-value"
    assert problem["where"] == {"file": str(path), "row": 2, "field": "Entry Date"}
