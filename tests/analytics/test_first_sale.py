"""First sale candidates, golden, on the shipped 2026 tariff: lines whose manufacturer is
not the seller to the importer, the duty paid on them and the duty per percentage point of
value (8537.10.91.70 from Germany in March 2026: 2.7% General and the 10% Section 122
surcharge, so 12.7% of the value: 1.27 a point on 1,000.00)."""

from __future__ import annotations

from decimal import Decimal

from es003_files import HEADER_MORE, WriteFile, row

from zonekeeper.analytics.first_sale import NO_SELLER, first_sale_candidates, missing_columns
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.io.es003 import read_entry_lines

MARCH = "2026-03-02"


def test_manufacturer_not_the_seller(es003: WriteFile, pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "8537109170", "1000.00", "127.00", mid="DEMAKER1",
            seller="HKTRADE1"),
        row("ZZ1", 2, MARCH, "DE", 1, "8537109170", "1000.00", "127.00", mid="DEMAKER1",
            seller=" demaker1 "),  # the manufacturer sells directly: not a candidate
        row("ZZ2", 1, MARCH, "DE", 1, "8537109170", "2000.00", "254.00", mid="DEMAKER1",
            seller="HKTRADE1"),
        row("ZZ3", 1, MARCH, "DE", 1, "8471300100", "5000.00", "0.00", mid="DEMAKER2",
            seller="HKTRADE1"),  # no duty paid: a lower value saves nothing
        row("ZZ4", 1, MARCH, "DE", 1, "8537109170", "1000.00", "127.00"),  # no parties
    ], header=HEADER_MORE))
    assert missing_columns(lines) is None
    [found] = first_sale_candidates(lines, pricer)
    assert (found.kind, found.amount, found.entries) == ("first_sale", Decimal("381.00"),
                                                         ("ZZ1", "ZZ2"))
    assert found.evidence[:2] == (
        "2 line(s) made by DEMAKER1, bought from HKTRADE1: declared value 3000.00, duty paid "
        "381.00",
        "each percentage point of value below the declared 3000.00 saves 3.81 of duty at the "
        "tariff on the entry dates")
    assert found.supplier == "DEMAKER1" and found.month == "2026-03"
    assert "Nissho Iwai" in found.risk and "152.103(a)(1)" in found.risk
    assert "first sale documents" in found.action


def test_a_line_the_engine_cannot_price_says_why(es003: WriteFile,
                                                 pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, "2020-03-02", "DE", 1, "8537109170", "1000.00", "27.00", mid="DEMAKER1",
            seller="HKTRADE1")], header=HEADER_MORE))
    [found] = first_sale_candidates(lines, pricer)
    assert found.amount == Decimal("27.00")
    assert found.evidence[1].startswith("the duty per percentage point of value cannot be "
                                        "computed: entry ZZ1 line 1: no tariff revision")


def test_without_a_seller_column_nothing_is_invented(es003: WriteFile) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "8537109170", "1000.00", "127.00", mid="DEMAKER1")]))
    assert missing_columns(lines) == NO_SELLER
    no_maker = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "8537109170", "1000.00", "127.00", seller="HKTRADE1")],
        header=HEADER_MORE))
    assert missing_columns(no_maker) == ("the file names no manufacturer (the 'Manufacturer "
                                         "ID' column)")
