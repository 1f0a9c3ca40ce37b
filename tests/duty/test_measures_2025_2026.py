"""Golden selections of the 2025-2026 Chapter 99 measures, country by country and date by date.

Tested where the measures are chosen (`MeasureBook.applicable`, `pf_required`): the shipped
schedule holds only the 2026 lines, so a 2025 quote is not possible until the dated line store
lands, but which heading applies to goods of an origin on a date, at which rate, does not
depend on the line's texts. Each expectation is worked from the law and cited at its row:
- fentanyl/border duties: EO 14193 (CA), 14194 (MX), 14195 (CN/HK), postponed to 2025-03-04;
  USMCA goods exempt from 2025-03-07 (EO 14231/14232; 9903.01.04/.14); Canada 35% from
  2025-08-01 (EO 14325); China 20% under 9903.01.24 from 2025-03-04 (EO 14228, heading text
  "+ 20%"), 10% from 2025-11-10 (EO 14357);
- reciprocal: EO 14257 (baseline 9903.01.25 from 2025-04-05; country rates 9903.01.43-.76 on
  2025-04-09 only, paused by EO 14266 from 2025-04-10 except China 9903.01.63: 84% (EO 14259),
  125% (EO 14266), 24 points suspended from 2025-05-14 (EO 14298)); EO 14326 country rates
  9903.02.02-.71 from 2025-08-07 with the in-transit rule (loaded before 2025-08-07, entered
  before 2025-10-05); floors EU 9903.02.20, Japan 9903.02.73 (EO 14345, retroactive to
  2025-08-07), Korea 9903.02.80 and Switzerland 9903.02.83 from 2025-11-14;
- Brazil 9903.01.77 from 2025-08-06 (EO 14323); India 9903.01.84 2025-08-27..2026-02-06;
- end of every IEEPA duty: goods entered before 12:00 a.m. ET 2026-02-24 (CSMS # 67834313);
  Section 122 9903.03.01 from 2026-02-24 through 2026-07-23 (proclamation of 2026-02-20, CSMS
  # 67844987), in transit 9903.03.02 if loaded before 2026-02-24 and entered before 2026-02-28;
- April 2026 metals annexes from 2026-04-06 (proclamation of 2026-04-02; 9903.82.xx).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.errors import InputError
from zonekeeper.tariff.measures import Unlisted, build_book, parse_measures

pytestmark = pytest.mark.xdist_group("tariff")

TOY = "9503000073"  # toys: on no Section 301 list in force (list 4B is suspended), no 232
SHIRT = "6109100012"  # cotton T-shirts
STEEL = "7208101500"  # flat-rolled steel: Section 232 steel article (U.S. note 16)


def rates(book, code, origin, on, spi=None):
    """(heading, rate in %, shape) of each measure applied, sorted by heading."""
    found = book.applicable(code, origin, on, spi=spi)[0]
    return sorted((m.heading, m.pct, m.shape) for m in found)


def ad(heading, pct):
    return (heading, Decimal(pct), "ad_valorem")


def floor(heading, pct):
    return (heading, Decimal(pct), "floor")


GOLDEN = [
    # -- China and Hong Kong (EO 14195, 14228, 14257, 14259, 14266, 14298, 14357) --
    ("CN", TOY, date(2025, 2, 3), []),
    ("CN", TOY, date(2025, 2, 4), [ad("9903.01.20", 10)]),
    ("HK", TOY, date(2025, 2, 4), [ad("9903.01.20", 10)]),
    ("CN", TOY, date(2025, 3, 3), [ad("9903.01.20", 10)]),
    # 9903.01.24 carries the whole 20% (its text is "+ 20%"); .20 is not stacked on it
    ("CN", TOY, date(2025, 3, 4), [ad("9903.01.24", 20)]),
    # the baseline reached China too from 2025-04-05 until its own rate on 2025-04-09
    ("CN", TOY, date(2025, 4, 8), [ad("9903.01.24", 20), ad("9903.01.25", 10)]),
    ("CN", TOY, date(2025, 4, 9), [ad("9903.01.24", 20), ad("9903.01.63", 84)]),
    ("CN", TOY, date(2025, 4, 10), [ad("9903.01.24", 20), ad("9903.01.63", 125)]),
    ("CN", TOY, date(2025, 5, 13), [ad("9903.01.24", 20), ad("9903.01.63", 125)]),
    ("CN", TOY, date(2025, 5, 14), [ad("9903.01.24", 20), ad("9903.01.25", 10)]),
    ("CN", TOY, date(2025, 11, 9), [ad("9903.01.24", 20), ad("9903.01.25", 10)]),
    ("CN", TOY, date(2025, 11, 10), [ad("9903.01.24", 10), ad("9903.01.25", 10)]),
    ("CN", TOY, date(2026, 2, 23), [ad("9903.01.24", 10), ad("9903.01.25", 10)]),
    ("CN", TOY, date(2026, 2, 24), [ad("9903.03.01", 10)]),
    # -- Viet Nam: the example (20% owed on 2025-09-01, not the flat 10%) --
    ("VN", SHIRT, date(2025, 4, 4), []),
    ("VN", SHIRT, date(2025, 4, 5), [ad("9903.01.25", 10)]),
    ("VN", SHIRT, date(2025, 4, 8), [ad("9903.01.25", 10)]),
    ("VN", SHIRT, date(2025, 4, 9), [ad("9903.01.72", 46)]),
    ("VN", SHIRT, date(2025, 4, 10), [ad("9903.01.25", 10)]),
    ("VN", SHIRT, date(2025, 8, 6), [ad("9903.01.25", 10)]),
    ("VN", SHIRT, date(2025, 8, 7), [ad("9903.02.69", 20)]),
    ("VN", SHIRT, date(2025, 9, 1), [ad("9903.02.69", 20)]),
    ("VN", SHIRT, date(2026, 2, 20), [ad("9903.02.69", 20)]),
    ("VN", SHIRT, date(2026, 2, 23), [ad("9903.02.69", 20)]),
    ("VN", SHIRT, date(2026, 2, 24), [ad("9903.03.01", 10)]),
    ("VN", SHIRT, date(2026, 7, 23), [ad("9903.03.01", 10)]),
    ("VN", SHIRT, date(2026, 7, 24), []),
    # -- Mexico and Canada (EO 14193/14194; USMCA from 2025-03-07; Canada 35% from 08-01) --
    ("MX", TOY, date(2025, 3, 3), []),
    ("MX", TOY, date(2025, 3, 4), [ad("9903.01.01", 25)]),
    ("MX", TOY, date(2025, 4, 9), [ad("9903.01.01", 25)]),  # no reciprocal (9903.01.27)
    ("MX", TOY, date(2026, 2, 23), [ad("9903.01.01", 25)]),
    ("MX", TOY, date(2026, 2, 24), [ad("9903.03.01", 10)]),
    ("CA", TOY, date(2025, 3, 4), [ad("9903.01.10", 25)]),
    ("CA", TOY, date(2025, 7, 31), [ad("9903.01.10", 25)]),
    ("CA", TOY, date(2025, 8, 1), [ad("9903.01.10", 35)]),
    ("CA", TOY, date(2025, 8, 7), [ad("9903.01.10", 35)]),  # no reciprocal (9903.01.26)
    # -- Brazil (EO 14323 from 2025-08-06) and India (EO 14329, 2025-08-27..2026-02-06) --
    ("BR", TOY, date(2025, 8, 5), [ad("9903.01.25", 10)]),
    ("BR", TOY, date(2025, 8, 6), [ad("9903.01.25", 10), ad("9903.01.77", 40)]),
    ("BR", TOY, date(2025, 8, 7), [ad("9903.01.77", 40), ad("9903.02.09", 10)]),
    ("IN", TOY, date(2025, 4, 9), [ad("9903.01.55", 26)]),
    ("IN", TOY, date(2025, 8, 26), [ad("9903.02.26", 25)]),
    ("IN", TOY, date(2025, 8, 27), [ad("9903.01.84", 25), ad("9903.02.26", 25)]),
    ("IN", TOY, date(2026, 2, 6), [ad("9903.01.84", 25), ad("9903.02.26", 25)]),
    ("IN", TOY, date(2026, 2, 7), [ad("9903.02.26", 25)]),
    # -- the floors: EU, Japan, Korea, Switzerland, Liechtenstein --
    ("DE", TOY, date(2025, 4, 9), [ad("9903.01.50", 20)]),
    ("DE", TOY, date(2025, 8, 6), [ad("9903.01.25", 10)]),
    ("DE", TOY, date(2025, 8, 7), [floor("9903.02.20", 15)]),
    ("FR", TOY, date(2026, 2, 23), [floor("9903.02.20", 15)]),
    ("JP", TOY, date(2025, 4, 9), [ad("9903.01.53", 24)]),
    # EO 14345 (retroactive): the floor replaces 9903.02.30's +15% from 2025-08-07
    ("JP", TOY, date(2025, 8, 7), [floor("9903.02.73", 15)]),
    ("JP", TOY, date(2025, 9, 16), [floor("9903.02.73", 15)]),
    ("KR", TOY, date(2025, 8, 7), [ad("9903.02.56", 15)]),
    ("KR", TOY, date(2025, 11, 13), [ad("9903.02.56", 15)]),
    ("KR", TOY, date(2025, 11, 14), [floor("9903.02.80", 15)]),
    ("CH", TOY, date(2025, 4, 9), [ad("9903.01.60", 31)]),
    ("CH", TOY, date(2025, 8, 7), [ad("9903.02.58", 39)]),
    ("CH", TOY, date(2025, 11, 13), [ad("9903.02.58", 39)]),
    ("CH", TOY, date(2025, 11, 14), [floor("9903.02.83", 15)]),
    ("LI", TOY, date(2025, 11, 14), [floor("9903.02.88", 15)]),
    # -- the United Kingdom: baseline throughout, 9903.02.66 (+10%) from 2025-08-07 --
    ("GB", TOY, date(2025, 4, 9), [ad("9903.01.25", 10)]),
    ("GB", TOY, date(2025, 8, 7), [ad("9903.02.66", 10)]),
    # -- General note 3(b) countries: no reciprocal duty (9903.01.29) --
    ("RU", TOY, date(2025, 4, 5), []),
    ("RU", TOY, date(2025, 8, 7), []),
]


@pytest.mark.parametrize(("origin", "code", "on", "expected"), GOLDEN)
def test_golden_selection(tariff, origin, code, on, expected):
    assert rates(tariff.measures, code, origin, on) == expected


def test_usmca_carve_out_starts_2025_03_07(tariff):
    """EO 14231/14232 (2025-03-06): USMCA goods exempt from 12:01 a.m. 2025-03-07
    (9903.01.04/.14); before, a granted claim lifted nothing."""
    book = tariff.measures
    assert rates(book, TOY, "MX", date(2025, 3, 6), spi="S") == [ad("9903.01.01", 25)]
    assert rates(book, TOY, "MX", date(2025, 3, 7), spi="S") == []
    assert rates(book, TOY, "CA", date(2025, 8, 1), spi="S+") == []


def test_canada_and_mexico_duties_spare_section_232_goods(tariff):
    """EO 14289 sec. 3: the CA/MX duties do not stack on Section 232 (and neither does the
    reciprocal, EO 14257 sec. 3(b)); China's 9903.01.24 does."""
    book = tariff.measures
    assert rates(book, STEEL, "CA", date(2025, 8, 1)) == [ad("9903.81.87", 50)]
    found = [h for h, _, _ in rates(book, STEEL, "CN", date(2025, 8, 1))]
    assert "9903.01.24" in found and "9903.81.87" in found and "9903.01.25" not in found


