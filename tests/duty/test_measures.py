"""The measure book as data: dates, origins, PF and drawback attributes, IEEPA history."""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources

import pytest

from zonekeeper.errors import InputError
from zonekeeper.tariff import Program
from zonekeeper.tariff.measures import parse_measures


def headings(book, code, origin, on, spi=None):
    return sorted(m.heading for m in book.applicable(code, origin, on, spi=spi)[0])


def test_301_list_dates(tariff):
    book = tariff.measures
    assert headings(book, "8414308060", "CN", date(2018, 7, 5)) == []
    assert headings(book, "8414308060", "CN", date(2018, 7, 6)) == ["9903.88.01"]
    list3 = book.applicable("9018310000", "CN", date(2019, 5, 9))[0]
    assert all(m.heading != "9903.88.03" or m.pct == 10 for m in list3)


def test_list_3_rate_moves_from_10_to_25(tariff):
    book = tariff.measures
    before = book.applicable("7411105000", "CN", date(2019, 5, 9))[0]
    after = book.applicable("7411105000", "CN", date(2019, 5, 10))[0]
    assert [m.pct for m in before if m.heading == "9903.88.03"] == [10]
    assert [m.pct for m in after if m.heading == "9903.88.03"] == [25]


def test_list_4a_rate_history(tariff):
    book = tariff.measures
    rates = [
        [m.pct for m in book.applicable("01012100", "CN", d)[0] if m.heading == "9903.88.15"]
        for d in (date(2019, 8, 31), date(2019, 9, 1), date(2020, 2, 14))
    ]
    assert rates == [[], [15], [7.5]]


def test_ieepa_history_china(tariff):
    book = tariff.measures
    on = date(2025, 6, 1)
    found = headings(book, "9503000073", "CN", on)
    assert {"9903.01.24", "9903.01.25"} <= set(found) and "9903.01.20" not in found
    assert "9903.01.25" not in headings(book, "9503000073", "CN", date(2025, 4, 4))
    assert not [
        h for h in headings(book, "9503000073", "CN", date(2026, 2, 24)) if h.startswith("9903.01")
    ]


def test_ieepa_canada_usmca_exempt_and_fentanyl_no_drawback(tariff):
    book = tariff.measures
    on = date(2025, 9, 1)
    measures, _ = book.applicable("9503000073", "CA", on)
    (fentanyl,) = [m for m in measures if m.program is Program.IEEPA]
    assert fentanyl.heading == "9903.01.10" and fentanyl.pct == 35
    assert fentanyl.drawback_eligible is False
    assert headings(book, "9503000073", "CA", on, spi="S") == []
    recip = book.by_heading("9903.01.25")
    assert recip is not None and recip.drawback_eligible is True and recip.countries is None


def test_drawback_attributes_follow_domain_5(tariff):
    book = tariff.measures
    assert book.by_heading("9903.88.03").drawback_eligible is True
    for heading in ("9903.81.91", "9903.78.01", "9903.94.05", "9903.79.01"):
        assert book.by_heading(heading).drawback_eligible is False, heading
    assert book.by_heading("9903.74.08").drawback_eligible is None  # other 232: conditional
    assert book.by_heading("9903.82.02").drawback_eligible is None  # 1313(a)/(b) only
    assert book.by_heading("9903.03.01").drawback_eligible is True  # "regular customs duty"


def test_pf_required_and_freeze_override(tariff):
    book = tariff.measures
    required = book.pf_required("8414308060", "CN", date(2026, 3, 1))
    assert {m.heading for m in required} == {"9903.88.01", "9903.03.01"}
    assert book.pf_required("8414308060", "CN", date(2018, 1, 1)) == []
    assert book.by_heading("9903.81.91").overrides_pf_freeze is True
    assert book.by_heading("9903.88.01").overrides_pf_freeze is False


def test_122_product_exemption(tariff):
    measures, warnings = tariff.measures.applicable("8542310000", "DE", date(2026, 3, 1))
    assert [m.heading for m in measures if m.program is Program.SECTION122] == []
    assert any("9903.03.03" in w for w in warnings)


def test_every_measure_row_is_valid_and_dated():
    text = resources.files("zonekeeper").joinpath("data/tariff/measures/measures.csv")
    rows = list(csv.DictReader(io.StringIO(text.read_text("utf-8"))))
    measures = parse_measures(rows, "measures.csv")
    assert len(measures) == len(rows)
    for measure, _ in measures:
        assert measure.valid_to is None or measure.valid_from <= measure.valid_to
        assert measure.source


def test_bad_measure_rows_reported_with_row_numbers():
    rows = [
        {
            "id": "x",
            "program": "nope",
            "heading": "9903.00.00",
            "title": "t",
            "rate": "25%",
            "countries": "",
            "except_countries": "",
            "coverage": "all",
            "valid_from": "2026-01-01",
            "valid_to": "",
            "pf_required_from": "",
            "overrides_pf_freeze": "no",
            "drawback_eligible": "",
            "exempt_spi": "",
            "precedence": "1",
            "not_with": "",
            "status": "",
            "source": "s",
        },
    ]
    rows.append({**rows[0], "program": "section301", "rate": "lots"})
    with pytest.raises(InputError) as error:
        parse_measures(rows, "m.csv")
    assert [p.row for p in error.value.problems] == [2, 3]
