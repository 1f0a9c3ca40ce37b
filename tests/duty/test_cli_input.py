"""`zonekeeper duty quote|entry` input handling: every unit a hint names is accepted, every
problem is listed at once (each naming its option), content kinds are checked and unused
content is warned of, and entry warnings name their line."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from zk_cli import run_main as run
from zonekeeper.cli.duty import _quantities
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.rate_parser import parse_rate
from zonekeeper.tariff.units import _ALIASES, UNITS, unit_key

# -- 1. every unit the parser can produce, and every unit a hint names, is accepted ----------

PARSER_UNITS = sorted(set(_ALIASES.values()) | {"each", "piece", "degrees"})


@pytest.mark.parametrize("unit", sorted(set(PARSER_UNITS) | set(UNITS)))
def test_every_canonical_unit_is_accepted_by_qty(unit: str) -> None:
    assert unit in UNITS  # the parser produces only canonical keys
    quantities, problems = _quantities(["--qty", "3", unit])
    assert problems == [] and quantities == {unit: 3}


@pytest.mark.parametrize(
    ("text", "key"),
    [("degrees", "degrees"), ("degree", "degrees"), ("pf_liter", "pf_liter"),
     ("pf-liter", "pf_liter"), ("proof liters", "pf_liter"), ("doz_pr", "doz_pr"),
     ("clean_kg", "clean_kg"), ("line_gross", "line_gross"), ("No.", "each")],
)  # fmt: skip
def test_unit_spellings(text: str, key: str) -> None:
    assert unit_key(text) == key


def test_unknown_unit_is_still_refused() -> None:
    assert unit_key("bogus") is None and unit_key("cu_kg") is None


def _unit_shapes(tariff: Tariff) -> dict[tuple[str, ...], tuple[str, date, str]]:
    """Each distinct set of quantity units a General or Column 2 rate of a shipped revision
    needs -> one (HTS, date, origin) whose quote needs exactly that set."""
    shapes: dict[tuple[str, ...], tuple[str, date, str]] = {}
    for revision in tariff.schedule.revisions:
        for column, text, digits in revision.rate_texts():
            if column == "special":
                continue
            units = tuple(sorted(n for n in parse_rate(text).needs if n in UNITS))
            origin = "DE" if column == "general" else "CU"  # Cuba takes Column 2 rates
            if units and len(digits) >= 8:
                shapes.setdefault(units, (digits, revision.effective, origin))
    return shapes


SHAPES = _unit_shapes(default_tariff())


def test_the_shipped_schedule_has_the_hard_units() -> None:
    needed = {unit for units in SHAPES for unit in units}
    assert {"degrees", "pf_liter", "kg", "liter", "each"} <= needed


@pytest.mark.parametrize("units", sorted(SHAPES), ids=lambda u: "+".join(u))
def test_the_hint_for_every_quantity_shape_is_accepted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], units: tuple[str, ...]
) -> None:
    digits, on, origin = SHAPES[units]
    base = ["duty", "quote", "--hts", digits, "--origin", origin, "--value", "1000",
            "--date", on.isoformat(), "--json"]  # fmt: skip
    code, _, err = run(monkeypatch, capsys, *base)
    assert code == 2 and "--qty: " in err
    hint = re.search(r"\(e\.g\. (.+?);", err)
    assert hint is not None, err
    words = hint.group(1).split()
    assert sorted(words[2::3]) == sorted(units)  # the hint names every missing unit
    code, out, err = run(monkeypatch, capsys, *base, *words)
    assert code == 0, err
    # the base rate reads the quantities given (it may still want a content value)
    quoted = json.loads(out)
    assert not [r for r in quoted["cannot_compute"] if "needs the quantity" in r]
    base = [c for c in quoted["components"] if c["program"] == "base"]
    assert base or any(r.startswith("base ") for r in quoted["cannot_compute"])
    for unit in units:
        assert not base or f"12 {unit}" in base[0]["basis"]


def test_sugar_degrees_golden(monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    # 1701.12.05: 3.6606¢/kg less 0.020668¢/kg per degree under 100, floor 3.143854¢/kg.
    # 96 degrees: 3.6606 - 4 x 0.020668 = 3.577928¢/kg x 10,000 kg = $357.7928 -> $357.79
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "1701.12.05.00",
                         "--origin", "BR", "--value", "1000", "--qty", "10000", "kg",
                         "--qty", "96", "degrees", "--date", "2026-03-01", "--json")  # fmt: skip
    assert code == 0, err
    base = json.loads(out)["components"][0]
    assert base["amount"] == "357.79" and base["exact"] == "357.79280000"


def test_proof_liters_golden_and_csv_column(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 2206.00.30: 3.1¢/liter + 22.1¢/pf. liter: 100 l x 0.031 + 40 pf l x 0.221 = 3.10 + 8.84
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "2206.00.30.00",
                         "--origin", "FR", "--value", "1000", "--qty", "100", "liter",
                         "--qty", "40", "pf_liter", "--date", "2026-03-01", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["components"][0]["amount"] == "11.94"
    path = tmp_path / "e.csv"
    path.write_text("hts,origin,value,qty_liter,qty_pf_liter\n2206.00.30.00,FR,1000,100,40\n")
    code, out, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date",
                         "2026-03-01", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["lines"][0]["components"][0]["amount"] == "11.94"


def test_sugar_degrees_csv_column(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("hts,origin,value,qty_kg,qty_degrees\n1701.12.05.00,BR,1000,10000,96\n")
    code, out, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date",
                         "2026-03-01", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["lines"][0]["components"][0]["amount"] == "357.79"


# -- 2. every problem of `duty quote` at once, each naming its option --------------------------


def test_quote_lists_every_problem(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--origin", "ZZ", "--hts",
                         "9999.99.99", "--spi", "XX", "--value", "-5", "--mode", "boat",
                         "--date", "2026-03-01")  # fmt: skip
    assert code == 2 and out == ""
    fields = [line.split(":")[1].strip() for line in err.strip().splitlines()]
    assert sorted(fields) == ["--hts", "--mode", "--origin", "--spi", "--value"]


def test_a_bad_date_hides_nothing(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, _, err = run(monkeypatch, capsys, "duty", "quote", "--origin", "ZZ", "--hts",
                       "9999.99.99", "--spi", "XX", "--value", "abc", "--date", "2026-13-01",
                       "--content", "unobtainium=1", "--qty", "1", "bogus")  # fmt: skip
    assert code == 2
    lines = err.strip().splitlines()
    for option in ("--date", "--origin", "--hts", "--spi", "--value", "--content", "--qty"):
        assert any(line.startswith(f"error: {option}: ") for line in lines), (option, err)
    assert sum("--value" in line for line in lines) == 1  # 'not a number', not also negative


def test_missing_quantity_is_listed_with_the_other_problems(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "0201.10.05", "--origin",
                       "AR", "--value", "-1", "--mode", "boat", "--date", "2026-03-01")  # fmt: skip
    assert code == 2
    assert "error: --value: " in err and "error: --mode: " in err
    assert "error: --qty: HTS 0201.10.05 rate '4.4¢/kg' needs the quantity in kg" in err


# -- 3. content kinds ---------------------------------------------------------------------------


def test_unknown_content_kind_exits_2_listing_the_known_kinds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "7326.90.86.88",
                         "--origin", "DE", "--value", "3000", "--content", "unobtainium=5",
                         "--date", "2026-09-15", "--json")  # fmt: skip
    assert code == 2 and json.loads(out)["status"] == "refused"  # --json: the refusal
    assert "error: --content: unknown content kind 'unobtainium'" in err
    assert "steel" in err and "copper_kg" in err


def test_unknown_content_column_in_an_entry_names_the_row(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    path.write_text("hts,origin,value,content_stel\n0101.21.00,DE,100,5\n0101.21.00,DE,100,\n")
    code, _, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date", "2026-03-01")
    assert code == 2
    assert f"error: {path}:row 2:content: unknown content kind 'stel'" in err


def test_content_quantity_in_another_unit_is_a_known_kind(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "0101.21.00", "--origin",
                       "DE", "--value", "100", "--content", "copper_t=1", "--date",
                       "2026-03-01", "--json")  # fmt: skip
    assert code == 0, err


def test_content_not_used_is_a_warning(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "7326.90.86.88",
                         "--origin", "DE", "--value", "3000", "--qty", "120", "kg",
                         "--content", "steel=1800", "--date", "2026-09-15", "--json")  # fmt: skip
    assert code == 0, err
    q = json.loads(out)
    unused = [w for w in q["warnings"] if w.startswith("content steel=1800 was not used")]
    assert len(unused) == 1 and "2.9%" in unused[0]
    # its stable code beside it, in the same place (docs/problems.md)
    assert len(q["warning_codes"]) == len(q["warnings"])
    assert q["warning_codes"][q["warnings"].index(unused[0])] == "duty.line.content-unused"


def test_content_used_gives_no_warning(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, _ = run(monkeypatch, capsys, "duty", "quote", "--hts", "7411.10.50.00",
                       "--origin", "CN", "--value", "120", "--content", "copper=110",
                       "--date", "2026-03-01", "--json")  # fmt: skip
    assert code == 0
    assert not [w for w in json.loads(out)["warnings"] if "was not used" in w]


# -- 5. entry warnings name their line ------------------------------------------------------------


def test_entry_text_warnings_name_their_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "hts,origin,value,qty,unit,content\n"
        "8414.30.80.60,CN,800,1,No.,\n"
        "0201.10.05,AR,1000,250,kg,steel=5\n"
    )
    code, out, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date", "2026-03-01")
    assert code == 0, err
    text = " ".join(out.split())  # undo the console's wrapping
    warnings = re.findall(r"warning: (.+?)(?= warning: |$)", text)
    assert warnings
    assert all(re.match(r"(line \d \(row \d\), HTS [\d.]+: |entry: )", w) for w in warnings)
    assert any(w.startswith("line 2 (row 3), HTS 0201.10.05: content steel=5 was not used")
               for w in warnings)  # fmt: skip
    assert any(w.startswith("entry: entered value $1,800.00") for w in warnings)


# -- 4. a date before every loaded revision: exit 2 with the reason (as `tariff show`) ----------


@pytest.mark.parametrize(
    ("dates", "option", "day"),
    [(["--date", "2021-01-01"], "--date", "2021-01-01"),
     (["--date", "2026-03-01", "--frozen-on", "2021-11-03"], "--frozen-on", "2021-11-03")],
)  # fmt: skip
def test_quote_before_every_revision_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    dates: list[str], option: str, day: str,
) -> None:  # fmt: skip
    code, out, err = run(monkeypatch, capsys, "duty", "quote", "--hts", "0101.21.00",
                         "--origin", "ZZ", "--value", "100", *dates, "--json")  # fmt: skip
    assert code == 2 and json.loads(out)["status"] == "refused"  # --json: the refusal
    assert f"error: {option}: no tariff for {day}: the earliest loaded revision" in err
    assert "error: --origin: " in err  # and the other problems with it


def test_entry_date_problems_are_listed_with_the_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    path.write_text("hts,origin,value\n0101.21.00,ZZ,1\n")
    for day, reason in (("2026-99-01", "not a date"), ("2021-01-01", "no tariff for")):
        code, out, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date", day)
        assert code == 2 and out == ""
        assert f"error: {path}:row 2:origin: " in err and f"error: --date: {reason}" in err
