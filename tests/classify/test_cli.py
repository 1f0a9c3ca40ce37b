"""`zonekeeper classify suggest`: both modes, the JSON contract, the notice, the errors,
the golden lines of the real schedule, and that the evaluation file is never read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zonekeeper.cli import main

EVAL = Path(__file__).resolve().parents[3] / "shared/data/eval/hs_classification_validation.csv"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["zonekeeper", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("description", "line"),
    [  # each description is the text of the real HTS line (Rev. 3), shortened
        ("Stainless steel sinks with one or more drawn bowls", "7324100010"),
        ("lithium-ion batteries", "8507600090"),
        ("garlic powder or flour, dried", "0712904020"),
    ],
)
def test_golden_schedule_lines_come_first(monkeypatch, capsys, description, line) -> None:
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--description",
                       description, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["candidates"][0]["hts"] == line
    assert "broker" in document["notice"]


def test_a_heading_that_repeats_the_words_can_outrank_the_line(monkeypatch, capsys) -> None:
    """A known cost of the heading similarity: 8509's heading text ("Electromechanical
    domestic appliances, with self-contained electric motor") repeats most of this
    description, so its lines come first when the sentence model is installed; the line
    itself stays among the first three, ahead of every other heading."""
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--description",
                       "vacuum cleaners with self-contained electric motor", "--json")
    assert code == 0
    found = [c["hts"] for c in json.loads(out)["candidates"]]
    assert "8508190000" in found[:3]
    assert {f[:4] for f in found[:3]} <= {"8508", "8509"}


def test_description_json_contract(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--description",
                       "stainless steel kitchen sink", "--top", "3", "--json")
    assert code == 0
    candidates = json.loads(out)["candidates"]
    assert len(candidates) == 3
    first = candidates[0]
    assert set(first) >= {"hts", "description", "score", "general_rate", "evidence"}
    assert len(first["hts"]) == 10 and first["hts"].isdigit()
    assert first["general_rate"] == "3.4%"
    assert first["evidence"][-1] == {
        "kind": "schedule", "reference": "7324.10.00.10",
        "text": "Sanitary ware and parts thereof, of iron or steel > Sinks and wash basins, "
                "of stainless steel > Stainless steel sinks with one or more drawn bowls "
                "(basins)"}
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates),
                                                      reverse=True)


def test_a_ruling_is_cited_as_evidence(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--description",
                       "garlic powder", "--json")
    first = json.loads(out)["candidates"][0]
    assert first["hts"] == "0712904020"
    assert {"kind": "ruling", "reference": "N270709",
            "text": "The tariff classification of garlic powder from China"} in first["evidence"]


def test_file_mode_rows(monkeypatch, capsys, tmp_path) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text("SKU,Description\nA1,stainless steel kitchen sink\nB2,lithium-ion batteries\n")
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--file", str(skus),
                       "--top", "2", "--json")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert [r["sku"] for r in rows] == ["A1", "B2"]
    assert [r["candidates"][0]["hts"] for r in rows] == ["7324100010", "8507600090"]
    assert all(len(r["candidates"]) == 2 for r in rows)


def test_human_output_is_a_table_with_the_notice(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "classify", "suggest", "--description",
                       "stainless steel kitchen sink")
    assert code == 0
    assert "licensed customs broker's review" in out
    assert "never applied" in out
    assert "7324.10.00.10" in out and "3.4%" in out


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--description", "   "], "the description is empty"),
        ([], "give exactly one of --description TEXT or --file FILE"),
        (["--description", "sink", "--file", "x.csv"], "give exactly one of"),
        (["--description", "sink", "--top", "0"], "--top must be 1 to 20, not 0"),
    ],
)
def test_bad_options_exit_2(monkeypatch, capsys, args, reason) -> None:
    code, out, err = run(monkeypatch, capsys, "classify", "suggest", *args)
    assert code == 2
    assert reason in err
    assert out == ""


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("sku,text\nA1,sink\n", "missing column(s): description"),
        ("sku,description\nA1,\n,sink\n", "description is empty"),
        ("sku;description\nA1;sink\n", "';' between columns"),
        ("sku,description\n", "no rows in the file"),
    ],
)
def test_bad_file_exit_2_naming_the_problem(monkeypatch, capsys, tmp_path, content,
                                            reason) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text(content)
    code, out, err = run(monkeypatch, capsys, "classify", "suggest", "--file", str(skus))
    assert code == 2
    assert reason in err and str(skus) in err
    assert out == ""


def test_every_bad_row_is_reported(monkeypatch, capsys, tmp_path) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text("sku,description\nA1,\n,sink\nC3,ok\n")
    code, _, err = run(monkeypatch, capsys, "classify", "suggest", "--file", str(skus))
    assert code == 2
    assert "row 2:description" in err and "row 3:sku" in err


def test_missing_file_exit_2(monkeypatch, capsys, tmp_path) -> None:
    code, _, err = run(monkeypatch, capsys, "classify", "suggest", "--file",
                       str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err


_AUDIT = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0]))
                 if event == "open" and args and isinstance(args[0], (str, bytes)) else None)
from zonekeeper.cli import application
try:
    application(sys.argv[1:])(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\n".join(opened))
"""


def test_the_product_never_reads_the_evaluation_file(tmp_path) -> None:
    """With the evaluation file at hand (the bench's variable set, the file beside the
    project), a run of both modes opens no file of the evaluation data."""
    skus = tmp_path / "skus.csv"
    skus.write_text("sku,description\nA1,stainless steel kitchen sink\n")
    env = {**os.environ, "ZONEKEEPER_CLASSIFY_EVAL": str(EVAL)}
    for args in (["--description", "stainless steel sink"], ["--file", str(skus)]):
        done = subprocess.run(
            [sys.executable, "-c", _AUDIT, "classify", "suggest", *args, "--json"],
            capture_output=True, text=True, env=env, check=True)
        opened = done.stderr.splitlines()
        assert any(name.endswith("index.json.gz") for name in opened)  # the hook works
        assert not [n for n in opened if "hs_classification_validation" in n
                    or "/data/eval/" in n]
        assert json.loads(done.stdout)


def test_classify_does_not_import_the_books() -> None:
    code = (
        "import sys; from zonekeeper.cli import application; "
        "application(['classify', 'suggest']); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'highspy', 'zonekeeper.cli.ledger') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
