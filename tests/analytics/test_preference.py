"""Preferences not claimed, golden: the saving is the duty the claim would have lifted, base
and Chapter 99 (USMCA goods were exempt from the IEEPA duty on Mexico, 9903.01.01)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from es003_files import WriteFile, row

from zonekeeper.analytics.preference import unclaimed_preferences
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.io.es003 import read_entry_lines


def test_usmca_not_claimed_on_mexican_goods(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2026-02-10", "MX", 1, "9903.01.01", "", "250.00", mid="MXACME1"),
        row("ZZ1", 1, "2026-02-10", "MX", 2, "8537109170", "1000.00", "27.00", mid="MXACME1"),
        row("ZZ2", 1, "2026-02-10", "MX", 1, "8537109170", "1000.00", "0.00", spi="S"),
    ]))
    [found] = unclaimed_preferences(lines, pricer, date(2026, 9, 1))
    assert (found.kind, found.amount, found.entries) == (
        "preference_unclaimed", Decimal("277.00"), ("ZZ1",))  # 27.00 base + 250.00 IEEPA
    assert found.deadline == date(2027, 2, 10)  # 19 U.S.C. 1520(d): one year
    assert "regional value content" in found.risk and "certification of origin" in found.risk
    assert found.supplier == "MXACME1" and found.month == "2026-02"


def test_korus_lifts_the_base_rate_only(es003: WriteFile, pricer: TariffPricer) -> None:
    """6109.10.00 cotton T-shirts, General 16.5%, Special KR Free, entered 2026-02-10 under
    Korea's 15% all-in reciprocal duty (9903.02.80, from 2025-11-14): unclaimed, the 16.5%
    base is above the floor and no reciprocal duty is owed ($165.00); claimed, the base is
    free and the floor tops it up to 15% ($150.00). KORUS saves $15.00, not the base duty."""
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2026-02-10", "KR", 1, "9903.01.25", "", "100.00"),
        row("ZZ1", 1, "2026-02-10", "KR", 2, "6109100012", "1000.00", "165.00", qty="10",
            unit="DOZ"),
    ]))
    [found] = unclaimed_preferences(lines, pricer, date(2026, 9, 1))
    assert (found.amount, found.title) == (
        Decimal("15.00"), "KR not claimed on HTS 6109100012 from KR (1 line(s))")


def test_no_partner_no_finding_and_a_closed_window(es003: WriteFile,
                                                  pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2026-02-10", "DE", 1, "8537109170", "1000.00", "27.00"),
        row("ZZ2", 1, "2026-08-04", "MX", 1, "8537109170", "1000.00", "27.00"),
    ]))
    [found] = unclaimed_preferences(lines, pricer, date(2027, 8, 5))
    assert found.entries == ("ZZ2",) and found.deadline is None
    assert "closed on 2027-08-05 for 1 line(s)" in found.action
