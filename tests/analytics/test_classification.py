"""Classification alternatives for a broker's review, golden, on the shipped 2026 tariff
(March 2026, German origin, every line also paying the 10% Section 122 surcharge):
7324.10.00 stainless steel sinks 3.4%, 7323.93.00 stainless steel household articles 2%,
7326.19.00 other forged or stamped articles of iron or steel 2.9%. The classifier is a
stand-in here (the product's own is asked end to end in test_cli)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from es003_files import HEADER_MORE, WriteFile, row

from zonekeeper.analytics.classification import Alternative, classification_alternatives
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.io.es003 import read_entry_lines

MARCH = "2026-03-02"
SINK = "Stainless steel  kitchen sink"
ASKED: list[str] = []


def suggest(description: str) -> Sequence[Alternative]:
    ASKED.append(description)
    return [Alternative("7324100090", "Other sinks", "3.4%", 0.9),  # same subheading
            Alternative("7326190080", "Other forged or stamped", "2.9%", 0.5),
            Alternative("7323930060", "Of stainless steel, other", "2%", 0.4),
            Alternative("7323930010", "never asked: past the top 3", "Free", 0.1)]


def test_a_lower_rate_in_another_subheading_is_flagged(es003: WriteFile,
                                                      pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "7324100010", "1000.00", "134.00", mid="DESINK",
            description=SINK),
        row("ZZ2", 1, MARCH, "DE", 1, "7324100010", "500.00", "67.00", mid="DESINK",
            description="stainless steel kitchen sink"),  # case and spacing aside the same
        row("ZZ3", 1, MARCH, "DE", 1, "7323930060", "1000.00", "120.00",
            description="stainless steel bowl"),  # the alternatives all pay more
        row("ZZ4", 1, MARCH, "DE", 1, "8537109170", "1000.00", "127.00"),  # no description
    ], header=HEADER_MORE))
    ASKED.clear()
    [found] = classification_alternatives(lines, pricer, suggest)
    assert sorted(ASKED) == ["Stainless steel kitchen sink", "stainless steel bowl"]
    # 1.4 points (3.4% - 2%) on 1,500.00 under 7323.93.00; 7326.19.00 saves 0.5 points
    assert (found.kind, found.amount) == ("classification", Decimal("21.00"))
    assert found.entries == ("ZZ1", "ZZ2") and found.supplier == "DESINK"
    assert found.title == ("HTS 7324100010 for 'Stainless steel kitchen sink': review "
                           "against 7323930060")
    assert found.evidence[1].startswith("classifier's alternative HTS 7323930060 (Of stainless "
                                        "steel, other; General 2%")
    assert found.risk.startswith("high — a licensed broker must decide; never applied "
                                 "automatically")


def test_each_declared_number_is_its_own_finding(es003: WriteFile,
                                                 pricer: TariffPricer) -> None:
    lines = read_entry_lines(es003([
        row("ZZ1", 1, MARCH, "DE", 1, "7324100010", "1000.00", "134.00", description=SINK),
        row("ZZ2", 1, MARCH, "DE", 1, "7326190080", "1000.00", "129.00", description=SINK),
    ], header=HEADER_MORE))
    found = classification_alternatives(lines, pricer, suggest)
    # under 7326.19.00 (2.9%) the sink alternative 7324.10.00 pays more: 7323.93.00 it is
    assert [(o.entries, o.amount, o.title[-10:]) for o in found] == [
        (("ZZ1",), Decimal("14.00"), "7323930060"), (("ZZ2",), Decimal("9.00"), "7323930060")]
