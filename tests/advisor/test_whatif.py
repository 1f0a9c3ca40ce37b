"""What-if scenarios (19 CFR 146.65(a)): PF frozen at admission unless a change overrides the
freeze; NPF at the finished product's rates on entry; break-even; the robust election; the
real tariff's history as a backtest."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from zk_cli import run_main
from zonekeeper.advisor.election import Component, Product
from zonekeeper.advisor.scenarios import Scenario, what_if
from zonekeeper.tariff import Tariff

SEPT = dt.date(2026, 9, 1)
BOARD = Component("board", "8537.10.91.70", "DE", Decimal(1), Decimal(200))  # 2.7%
PUMP = Component("compressor", "8414.30.80.20", "DE", Decimal(1), Decimal(500))  # Free
PRODUCT = Product("8501.40.20.40")  # 3.3%


def test_changes_reach_each_election_by_the_freeze_rule(tariff: Tariff) -> None:
    scenarios = [
        Scenario("today", SEPT),
        Scenario("finished rate +5", SEPT, product=Decimal(5)),
        Scenario("new 15% on all entries", SEPT, across=Decimal(15)),
        Scenario("301 on DE parts, overriding", SEPT, components=Decimal(25),
                 origins=frozenset({"DE"}), overrides_freeze=True),
    ]
    result = what_if(tariff, PRODUCT, [BOARD, PUMP], SEPT, scenarios)
    board, pump = result.components
    assert [(o.pf, o.npf) for o in board.outcomes] == [
        (Decimal("5.4"), Decimal("6.6")),  # 2.7% vs 3.3% of $200
        (Decimal("5.4"), Decimal("16.6")),  # NPF takes the finished product's new rate
        (Decimal("5.4"), Decimal("36.6")),  # PF admitted before the surcharge is frozen
        (Decimal("55.4"), Decimal("6.6")),  # an overriding component measure reaches PF only
    ]
    assert board.robust == "NPF" and not board.always_best  # worst: PF 55.40 > NPF 36.60
    assert board.break_even_pct == Decimal("-0.6")
    assert pump.outcomes[0].pf == 0 and pump.outcomes[0].npf == Decimal("16.5")
    assert result.totals_pf[0] == Decimal("5.4")
    assert result.totals_robust[3] == Decimal("6.6") + Decimal("16.5")


def test_backtest_on_the_real_2026_history(tariff: Tariff) -> None:
    """Admitted in January 2026 (IEEPA reciprocal in force: PF mandatory for the German
    board), entered in September after IEEPA ended: PF keeps the frozen IEEPA duty — for the
    EU the 15% floor of 9903.02.20 (15% less the 2.7% general rate: 12.3%), so 15% of $200."""
    january = dt.date(2026, 1, 15)
    result = what_if(tariff, PRODUCT, [BOARD], january,
                     [Scenario("at admission", january), Scenario("September", SEPT)])
    (board,) = result.components
    assert board.mandatory_pf and board.robust == "PF"
    assert all(o.npf is None for o in board.outcomes)
    assert board.outcomes[0].pf == board.outcomes[1].pf == Decimal("30.0")


def test_whatif_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "c.csv"
    f.write_text("part,hts,origin,quantity_per_unit,unit_value\nboard,8537.10.91.70,DE,1,200\n",
                 encoding="utf-8")
    code, out, err = run_main(monkeypatch, capsys, "advise", "whatif", "--product-hts",
                              "8501.40.20.40", "--components", str(f), "--admitted",
                              "2026-09-01", "--scenario", "up:product=5;entered=2026-09-30",
                              "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [s["name"] for s in doc["scenarios"]] == ["entered at admission", "up"]
    assert doc["components"][0]["outcomes"][1]["duty_per_unit_npf"] == "16.60"
    code, out, _ = run_main(monkeypatch, capsys, "advise", "whatif", "--product-hts",
                            "8501.40.20.40", "--components", str(f), "--admitted",
                            "2026-09-01", "--scenario", "bad:speed=5", "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.whatif.bad-scenario"
    code, out, _ = run_main(monkeypatch, capsys, "advise", "whatif", "--product-hts",
                            "8501.40.20.40", "--components", str(f), "--admitted",
                            "2026-09-01", "--scenario", "early:entered=2026-08-01", "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.whatif.entry-early"


def test_backtest_a_zone_that_admitted_in_january_2025(tariff: Tariff) -> None:
    """The issue's backtest on the shipped history: a refrigerated display case
    (8418.50.00.80, Free) admitted 2025-01-15. The Chinese board (8537.10.91.70, 2.7% and
    Section 301 list 3, 25%: PF mandatory, 146.41) is frozen at $55.40 whenever it enters.
    Two Vietnamese valves ($15, 8481.80.50.90, 3%): PF freezes $0.90; NPF pays the finished
    product's rate at entry — nothing in January, but the 20% Vietnamese reciprocal duty
    (9903.02.69) on $30 by September 2025 ($6.00), and nothing again in September 2026 after
    the IEEPA duties and the Section 122 surcharge ended. PF is the robust election."""
    january = dt.date(2025, 1, 15)
    board = Component("board", "8537.10.91.70", "CN", Decimal(1), Decimal(200))
    valve = Component("valve", "8481.80.50.90", "VN", Decimal(2), Decimal(15))
    result = what_if(tariff, Product("8418.50.00.80"), [board, valve], january,
                     [Scenario("at admission", january),
                      Scenario("September 2025", dt.date(2025, 9, 1)),
                      Scenario("September 2026", SEPT)])
    chinese, vietnamese = result.components
    assert chinese.mandatory_pf and chinese.robust == "PF"
    assert [o.pf for o in chinese.outcomes] == [Decimal("55.40")] * 3
    assert [(o.pf, o.npf) for o in vietnamese.outcomes] == [
        (Decimal("0.90"), Decimal("0.00")),
        (Decimal("0.90"), Decimal("6.00")),
        (Decimal("0.90"), Decimal("0.00")),
    ]
    assert vietnamese.robust == "PF"


@pytest.mark.parametrize("scenario", ["x:overrides_freeze=maybe", "x:origins=|",
                                      "x:components=5;origins= | "])
def test_a_scenario_the_advisor_cannot_read_is_refused_not_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    scenario: str,
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("part,hts,origin,quantity_per_unit,unit_value\nboard,8537.10.91.70,DE,1,200\n",
                 encoding="utf-8")
    code, out, _ = run_main(monkeypatch, capsys, "advise", "whatif", "--product-hts",
                            "8501.40.20.40", "--components", str(f), "--admitted",
                            "2026-09-01", "--scenario", scenario, "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.whatif.bad-scenario"


def test_a_waste_share_above_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "i.csv"
    f.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                 "E1,1,2026-03-04,8537.10.91.70,10,No.,2000,54\n", encoding="utf-8")
    code, out, _ = run_main(monkeypatch, capsys, "advise", "roi", "--imports", str(f),
                            "--waste-share", "20", "--json")
    assert code == 2
    assert json.loads(out)["problems"][0]["code"] == "advise.bad-number"
