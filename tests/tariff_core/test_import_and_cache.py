"""USITC readers, `tariff import` into the user's store, and the schedule cache."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from zonekeeper.errors import InputError
from zonekeeper.tariff import store
from zonekeeper.tariff.store import import_revision, load_schedule, read_usitc
from zonekeeper.tariff.usitc import parse_units

HEADER = ["HTS Number", "Indent", "Description", "Unit of Quantity", "General Rate of Duty",
          "Special Rate of Duty", "Column 2 Rate of Duty", "Quota Quantity", "Additional Duties"]


def _chapter_rows(chapter: str) -> list[list[str]]:
    """The real Revision 3 rows of one chapter, from the package copy."""
    path = resources.files("zonekeeper") / "data/tariff/hts/hts_2026_revision_3_csv.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    out: list[list[str]] = []
    inside = False
    for row in rows:
        if row[0]:
            inside = row[0].startswith(chapter)
        if inside:
            out.append(row)
    return out


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def tariff_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    """A fresh user store; the cache of the shipped revisions is shared by the session."""
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(shared_cache))
    monkeypatch.setattr(store, "_memo", {})
    return tmp_path


def test_units_lists_in_both_spellings() -> None:
    assert parse_units('["No.","kg"]') == ("No.", "kg")
    assert parse_units(["m²"]) == ("m²",)
    assert parse_units("") == ()
    assert parse_units("kg") == ("kg",)


def test_csv_reader_keeps_labels_bom_and_zero_padded_indent(tmp_path: Path) -> None:
    rows = _chapter_rows("01")
    rows[2] = [rows[2][0], "02", *rows[2][2:]]
    found = read_usitc(_write_csv(tmp_path / "ch01.csv", rows))
    assert found[0].hts == "0101" and found[1].hts == "" and found[1].description == "Horses:"
    assert found[2].indent == 2
    assert found[0].row == 2


def test_bad_csv_names_file_row_and_field(tmp_path: Path) -> None:
    rows = _chapter_rows("01")
    rows[3][0] = "0101.2X.00"
    rows[5][1] = "two"
    path = _write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as error:
        read_usitc(path)
    assert [(p.file, p.row, p.field) for p in error.value.problems] == [
        (str(path), 5, "HTS Number"), (str(path), 7, "Indent")]


def test_not_an_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column 'HTS Number'"):
        read_usitc(path)


def test_json_export_reads_like_the_csv(tmp_path: Path) -> None:
    items = [
        {"htsno": "0101", "indent": "0", "description": "Live horses:", "units": [],
         "general": "", "special": "", "other": "", "footnotes": []},
        {"htsno": "0101.21.00", "indent": "1", "description": "Breeding", "units": ["No."],
         "general": "Free", "special": "", "other": "Free", "footnotes": []},
        {"htsno": "0101.29.00", "indent": "1", "description": "Other", "units": ["No."],
         "general": "4.5%", "special": "Free (A+,AU)", "other": "20%",
         "footnotes": [{"value": "See 9903.88.15"}]},
    ]
    path = tmp_path / "hts.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    rows = read_usitc(path)
    assert [r.general for r in rows] == ["", "Free", "4.5%"]
    assert rows[2].special == "Free (A+,AU)" and rows[2].column2 == "20%"


def test_import_adds_a_dated_revision(tariff_home: Path) -> None:
    rows = _chapter_rows("01")
    for row in rows:
        if row[0] == "0101.29.00":
            row[4] = "9.9%"
    path = _write_csv(tariff_home / "rev9.csv", rows)
    before = load_schedule()
    import_revision(path, date(2026, 7, 1), "HTS 2026 Revision 9")
    after = load_schedule()
    assert [r.name for r in after.revisions] == [r.name for r in before.revisions] + [
        "HTS 2026 Revision 9"]
    line, revision = after.line("0101.29.00.10", date(2026, 7, 2))
    assert revision.name == "HTS 2026 Revision 9" and line.general.text == "9.9%"
    old, _ = after.line("0101.29.00.10", date(2026, 6, 30))
    assert old.general.text == "Free"


def test_a_bad_import_changes_nothing(tariff_home: Path) -> None:
    rows = _chapter_rows("01")
    rows[4][1] = ""
    with pytest.raises(InputError):
        import_revision(_write_csv(tariff_home / "bad.csv", rows), date(2026, 7, 1))
    assert not (tariff_home / "home" / "tariff" / "revisions").exists() or not list(
        (tariff_home / "home" / "tariff" / "revisions").iterdir())


def test_corrupt_cache_is_rebuilt(tariff_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_schedule()  # fills the shared cache; copy it, then damage the copy
    own = tariff_home / "own-cache"
    own.mkdir()
    for source in store.all_sources():
        name = f"revision-{store.source_key(source)}.pickle"
        shutil.copy(Path(os.environ["ZONEKEEPER_CACHE"]) / name, own / name)
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(own))
    caches = sorted(own.glob("revision-*.pickle"))
    assert len(caches) == 2
    caches[0].write_bytes(b"not a pickle")
    monkeypatch.setattr(store, "_memo", {})
    again = load_schedule()
    assert [r.name for r in again.revisions] == [r.name for r in first.revisions]
    assert caches[0].read_bytes()[:1] == b"\x80"  # rewritten as a pickle


def test_warm_load_comes_from_the_cache(tariff_home: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    load_schedule()
    monkeypatch.setattr(store, "_memo", {})

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt although the cache is fresh")

    monkeypatch.setattr(store, "build_revision", no_build)
    assert load_schedule().revision_on(date(2026, 3, 1)).name == "HTS 2026 Revision 3"


def test_a_damaged_gzip_export_is_an_input_error() -> None:
    """A cut file, a bad header and a corrupt body (zlib's own error) all read as one
    located problem, not a traceback."""
    from zonekeeper.errors import InputError
    from zonekeeper.tariff.usitc import parse_usitc

    good = gzip.compress(b"HTS Number,Description\n" * 1000)
    corrupt_body = good[:20] + bytes(b ^ 0x55 for b in good[20:-8]) + good[-8:]
    for data in (good[: len(good) // 2], b"\x1f\x8b\x00" + good[3:], corrupt_body):
        with pytest.raises(InputError, match="not a readable gzip file"):
            parse_usitc(data, "hts.csv.gz")


def test_a_gzip_bomb_is_refused_not_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file that un-gzips past MAX_TEXT is refused after reading MAX_TEXT + 1 bytes."""
    from zonekeeper.tariff import usitc

    monkeypatch.setattr(usitc, "MAX_TEXT", 1000)
    bomb = gzip.compress(b"0" * 100_000)
    with pytest.raises(InputError, match="more than 1,000 bytes"):
        usitc.parse_usitc(bomb, "bomb.csv.gz")
    with pytest.raises(InputError, match="not a readable gzip file"):
        usitc.parse_usitc(gzip.compress(b"HTS Number")[:15], "cut.csv.gz")
