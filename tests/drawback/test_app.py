"""The drawback use cases (`app.drawback`) and their documents (`app.outputs.drawback`).

The golden files were written by the commands before the use cases moved out of the CLI:
the documents must stay byte for byte what scripts read (plan, claim, alerts).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.app import drawback as use_case
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.drawback import DrawbackPlan, indented_json
from zonekeeper.drawback.plan import Method
from zonekeeper.drawback.records import ClaimType
from zonekeeper.errors import InputError
from zonekeeper.io.drawback_files import plan_digest, read_plan
from zonekeeper.tariff import Tariff

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "drawback"
GOLDEN = Path(__file__).parent / "golden"
IMPORTS, EXPORTS = EXAMPLES / "imports.csv", EXAMPLES / "exports.csv"


@pytest.fixture(scope="module")
def ctx(tariff: Tariff) -> Context:
    """A context whose tariff is the session's (loaded once), and a clock no rule may read."""

    def no_clock() -> date:
        raise AssertionError("a drawback use case read the clock")

    return Context(load_tariff=lambda: tariff, clock=no_clock)


def test_plan_is_the_golden_document_byte_for_byte(ctx: Context, tmp_path: Path) -> None:
    result = use_case.plan(ctx, IMPORTS, EXPORTS)
    golden = (GOLDEN / "examples_plan.json").read_text(encoding="utf-8")
    assert result.document.text() == golden
    use_case.save_plan(result.document, tmp_path / "out" / "plan.json")
    assert (tmp_path / "out" / "plan.json").read_text(encoding="utf-8") == golden
    assert read_plan(tmp_path / "out" / "plan.json").designations == result.plan.designations


def test_plan_warnings_are_problems_whose_messages_lead_the_notes(ctx: Context) -> None:
    result = use_case.plan(ctx, IMPORTS, EXPORTS)
    # (the examples' 2025 imports are described from the shipped history: no
    # descriptions-from-earliest warning since it landed)
    assert [w.code for w in result.warnings] == ["drawback.plan.claim-date-defaulted"]
    assert {w.severity for w in result.warnings} == {"warning"}
    messages = [w.message for w in result.warnings]
    assert result.document.notes[:len(messages)] == messages
    assert result.document.notes[len(messages):] == [n.message for n in result.plan.notes]
    # each note's stable code beside it, in the same order (a client acts on the code)
    assert result.document.note_codes == [
        *(w.code for w in result.warnings), *(n.code for n in result.plan.notes)]
    assert "drawback.plan.basis" in result.document.note_codes
    dated = use_case.plan(ctx, IMPORTS, EXPORTS, as_of=date(2026, 4, 20))
    assert "drawback.plan.claim-date-defaulted" not in {w.code for w in dated.warnings}


def test_the_plan_document_is_sealed_over_what_it_prints(ctx: Context) -> None:
    document = use_case.plan(ctx, IMPORTS, EXPORTS, method=Method.FIFO).document
    data = document.document()
    assert data["method"] == "fifo" and data["digest"] == plan_digest(data)
    assert list(data) == list(DrawbackPlan.model_fields)  # declaration order is the contract
    d = data["designations"][0]
    assert isinstance(d["quantity"], str) and isinstance(d["import_line"], int)
    assert re.fullmatch(r"\d+\.\d\d", d["refund"])  # money as cents text


def test_claim_writes_the_golden_claim(ctx: Context, tmp_path: Path) -> None:
    result = use_case.claim(ctx, GOLDEN / "examples_plan.json", tmp_path / "claim",
                            claimant="12-3456789", port="2704", entry_no="AB1-0000001-2",
                            imports=IMPORTS)
    assert {p.name for p in result.files} == {"claim.json", "claim_header.csv",
                                              "claim_lines.csv", "claim.md", "claim.html"}
    for name in ("claim.json", "claim_lines.csv", "claim_header.csv"):
        assert (tmp_path / "claim" / name).read_bytes() == (
            GOLDEN / f"examples_{name}").read_bytes(), name
    assert result.document.document() == json.loads((tmp_path / "claim" / "claim.json")
                                                    .read_text(encoding="utf-8"))


