"""The encodings of a user's file. A file whose byte-order mark says UTF-16 (Excel's "Unicode
Text", Windows PowerShell) or UTF-8 is read as its mark says; a file with tabs between its
columns (what "Unicode Text" writes), one in Windows-1252 (Excel's "CSV (Comma delimited)"
on Windows) and one that looks like UTF-16 without its mark are refused in ONE line that
names the file, the encoding found and how to save it as "CSV UTF-8" — never reported as
missing columns, never read by guessing. Every command that reads a user's file; exit 2,
nothing changed."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from zk_store_samples import FILE_READERS

from zonekeeper.app.books import Ledger
from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.io import zone_files
from zonekeeper.io.tabular import decoded, read_head, read_table

app = application()
runner = CliRunner()
ADMISSIONS = (
    "admission_no,line,date,part,quantity,value,status,description\n"
    "A-1,1,2026-08-03,W,10,\"1,234.50\",N,Platine für Kühlschrank\n"
    "A-1,2,2026-08-03,K,2,99.99,N,Bausatz à piston\n"
)
# The encodings a byte-order mark names, as the bytes a program writes for them.
MARKED = {
    "UTF-8": codecs.BOM_UTF8 + ADMISSIONS.encode("utf-8"),
    "UTF-16 LE": ADMISSIONS.encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""]),
    "UTF-16 BE": ADMISSIONS.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
}
REFUSED = {  # file bytes -> (code, what the one line must say)
    "windows-1252": (ADMISSIONS.encode("cp1252"), "file.windows-1252", "Windows-1252"),
    "unicode text": (codecs.BOM_UTF16_LE + ADMISSIONS.replace(",", "\t").encode("utf-16-le"),
                     "file.tab-separated", "UTF-16 LE text with tabs"),
    "utf-16 unmarked": (ADMISSIONS.encode("utf-16-le"), "file.utf16-unmarked", "UTF-16 LE"),
    "utf-16 cut": (MARKED["UTF-16 LE"][:-1], "file.bad-unicode", "UTF-16 LE"),
}


def _refused(books: str, args: list[str]) -> list[Any]:
    result = runner.invoke(app, ["--database-url", books, *args])
    assert isinstance(result.exception, InputError), (args, result.output, result.exception)
    return list(result.exception.problems)


@pytest.mark.parametrize("name", MARKED)
def test_a_file_is_read_as_its_byte_order_mark_says(tmp_path: Path, name: str) -> None:
    path = tmp_path / "admissions.csv"
    path.write_bytes(MARKED[name])
    twin = tmp_path / "utf8.csv"
    twin.write_text(ADMISSIONS, encoding="utf-8")
    table = read_table(path)
    assert (table.encoding, table.problems, table.unreadable) == (name, [], False)
    assert table.rows == read_table(twin).rows
    assert table.rows[0][1]["description"] == "Platine für Kühlschrank"
    read = [(r.row, r.values) for r in zone_files.read_admissions(path)]
    assert read == [(r.row, r.values) for r in zone_files.read_admissions(twin)]


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("command", FILE_READERS, ids=lambda c: " ".join(c[:3]))
def test_every_reader_refuses_another_encoding_in_one_line_naming_it(
    empty_zone: str, tmp_path: Path, command: list[str], case: str
) -> None:
    data, code, says = REFUSED[case]
    path = tmp_path / "admissions.csv"
    path.write_bytes(data)
    args = [a.format(f=path, out=tmp_path / "out") for a in command]
    [problem] = [p for p in _refused(empty_zone, args) if p.file == str(path)]
    if command[:2] == ["drawback", "claim"] and case == "unicode text":
        assert problem.code == "drawback.plan-file.not-json"  # a plan is JSON: tabs or not
        return
    assert says in problem.message, problem.message
    assert "UTF-8" in problem.message and "missing" not in problem.message
    if command[:2] != ["tariff", "import"]:  # a USITC export: its own code, same line
        assert problem.code == code


def test_a_windows_1252_file_is_not_read_by_guessing(tmp_path: Path) -> None:
    """No byte that is not UTF-8 becomes a character without a word: a Windows-1252 file
    is refused in one line naming the first such byte and what it is in that encoding."""
    text, [problem], encoding = decoded(ADMISSIONS.encode("cp1252"), "a.csv")
    assert (text, encoding, problem.row) == (None, "Windows-1252", 2)
    assert "byte 0xFC at byte 107 of the file is 'ü' in Windows-1252; 1 more line hold" in (
        problem.message)
    assert "CSV UTF-8 (Comma delimited)" in problem.message


def test_a_utf16_file_posts_what_its_utf8_twin_posts(database_url: str, tmp_path: Path) -> None:
    """Excel's and PowerShell's UTF-16 files post on either database as the UTF-8 file."""
    from zk_store_samples import BOMS, PARTS

    posted = {}
    for name in ("UTF-8", "UTF-16 LE", "UTF-16 BE"):
        url = database_url if name == "UTF-16 LE" else f"sqlite:///{tmp_path / name}.db"
        with Ledger.init(url, "49", "Dock 3", "FIFO") as books:
            books.load_master(PARTS, BOMS)
        path = tmp_path / name / "admissions.csv"
        path.parent.mkdir()
        path.write_bytes(ADMISSIONS.encode() if name == "UTF-8" else MARKED[name])
        result = runner.invoke(app, ["--database-url", url, "admit", str(path)])
        assert result.exit_code == 0, result.output
        with Ledger.open(url, "49") as books:
            posted[name] = sorted((lot.id, lot.description, lot.quantity, lot.value)
                                  for lot in books.state().lots.values())
    assert posted["UTF-8"] == posted["UTF-16 LE"] == posted["UTF-16 BE"]
    assert [p[0] for p in posted["UTF-8"]] == ["A-1/1", "A-1/2"]
    assert posted["UTF-8"][0][3] == Decimal("1234.50")


@pytest.mark.parametrize("mark, codec", [
    (b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_the_start_of_a_file_is_cut_between_characters(tmp_path: Path, mark: bytes,
                                                       codec: str) -> None:
    """`read_head` reads only the start of a large file: wherever the cut falls, even inside
    a character ("é", "—", an emoji's surrogate pair), what it gives is the file's own text
    and no problem (a cut inside a UTF-8 character made a good USITC export look like
    Windows-1252)."""
    text = "htsno,description\n" + "0101,Chevaux — é 😀\n" * 20
    path = tmp_path / "export.csv"
    path.write_bytes(mark + text.encode(codec))
    for size in range(len(mark) + 1, len(mark) + 80):
        start, problems, _encoding = read_head(path, size)
        assert problems == [] and start is not None, size
        assert text.startswith(start.lstrip("\ufeff")), size
