"""What every endpoint of the API reaches for: the process's context, shelf and users, and
the answer a document makes.

An endpoint answers its output model's `document()` (the CLI's `--json` document, key for
key, with the models' own serializers: money as cent strings, keys left out where a sparse
document has none) as a ready `JSONResponse`; the route still declares the model as its
`response_model`, so OpenAPI has the real schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson
from fastapi.responses import JSONResponse

from zonekeeper.app.outputs import Output
from zonekeeper.errors import InputError, Problem
from zonekeeper.web.state import context as context
from zonekeeper.web.state import directory as directory
from zonekeeper.web.state import shelf as shelf


class DocumentResponse(JSONResponse):
    """A document's JSON, written by orjson: the same bytes Starlette's `json.dumps` writes
    (compact, UTF-8 unescaped) for what a document holds (strings, money as cent strings,
    integers, booleans, null), twenty times faster (a duty quote's 3 kB: 1 µs, not 22)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def answer(document: Output, status_code: int = 200) -> JSONResponse:
    """The JSON answer of a document, as `--json` prints it."""
    return DocumentResponse(document.document(), status_code=status_code)


def renamed(error: InputError, fields: Mapping[str, str] = {},
            files: Mapping[str, str] = {}) -> InputError:
    """`error` with its problems told in the request's words: a field the use case names
    otherwise than the request's key (`quantity` for `qty`) by that key, a file saved from an
    upload by the upload's own name. (A CLI option's name, `--as-of` or `entry-date`, is
    made the parameter's, `as_of`, for every refusal: `web.problems.request_field`.)"""
    return InputError([_renamed(p, fields, files) for p in error.problems])


def _renamed(p: Problem, fields: Mapping[str, str], files: Mapping[str, str]) -> Problem:
    if p.file is not None:
        return replace(p, file=files.get(p.file, p.file))
    return replace(p, field=fields.get(p.field or "", p.field))
