"""Golden quotes on real 2026 lines, one per rate shape (expected figures worked by hand from
the published rate text, which each test also checks). Dates after 2026-07-23 keep the
Section 122 surcharge out, so only the base rate shows; origin DE carries no 301."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.errors import InputError

AFTER_122 = date(2026, 8, 20)


def test_ad_valorem(quote):
    q = quote("8708.29.51.60", "JP", "1000", AFTER_122)  # 2.5%; auto part (232 +25%)
    base = q.components[0]
    assert (base.program.value, base.rate, base.heading) == ("base", "2.5%", "8708.29.51")
    assert base.amount == Decimal("25.00")
    assert "HTS 2026 Revision 10" in base.source and "General" in base.source


def test_free(quote):
    q = quote("0101.21.00", "DE", "5000", AFTER_122)
    assert [c.rate for c in q.components] == ["Free"] and q.duty == Decimal("0.00")


def test_specific_per_kg_needs_the_quantity(quote):
    q = quote("0201.10.05", "AR", "1000", AFTER_122, quantities={"kg": Decimal("250")})
    assert q.components[0].rate == "4.4¢/kg"
    assert q.duty == Decimal("11.00")  # 250 kg x $0.044
    with pytest.raises(InputError) as error:
        quote("0201.10.05", "AR", "1000", AFTER_122)
    assert error.value.problems[0].field == "quantity"


def test_specific_per_kg_converts_exact_units(quote):
    q = quote("0201.10.05", "AR", "1000", AFTER_122, quantities={"t": Decimal("0.25")})
    assert q.duty == Decimal("11.00")


def test_specific_each_rounds_half_up_once(quote):
    q = quote("0105.11.00", "FR", "100", AFTER_122, quantities={"each": Decimal("1250")})
    assert q.components[0].rate == "0.9¢ each"
    assert q.components[0].exact == Decimal("11.250")
    assert q.duty == Decimal("11.25")


def test_compound_specific_plus_ad_valorem(quote):
    q = quote("6402.91.20.00", "IT", "200", AFTER_122, quantities={"pr": Decimal("10")})
    assert q.components[0].rate == "90¢/pr. + 37.5%"
    assert q.duty == Decimal("84.00")  # 10 x $0.90 + 37.5% x $200


def test_content_based_rate_needs_the_content(quote):
    q = quote("7801.10.00.00", "PE", "1000", AFTER_122, content={"lead": Decimal("400")})
    assert q.components[0].rate == "2.5% on the value of the lead content"
    assert q.duty == Decimal("10.00")
    missing = quote("7801.10.00.00", "PE", "1000", AFTER_122)
    assert missing.duty is None  # never 0
    assert any("lead" in reason for reason in missing.cannot_compute)


def test_special_rate_for_a_party(quote):
    q = quote("8537.10.91.70", "AU", "200", AFTER_122, spi="AU")
    assert q.column == "Special (AU)" and q.components[0].rate == "Free"


def test_special_rate_refused_for_a_non_party(quote):
    q = quote("8537.10.91.70", "DE", "200", AFTER_122, spi="AU")
    assert q.column == "General" and q.components[0].amount == Decimal("5.40")
    assert any("not a party" in w for w in q.warnings)


def test_gsp_refused_after_lapse(quote):
    q = quote("8708.29.51.60", "IN", "1000", AFTER_122, spi="A")
    assert q.column == "General"
    assert any("lapsed" in w for w in q.warnings)


def test_unilateral_program_cannot_verify_beneficiary(quote):
    q = quote("8537.10.91.70", "KE", "200", AFTER_122, spi="D")
    assert q.column == "Special (D)"
    assert any("cannot verify beneficiary" in w for w in q.warnings)


def test_spi_without_special_rate_refused(quote):
    # 0402.10.10.00 (3.3c/kg) prints Special rates for A+, BH, CL, ... but not for AU.
    q = quote("0402.10.10.00", "AU", "100", AFTER_122, spi="AU", quantities={"kg": Decimal(50)})
    assert q.column == "General"
    assert any("no Special rate" in w for w in q.warnings)


def test_column2_for_general_note_3b_country(quote):
    q = quote("8414.30.80", "RU", "100", AFTER_122, spi="A")
    assert q.column == "Column 2" and q.components[0].rate == "35%"
    assert q.duty == Decimal("35.00")
    assert any("Column 2" in w for w in q.warnings)


def test_unknown_hts_bad_country_negative_value_all_reported(quote):
    with pytest.raises(InputError) as error:
        quote("8414.30.80", "XX", "-1", AFTER_122)
    fields = {p.field for p in error.value.problems}
    assert {"origin", "value"} <= fields
    with pytest.raises(InputError) as error:
        quote("0000.00.00.00", "DE", "1", AFTER_122)
    assert error.value.problems[0].field == "hts"
