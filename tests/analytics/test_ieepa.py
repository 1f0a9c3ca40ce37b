"""IEEPA refunds, golden: the amount (IEEPA Chapter 99 duty only, never Section 301), the
route by liquidation status and date at its deadline edges (CAPE's 80 days, the protest's
180 days, 19 U.S.C. 1514(c)(3)), and interest under 19 U.S.C. 1505(c)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from es003_files import WriteFile, row

from zonekeeper.analytics import ieepa
from zonekeeper.analytics.findings import Opportunity
from zonekeeper.analytics.ieepa import CAPE_BATCH, cape_batches, ieepa_refunds, route
from zonekeeper.analytics.interest import accrue, parse_rates
from zonekeeper.analytics.records import EntryLine
from zonekeeper.errors import InputError
from zonekeeper.io.es003 import read_entry_lines
from zonekeeper.sources.analytics import overpayment_rates

LIQUIDATED = date(2026, 3, 2)


def _china_entry(es003: WriteFile, **kw: str) -> list[Opportunity]:
    """A Chinese line of 2025-09-04 with Section 301 (250) and IEEPA fentanyl (100)."""
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2025-09-04", "CN", 1, "9903.88.03", "", "250.00", **kw),
        row("ZZ1", 1, "2025-09-04", "CN", 2, "9903.01.24", "", "100.00", **kw),
        row("ZZ1", 1, "2025-09-04", "CN", 3, "8537109170", "1000.00", "27.00", **kw),
        row("ZZ1", 2, "2025-09-04", "CN", 1, "9903.01.25", "", "50.00", **kw),
        row("ZZ1", 2, "2025-09-04", "CN", 2, "8537109170", "500.00", "13.50", **kw),
        row("ZZ2", 1, "2025-09-04", "CN", 1, "9903.88.03", "", "250.00", **kw),
        row("ZZ2", 1, "2025-09-04", "CN", 2, "8537109170", "1000.00", "27.00", **kw),
    ]))
    return ieepa_refunds(lines, date(2026, 5, 1), overpayment_rates())


def test_the_refund_counts_ieepa_and_never_section_301(es003: WriteFile) -> None:
    [found] = _china_entry(es003)  # ZZ2 has Section 301 only: no refund
    assert (found.kind, found.amount, found.entries, found.route) == (
        "ieepa_refund", Decimal("150.00"), ("ZZ1",), "cape")
    assert found.evidence[1:] == ("line 1: 9903.01.24 100.00", "line 2: 9903.01.25 50.00")
    assert "Section 301" in found.risk


@pytest.mark.parametrize(("days", "name", "deadline"), [
    (0, "cape", LIQUIDATED + timedelta(days=80)),
    (80, "cape", LIQUIDATED + timedelta(days=80)),  # the last day CAPE phase 1 takes it
    (81, "protest", LIQUIDATED + timedelta(days=180)),
    (180, "protest", LIQUIDATED + timedelta(days=180)),  # the last day to protest
    (181, "court", None),  # finally liquidated
])
def test_routes_at_their_deadline_edges(days: int, name: str, deadline: date | None) -> None:
    chosen = route("01", date(2025, 9, 4), "Liquidated", LIQUIDATED,
                   LIQUIDATED + timedelta(days=days))
    assert (chosen.name, chosen.deadline) == (name, deadline)


def test_an_80_day_window_that_closes_before_cape_opens() -> None:
    closes_before = route("01", date(2025, 3, 4), "", date(2026, 1, 29), date(2026, 3, 1))
    assert (closes_before.name, closes_before.deadline) == ("protest", date(2026, 7, 28))
    last_day = route("01", date(2025, 3, 4), "", date(2026, 1, 30), date(2026, 3, 1))
    assert (last_day.name, last_day.deadline) == ("cape", date(2026, 4, 20))


def test_unliquidated_and_outside_cape() -> None:
    entered = date(2025, 9, 4)
    assert route("01", entered, "", None, date(2026, 5, 1)).name == "cape"
    assert "CAPE opens 2026-04-20" in route("01", entered, "", None, date(2026, 4, 1)).action
    psc_by = entered + timedelta(days=300)
    edge = route("47", entered, "", None, psc_by)
    assert (edge.name, edge.deadline) == ("post_summary_correction", psc_by)
    assert route("47", entered, "", None, psc_by + timedelta(days=1)).name == "protest"
    assert route("1", entered, "", None, date(2026, 5, 1)).name == "cape"  # "01" as a number
    assert route("01", entered, "Liquidated", None, date(2026, 5, 1)).name == "unknown"
    # a liquidation date after the as-of day: not liquidated yet
    assert route("01", entered, "", date(2026, 7, 1), date(2026, 5, 1)).deadline is None


def test_a_liquidated_entry_from_the_file(es003: WriteFile) -> None:
    [found] = _china_entry(es003, liquidated="2025-12-01", status="Liquidated")
    # 151 days after liquidation on 2026-05-01: CAPE's 80 days are over, protest by 2026-05-30
    assert (found.route, found.deadline) == ("protest", date(2026, 5, 30))


def test_interest_compounds_daily_at_each_quarter_rate() -> None:
    """$10,000 deposited 2025-05-01, to 2026-05-01: 6% (corporate) to 2026-03-31, then 5%."""
    accrued = accrue(Decimal(10000), date(2025, 5, 1), date(2026, 5, 1), overpayment_rates())
    at_6 = (date(2026, 3, 31) - date(2025, 5, 1)).days  # 2025-05-02 .. 2026-03-31
    at_5 = (date(2026, 5, 1) - date(2026, 3, 31)).days  # 2026-04-01 .. 2026-05-01
    expected = 10000 * ((1 + 0.06 / 365) ** at_6 * (1 + 0.05 / 365) ** at_5 - 1)
    assert accrued.interest is not None
    assert abs(float(accrued.interest) - expected) < 0.01 and accrued.note == ""
    late = accrue(Decimal(10000), date(2025, 5, 1), date(2026, 9, 1), overpayment_rates())
    assert late.through == date(2026, 6, 30) and "last day of the rate table" in late.note
    early = accrue(Decimal(10000), date(2024, 5, 1), date(2026, 5, 1), overpayment_rates())
    assert early.interest is None and "before the first quarter" in early.note


def test_cape_uploads_hold_at_most_9999_entries() -> None:
    found = [Opportunity("ieepa_refund", Decimal(1), (f"E{n:05}",), (), "", "", route="cape")
             for n in range(CAPE_BATCH + 2)]
    found.append(Opportunity("ieepa_refund", Decimal(1), ("P1",), (), "", "", route="protest"))
    batches = cape_batches(found)
    assert [len(b) for b in batches] == [CAPE_BATCH, 2] and "P1" not in batches[1]


def test_a_short_rate_row_is_a_problem_naming_its_row_not_a_crash() -> None:
    """A row of the rate table with fewer cells than the header (None for the missing ones,
    which `date.fromisoformat` and `Decimal` raise TypeError on) is refused with its row."""
    text = ("quarter_start,noncorporate_pct,corporate_pct,source\n"
            "2025-01-01,8,7,IRS\n2025-04-01,8\n")
    with pytest.raises(InputError) as error:
        parse_rates(text, "rates.csv")
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.field, problem.code) == (
        "rates.csv", 3, "corporate_pct", "analytics.rates-unreadable")
    assert "fewer cells than the header: no corporate_pct, source" in problem.message


def test_each_lines_ieepa_duty_is_computed_once(es003: WriteFile,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The refund sums each line's IEEPA duty once (it was summed for the filter and again
    for the amount); the figures stay those of the test above."""
    calls: list[str] = []
    counted = ieepa.ieepa_duty

    def counting(line: EntryLine) -> Decimal:
        calls.append(f"{line.entry}/{line.line}")
        return counted(line)

    monkeypatch.setattr(ieepa, "ieepa_duty", counting)
    [found] = _china_entry(es003)
    assert sorted(calls) == ["ZZ1/1", "ZZ1/2", "ZZ2/1"]
    assert found.amount == Decimal("150.00")
    assert found.evidence[1:] == ("line 1: 9903.01.24 100.00", "line 2: 9903.01.25 50.00")
