"""A preference claim on a line whose General rate is already Free (no Special column
printed) still counts: it lifts measures that exempt qualifying goods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

ON = date(2026, 8, 3)


def programs(q) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.program.value for c in q.components}


def test_usmca_claim_on_a_free_auto_part_lifts_section_232(quote) -> None:  # type: ignore[no-untyped-def]
    unclaimed = quote("8414.30.80.30", "MX", "1000", ON)
    assert "section232" in programs(unclaimed) and unclaimed.duty == Decimal("250.00")
    claimed = quote("8414.30.80.30", "MX", "1000", ON, spi="S")
    assert claimed.duty == Decimal("0.00")
    assert programs(claimed) == {"base"}
    assert any("is Free under the General rate" in w for w in claimed.warnings)


def test_the_claim_is_still_refused_for_an_origin_outside_the_agreement(quote) -> None:  # type: ignore[no-untyped-def]
    q = quote("8414.30.80.30", "CN", "1000", ON, spi="S")
    assert any("origin CN is not a party" in w for w in q.warnings)
    assert "section232" in programs(q)
