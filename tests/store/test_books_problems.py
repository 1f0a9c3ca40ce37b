"""Errors as data in the books: every refusal carries a stable code a script can branch on,
and what the books only say (the mandatory-PF check that could not run) is a Problem of
severity "warning" while the posting goes on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from zk_store_samples import PARTS, admission, run_cli

from zonekeeper.app.books import Ledger, counts_from
from zonekeeper.bindings.pf_rule import TariffPfRule
from zonekeeper.errors import InputError, Problem
from zonekeeper.zone.master import Part


def _codes(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [p.code for p in error.value.problems]


def test_posting_refusals_are_coded(ledger: Ledger) -> None:
    with pytest.raises(InputError) as twice:
        ledger.post([admission("A1", 3, "W", "1", "10"), admission("A1", 3, "W", "1", "10")])
    assert _codes(twice) == ["post.repeated", "post.repeated"]
    with pytest.raises(InputError) as unknown:
        ledger.post([admission("A1", 3, "NOPE", "1", "10")])
    assert _codes(unknown) == ["post.unknown-part"]
    ledger.post([admission("A1", 3, "W", "1", "10")])
    with pytest.raises(InputError) as again:
        ledger.post([admission("A1", 3, "W", "1", "10")])
    assert _codes(again) == ["post.already-posted"]
    with pytest.raises(InputError) as other:
        ledger.post([admission("A1", 3, "W", "2", "10")])
    assert _codes(other) == ["post.key-taken"]
    trial = ledger.trial([])
    assert [p.code for p in trial.problems] == ["post.empty"]


def test_master_and_count_refusals_are_coded(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "1", "10")])
    changed = Part("W", "Board v2", "8537109170", "DE", "No.", PARTS[0].valid_from)
    assert [p.code for p in ledger.check_master([changed])] == ["master.rewrites-history"]

    class Row(dict[str, Any]):
        file, row = "counts.csv", 2

    rows = [Row(date=dt.date(2026, 8, 9), part="NOPE", lot=None, counted_quantity=Decimal(1))]
    counts, lines, problems = counts_from(ledger.state(), rows)
    assert (counts, lines) == ([], [])
    assert [(p.code, p.row, p.field) for p in problems] == [("count.unknown-part", 2, "part")]


def test_opening_refusals_are_coded(database_url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        Ledger.open(f"sqlite:///{tmp_path / 'none.db'}")
    assert _codes(missing) == ["books.missing"]
    with Ledger.init(database_url, "7", None, "FIFO"):
        pass
    with pytest.raises(InputError) as other:
        Ledger.open(database_url, "8")
    assert _codes(other) == ["books.no-zone"]


def test_a_pf_check_that_cannot_run_is_a_warning_and_the_posting_goes_on(
    database_url: str,
) -> None:
    def unavailable() -> Any:
        raise OSError("the measures file is missing")

    rule = TariffPfRule(unavailable, unavailable)
    with Ledger.init(database_url, "7", None, "FIFO", pf_rule=rule) as books:
        books.load_master(PARTS)
        posted = books.post([admission("A1", 3, "W", "1", "10")])
    assert posted.events == 1
    [warning] = posted.warnings
    assert isinstance(warning, Problem)
    assert (warning.code, warning.severity) == ("post.pf-check", "warning")
    assert "mandatory-PF check skipped" in warning.message


def test_a_broken_file_refused_by_the_cli_names_codes_not_the_placeholder(
    ledger: Ledger, tmp_path: Path
) -> None:
    url = ledger.engine.url.render_as_string(hide_password=False)
    broken = tmp_path / "admissions.csv"
    broken.write_text("admission_no,line,date,part,quantity,value,status,colour\n"
                      "A1,1,2026-08-32,W,x,10,NPF,red\n", encoding="utf-8")
    result = run_cli(url, "admit", str(broken))
    assert isinstance(result.exception, InputError), result.output
    codes = {p.code for p in result.exception.problems}
    assert "input" not in codes
    assert {"file.unknown-column", "file.bad-cell"} <= codes