def test_japan_floor_reports_the_displaced_add_on(tariff):
    warnings = tariff.measures.applicable(TOY, "JP", date(2025, 8, 20))[1]
    assert any("9903.02.30" in w and "displaced by 9903.02.73" in w for w in warnings)


def test_in_transit_rule_is_named_inside_its_window_only(tariff):
    """EO 14326 sec. 3: goods loaded before 12:01 a.m. 2025-08-07 and entered before
    12:01 a.m. 2025-10-05 keep the 10% of 9903.01.25; the loading date decides."""
    book = tariff.measures

    def transit(origin, code, on):
        return [w for w in book.applicable(code, origin, on)[1] if "in-transit rule" in w]

    (inside,) = transit("VN", SHIRT, date(2025, 10, 4))
    assert inside.startswith("9903.02.69 (+20%)") and "9903.01.25 (10%) instead" in inside
    assert transit("VN", SHIRT, date(2025, 10, 5)) == []
    # China: 9903.01.23 for goods loaded before 2025-02-01, entered 2025-02-04..2025-03-06
    (china,) = transit("CN", TOY, date(2025, 2, 4))
    assert "9903.01.23" in china
    # Section 122: 9903.03.02, loaded before 2026-02-24 and entered before 2026-02-28
    assert any("9903.03.02" in w for w in transit("VN", SHIRT, date(2026, 2, 27)))
    assert transit("VN", SHIRT, date(2026, 2, 28)) == []


