"""The tariff history: the line store (`tariff.history`) on a small fixture, and golden
quotes on REAL shipped lines for dates in 2021-2026, each checked against the USITC export
itself (the expected texts were read from the source files with zcat, not from the store)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonekeeper.app.outputs.tariff import TariffStatusDoc
from zonekeeper.cli import application
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.errors import InputError
from zonekeeper.sources.history import shipped_history, tariff_status
from zonekeeper.sources.revisions import import_revision, load_schedule
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff.history import HistoryBuilder, LineHistory, RevisionInput, clean_markup
from zonekeeper.tariff.schedule import Schedule, SourceRow, build_revision

runner = CliRunner()


def _rows(*lines: tuple[str, int, str, str]) -> list[SourceRow]:
    return [SourceRow(n, hts, indent, desc, ("No.",) if hts else (), general)
            for n, (hts, indent, desc, general) in enumerate(lines, start=1)]


def _revision(name: str, on: date, rows: list[SourceRow],
              notes: tuple[str, ...] = ()) -> RevisionInput:
    return RevisionInput(name, on, on, f"{name}.csv", "0" * 64, rows, notes)


A = _rows(("0101", 0, "Live horses:", ""), ("", 1, "Horses:", ""),
          ("0101.21.00", 2, "Breeding", "Free"), ("0101.29.00", 2, "Other", "4.5%"))
B = _rows(("0101", 0, "Live horses:", ""), ("", 1, "Horses:", ""),
          ("0101.21.00", 2, "Breeding", "Free"), ("0101.25.00", 2, "New <u></u>", "1%"),
          ("0101.29.00", 2, "Other", "$1.13/m<sup>3</sup>"))
# 0101.29.00 moves before 0101.21.00: a span must not be extended out of order
C = _rows(("0101", 0, "Live horses:", ""), ("0101.29.00", 2, "Other", "$1.13/m3"),
          ("0101.21.00", 2, "Breeding", "Free"))


def _store() -> LineHistory:
    builder = HistoryBuilder()
    builder.add(_revision("R1", date(2025, 1, 1), A, ("", "", "general:See 9903.88.15.", "")))
    builder.add(_revision("R2", date(2025, 3, 1), B))
    builder.add(_revision("R3", date(2026, 1, 1), C))
    return LineHistory(builder.to_bytes(), "fixture.zkh")


def test_each_revision_reads_back_in_order_without_markup() -> None:
    store = _store()
    assert [r.name for r in store.revisions] == ["R1", "R2", "R3"]
    assert [(r.hts, r.general) for r in store.rows(1)] == [
        ("0101", ""), ("", ""), ("0101.21.00", "Free"), ("0101.25.00", "1%"),
        ("0101.29.00", "$1.13/m3")]
    assert store.rows(1)[3].description == "New"
    assert [r.hts for r in store.rows(2)] == ["0101", "0101.29.00", "0101.21.00"]
    assert store.footnotes(0) == {"0101.21.00": "general:See 9903.88.15."}
    assert store.footnotes(1) == {}
    revision = build_revision("R2", date(2025, 3, 1), store.rows(1))
    assert revision.get("0101.29.00") is not None
    assert revision.get("0101.29.00").general.text == "$1.13/m3"  # type: ignore[union-attr]


def test_markup_is_removed_and_spaces_collapsed() -> None:
    assert clean_markup("14.5¢/m<sup>2 </sup>+ 0.4%") == "14.5¢/m2 + 0.4%"
    assert clean_markup("2.5% <u></u>") == "2.5%"
    assert clean_markup("Free  (A)") == "Free  (A)"  # no tag: as it is


def test_a_damaged_store_is_refused_with_its_reason() -> None:
    builder = HistoryBuilder()
    builder.add(_revision("R1", date(2025, 1, 1), A))
    data = bytearray(builder.to_bytes())
    data[-3] ^= 0xFF  # a byte of the last member
    store = LineHistory(bytes(data), "bad.zkh")
    with pytest.raises(InputError) as caught:
        store.rows(0)
    [problem] = caught.value.problems
    assert problem.code == "tariff.history.damaged" and "checksum" in problem.message
    with pytest.raises(InputError, match="no ZKH1 header"):
        LineHistory(b"PK\x03\x04", "x.zip")


def test_revisions_must_come_in_date_order() -> None:
    builder = HistoryBuilder()
    builder.add(_revision("R1", date(2025, 3, 1), A))
    with pytest.raises(ValueError, match="not after"):
        builder.add(_revision("R0", date(2025, 1, 1), A))


# Golden lines, read from the USITC exports themselves:
#   6505.00.01.00 (hair-nets): 6.4% / col. 2 20% in the 2022, 2023 and 2024 CSVs; 9.4% / 90%
#   from 2025 Basic ("As shown in Pres. Proc. 8771; general rate should be 9.4% ...").
#   0101.30.00.00 (asses): 6.8%; 8414.30.80 (8414.30.80.30): Free, col. 2 35%.
@pytest.mark.parametrize(
    ("hts", "day", "revision", "general", "column2"),
    [("6505.00.01.00", "2022-06-01", "HTS 2022 Revision 12", "6.4%", "20%"),
     ("6505.00.01.00", "2023-10-02", "HTS 2023 Revision 11", "6.4%", "20%"),
     ("6505.00.01.00", "2024-12-02", "HTS 2024 Revision 10", "6.4%", "20%"),
     ("6505.00.01.00", "2025-09-01", "HTS 2025 Revision 21", "9.4%", "90%"),
     ("6505.00.01.00", "2026-04-25", "HTS 2026 Revision 6", "9.4%", "90%"),
     ("0101.30.00.00", "2021-12-08", "HTS 2021 Revision 12", "6.8%", "15%"),
     ("8414.30.80.30", "2025-04-09", "HTS 2025 Revision 10", "Free", "35%"),
     ("8414.30.80.30", "2026-02-20", "HTS 2026 Revision 3", "Free", "35%"),
     ("8414.30.80.30", "2026-03-01", "HTS 2026 Revision 4", "Free", "35%")],
)  # fmt: skip
def test_real_lines_on_any_date_name_their_revision(
    hts: str, day: str, revision: str, general: str, column2: str
) -> None:
    line, found = default_tariff().schedule.line(hts, date.fromisoformat(day))
    assert (found.name, line.general.text, line.column2.text) == (revision, general, column2)


def test_a_2025_quote_prices_the_2025_rate_and_cites_the_revision() -> None:
    quote = quote_line(default_tariff(), LineItem("6505.00.01.00", "GB", Decimal("1000")),
                       date(2025, 9, 1))
    base = quote.components[0]
    assert base.amount == Decimal("94.00") and base.rate == "9.4%"
    assert quote.revision == "HTS 2025 Revision 21"
    assert base.source.startswith("HTS 2025 Revision 21, 6505.00.01")
    assert not any("after the newest" in w or "not shipped" in w for w in quote.warnings)


def test_a_year_served_by_its_last_revision_says_so() -> None:
    quote = quote_line(default_tariff(), LineItem("6505.00.01.00", "GB", Decimal("100")),
                       date(2022, 6, 1))
    assert quote.components[0].amount == Decimal("6.40")
    [caveat] = [w for w in quote.warnings if "not shipped" in w]
    assert "HTS 2022 Revision 12, in force from 2022-11-30" in caveat
    late = quote_line(default_tariff(), LineItem("6505.00.01.00", "GB", Decimal("100")),
                      date(2022, 12, 1))
    assert not any("not shipped" in w for w in late.warnings)


def test_a_quote_after_the_newest_revision_says_how_far() -> None:
    quote = quote_line(default_tariff(), LineItem("6505.00.01.00", "GB", Decimal("100")),
                       date(2026, 9, 1))
    [stale] = [w for w in quote.warnings if "after the newest" in w]
    assert stale.startswith("2026-09-01 is 85 days after the newest loaded tariff revision "
                            "(HTS 2026 Revision 10, in force from 2026-06-08)")


def test_a_source_typo_cannot_be_computed_not_guessed() -> None:
    quote = quote_line(default_tariff(), LineItem("8456.40.90.00", "GB", Decimal("100")),
                       date(2021, 12, 8))
    assert quote.duty is None and quote.cannot_compute


def test_footnotes_name_the_chapter_99_headings() -> None:
    store = shipped_history()
    index = [r.name for r in store.revisions].index("HTS 2025 Revision 21")
    notes = store.footnotes(index)
    assert "See 9903.88.15." in notes["6505.00.01.00"]
    assert "See 9903.88.69." in notes["8414.30.80.30"]
    assert store.footnotes(0) == {}  # the 2021 CSV export has none


def test_the_store_holds_every_revision_but_the_shipped_csvs() -> None:
    store = shipped_history()
    names = [r.name for r in store.revisions]
    assert len(names) == 47 and names[0] == "HTS 2021 Revision 12"
    assert names[-1] == "HTS 2026 Revision 10"
    assert "HTS 2026 Revision 3" not in names and "HTS 2026 Basic Edition" not in names


@pytest.mark.usefixtures("tariff_home")
def test_check_lists_every_source_error_with_its_reason() -> None:
    app = application()
    report = json.loads(runner.invoke(app, ["tariff", "check", "--json"]).output)
    assert len(report["revisions"]) == 49
    assert report["source_errors"] == 6 and report["rates_parsed_pct"] == 100.0
    assert all(u["reason"] for u in report["unparsed"])
    assert report["parsed"] + len(report["unparsed"]) == report["distinct"]


@pytest.mark.usefixtures("tariff_home")
def test_status_lists_revisions_dates_and_the_horizon() -> None:
    app = application()
    result = runner.invoke(app, ["tariff", "status", "--json"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["horizon"] == "2026-06-08"
    first = status["revisions"][0]
    assert first == {"name": "HTS 2021 Revision 12", "serves_from": "2021-12-07",
                     "in_force": "2021-12-07", "origin": "history"}
    by_name = {r["name"]: r for r in status["revisions"]}
    assert by_name["HTS 2022 Revision 12"]["serves_from"] == "2022-01-01"
    assert by_name["HTS 2022 Revision 12"]["in_force"] == "2022-11-30"
    assert by_name["HTS 2026 Revision 3"]["origin"] == "shipped"
    text = runner.invoke(app, ["tariff", "status"]).output
    assert "Horizon: 2026-06-08" in text


def test_status_without_a_revision_reports_no_days_beyond_with_the_reason() -> None:
    """No revision loaded: there is no horizon, so how far today lies beyond it is not
    known (null with the reason), never 0 (which would say the data is current)."""
    found = tariff_status(Schedule([]), date(2026, 9, 1))
    assert found.horizon is None and found.days_beyond is None
    assert found.cannot_compute == ("no tariff revision is loaded: there is no horizon to "
                                    "count days from",)
    doc = TariffStatusDoc.of(found).document()
    assert doc["days_beyond_horizon"] is None and doc["cannot_compute"] == list(
        found.cannot_compute)
    current = tariff_status(Schedule([build_revision("R", date(2026, 1, 1), A, source="r")]),
                            date(2026, 1, 11))
    assert (current.days_beyond, current.cannot_compute) == (10, ())


@pytest.mark.usefixtures("tariff_home")
def test_an_imported_revision_wins_over_the_history_for_its_dates(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,"
        "Special Rate of Duty,Column 2 Rate of Duty,Quota Quantity,Additional Duties\n"
        '6505.00.01.00,0,Hair-nets,"[""kg""]",7%,,90%,,\n', encoding="utf-8")
    with pytest.raises(InputError, match="already in force from 2025-08-28"):
        import_revision(path, date(2025, 8, 28), "Mine")
    import_revision(path, date(2025, 8, 28), "Mine", replace=True)
    line, revision = load_schedule().line("6505.00.01.00", date(2025, 9, 1))
    assert (revision.name, line.general.text) == ("Mine", "7%")
    _, before = load_schedule().line("6505.00.01.00", date(2025, 8, 27))
    assert before.name == "HTS 2025 Revision 20"
