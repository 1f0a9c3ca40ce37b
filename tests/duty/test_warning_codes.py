"""A line's warnings carry stable codes beside their text (`LineQuote.warning_codes`, the
`warning_codes` of `duty quote --json` and the API), so a client acts on a code, never on a
message's words; each code is documented in docs/problems.md."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from zonekeeper.duty import LineItem, quote_line
from zonekeeper.duty import quote as quote_module
from zonekeeper.duty.quote import PREFERENCE, WARNING_CODES
from zonekeeper.tariff import Tariff

AFTER_122 = date(2026, 8, 20)
DOC = Path(__file__).resolve().parents[2] / "docs" / "problems.md"


def test_every_warning_has_its_code_in_order(quote) -> None:
    refused = quote("8537.10.91.70", "DE", "200", AFTER_122, spi="AU")
    assert len(refused.warning_codes) == len(refused.warnings) > 0
    [(text, code)] = [(w, c) for w, c in zip(refused.warnings, refused.warning_codes,
                                             strict=True) if "not a party" in w]
    assert code == PREFERENCE
    assert {(p.code, p.severity) for p in refused.notices} >= {(PREFERENCE, "warning")}
    column2 = quote("8414.30.80", "RU", "100", AFTER_122, spi="A")
    assert column2.column == "Column 2" and PREFERENCE in column2.warning_codes
    assert column2.duty == Decimal("35.00")


def test_a_pf_line_says_which_measure_overrides_the_freeze(tariff: Tariff) -> None:
    # copper content frozen in the Section 122 window, quoted after the metals annex
    item = LineItem("7411.10.50.00", "CN", Decimal("120"), content={"copper": Decimal("110")})
    frozen = quote_line(tariff, item, date(2026, 4, 6), frozen_on=date(2026, 3, 2))
    overriding = [c for w, c in zip(frozen.warnings, frozen.warning_codes, strict=True)
                  if "overrides the freeze" in w]
    assert overriding and set(overriding) == {quote_module.PF_FREEZE}
    assert set(frozen.warning_codes) <= set(WARNING_CODES)


def test_every_warning_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z0-9.-]+)` \| warning \|", DOC.read_text(),
                                re.MULTILINE))
    assert set(WARNING_CODES) <= documented
