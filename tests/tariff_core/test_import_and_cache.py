"""USITC readers, `tariff import` into the user's store, and the schedule cache."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import pickle
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import orjson
import pytest

from zonekeeper.errors import InputError
from zonekeeper.sources import revision_cache
from zonekeeper.sources import revisions as store
from zonekeeper.sources.history import history_path
from zonekeeper.sources.revisions import import_revision, load_schedule, read_usitc
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.schedule import Revision, Schedule
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


def test_a_rate_on_a_label_row_is_refused_and_nothing_is_stored(tariff_home: Path) -> None:
    """A rate on a row without an HTS number governs no line: the file is damaged (a shifted
    column), so the import is refused naming row and column, before anything is written."""
    rows = _chapter_rows("01")
    assert rows[1][0] == "" and rows[1][2] == "Horses:"
    rows[1][4] = "0"
    path = _write_csv(tariff_home / "shifted.csv", rows)
    with pytest.raises(InputError) as error:
        import_revision(path, date(2026, 7, 1))
    assert [(p.file, p.row, p.field) for p in error.value.problems] == [
        (str(path), 3, "General Rate of Duty")]
    assert "without an HTS number" in error.value.problems[0].message
    assert not (tariff_home / "home").exists()


def test_a_lone_surrogate_in_a_json_export_is_refused_and_nothing_is_stored(
    tariff_home: Path,
) -> None:
    """JSON may spell half a UTF-16 pair (`\\ud800`): not a character, no UTF-8 form, so
    the revision could not be written. Refused naming row and key, nothing stored."""
    path = tariff_home / "hts.json"
    path.write_text('[{"htsno": "0101", "indent": "0", "description": "Live \\ud800", '
                    '"units": [], "general": "", "special": "", "other": ""}, '
                    '{"htsno": "0101.21.00", "indent": "1", "description": "Breeding", '
                    '"units": ["No.", "\\udfff"], "general": "Free", "special": "", '
                    '"other": "Free"}]', encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_revision(path, date(2026, 7, 1))
    assert [(p.row, p.field) for p in error.value.problems] == [
        (1, "description"), (2, "units")]
    assert "U+D800" in error.value.problems[0].message
    assert not (tariff_home / "home").exists()


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
    import_revision(path, date(2026, 7, 1), "HTS 2026 Revision 11")
    after = load_schedule()
    assert [r.name for r in after.revisions] == [r.name for r in before.revisions] + [
        "HTS 2026 Revision 11"]
    line, revision = after.line("0101.29.00.10", date(2026, 7, 2))
    assert revision.name == "HTS 2026 Revision 11" and line.general.text == "9.9%"
    old, _ = after.line("0101.29.00.10", date(2026, 6, 30))
    assert old.general.text == "Free"


def test_a_bad_import_changes_nothing(tariff_home: Path) -> None:
    rows = _chapter_rows("01")
    rows[4][1] = ""
    with pytest.raises(InputError):
        import_revision(_write_csv(tariff_home / "bad.csv", rows), date(2026, 7, 1))
    assert not (tariff_home / "home" / "tariff" / "revisions").exists() or not list(
        (tariff_home / "home" / "tariff" / "revisions").iterdir())


def _own_cache(tariff_home: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A copy of the shared cache of its own for the test (to damage), in schedule order."""
    load_schedule()  # fills the shared cache
    own = tariff_home / "own-cache"
    own.mkdir()
    files = []
    for source in store.all_sources():
        shared = store.cache_file(store.source_key(source))
        shutil.copy(shared, own / shared.name)
        files.append(own / shared.name)
    monkeypatch.setenv("ZONEKEEPER_CACHE", str(own))
    monkeypatch.setattr(store, "_memo", {})
    return files


def _cached(schedule: Schedule) -> list[Revision]:
    """The revisions of `schedule` the cache serves (the history's are read from its store)."""
    return [r for r in schedule.revisions if not r.source.startswith(str(history_path()))]


def _same_as_built(schedule: Schedule) -> None:
    built = store.build_schedule(store.all_sources())
    assert [r.name for r in _cached(schedule)] == [r.name for r in built.revisions]
    for mine, theirs in zip(_cached(schedule), built.revisions, strict=True):
        assert mine.parts() == theirs.parts() and mine.source == theirs.source


