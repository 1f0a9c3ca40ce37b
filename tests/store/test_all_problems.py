"""A file with format errors AND posting errors reports them all at once (file, row, column,
reason), and posts nothing: the rows that parse are run through the posting checks as a dry
run. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from zk_store_samples import cli_ok as _ok
from zk_store_samples import run_cli as _run

from zonekeeper.errors import InputError


def _problems(url: str, *args: str) -> list[tuple[int | None, str | None, str]]:
    result = _run(url, *args)
    assert isinstance(result.exception, InputError), result.output
    return [(p.row, p.field, p.message) for p in result.exception.problems]


def test_format_and_posting_problems_together(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "parts.csv").write_text(
        "part,description,hts,origin,unit\n"
        "W,Widget,8537.10.91.70,DE,No.\n"
        "C,Compressor,8414.30.80.30,CN,No.\n"
    )
    _ok(database_url, "init", "--zone", "9")
    _ok(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    (tmp_path / "adm.csv").write_text(
        "admission_no,line,date,part,quantity,value,status\n"
        "A1,1,2026-13-02,W,10,100,PF\n"        # row 2: bad date (format)
        "A1,2,2026-03-02,NOPE,10,100,PF\n"     # row 3: unknown part (posting)
        "A1,3,2026-03-02,W,10,100,PF\n"        # row 4: good
        "A1,3,2026-03-02,W,10,100,PF\n"        # row 5: duplicate line (file)
        "A1,4,2026-03-02,C,5,4000,NPF\n"       # row 6: Section 301 goods must be PF (posting)
    )
    found = _problems(database_url, "admit", str(tmp_path / "adm.csv"))
    assert [(row, field) for row, field, _ in found] == [
        (2, "date"), (3, "part"), (5, "line"), (6, "status"),
    ]
    assert "privileged foreign status is required" in found[-1][2]
    result = _run(database_url, "balance", "--json")
    assert result.stdout.strip() == "[]"  # nothing posted

    (tmp_path / "adm_ok.csv").write_text(
        "admission_no,line,date,part,quantity,value,status\nA1,1,2026-03-02,W,10,100,PF\n"
    )
    _ok(database_url, "admit", str(tmp_path / "adm_ok.csv"))
    (tmp_path / "ship.csv").write_text(
        "shipment_no,date,part,quantity,disposition,value\n"
        "S1,2026-03-04,W,ten,consumption,1\n"      # row 2: not a number
        "S2,2026-03-04,W,50,consumption,1\n"       # row 3: over-withdrawal (10 on hand)
    )
    found = _problems(database_url, "ship", str(tmp_path / "ship.csv"))
    assert [(row, field) for row, field, _ in found][:2] == [(2, "quantity"), (3, "quantity")]
    (tmp_path / "count.csv").write_text(
        "date,part,counted_quantity\n2026-03-05,W,-1\n2026-03-05,NOPE,3\n"
    )
    found = _problems(database_url, "count", str(tmp_path / "count.csv"))
    assert [row for row, _, _ in found] == [2, 3]
    # the admission, after init and the parts loaded
    assert "ok: 3 events" in _run(database_url, "verify").stdout


def test_parts_load_refuses_hts_numbers_the_tariff_does_not_have(
    database_url: str, tmp_path: Path
) -> None:
    _ok(database_url, "init", "--zone", "9")
    (tmp_path / "parts.csv").write_text(
        "part,description,hts,origin,unit\n"
        "W,Widget,8537.10.91.70,DE,No.\n"
        "X,Typo,8537.10.91.99,DE,No.\n"       # row 3: not in the schedule
        "E,Engine,8407.34.48,DE,No.\n"        # 8-digit code printed only as .00: valid
        "H,Heading,8407,DE,No.\n"             # row 5: a heading, not a rate line
        "Q,Bad,12,DE,No.\n"                   # row 6: format
    )
    found = _problems(database_url, "parts", "load", str(tmp_path / "parts.csv"))
    assert [(row, field) for row, field, _ in found] == [(3, "hts"), (5, "hts"), (6, "hts")]
    assert "nearest valid codes: 8537.10.91.70" in found[0][2]
    (tmp_path / "good.csv").write_text(
        "part,description,hts,origin,unit\nE,Engine,8407.34.48,DE,No.\n"
    )
    _ok(database_url, "parts", "load", str(tmp_path / "good.csv"))
