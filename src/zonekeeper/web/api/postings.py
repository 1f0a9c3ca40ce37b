"""Posting zone events over HTTP: admissions (CBP Form 214 lines, 19 CFR 146.22, 146.32),
production (146.52), shipments (146.24) and physical counts (146.23(c), 146.53).

The body is a file upload (multipart field `file`: CSV, or JSON lines when its name ends in
`.jsonl`) or a JSON list of row objects; either way it goes through `app.postings.post_file`
as the CLI's `admit`/`produce`/`ship`/`count` do, so the same checks run: the whole body is
read, every problem answered at once (422, nothing posted; 409 when a row's natural key is
in the books already), or it posts whole. A JSON list is written as JSON lines, one row per
object, so row N of a problem is the list's Nth object. The events name the user who posted
them, and the audit log records the posting.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from zonekeeper.app import postings
from zonekeeper.app.outputs.books import PostingDocument
from zonekeeper.app.users import User
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.tabular import TOO_DEEP
from zonekeeper.web.api.common import answer, context, directory, shelf
from zonekeeper.web.auth import Poster
from zonekeeper.web.problems import Refusal

router = APIRouter(prefix="/zones/{zone}", tags=["postings"])

REQUEST_BODY = "request body"
MAX_BYTES = 64 * 1024 * 1024  # a posting body larger than this is refused, not read

# Each endpoint and the kind of file it posts (`app.postings.KINDS`).
ENDPOINTS = {"admissions": "admission", "production": "production",
             "shipments": "shipment", "counts": "count"}  # fmt: skip

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary",
                                            "description": "CSV, or JSON lines (.jsonl)"}},
                }
            },
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": True},
                    "description": "The file's rows, one object each (column: value)",
                }
            },
        },
    }
}


async def _saved(request: Request, folder: Path) -> tuple[Path, str]:
    """The body written to a file in `folder`, and the name its problems give it: the
    upload's file name, or "request body" for a JSON list."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InputError(Problem("send the rows as a file in the multipart field 'file'",
                                     REQUEST_BODY, code="request.no-file"))
        name = Path(upload.filename or "upload.csv").name or "upload.csv"
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(Problem(f"the file is larger than {MAX_BYTES // 2**20} MiB",
                                     REQUEST_BODY, code="request.too-large"))
        suffix = ".jsonl" if name.lower().endswith((".jsonl", ".ndjson")) else ".csv"
        path = folder / f"upload{suffix}"
        path.write_bytes(data)
        return path, name
    if kind == "application/json":
        rows = await _json_rows(request)
        path = folder / "rows.jsonl"
        # ASCII escapes: a lone surrogate a JSON string may hold (\ud800) cannot be written
        # as UTF-8, and stays an escape for the row reader to refuse (`file.unstorable-text`)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return path, REQUEST_BODY
    raise InputError(Problem("send a multipart/form-data upload (field 'file') or a JSON "
                             "list of rows", REQUEST_BODY, code="request.content-type"))


async def _json_rows(request: Request) -> list[Any]:
    try:
        rows = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(Problem(f"not JSON: {error}", REQUEST_BODY,
                                 code="request.not-json")) from None
    except RecursionError:
        raise InputError(Problem(TOO_DEEP, REQUEST_BODY, code="request.not-json")) from None
    if not isinstance(rows, list):
        raise InputError(Problem("expected a JSON list of row objects", REQUEST_BODY,
                                 code="request.not-list"))
    return rows


def _once(request: Request, *flags: str) -> None:
    """Refuse a flag given more than once (`?dry_run=true&dry_run=false`): which one was
    meant cannot be told, and taking the last would post what the first said only to check."""
    problems = [Problem(f"{flag} is given {n} times: give it once", field=flag,
                        code="request.invalid")
                for flag in flags if (n := len(request.query_params.getlist(flag))) > 1]
    if problems:
        raise InputError(problems)


async def _post(request: Request, zone: str, kind: str, user: User, dry_run: bool,
                skip_posted: bool) -> JSONResponse:
    _once(request, "dry_run", "skip_posted")
    with tempfile.TemporaryDirectory(prefix="zk-upload-") as folder:
        path, name = await _saved(request, Path(folder))

        def post() -> PostingDocument:
            with shelf(request).books(zone, actor=user.name) as ledger:
                done = postings.post_file(context(request), ledger, kind, path, source=name,
                                          dry_run=dry_run, skip_posted=skip_posted)
            return done.document()

        document = await run_in_threadpool(post)
    if not dry_run:
        directory(request).record(
            user.name, f"post {kind}",
            {"source": name, "posted": document.posted, "skipped": document.skipped,
             "head_seq": document.books.head_seq},
            zone,
        )
    return answer(document)


def _endpoint(kind: str) -> Any:
    async def endpoint(
        request: Request,
        zone: str,
        user: Poster,
        dry_run: Annotated[bool, Query(description="Check only: write nothing")] = False,
        skip_posted: Annotated[
            bool, Query(description="Leave out rows already in the books, identical")
        ] = False,
    ) -> JSONResponse:
        return await _post(request, zone, kind, user, dry_run, skip_posted)

    endpoint.__doc__ = (f"Post a file of {kind} rows, whole or not at all, as the CLI's "
                        f"posting command with `--json`.")
    endpoint.__name__ = f"post_{kind}"
    return endpoint


for _path, _kind in ENDPOINTS.items():
    router.add_api_route(f"/{_path}", _endpoint(_kind), methods=["POST"],
                         response_model=PostingDocument, openapi_extra=_BODY,
                         responses={409: {"description": "A row is in the books already "
                                          "(its natural key is taken); nothing was posted",
                                          "model": Refusal}},
                         name=f"post_{_kind}")
