"""Problems say where (file, row, field) and why; InputError carries every one of them."""

from zonekeeper.errors import InputError, Problem


def test_problem_names_file_row_and_field() -> None:
    problem = Problem("must not be negative", file="adm.csv", row=3, field="quantity")
    assert str(problem) == "adm.csv:row 3:quantity: must not be negative"


def test_input_error_keeps_every_problem() -> None:
    error = InputError([Problem("a", row=1), Problem("b", row=2)])
    assert [p.message for p in error.problems] == ["a", "b"]
    assert "row 1" in str(error) and "row 2" in str(error)


def test_input_error_from_text() -> None:
    assert InputError("bad").problems == (Problem("bad"),)


def test_problem_as_json_has_code_severity_where_and_message() -> None:
    problem = Problem(
        "no such part", file="adm.csv", row=4, field="part", code="ledger.unknown-part"
    )
    assert problem.as_json() == {
        "code": "ledger.unknown-part",
        "severity": "error",
        "where": {"file": "adm.csv", "row": 4, "field": "part"},
        "message": "no such part",
    }
    assert Problem("whole file").where == ""
