"""The entries use cases and CLI over real books: the demo zone's week, on SQLite.

The demo (`zonekeeper demo`) posts the shipped files; these tests read its books back through
`app.entry_reads` and the `zonekeeper` command and check the figures against the files:
100 carts made of PF Chinese components ($1,800 + $40 + $120), NPF Korean valves and tires
($30 + $180) and a domestic cabinet ($350); 70 carts and 40 tires entered in week 2026-W32,
15 carts exported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zonekeeper.app import entries as use_case
from zonekeeper.app import entry_reads as service
from zonekeeper.app.context import Context
from zonekeeper.cli.demo import demo
from zonekeeper.errors import InputError
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.zone.hmf import Quarter
from zonekeeper.zone.weekly import Week

D = Decimal


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo(db=path)
    return f"sqlite:///{path}"


def test_weekly_entry_from_the_books(books: str) -> None:
    entry = service.weekly(books, Week.parse("2026-W32"), tariff=default_tariff()).value
    by = {(n.line.status, n.line.hts): n.line for n in entry.lines}
    assert by[("PF", "8418.61.01.00")].value == D("126000")  # 70 x $1,800, frozen 08-03
    assert by[("PF", "8418.61.01.00")].key.pf_date == date(2026, 8, 3)
    assert by[("NPF", "8418.50.00.80")].value == D("14700")  # 70 x ($30 + $180)
    assert by[("NPF", "4011.90.80.50")].value == D("1800")  # 40 tires entered as they are
    assert entry.domestic_value == D("24500")  # 70 cabinets, not dutiable
    assert entry.foreign_value == D("153700")
    assert [n.shipment_no for n in entry.not_entered] == ["X-3001"]
    assert entry.duty is not None and entry.total == entry.duty + entry.mpf
    assert entry.mpf == D("532.42")  # 0.3464% x 153,700
    assert entry.single_entries.saving == entry.single_entries.single_mpf - entry.mpf > 0


def test_single_consumption_entry_recomputes_the_npf_estimate(books: str) -> None:
    found = service.consumption(books, "S-2001", tariff=default_tariff()).value
    [result] = found.results
    statuses = sorted(line.status for line in result.lines)
    assert statuses == ["NPF", "PF", "PF", "PF"]
    recompute = result.npf_recompute
    assert recompute is not None and recompute.estimate is not None
    # at admission: valves 3% and tires 3.4% on their own values; at exit the cart is Free
    assert recompute.estimate == D("7.20") + D("48.96")  # 8x$30x3%, 8x$180x3.4%
    assert recompute.at_exit == D("0.00")
    assert recompute.difference == -(D("7.20") + D("48.96"))
    assert found.mpf is not None and found.mpf.foreign_value == D("17360")  # 8 x $2,170


def test_admission_document_and_hmf(books: str) -> None:
    tariff = default_tariff()
    doc = service.admission(books, "A-1001", tariff=tariff).value
    assert [d.form_status for d in doc.lines] == ["P", "P", "P"]
    assert all(d.duty.kind == "owed" for d in doc.lines)
    assert doc.hmf == D("294.00")  # 0.125% x $235,200 vessel cargo
    q = service.hmf(books, Quarter.parse("2026Q3"), tariff=tariff).value
    assert (q.fee, q.value, q.not_vessel) == (D("294.00"), D("235200"), ("A-1002", "A-1003"))
    assert service.hmf(books, Quarter.parse("2026Q2"), tariff=tariff).value.fee == D("0.00")


def test_alerts_as_of_the_monday_after(books: str) -> None:
    kinds = {a.kind: a for a in service.open_alerts(books, date(2026, 8, 10)).value}
    assert kinds["shortage_reportable"].overdue
    assert kinds["entry_summary_due"].due == date(2026, 8, 21)
    assert not kinds["entry_summary_due"].overdue
    late = {a.kind: a for a in service.open_alerts(books, date(2026, 8, 24)).value}
    assert late["entry_summary_due"].overdue


def _cli(books: str, *args: str) -> subprocess.CompletedProcess[str]:
    db = books.removeprefix("sqlite:///")
    return subprocess.run([sys.executable, "-m", "zonekeeper", "--db", db, *args],
                          capture_output=True, text=True, timeout=120, cwd=Path(db).parent)


def test_cli_weekly_json_and_bad_input(books: str) -> None:
    run = _cli(books, "entry", "weekly", "--week", "2026-W32", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["entry_type"] == "06" and data["mpf"] == "532.42"
    assert D(data["total"]) == D(data["duty"]) + D(data["mpf"])
    bad = _cli(books, "entry", "weekly", "--week", "2026-32")
    assert bad.returncode == 2 and "ISO week" in bad.stderr


def test_demo_out_folder_and_absolute_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zonekeeper.errors import InputError

    with pytest.raises(InputError):
        demo(db=tmp_path / "x.db", out=tmp_path)
    demo(db=None, out=tmp_path / "there")
    made = tmp_path / "there" / "zonekeeper-demo.db"
    assert made.exists()
    assert f"books: {made.resolve()}" in capsys.readouterr().out.replace("\n", "")


def test_the_npf_claim_reads_the_zone_it_is_given(books: str) -> None:
    context = Context(books, load_tariff=default_tariff)
    week = Week.parse("2026-W32")
    claim = use_case.npf_claim(context, week, "CART", zone="DEMO-1")
    assert claim is not None and claim == use_case.npf_claim(context, week, "CART")
    assert use_case.npf_claim(context, Week.parse("2026-W33"), "CART") is None
    with pytest.raises(InputError) as refused:
        use_case.npf_claim(context, week, "CART", zone="OTHER")
    assert [p.code for p in refused.value.problems] == ["books.no-zone"]


def test_an_unknown_shipment_is_refused_naming_the_zone(books: str) -> None:
    with pytest.raises(InputError) as refused:
        service.consumption(books, "S-2001x", tariff=default_tariff())
    assert [(p.code, p.message) for p in refused.value.problems] == [
        ("entries.unknown-shipment", "there is no shipment 'S-2001x' in zone DEMO-1")]