def test_alerts_are_the_golden_document(ctx: Context) -> None:
    found = use_case.alerts(ctx, IMPORTS, EXPORTS, date(2026, 4, 15), horizon=2000)
    assert json.dumps(found.document(), indent=2) + "\n" == (
        GOLDEN / "examples_alerts.json").read_text(encoding="utf-8")
    assert found.claim_windows and found.notices


def test_every_input_file_is_read_before_refusing(ctx: Context, tmp_path: Path) -> None:
    bad_imports = tmp_path / "imp.csv"
    bad_imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                           "E1,1,2026-01-15,4202923120,0,No.,1000,1\n")
    bad_claimed = tmp_path / "claimed.csv"
    bad_claimed.write_text("entry_no,line,quantity,claim_no\nE1,1,5,\n")
    with pytest.raises(InputError) as caught:
        use_case.plan(ctx, bad_imports, EXPORTS, claimed=bad_claimed)
    assert [(Path(p.file or "").name, p.field, p.code) for p in caught.value.problems] == [
        ("imp.csv", "quantity", "drawback.cell.invalid"),
        ("claimed.csv", "claim_no", "drawback.cell.missing"),
    ]


def test_use_case_refusals_carry_codes(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        use_case.plan(ctx, IMPORTS, EXPORTS, claim_type=ClaimType.A)
    assert [p.code for p in caught.value.problems] == ["drawback.plan.manufacturing-missing"]
    no_exports = tmp_path / "exp.csv"
    no_exports.write_text("export_ref,export_date,hts,quantity,unit,value\n")
    with pytest.raises(InputError) as caught:
        use_case.plan(ctx, IMPORTS, no_exports)
    assert [p.code for p in caught.value.problems] == ["drawback.plan.no-exports"]
    with pytest.raises(InputError) as caught:
        use_case.claim(ctx, GOLDEN / "examples_plan.json", tmp_path / "c",
                       claimed=tmp_path / "claimed.csv")
    assert [p.code for p in caught.value.problems] == ["drawback.claim.claimed-without-imports"]
    assert not (tmp_path / "c").exists()


def test_an_unknown_statistical_number_is_a_warning_on_its_row(ctx: Context,
                                                               tmp_path: Path) -> None:
    imports = tmp_path / "stat.csv"
    imports.write_text("entry_no,line,import_date,hts,quantity,unit,value,duty\n"
                       "E1,1,2026-01-15,4202.92.31.99,10,No.,1000,176.00\n")
    exports = tmp_path / "exp.csv"
    exports.write_text("export_ref,export_date,hts,quantity,unit,value\n"
                       "X1,2026-03-02,4202.92.31.20,4,No.,200\n")
    result = use_case.plan(ctx, imports, exports, as_of=date(2026, 3, 10))
    (warning,) = result.warnings
    assert (warning.code, warning.severity, warning.file, warning.row, warning.field) == (
        "drawback.imports.statistical-number-unknown", "warning", str(imports), 2, "hts")
    assert result.document.notes[0] == warning.message


def test_a_changed_copy_of_a_plan_document_prints_its_own_content(ctx: Context) -> None:
    document = use_case.plan(ctx, IMPORTS, EXPORTS).document
    copy = document.model_copy(update={"notes": ["changed"]})
    assert json.loads(copy.text())["notes"] == ["changed"]
    assert json.loads(document.text()) == document.document()


_TEXT = st.text(alphabet=st.characters(max_codepoint=0x2030), max_size=12)
_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _VALUE, max_size=5))
def test_the_plan_text_is_what_json_dumps_writes(document: dict[str, Any]) -> None:
    assert indented_json(document) == json.dumps(document, indent=2) + "\n"


def test_every_ascii_character_is_written_as_json_dumps_writes_it() -> None:
    document = {"all": "".join(map(chr, range(128))), "each": [chr(c) for c in range(128)]}
    assert indented_json(document) == json.dumps(document, indent=2) + "\n"
