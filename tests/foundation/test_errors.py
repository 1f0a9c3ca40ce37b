"""Problems say where (file, row, field) and why; InputError carries every one of them."""

import pytest

from zonekeeper.errors import Collector, InputError, Problem


def test_problem_names_file_row_and_field() -> None:
    problem = Problem("must not be negative", file="adm.csv", row=3, field="quantity",
                      code="file.bad-cell")
    assert str(problem) == "adm.csv:row 3:quantity: must not be negative"


def test_input_error_keeps_every_problem() -> None:
    error = InputError([Problem("a", row=1, code="t.a"), Problem("b", row=2, code="t.b")])
    assert [p.message for p in error.problems] == ["a", "b"]
    assert "row 1" in str(error) and "row 2" in str(error)


def test_input_error_from_one_problem() -> None:
    problem = Problem("bad", code="t.bad")
    assert InputError(problem).problems == (problem,)


def test_a_problem_needs_its_code() -> None:
    with pytest.raises(TypeError):
        Problem("bad")  # type: ignore[call-arg]


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
    assert Problem("whole file", code="t.file").where == ""


def test_a_collector_keeps_every_parsers_problems_and_refuses_once() -> None:
    def bad(field: str) -> int:
        raise InputError(Problem("not a number", field=field, code="option.number"))

    given = Problem("seen before", code="option.given")
    values = Collector([given])
    assert values.read(lambda: 7) == 7
    assert values.read(lambda: bad("a")) is None
    assert values.read(lambda: bad("b")) is None
    with pytest.raises(InputError) as refused:
        values.check()
    assert [p.field for p in refused.value.problems] == [None, "a", "b"]
    Collector().check()  # nothing found: nothing refused