def test_exception_headings_are_named_not_guessed(tariff):
    """The exceptions of U.S. note 2(v) (donations, informational materials, Annex II
    products 9903.01.32, U.S. content 9903.01.34...) turn on facts the HTS number does not
    show: the selection names them."""
    warnings = tariff.measures.applicable(SHIRT, "VN", date(2025, 9, 1))[1]
    assert any(w.startswith("9903.02.69 does not reach goods excepted under") for w in warnings)


def test_goods_defined_by_description_are_named_never_applied(tariff):
    """Canadian energy and potash (9903.01.13/.15, 10% in place of 9903.01.10) and the
    transshipment duties (9903.01.16, 9903.02.01, on a CBP determination): no shipped list
    can decide them from the HTS number."""
    found, warnings = tariff.measures.applicable(TOY, "CA", date(2025, 9, 1))
    assert [m.heading for m in found] == ["9903.01.10"]
    for heading in ("9903.01.13", "9903.01.15", "9903.01.16", "9903.02.01"):
        assert any(w.startswith(f"{heading} (") and "not applied" in w for w in warnings), heading
    # a granted USMCA claim exempts the goods from the border duties and so from these
    warnings = tariff.measures.applicable(TOY, "CA", date(2025, 9, 1), spi="S")[1]
    assert not any(w.startswith("9903.01.13") for w in warnings)


