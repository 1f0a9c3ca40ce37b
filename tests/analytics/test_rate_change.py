"""Rate changes, golden, on the shipped 2026 tariff: the Section 122 surcharge (10%, from
2026-02-24, ended 2026-07-23) and the steel derivatives measure that reached 7318.15.80 in
April 2026, seen from 2026-09-01 on lines entered in March."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from es003_files import WriteFile, row

from zonekeeper.analytics.rate_change import rate_changes
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.io.es003 import read_entry_lines

MARCH = "2026-03-02"


def test_duty_up_and_down_since_entry(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "7318158066", "1000.00", "185.00", mid="DEBOLT"),
        row("ZZ1", 2, MARCH, "DE", 1, "8537109170", "1000.00", "127.00", mid="DEBOLT"),
        row("ZZ2", 1, "2026-02-10", "DE", 1, "9903.01.25", "", "100.00"),  # IEEPA: refund
        row("ZZ2", 1, "2026-02-10", "DE", 2, "8537109170", "1000.00", "27.00"),
        row("ZZ3", 1, "2025-08-01", "DE", 1, "8537109170", "1000.00", "27.00"),  # a year ago
    ]))
    up, down = rate_changes(lines, pricer, date(2026, 9, 1))  # by HTS number
    assert (up.kind, up.amount, up.entries) == ("rate_change", Decimal("400.00"), ("ZZ1",))
    assert up.title == "HTS 7318158066 from DE: duty up 400.00 on a year's lines"
    assert up.evidence == ("1 line(s) entered 2026-03-02 to 2026-03-02, value 1000.00: duty "
                           "185.00 at the tariff on their entry dates, 585.00 at the tariff "
                           "in force on 2026-09-01",)
    assert "zone" in up.action and up.supplier == "DEBOLT"
    assert (down.amount, down.entries) == (Decimal("100.00"), ("ZZ1",))
    assert "pay less" in down.action


def test_no_change_no_finding(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2026-08-04", "DE", 1, "8537109170", "1000.00", "27.00")]))
    assert rate_changes(lines, pricer, date(2026, 9, 1)) == []
