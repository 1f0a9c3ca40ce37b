"""Entry documents: the JSON contract keys, ES-003-style CSV, printable HTML and PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from zonekeeper.app.outputs.entries import RemovalEntry, WeeklyEntryDoc
from zonekeeper.io.documents import weekly_entry_csv, weekly_entry_html, weekly_entry_pdf
from zonekeeper.money import usd
from zonekeeper.zone.entries import WhatIfQuoter, WhatIfRate
from zonekeeper.zone.weekly import Week, weekly_entry
from zonekeeper.zone.withdrawal_duty import RemovalDisposition, withdrawal_duty

D = Decimal
RATES = WhatIfQuoter((
    WhatIfRate("8407.34", "base", "8407.34", D("2.5")),
    WhatIfRate("8407.34", "section301", "9903.88.01", D("25")),
    WhatIfRate("8706.00", "base", "8706.00", D("4")),
    WhatIfRate("8703.23", "base", "8703.23", D("2.5")),
))


def _week_entry(car_removal, fees):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    w = Week.parse("2026-W19")
    cars = [replace(car_removal(), shipment_no=f"S{i}") for i in range(3)]
    export = replace(car_removal(disposition=RemovalDisposition.EXPORT), shipment_no="X1")
    return weekly_entry(w, [*cars, export], RATES, fees)


def test_weekly_json_has_the_contract_keys(car_removal, fees) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(WeeklyEntryDoc.of(_week_entry(car_removal, fees)).document()))
    assert {"entry_type", "week", "lines", "duty", "mpf", "total"} <= set(data)
    assert data["entry_type"] == "06" and data["week"] == "2026-W19"
    for line in data["lines"]:
        assert {"hts", "origin", "status", "value", "duty", "components"} <= set(line)
    # 3 cars: engine, chassis and car lines, each summed over the three shipments
    assert [(x["status"], x["hts"], x["value"]) for x in data["lines"]] == [
        ("NPF", "8703.23", "1200.00"), ("PF", "8407.34", "9000.00"), ("PF", "8706.00", "6000.00")]
    assert D(data["total"]) == D(data["duty"]) + D(data["mpf"])
    assert data["not_entered"][0]["shipment_no"] == "X1"
    assert data["single_entries"]["count"] == 3


def test_csv_gives_each_chapter99_heading_its_own_row(car_removal, fees) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(weekly_entry_csv(_week_entry(car_removal, fees)))))
    engine = [r for r in rows if r["Entry Summary Line Number"] == "2"]
    assert [r["HTS Number - Full"] for r in engine] == ["8407.34", "9903.88.01"]
    assert [r["Tariff Ordinal Number"] for r in engine] == ["1", "2"]
    assert sum(D(r["Line Tariff Duty Amount"]) for r in rows) == D("2745.00")  # 3 x (825 + 80 + 10)


def test_html_and_pdf_render(car_removal, fees) -> None:  # type: ignore[no-untyped-def]
    data = WeeklyEntryDoc.of(_week_entry(car_removal, fees)).document()
    html = weekly_entry_html(data, zone="99")
    assert "Weekly entry summary" in html and "9903.88.01" in html and "saving" in html
    pdf = weekly_entry_pdf(data, zone="99")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500


def test_consumption_entry_json_shows_the_npf_recompute(car_removal) -> None:  # type: ignore[no-untyped-def]
    result = withdrawal_duty(car_removal(), RATES, date(2026, 5, 4))
    data = RemovalEntry.of(result).document()
    assert data["duty"] == "915.00"  # 3000 x 27.5% + 2000 x 4% + 400 x 2.5%
    assert data["npf_recompute"]["estimate_at_admission"] is None  # tire rate not given
    assert data["npf_recompute"]["cannot_compute"]


def test_csv_neutralizes_a_formula_in_a_unit_and_keeps_amounts_numbers(  # type: ignore[no-untyped-def]
    car_removal, fees
) -> None:
    from dataclasses import replace

    w = Week.parse("2026-W19")
    car = car_removal()
    engine = replace(car.composition.pf[0], unit="=1+1")
    chassis = replace(car.composition.pf[1], unit='@HYPERLINK("http://x.example")')
    car = replace(car, unit="+SUM(A1)", composition=replace(car.composition, pf=(engine, chassis)))
    rows = list(csv.DictReader(io.StringIO(weekly_entry_csv(weekly_entry(w, [car], RATES, fees)))))
    units = {r["Line Tariff UOM (1) Code"] for r in rows} - {""}
    assert units == {"'=1+1", "'@HYPERLINK(\"http://x.example\")", "'+SUM(A1)"}
    assert all(not c.startswith(("=", "+", "-", "@")) or c.startswith("-") and D(c) < 0
               for r in rows for c in r.values())
    assert sum(D(r["Line Tariff Duty Amount"]) for r in rows) == D("915.00")  # 825 + 80 + 10


def test_a_text_cell_is_neutralized_and_a_number_is_not() -> None:
    from zonekeeper.io.csv_out import cell

    for text in ("=1+1", "+1-1", "-2+3", "@A1", "\t=1", "\r=1", "＝1+1", "-", "+"):
        assert cell(text) == "'" + text
    for kept in ("-12.50", "+3", "-1,234.5", "12", "A-1", "E1 =1", "", "'=1"):
        assert cell(kept) == kept
    assert cell(D("-12.50")) == D("-12.50") and cell(-3) == -3 and cell(None) == ""


def test_weekly_entry_html_prints_dollars_and_json_stays_plain(car_removal, fees) -> None:  # type: ignore[no-untyped-def]
    data = WeeklyEntryDoc.of(_week_entry(car_removal, fees)).document()
    html = weekly_entry_html(data, zone="99")
    assert data["lines"][1]["value"] == "9000.00"
    assert '<td class="num">$9,000.00</td>' in html
    assert f"saving {usd(data['single_entries']['saving'])}.</p>" in html
    assert f'<td class="num">{usd(data["total"])}</td>' in html


def test_printed_reports_escape_the_text_of_the_books() -> None:
    """A description is text, never markup: escaped in the HTML, and printed as written in
    the PDF (ReportLab would read `<b` as a tag and refuse the page)."""
    from zonekeeper.io.checkpoint import ChainHead
    from zonekeeper.io.documents import reconciliation_html, reconciliation_pdf
    from zonekeeper.zone.reports import ReconciliationLine
    from zonekeeper.zone.status import ZoneStatus

    nasty = "<script>alert(1)</script> & <b"
    line = ReconciliationLine("A1/1", "W", nasty, ZoneStatus.NONPRIVILEGED_FOREIGN, D(0),
                              D(10), D(7), D(0), D(1), D(2))
    head = ChainHead("49", 1234, "ab" * 32)
    args = ([line], 2026, date(2026, 1, 1), date(2026, 12, 31), head)
    html = reconciliation_html(*args)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b" in html
    assert "<script>" not in html and "at event 1,234," in html
    pdf = reconciliation_pdf(*args)
    assert pdf.startswith(b"%PDF")
