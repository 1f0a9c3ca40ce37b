"""Filings in the books (19 CFR 146.21(a)): what was filed clears the alert it answers, an
unfiled entry summary stays listed however old, a transfer permit starts the 146.71 clock
and its shipment stops it, suspense receipts are documented by an admission. On SQLite and
PostgreSQL, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zk_store_samples import cli_ok as _ok
from zk_store_samples import run_cli as _run

from zonekeeper.errors import InputError

PARTS = "part,description,hts,origin,unit\nW,Widget,8537.10.91.70,DE,No.\n"
ADMIT = "admission_no,line,date,part,quantity,value,status\nA1,1,2026-03-02,W,100,100000.00,PF\n"
SHIP = (
    "shipment_no,date,part,quantity,disposition,value\n"
    "S1,2026-03-04,W,10,consumption,20000\n"
    "S2,2026-03-11,W,5,zone_transfer,10000\n"
)


def _refused(url: str, *args: str) -> str:
    """The problems of a refused command (the entry point prints them and exits 2)."""
    result = _run(url, *args)
    assert isinstance(result.exception, InputError), (args, result.output)
    return "\n".join(str(p) for p in result.exception.problems)


def _alerts(url: str, as_of: str) -> dict[str, list[dict[str, Any]]]:
    data = json.loads(_ok(url, "alerts", "--as-of", as_of, "--json").stdout)
    out: dict[str, list[dict[str, Any]]] = {}
    for a in data["alerts"]:
        out.setdefault(a["kind"], []).append(a)
    return out


def _books(url: str, folder: Path, count: str | None = None) -> None:
    files = {"parts.csv": PARTS, "adm.csv": ADMIT, "ship.csv": SHIP}
    for name, body in files.items():
        (folder / name).write_text(body)
    _ok(url, "init", "--zone", "9")
    _ok(url, "parts", "load", str(folder / "parts.csv"))
    _ok(url, "admit", str(folder / "adm.csv"))
    _ok(url, "ship", str(folder / "ship.csv"))
    if count is not None:
        (folder / "count.csv").write_text(f"date,part,counted_quantity\n2026-03-12,W,{count}\n")
        _ok(url, "count", str(folder / "count.csv"))


def test_an_unfiled_summary_stays_overdue_and_its_filing_clears_it(
    database_url: str, tmp_path: Path
) -> None:
    _books(database_url, tmp_path)
    # 2026-W10 summary due 2026-03-20; a year later it is still listed, overdue
    [due] = _alerts(database_url, "2027-03-01")["entry_summary_due"]
    assert due["subject"] == "2026-W10" and due["overdue"] and due["due"] == "2026-03-20"
    _ok(database_url, "filed", "entry-summary", "123-4567890-1", "--date", "2026-03-19",
        "--covers", "2026-w10")
    assert "entry_summary_due" not in _alerts(database_url, "2027-03-01")
    # as of a day before the filing, the summary was still open
    assert "entry_summary_due" in _alerts(database_url, "2026-03-18")
    assert "ok: 6 events" in _ok(database_url, "verify").stdout


def test_overage_and_shortage_clear_when_their_documents_are_filed(
    database_url: str, tmp_path: Path
) -> None:
    _books(database_url, tmp_path, count="90")  # book 85: overage of 5
    [over] = _alerts(database_url, "2026-03-20")["overage_undocumented"]
    assert over["overdue"] and over["due"] == "2026-03-17"
    _ok(database_url, "filed", "form_214_overage", "F214-77", "--date", "2026-03-16",
        "--covers", "A1/1")
    assert "overage_undocumented" not in _alerts(database_url, "2026-03-20")

    (tmp_path / "count2.csv").write_text("date,part,counted_quantity,lot\n2026-04-01,W,40,A1/1\n")
    _ok(database_url, "count", str(tmp_path / "count2.csv"))  # 90 -> 40: half the lot
    [short] = _alerts(database_url, "2026-04-02")["shortage_reportable"]
    assert "146.53(a)" in short["citation"]
    # a report filed before this shortage was found does not answer it
    (tmp_path / "filings.csv").write_text(
        "kind,ref,date,covers,note\n"
        "shortage_report,LTR-1,2026-04-01,A1/1,letter to the port director\n"
    )
    _ok(database_url, "file", str(tmp_path / "filings.csv"))
    assert "shortage_reportable" not in _alerts(database_url, "2026-04-02")


def test_transfer_permit_runs_until_its_shipment_leaves(
    database_url: str, tmp_path: Path
) -> None:
    _books(database_url, tmp_path)
    _ok(database_url, "filed", "transfer_permit", "P7", "--date", "2026-03-09", "--covers", "S2")
    _ok(database_url, "filed", "transfer_permit", "P8", "--date", "2026-03-09", "--covers", "S9")
    permits = _alerts(database_url, "2026-03-20")["permit_not_removed"]
    assert [a["subject"] for a in permits] == ["permit P8 (shipment S9)"]
    assert permits[0]["due"] == "2026-03-16" and permits[0]["overdue"]
    (tmp_path / "s9.csv").write_text(
        "shipment_no,date,part,quantity,disposition,value\nS9,2026-03-13,W,1,zone_transfer,1\n"
    )
    _ok(database_url, "ship", str(tmp_path / "s9.csv"))
    assert "permit_not_removed" not in _alerts(database_url, "2026-03-20")


def test_reconciliation_and_certification_filed(database_url: str, tmp_path: Path) -> None:
    _books(database_url, tmp_path)
    found = _alerts(database_url, "2027-05-01")
    assert found["reconciliation_due"][0]["overdue"] and found["certification_due"][0]["overdue"]
    _ok(database_url, "filed", "reconciliation", "REC-2026", "--date", "2027-03-20",
        "--covers", "2026")
    found = _alerts(database_url, "2027-05-01")
    assert "reconciliation_due" not in found and "certification_due" in found
    _ok(database_url, "filed", "certification", "CERT-2026", "--date", "2027-04-02",
        "--covers", "2026")
    assert not {"reconciliation_due", "certification_due"} & set(
        _alerts(database_url, "2027-05-01")
    )


def test_bad_filings_exit_2_with_every_problem_and_post_nothing(
    database_url: str, tmp_path: Path
) -> None:
    _books(database_url, tmp_path)
    (tmp_path / "bad.csv").write_text(
        "kind,ref,date,covers\n"
        "entry_summary,E1,2026-03-19,2026-W99\n"
        "form_214_overage,F1,2026-03-19,NO-SUCH-LOT\n"
        "reconciliation,R1,2026-03-19,last year\n"
        "certification,C1,2026-03-19,²\n"
    )
    found = _refused(database_url, "file", str(tmp_path / "bad.csv"))
    for needle in ("row 2:covers", "row 3:covers", "row 4:covers", "row 5:covers",
                   "NO-SUCH-LOT", "2026-W99"):
        assert needle in found, found
    (tmp_path / "kind.csv").write_text("kind,ref,date,covers\nform_7501,E1,2026-03-19,2026-W10\n")
    assert "row 2:kind: unknown filing kind" in _refused(
        database_url, "file", str(tmp_path / "kind.csv")
    )
    _ok(database_url, "filed", "entry_summary", "E1", "--date", "2026-03-19", "--covers",
        "2026-W10")
    again = _refused(database_url, "filed", "entry_summary", "E1", "--date", "2026-03-19",
                     "--covers", "2026-W10")
    assert "already recorded" in again
    assert "ok: 6 events" in _ok(database_url, "verify").stdout


def test_suspense_receipt_is_listed_until_an_admission_documents_it(
    database_url: str, tmp_path: Path
) -> None:
    _books(database_url, tmp_path)
    (tmp_path / "sus.csv").write_text(
        "ref,date,part,quantity,reason\nSUS-1,2026-03-05,W,7,invoice missing\n"
    )
    _ok(database_url, "suspense", str(tmp_path / "sus.csv"))
    [held] = _alerts(database_url, "2026-03-06")["in_suspense"]
    assert "invoice missing" in held["message"] and "146.22(c)" in held["citation"]
    (tmp_path / "adm2.csv").write_text(
        "admission_no,line,date,part,quantity,value,status,suspense_ref\n"
        "A2,1,2026-03-06,W,7,7000,PF,SUS-1\n"
    )
    _ok(database_url, "admit", str(tmp_path / "adm2.csv"))
    assert "in_suspense" not in _alerts(database_url, "2026-03-07")
    # a suspense_ref no receipt holds is bad input
    (tmp_path / "adm3.csv").write_text(
        "admission_no,line,date,part,quantity,value,status,suspense_ref\n"
        "A3,1,2026-03-06,W,7,7000,PF,SUS-1\n"
    )
    assert "row 2:suspense_ref" in _refused(database_url, "admit", str(tmp_path / "adm3.csv"))
