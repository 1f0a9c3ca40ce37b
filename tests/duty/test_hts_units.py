"""Every Unit of Quantity the shipped schedule prints is accepted where a user types a unit
(`duty quote --qty N UNIT`, the `duty entry` file), and means what the schedule means by it:
a quantity a rate is levied on, a content of the goods, or a reporting unit no rate uses."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zonekeeper.cli import main
from zonekeeper.cli.duty import _quantities
from zonekeeper.duty import LineItem, quote_line
from zonekeeper.errors import InputError
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.schedule import TariffLine
from zonekeeper.tariff.units import read_unit

ON = date(2026, 3, 1)


def _lines_by_unit(tariff: Tariff) -> dict[str, list[TariffLine]]:
    """The units of the revision in force on ON and of the 2026 Basic Edition (the older
    revisions of the history print ten more, e.g. `MBq` and the typos `kg.`, `No..`)."""
    out: dict[str, list[TariffLine]] = {}
    for revision in (tariff.schedule.revision_named("HTS 2026 Basic Edition"),
                     tariff.schedule.revision_on(ON)):
        for line in revision.lines():
            if line.has_rates and not line.is_label:
                for unit in line.units:
                    out.setdefault(unit, []).append(line)
    return out


def test_every_unit_of_the_schedule_quotes_a_line_that_uses_it(tariff: Tariff) -> None:
    """For each distinct Unit of Quantity string, a real line printing it is quoted with its
    own units, typed as the schedule prints them, and its duty is computed."""
    by_unit = _lines_by_unit(tariff)
    assert len(by_unit) == 68
    unquoted = []
    for unit, lines in sorted(by_unit.items()):
        for line in lines:
            args = [w for u in line.units for w in ("--qty", "100", u)]
            quantities, problems = _quantities(args)
            assert problems == [], (unit, problems)
            try:
                quote = quote_line(
                    tariff, LineItem(line.code.dotted, "DE", Decimal(1000), quantities), ON
                )
            except InputError:
                continue  # the line's rate needs a unit it does not print: try the next
            if quote.duty is not None:
                break
        else:
            unquoted.append(unit)
    assert unquoted == []


@pytest.mark.parametrize(
    ("hts", "origin", "unit", "rate", "amount"),
    [
        ("5101.11.60.30", "DE", "cy kg", "18.7¢/clean kg", "18.70"),  # clean yield
        ("2613.90.00.00", "DE", "Mo kg", "17.8¢/kg on molybdenum content", "17.80"),
        ("2611.00.60.00", "DE", "W kg", "37.5¢/kg on tungsten content", "37.50"),
        ("2603.00.00.20", "DE", "Pb kg", "1.7¢/kg on lead content", "1.70"),
        ("1703.10.50.00", "DE", "kg ttl sug", "0.01¢/kg of total sugars", "0.01"),
        ("1302.11.00.00", "CU", "kg amc", "$40/kg of anhydrous morphine content", "4000.00"),
        ("0104.20.00.00", "DE", "No.", "68¢/head", "68.00"),  # livestock counted in No.
    ],
)  # fmt: skip
def test_a_unit_the_rate_depends_on_feeds_it(
    tariff: Tariff, hts: str, origin: str, unit: str, rate: str, amount: str
) -> None:
    quantities, problems = _quantities(["--qty", "100", unit])
    assert problems == []
    quote = quote_line(tariff, LineItem(hts, origin, Decimal(1000), quantities), ON)
    base = quote.components[0]
    assert (base.rate, str(base.amount)) == (rate, amount)


def test_a_content_the_user_did_not_give_cannot_be_computed(tariff: Tariff) -> None:
    """The copper line of lead ores prints `Cu kg`, but its rate is on lead content."""
    quantities, _ = _quantities(["--qty", "100", "Cu kg"])
    quote = quote_line(tariff, LineItem("2603.00.00.10", "DE", Decimal(1000), quantities), ON)
    assert quote.duty is None
    assert "needs the lead content in kg (content key 'lead_kg')" in quote.cannot_compute[0]


def test_a_reporting_unit_is_kept_but_never_feeds_a_rate(tariff: Tariff) -> None:
    """`kg cmsc` (milk solids) is not the liters a milk rate is levied on."""
    quantities, _ = _quantities(["--qty", "100", "kg cmsc"])
    assert quantities == {"kg_cmsc": 100} and read_unit("kg cmsc").use == "reporting"  # type: ignore[union-attr]
    with pytest.raises(InputError) as raised:
        quote_line(tariff, LineItem("0401.20.20.00", "DE", Decimal(1000), quantities), ON)
    reason = raised.value.problems[0].message
    assert "needs the quantity in liter" in reason
    assert "kg_cmsc is a unit of the statistical reporting that no rate uses" in reason
    both, _ = _quantities(["--qty", "100", "kg cmsc", "--qty", "50", "liters"])
    quote = quote_line(tariff, LineItem("0401.20.20.00", "DE", Decimal(1000), both), ON)
    assert quote.components[0].basis == "value $1,000.00; 50 liter"


def test_cli_and_entry_file_accept_the_schedule_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", [
        "zonekeeper", "duty", "quote", "--hts", "2613.90.00.00", "--origin", "DE",
        "--value", "1000", "--date", "2026-03-01", "--qty", "100", "kg", "--qty", "40",
        "Mo kg", "--json",
    ])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    out = json.loads(capsys.readouterr().out)
    assert exit_.value.code in (0, None) and out["components"][0]["amount"] == "7.12"
    entry = tmp_path / "lines.csv"
    entry.write_text(
        "hts,origin,value,qty,unit,qty_cy kg\n"
        "2613.90.00.00,DE,1000,40,Mo kg,\n"
        "5101.11.60.30,DE,1000,,,100\n"
        "6911.10.10.00,DE,1000,10,Dz Pcs,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "argv", ["zonekeeper", "duty", "entry", str(entry),
                                      "--date", "2026-03-01", "--json"])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    captured = capsys.readouterr()
    assert exit_.value.code in (0, None), captured.err
    lines = json.loads(captured.out)["lines"]
    assert [line["components"][0]["amount"] for line in lines] == ["7.12", "18.70", "250.00"]


def test_entry_file_names_the_reporting_unit_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = tmp_path / "milk.csv"
    entry.write_text("hts,origin,value,qty,unit\n0401.20.20.00,DE,1000,100,kg cmsc\n",
                     encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(sys, "argv", ["zonekeeper", "duty", "entry", str(entry),
                                      "--date", "2026-03-01"])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "row 2:quantity: HTS 0401.20.20.00 rate '0.43¢/liter' needs the quantity in liter" in err
    assert "kg_cmsc is a unit of the statistical reporting that no rate uses" in err


def test_drawback_files_know_every_unit_of_the_schedule(tariff: Tariff) -> None:
    from zonekeeper.drawback.rules import same_unit, unit_of

    assert [u for u in _lines_by_unit(tariff) if unit_of(u) is None] == []
    assert same_unit("cy kg", "clean kg") and not same_unit("kg cmsc", "kg")
