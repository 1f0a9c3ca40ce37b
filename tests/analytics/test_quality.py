"""The data-quality report on hand-made ES-003 files: classification conflicts, origins,
ineligible preference claims, and the duty recomputed per line against the tariff on the
entry date (8537.10.91: General 2.7%; IEEPA collection ended for entries from 2026-02-24)."""

from __future__ import annotations

from decimal import Decimal

from es003_files import WriteFile, row

from zonekeeper.analytics.quality import quality_report
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.io.es003 import read_entry_lines

AUG = "2026-08-04"


def test_a_line_that_reconciles_and_one_that_does_not(es003: WriteFile,
                                                      pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, AUG, "DE", 1, "8537109170", "200.00", "5.40"),  # 2.7% of 200
        row("ZZ2", 1, AUG, "DE", 1, "8537109170", "200.00", "10.00"),  # 4.60 too much
        row("ZZ3", 1, AUG, "DE", 1, "8537109170", "1000.00", "20.00"),  # 7.00 too little
    ]))
    report = quality_report(lines, pricer)
    assert report.recomputed == 3
    assert [(c.entry, c.recomputed, c.difference) for c in report.reconciliation] == [
        ("ZZ2", Decimal("5.40"), Decimal("4.60")), ("ZZ3", Decimal("27.00"), Decimal("-7.00"))]
    over, under = report.findings
    assert (over.kind, over.amount, over.entries) == ("data_quality", Decimal("4.60"), ("ZZ2",))
    assert (under.amount, under.entries) == (Decimal("7.00"), ("ZZ3",))
    assert "reported 10.00, tariff on 2026-08-04 5.40, difference 4.60" in over.evidence[0]


def test_chapter99_rows_count_in_the_reported_duty(es003: WriteFile,
                                                   pricer: TariffPricer) -> None:
    """Before 2026-02-24 German goods paid the EU's 15% all-in reciprocal IEEPA duty
    (9903.02.20: 15% less the 2.7% general rate, $123.00 on $1,000): the line reconciles
    only with its Chapter 99 row."""
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2026-02-10", "DE", 1, "9903.02.20", "", "123.00"),
        row("ZZ1", 1, "2026-02-10", "DE", 2, "8537109170", "1000.00", "27.00"),
    ]))
    report = quality_report(lines, pricer)
    assert (report.recomputed, report.reconciliation, report.findings) == (1, (), ())


def test_origin_and_preference_problems(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, AUG, "", 1, "8537109170", "200.00", "5.40"),
        row("ZZ2", 1, AUG, "XX", 1, "8537109170", "200.00", "5.40"),
        row("ZZ3", 1, AUG, "DE", 1, "8537109170", "200.00", "0.00", spi="KR"),
    ]))
    report = quality_report(lines, pricer)
    titles = {f.title: f for f in report.findings}
    assert titles["1 line(s) without a country of origin"].entries == ("ZZ1",)
    assert titles["1 line(s) with an invalid country of origin"].evidence == (
        "entry ZZ2 line 1 (row 3): 'XX'",)
    refused = titles["1 line(s) claim a preference they are not eligible for"]
    assert "origin DE is not a party" in refused.evidence[0]
    assert refused.amount is None and refused.amount_reason
    # the KR claim refused, the line owes the General rate: 5.40 unpaid
    assert titles["1 line(s) paid less duty than the tariff asks"].amount == Decimal("5.40")
    assert report.not_recomputed == {"no valid country of origin": 2}


def test_one_part_under_two_classifications(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, AUG, "DE", 1, "8537109170", "200.00", "5.40", part="P-1"),
        row("ZZ2", 1, AUG, "DE", 1, "8537109160", "200.00", "5.40", part="P-1"),
        row("ZZ3", 1, AUG, "DE", 1, "8537109170", "200.00", "5.40", part="P-2"),
    ]))
    [conflict] = [f for f in quality_report(lines, pricer).findings if "part" in f.title]
    assert conflict.title == "part 'P-1' entered under 2 HTS numbers"
    assert conflict.entries == ("ZZ1", "ZZ2") and conflict.amount is None


def test_a_line_before_the_first_tariff_is_counted_not_reconciled(
        es003: WriteFile, pricer: TariffPricer) -> None:
    """The shipped tariff begins with HTS 2021 Revision 12 (in force 2021-12-07): a line of
    June 2021 cannot be recomputed, and is counted with the reason, not reconciled."""
    lines = read_entry_lines(es003([row("ZZ1", 1, "2021-06-01", "DE", 1, "8537109170",
                                        "200.00", "99.00")]))
    report = quality_report(lines, pricer)
    assert report.recomputed == 0 and report.reconciliation == ()
    [(reason, count)] = report.not_recomputed.items()
    assert count == 1 and "before the earliest loaded (HTS 2021 Revision 12" in reason
