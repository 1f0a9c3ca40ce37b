"""Refusals as HTTP answers: the same problem list the CLI's `--json` prints.

A refused input is 422 with every problem (`code`, `severity`, `where`, `message`) and nothing
changed; a document already in the books is 409 (its natural key is taken: 19 CFR 146.21(a),
nothing is posted twice). Request bodies and parameters FastAPI itself refuses get the same
shape, so a client reads one kind of error document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from zonekeeper.errors import CannotCompute, InputError, Problem

# The HTTP status of a refusal whose every error has one of these codes (else 422): a document
# already in the books (its natural key is taken: `app.batch_keys`, `Ledger.post`), no such
# zone or lot, a refused or throttled sign-in.
STATUS_OF_CODE: dict[str, int] = {
    **dict.fromkeys(("post.already-posted", "post.key-taken", "post.already-corrected",
                     "post.raced"), 409),
    **dict.fromkeys(("books.no-zone", "history.no-lot"), 404),
    "users.sign-in": 401,
    "users.throttled": 429,
}


class Where(BaseModel):
    file: str | None = None
    row: int | None = None
    field: str | None = None


class ProblemOut(BaseModel):
    code: str
    severity: Literal["error", "warning"]
    where: Where
    message: str


class Refusal(BaseModel):
    """What a refused request answers: `status` is always "refused"."""

    status: Literal["refused"] = "refused"
    problems: list[ProblemOut]


REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No credentials, or credentials not recognised", "model": Refusal},
    403: {"description": "The user's role may not do this", "model": Refusal},
    422: {"description": "The input was refused; nothing changed", "model": Refusal},
}


# The codes that mean "no such thing here": 404.
MISSING = frozenset({"books.no-zone", "history.no-lot"})

# The problem code of each refusal FastAPI or `web.auth` raises as an HTTPException.
HTTP_CODES = {401: "auth.unauthorized", 403: "auth.forbidden", 404: "http.not-found",
              405: "http.method-not-allowed", 429: "auth.throttled"}


def request_field(field: str | None) -> str | None:
    """A field in the request's words. The use cases name a value by the CLI's option or
    argument it was there (`--zone`, `--as-of`, `entry-date`, `LOT`); over HTTP the same
    value is the path, query or form parameter `zone`, `as_of`, `entry_date`, `lot`, and a
    client must find it under that name."""
    if field is None:
        return None
    bare = field.lstrip("-").replace("-", "_")
    return bare.lower() if bare.isupper() else bare


def in_request_words(problems: Sequence[Problem]) -> list[Problem]:
    """`problems` with each field that is not a file's column (no `file`) named as the
    request names it (`request_field`); a file's problems keep its column names."""
    return [p if p.file is not None else replace(p, field=request_field(p.field))
            for p in problems]


def refusal(problems: Sequence[Problem], status: int | None = None) -> JSONResponse:
    """The answer to a refused request: `status`, else the status its errors' codes share
    (`STATUS_OF_CODE`: 409 for a key already taken, 404 for no such zone), else 422."""
    if status is None:
        errors = [p for p in problems if p.severity == "error"] or list(problems)
        statuses = {STATUS_OF_CODE.get(p.code, 422) for p in errors}
        status = statuses.pop() if len(statuses) == 1 else 422
    body = {"status": "refused", "problems": [p.as_json() for p in problems]}
    return JSONResponse(body, status_code=status)


def _input_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InputError)
    return refusal(in_request_words(error.problems))


def cannot_compute(error: CannotCompute) -> Problem:
    """A figure the answer needs and the software cannot compute (no MPF table for the
    fiscal year, ...): said with its reason, as the CLI's "cannot compute", never a 0 in
    its place nor a server error."""
    return Problem(error.reason, code="request.cannot-compute")


def _cannot_compute(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CannotCompute)
    return refusal([cannot_compute(error)], 422)


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        Problem(
            str(e.get("msg", "invalid")),
            field=".".join(str(p) for p in e.get("loc", ()) if p != "body") or None,
            code="request.invalid",
        )
        for e in error.errors()
    ]
    return refusal(problems, 422)


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = HTTP_CODES.get(error.status_code, f"http.{error.status_code}")
    answer = refusal([Problem(str(error.detail), code=code)], error.status_code)
    answer.headers.update(error.headers or {})
    return answer


def install(app: FastAPI) -> None:
    """Answer InputError, CannotCompute, HTTP refusals (401, 403, 404, ...) and FastAPI's
    own validation errors with the problem list."""
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(CannotCompute, _cannot_compute)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