def test_china_suspended_points_are_named_next_to_the_duties_paid(tariff):
    warnings = tariff.measures.applicable(TOY, "CN", date(2025, 6, 1))[1]
    assert any(w.startswith("9903.01.63") and "suspended: not applied" in w for w in warnings)


def test_pf_required_from_each_action(tariff):
    """Each order requires zone admissions of covered goods to be PF (e.g. EO 14257 sec. 3(c),
    EO 14326 sec. 4): the duties that apply on the admission date."""
    book = tariff.measures
    assert {m.heading for m in book.pf_required(SHIRT, "VN", date(2025, 9, 1))} == {"9903.02.69"}
    assert {m.heading for m in book.pf_required(TOY, "CN", date(2025, 2, 4))} == {"9903.01.20"}
    assert book.pf_required(TOY, "MX", date(2025, 9, 1), spi="S") == []


def test_every_ieepa_row_ends_by_2026_02_23_with_its_source(tariff):
    """CSMS # 67834313: no IEEPA duty on goods entered on or after 12:00 a.m. ET 2026-02-24;
    the schedule through 2026 Rev 10 prints no end, so the row cites CBP's message."""
    ieepa = [m for m in tariff.measures.measures if m.program.value == "ieepa"]
    assert len(ieepa) > 100
    for m in ieepa:
        assert m.valid_to is not None and m.valid_to <= date(2026, 2, 23), m.id
        if m.valid_to == date(2026, 2, 23):
            assert "CSMS # 67834313" in m.source, m.id
        assert m.first_rev and m.date_basis, m.id