def test_corrupt_cache_is_rebuilt(tariff_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    caches = _own_cache(tariff_home, monkeypatch)
    assert len(caches) == 2
    caches[0].write_bytes(b"not a cache")
    _same_as_built(load_schedule())
    assert json.loads(caches[0].read_bytes())["format"] == revision_cache.FORMAT  # rewritten


class _Payload:
    """What a pickle can make its reader do: here, write a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "code ran"))


def test_a_pickle_in_the_cache_folder_never_runs(tariff_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever can write the cache folder must not run code as the user: a pickle under any
    name the cache ever used is not loaded."""
    caches = _own_cache(tariff_home, monkeypatch)
    marker = tariff_home / "pwned"
    for key in (store.source_key(s) for s in store.all_sources()):
        for name in (f"revision-{key}.pickle", store.cache_file(key).name):
            (caches[0].parent / name).write_bytes(
                pickle.dumps((1, _Payload(marker)), protocol=pickle.HIGHEST_PROTOCOL))
    _same_as_built(load_schedule())
    assert not marker.exists()


def test_old_pickles_go_when_the_cache_is_written(tariff_home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The pickles earlier versions cached (`revision-<key>.pickle`) are never read; writing
    a JSON cache file deletes them. A warm load writes nothing and so deletes nothing, and
    other files in the folder stay."""
    caches = _own_cache(tariff_home, monkeypatch)
    folder = caches[0].parent
    old = [folder / f"revision-{digit * 32}.pickle" for digit in "01"]
    for path in old:
        path.write_bytes(b"a cache of an earlier version")
    other = folder / "notes.pickle"
    other.write_bytes(b"not ours")
    load_schedule()
    assert all(path.exists() for path in old)
    caches[0].write_bytes(b"not a cache")
    monkeypatch.setattr(store, "_memo", {})
    _same_as_built(load_schedule())
    assert not any(path.exists() for path in old)
    assert other.exists() and caches[0].exists()


def test_a_foreign_cache_file_is_not_trusted(tariff_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain data of the wrong shape, another revision's file under this one's name, or a
    file others may write: each is ignored and the revision built from its source."""
    caches = _own_cache(tariff_home, monkeypatch)
    other = caches[1].read_bytes()
    plain = json.loads(caches[0].read_bytes())
    wrong_type = dict(plain, indent=["1"] * len(plain["indent"]))
    out_of_range = dict(plain, parents=[10**9] * len(plain["parents"]))
    short = dict(plain, code=plain["code"][:-1])
    float_refs = dict(plain, rate_rows=[0.5] * len(plain["rate_rows"]))
    bad_index = dict(plain, general=dict(plain["general"], index=[-1] * len(plain["code"])))
    for damage in (other, b"[]", b'{"format": 2}', *map(orjson.dumps, (
            wrong_type, out_of_range, short, float_refs, bad_index))):
        caches[0].write_bytes(damage)
        monkeypatch.setattr(store, "_memo", {})
        _same_as_built(load_schedule())
        assert caches[0].read_bytes() != damage
    if hasattr(os, "getuid"):
        caches[0].chmod(0o666)  # anyone could have written it
        monkeypatch.setattr(store, "_memo", {})

        def no_read(*args: object, **kwargs: object) -> None:
            raise AssertionError("read a cache file others may write")

        monkeypatch.setattr(revision_cache, "decode", no_read)
        with pytest.raises(AssertionError, match="rebuilt"):
            _warm_only(monkeypatch)


def _warm_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt")

    monkeypatch.setattr(store, "build_revision", no_build)
    for revision in _cached(load_schedule()):
        assert revision.get(HtsCode.parse("8414.30.80.30")) is not None


def test_warm_load_comes_from_the_cache(tariff_home: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    load_schedule()
    monkeypatch.setattr(store, "_memo", {})

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt although the cache is fresh")

    monkeypatch.setattr(store, "build_revision", no_build)
    assert load_schedule().revision_on(date(2026, 2, 20)).name == "HTS 2026 Revision 3"


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
