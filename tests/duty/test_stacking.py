"""Sections 301, 232 and 122 on dated examples from the real 2026 tariff and shipped lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.duty import LineQuote


def by_program(q: LineQuote) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in q.components:
        out.setdefault(c.program.value, []).append(c.heading)
    return out


def amount(q: LineQuote, heading: str) -> Decimal:
    return next(c.amount for c in q.components if c.heading == heading)


IN_122 = date(2026, 3, 1)
AFTER_122 = date(2026, 8, 20)
METALS_ANNEX = date(2026, 4, 10)


def test_301_and_122_stack_on_a_free_line(quote):
    q = quote("8414.30.80.60", "CN", "800", IN_122)
    assert by_program(q) == {
        "base": ["8414.30.80"],
        "section122": ["9903.03.01"],
        "section301": ["9903.88.01"],
    }
    assert amount(q, "9903.88.01") == Decimal("200.00")  # 25% of 800
    assert amount(q, "9903.03.01") == Decimal("80.00")  # 10% of 800
    assert q.duty == Decimal("280.00")
    assert any("lists overlap" in w for w in q.warnings)  # shipped lists name it in 1 and 3


def test_122_window_is_inclusive_of_its_last_day(quote):
    last = quote("8414.30.80.60", "CN", "800", date(2026, 7, 23))
    after = quote("8414.30.80.60", "CN", "800", date(2026, 7, 24))
    before = quote("8414.30.80.60", "CN", "800", date(2026, 2, 23))
    assert "section122" in by_program(last)
    assert "section122" not in by_program(after) and "section122" not in by_program(before)
    assert after.duty == Decimal("200.00")


def test_122_not_stacked_on_full_value_232(quote):
    # Brazil: no auto-parts deal (EU, JP, KR parts take the 15% all-in headings instead)
    q = quote("8708.29.51.60", "BR", "1000", IN_122)
    assert by_program(q) == {"base": ["8708.29.51"], "section232": ["9903.94.05"]}
    assert any("not stacked on 9903.94.05" in w for w in q.warnings)
    assert q.duty == Decimal("275.00")  # 2.5% + 25%


def test_usmca_claim_exempts_auto_parts_and_122_but_not_metal_content(quote):
    """A USMCA part is not subject to the auto 232, so the aluminum-derivative 232 (levied on
    aluminum content) is no longer displaced; without the content value it cannot be had."""
    q = quote("8708.29.51.60", "MX", "1000", IN_122, spi="S")
    assert q.duty is None and any("aluminum" in r for r in q.cannot_compute)
    assert sum("exempt" in w for w in q.warnings) >= 2
    q = quote("8708.29.51.60", "MX", "1000", IN_122, spi="S", content={"aluminum": Decimal(80)})
    assert by_program(q) == {"base": ["8708.29.51"], "section232": ["9903.85.08"]}
    assert q.duty == Decimal("40.00")  # Free (S) + 50% of $80 aluminum


def test_copper_content_232_with_301_and_partial_122(quote):
    q = quote("7411.10.50.00", "CN", "120", IN_122, content={"copper": Decimal("110")})
    assert amount(q, "7411.10.50.00") == Decimal("3.60")  # 3% base
    assert amount(q, "9903.78.01") == Decimal("55.00")  # 50% of copper content
    assert amount(q, "9903.88.03") == Decimal("30.00")  # 301 on the full value
    assert amount(q, "9903.03.01") == Decimal("1.00")  # 10% of the non-copper $10
    assert q.duty == Decimal("89.60")


def test_copper_content_missing_is_not_zero(quote):
    q = quote("7411.10.50.00", "CN", "120", IN_122)
    assert q.duty is None
    assert any(
        r.startswith("9903.78.01") and "cannot compute automatically" in r for r in q.cannot_compute
    )


def test_april_2026_annex_replaces_content_rate(quote):
    q = quote("7411.10.50.00", "CN", "120", METALS_ANNEX)
    assert by_program(q)["section232"] == ["9903.82.02"]
    assert amount(q, "9903.82.02") == Decimal("60.00")  # 50% of full value (note 16(c))
    assert "section122" not in by_program(q)
    # rate and coverage now read from the heading text and U.S. note 16(c) (rev. 6)
    assert not any("Yale" in w for w in q.warnings)


def test_pf_freeze_keeps_301_but_overriding_232_applies_now(quote, tariff):
    from zonekeeper.duty import LineItem, quote_line

    item = LineItem("7411.10.50.00", "CN", Decimal("120"), content={"copper": Decimal("110")})
    q = quote_line(tariff, item, METALS_ANNEX, frozen_on=IN_122)
    programs = by_program(q)
    assert programs["section232"] == ["9903.82.02"]  # overrides the PF freeze
    assert programs["section122"] == ["9903.03.01"]  # frozen at the PF date
    assert programs["section301"] == ["9903.88.03"]
    assert any("overrides the freeze" in w for w in q.warnings)


def test_four_year_review_replaces_list_3(quote):
    q = quote("8541.21.00", "CN", "1000", AFTER_122)
    assert by_program(q)["section301"] == ["9903.91.05"]
    assert amount(q, "9903.91.05") == Decimal("500.00")
    assert any("9903.88.03" in w and "displaced" in w for w in q.warnings)


def test_list_4b_is_never_applied(quote):
    q = quote("2208.90.80", "CN", "100", AFTER_122, quantities={"pf_liter": Decimal("1")})
    assert "section301" not in by_program(q)
    assert any("9903.88.16" in w and "suspended" in w for w in q.warnings)


def test_301_is_china_only(quote):
    assert "section301" not in by_program(quote("8414.30.80.60", "HK", "800", AFTER_122))
    assert "section301" not in by_program(quote("8414.30.80.60", "VN", "800", AFTER_122))


def test_adcvd_user_rate_never_drawback(quote):
    from zonekeeper.tariff import AdcvdCase

    case = AdcvdCase("A-570-967", Decimal("32.5"), "AD")
    q = quote("8414.30.80.60", "CN", "1000", AFTER_122, adcvd=(case,))
    component = next(c for c in q.components if c.program.value == "adcvd")
    assert component.amount == Decimal("325.00") and component.drawback_eligible is False
    assert any("400.13(c)" in reason for reason in q.pf_required)


def test_scenario_1_components_on_the_real_tariff(quote):
    """scenarios.md §1 on the real 2026 tariff: every component is China-origin and under
    Section 301, so PF is mandatory and the naive NPF '$0 duty' cannot hold."""
    on = date(2026, 8, 20)
    compressor = quote("8414.30.80.60", "CN", "800", on)
    tubing = quote("7411.10.50.00", "CN", "120", on, content={"copper": Decimal("120")})
    board = quote("8537.10.91.70", "CN", "200", on)
    for q in (compressor, tubing, board):
        assert "section301" in by_program(q)
        assert any("Section 301" in reason for reason in q.pf_required)
    assert [q.components[0].rate for q in (compressor, tubing, board)] == ["Free", "3%", "2.7%"]
    per_unit = sum((q.duty for q in (compressor, tubing, board) if q.duty), Decimal(0))
    illustrative = Decimal("320.20")
    assert per_unit != illustrative  # the real tariff differs; the components say why
    assert per_unit >= Decimal("0.25") * Decimal("1120")  # at least the 301 duty


def test_pf_freeze_before_first_revision_is_reported_not_raised(tariff):
    from zonekeeper.duty import LineItem, quote_line

    item = LineItem("8414.30.80.60", "CN", Decimal("800"))
    q = quote_line(tariff, item, date(2026, 3, 1), frozen_on=date(2021, 11, 3))
    assert q.duty is None and q.components == ()
    assert "2021-11-03" in q.cannot_compute[0]


def test_cafta_textiles_exempt_from_122_only_under_the_claim(quote):
    on = date(2026, 3, 1)
    claimed = quote("6109.10.00.12", "SV", "1000", on, spi="P", quantities={"doz": Decimal(10)})
    plain = quote("6109.10.00.12", "SV", "1000", on, quantities={"doz": Decimal(10)})
    assert "section122" not in by_program(claimed)
    assert any("9903.03.09" in w for w in claimed.warnings)
    assert "section122" in by_program(plain)
