"""Golden tests of `advise roi` (seed scenarios 2 and 3): the weekly-entry MPF saving with the
fee table of each fiscal year (19 CFR 24.23; 146.63(c)), exports, waste, deferral, costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zonekeeper.advisor.roi import (
    Assumptions,
    BomLine,
    ExportedGoods,
    ImportedLine,
    assess,
    by_kind,
    exports_saving,
    mpf_weekly_saving,
    through_bom,
)
from zonekeeper.tariff import Tariff


def D(text: str) -> Decimal:
    return Decimal(text)


def week_of_shipments(monday: dt.date, value: str = "250000") -> list[ImportedLine]:
    """Seed scenario 2: 50 high-value shipments a week, each entered on its own."""
    return [
        ImportedLine(f"E{monday:%Y%m%d}{n:02d}", monday + dt.timedelta(days=n % 5), "8537109170",
                     D(value), D("0"), D("1"), "DE")
        for n in range(50)
    ]


def test_seed_weekly_mpf_with_the_fy2026_fee_table(tariff: Tariff) -> None:
    """FY2026 ($33.58 / $651.50): 50 capped entries pay $32,575.00; one weekly entry $651.50."""
    saving, text = mpf_weekly_saving(week_of_shipments(dt.date(2026, 8, 3)),
                                     tariff.fees.mpf_terms)
    assert saving == D("32575.00") - D("651.50") == D("31923.50")
    assert "50 entries" in text and "1 weekly" in text


def test_seed_weekly_mpf_as_published_with_the_fy2023_table(tariff: Tariff) -> None:
    """The article's FY2023 figures: up to 50 x $575.35 = $28,767.50; saving $28,192.15."""
    saving, _ = mpf_weekly_saving(week_of_shipments(dt.date(2023, 3, 6)), tariff.fees.mpf_terms)
    assert saving == D("28192.15")


def test_mpf_paid_is_the_files_column_where_given(tariff: Tariff) -> None:
    lines = [ImportedLine("E1", dt.date(2026, 8, 4), "8537109170", D("2000"), D("54"), D("10"),
                          "DE", mpf=D("33.58")),
             ImportedLine("E2", dt.date(2026, 8, 5), "8537109170", D("2000"), D("54"), D("10"),
                          "DE", mpf=D("40.00"))]
    saving, _ = mpf_weekly_saving(lines, tariff.fees.mpf_terms)
    # paid 73.58; one weekly entry on $4,000: 0.3464% = 13.856 -> the floor $33.58
    assert saving == D("40.00")


def test_seed_weekly_mpf_with_the_current_fy2027_fee_table(tariff: Tariff) -> None:
    """The current fiscal year (FY2027, $34.58 / $670.86, unconfirmed): 50 capped entries pay
    $33,543.00; one weekly entry $670.86; the text says the table is unconfirmed."""
    saving, text = mpf_weekly_saving(week_of_shipments(dt.date(2026, 11, 2)),
                                     tariff.fees.mpf_terms)
    assert saving == D("33543.00") - D("670.86") == D("32872.14")
    assert "FY2027 MPF floor $34.58 and cap $670.86 are unconfirmed" in text


def test_a_fiscal_year_without_a_fee_table_is_not_computed(tariff: Tariff) -> None:
    """FY2028's floor and cap are not shipped: the saving is None with the reason, never 0."""
    saving, text = mpf_weekly_saving(week_of_shipments(dt.date(2027, 11, 1)),
                                     tariff.fees.mpf_terms)
    assert saving is None and "FY2028" in text


