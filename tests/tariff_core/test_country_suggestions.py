"""An unknown country is refused everywhere a country is read, with the ISO alpha-2 code the
user probably meant: `UK` is GB, alpha-3 and numeric codes, common and Census names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zonekeeper.cli import main
from zonekeeper.errors import InputError
from zonekeeper.io import zone_files
from zonekeeper.io.drawback_files import read_imports
from zonekeeper.io.entry_lines import read_entry_file
from zonekeeper.tariff.countries import parse_country


@pytest.mark.parametrize(
    ("text", "meant"),
    [("UK", "did you mean GB (United Kingdom)?"), ("EL", "did you mean GR (Greece)?"),
     ("CHN", "did you mean CN (China)?"), ("deu", "did you mean DE (Germany)?"),
     ("156", "did you mean CN (China)?"), ("5700", "did you mean CN (China)?"),
     ("Germany", "did you mean DE (Germany)?"), ("South Korea", "did you mean KR "),
     ("Korea", "or KP (Korea, Democratic People's Republic of)?"),
     ("Burma (Myanmar)", "did you mean MM (Myanmar)?"), ("Mexiko", "did you mean MX (Mexico)?"),
     ("QQ", "(e.g. CN, DE, MX)")],
)  # fmt: skip
def test_refused_with_what_was_meant(text: str, meant: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_country(text)
    assert meant in raised.value.problems[0].message


def test_every_reader_says_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hint = "did you mean GB (United Kingdom)?"
    parts = tmp_path / "parts.csv"
    parts.write_text("part,hts,origin\nP,8414.30.80.30,UK\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        zone_files.read_parts(parts)
    assert hint in str(raised.value.problems[0])
    admissions = tmp_path / "a.csv"
    admissions.write_text("admission_no,line,date,part,quantity,value,status,origin\n"
                          "A1,1,2026-03-02,P,1,9,P,UK\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as raised:
        zone_files.read_admissions(admissions)
    assert hint in str(raised.value.problems[0])
    imports = tmp_path / "i.csv"
    imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty,origin\n"
                       "E1,1,2026-01-05,8414.30.80.30,10,No.,100,0,UK\n",
                       encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as raised:
        read_imports(imports)
    assert hint in str(raised.value.problems[0])
    entry = tmp_path / "e.csv"
    entry.write_text("hts,origin,value\n8414.30.80.30,UK,1000\n", encoding="utf-8")
    _items, problems = read_entry_file(entry)
    assert hint in str(problems[0])
    monkeypatch.setattr(sys, "argv", ["zonekeeper", "duty", "quote", "--hts", "8414.30.80.30",
                                      "--origin", "UK", "--value", "1000",
                                      "--date", "2026-03-02"])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2 and hint in capsys.readouterr().err