def test_2026_changes(tariff):
    """Semiconductors (9903.79.01 from 2026-01-15), the April 2026 metals annexes
    (9903.82.02 replaces 9903.81.87 from 2026-04-06; the UK's 25% heading 9903.82.04 is named
    since its note 16 subdivision has no shipped list)."""
    book = tariff.measures
    semi = "8471500150"
    assert "9903.79.01" not in [h for h, _, _ in rates(book, semi, "TW", date(2026, 1, 14))]
    assert "9903.79.01" in [h for h, _, _ in rates(book, semi, "TW", date(2026, 1, 15))]
    assert rates(book, STEEL, "DE", date(2026, 4, 5)) == [ad("9903.81.87", 50)]
    assert rates(book, STEEL, "DE", date(2026, 4, 6)) == [ad("9903.82.02", 50)]
    warnings = book.applicable(STEEL, "GB", date(2026, 4, 6))[1]
    assert any(w.startswith("9903.82.04 (") for w in warnings)
    annex3 = book.by_heading("9903.82.10")
    assert annex3 is not None and annex3.valid_to is None  # the heading prints no end


def test_floor_on_a_specific_rate_uses_its_ad_valorem_equivalent(quote):
    """CSMS # 66242844: a floor on a specific rate compares the duty, not the rate text:
    wine at 6.3¢/liter, 100 liters worth $100: base $6.30, the EU floor adds $8.70 (15%)."""
    q = quote("2204.21.50.15", "DE", "100", date(2026, 2, 13), quantities={"liter": Decimal(100)})
    assert {c.heading: c.amount for c in q.components} == {
        "2204.21.50": Decimal("6.30"),
        "9903.02.20": Decimal("8.70"),
    }
    assert q.duty == Decimal("15.00")
    # column 1 at or above 15%: the floor adds nothing (9903.02.19)
    shirt = quote("6109.10.00.12", "DE", "1000", date(2026, 2, 13))
    assert {c.heading: c.amount for c in shirt.components}["9903.02.20"] == Decimal("0.00")


# -- the row format ---------------------------------------------------------------------------

ROW = {
    "id": "x", "program": "ieepa", "heading": "9903.02.69", "title": "t", "rate": "20%",
    "countries": "VN", "except_countries": "", "coverage": "all", "valid_from": "2025-08-07",
    "valid_to": "", "pf_required_from": "", "overrides_pf_freeze": "no",
    "drawback_eligible": "yes", "exempt_spi": "", "precedence": "1", "not_with": "",
    "status": "", "source": "s",
}  # fmt: skip


def test_in_transit_cell_is_parsed():
    text = (
        "9903.01.25 (10%) instead: loaded before 2025-04-09; entered before 2025-05-27 "
        "(CSMS # 64680374; later before 2025-06-16)"
    )
    ((measure, _),) = parse_measures([{**ROW, "in_transit": text}], "m.csv")
    assert measure.in_transit is not None
    assert measure.in_transit.claim == "9903.01.25"
    assert measure.in_transit.entered_until == date(2025, 6, 15)  # CBP's extension counts
    ranged = "9903.01.23: loaded before 2025-02-01; entered 2025-02-04..2025-03-06"
    ((measure, _),) = parse_measures([{**ROW, "in_transit": ranged}], "m.csv")
    assert measure.in_transit is not None and measure.in_transit.entered_until == date(2025, 3, 6)
    ((plain, _),) = parse_measures([ROW], "m.csv")  # the new columns are optional
    assert plain.in_transit is None and plain.except_headings == ""


@pytest.mark.parametrize(
    "text", ["loaded before 2025-08-07; entered before 2025-10-05", "9903.01.25: loaded soon"]
)
def test_bad_in_transit_cell_is_refused_with_its_row(text):
    with pytest.raises(InputError) as error:
        parse_measures([ROW, {**ROW, "in_transit": text}], "m.csv")
    (problem,) = error.value.problems
    assert (problem.file, problem.row, problem.code) == ("m.csv", 3, "tariff.measures.bad-row")


def test_unknown_coverage_is_refused_unlisted_coverage_is_kept():
    measures = parse_measures([{**ROW, "coverage": "ieepa_potash"}], "m.csv")
    with pytest.raises(InputError) as error:
        build_book(measures, {}, {})
    assert [p.code for p in error.value.problems] == ["tariff.measures.unknown-coverage"]
    unlisted = {"ieepa_potash": Unlisted("ieepa_potash", "potash", "why")}
    book = build_book(measures, {}, {}, unlisted=unlisted)
    assert book.applicable(TOY, "VN", date(2025, 9, 1))[0] == []