def test_assess_exports_waste_deferral_costs_and_verdict(tariff: Tariff) -> None:
    lines = week_of_shipments(dt.date(2026, 8, 3), value="10000")
    lines = [ImportedLine(ln.entry_no, ln.import_date, ln.hts, ln.value, D("270"), D("100"),
                          ln.origin, part="BOARD") for ln in lines]  # $13,500 duty, 5,000 units
    exports = [ExportedGoods(dt.date(2026, 8, 20), "8537109170", D("1000"), part="BOARD")]
    a = Assumptions(waste_share=D("0.02"))
    roi = assess(lines, exports, a, tariff.fees.mpf_terms)
    s = by_kind(roi)
    assert (roi.start, roi.end, roi.days) == (dt.date(2026, 8, 3), dt.date(2026, 8, 7), 5)
    assert s["exports"].amount == D("2700.00")  # 1,000 of 5,000 units at $2.70 each
    assert s["exports"].alternative == D("2673.00")  # drawback: 99%
    assert s["waste_scrap"].amount == D("216.00")  # 2% of the $10,800 not exported
    assert s["deferral"].amount == D("71.01")  # 10,800 x 8% x 30/365
    assert s["inverted_tariff"].amount is None  # no finished product given
    assert s["exports"].annualized == D("197100.00")  # x 365 / 5 days
    assert sum(c.annual for c in roi.costs) == D("97500")
    counted = sum(x.annualized for x in roi.savings if x.annualized is not None)
    assert roi.net_annual == counted - D("97500")
    assert roi.payback_months == (D("25000") / (roi.net_annual / 12)).quantize(D("0.01"))
    assert len(roi.cash) == 6 and roi.cash[0] == D("-25000.00") and roi.npv == roi.cash[-1]
    assert roi.verdict == "pays"
    assert any("only 5 day" in r for r in roi.reasons)
    # 50 entries at 0.3464% of $10,000 = $34.64 each; one weekly entry: the cap $651.50
    assert s["mpf_weekly_entry"].amount == D("1732.00") - D("651.50")
    assert [x.item for x in roi.sensitivity][::2] == ["exports", "mpf_weekly_entry"]


def test_a_zone_that_does_not_pay(tariff: Tariff) -> None:
    lines = [ImportedLine("E1", dt.date(2026, 1, 5), "8537109170", D("2000"), D("54"), D("10"),
                          "DE", mpf=D("33.58")),
             ImportedLine("E2", dt.date(2026, 9, 28), "8537109170", D("2000"), D("54"), D("10"),
                          "DE", mpf=D("33.58"))]
    roi = assess(lines, [], Assumptions(), tariff.fees.mpf_terms)
    assert roi.net_annual < 0 and roi.payback_months is None
    assert roi.verdict == "does not pay" and roi.npv < 0


def test_exported_finished_products_are_matched_through_the_bill_of_materials() -> None:
    """A refrigerator (part FRIDGE) made of 2 compressors and 1 board: 100 exported carry 200
    compressors (duty 10.00 each, of 400 imported) and 100 boards (duty 2.00 each, of 100
    imported): 2,000.00 + 200.00 of duty a zone never collects. A wire (part WIRE) is
    exported as imported and matched by its part; a fan has no BOM and matches nothing."""
    day = dt.date(2026, 3, 2)
    lines = [ImportedLine("E1", day, "8414308030", D("40000"), D("4000"), D("400"), "CN",
                          part="COMP"),
             ImportedLine("E1", day, "8537109170", D("10000"), D("200"), D("100"), "DE",
                          part="BOARD"),
             ImportedLine("E2", day, "8544429090", D("500"), D("15"), D("50"), "MX",
                          part="WIRE")]
    bom = [BomLine("FRIDGE", "COMP", D("2")), BomLine("FRIDGE", "BOARD", D("1"))]
    exports = [ExportedGoods(dt.date(2026, 5, 4), "8418108010", D("100"), "FRIDGE"),
               ExportedGoods(dt.date(2026, 5, 4), "8544429090", D("10"), "WIRE"),
               ExportedGoods(dt.date(2026, 5, 4), "8414518000", D("5"), "FAN")]
    exploded, n = through_bom(exports, bom)
    assert n == 1 and [(e.part, e.quantity) for e in exploded] == [
        ("COMP", D("200")), ("BOARD", D("100")), ("WIRE", D("10")), ("FAN", D("5"))]
    avoided, drawback, text = exports_saving(lines, exports, Assumptions(), bom)
    assert avoided == D("2203.00")  # 200 x 10.00 + 100 x 2.00 + 10 x 0.30
    assert drawback == D("2180.97")
    assert text.startswith("3 export record(s) (1 of them finished products, matched through "
                           "the bill of materials to their components) matched")
    assert text.endswith("; 5 exported unit(s) match no import and were left out")
    without, _, _ = exports_saving(lines, exports, Assumptions())
    assert without == D("3.00")  # the refrigerators match no import of their own
