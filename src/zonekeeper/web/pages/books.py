"""The zone's books as pages: lots on hand (paged and sorted on the server), a lot's every
movement with the CBP form behind it (19 CFR 146.23(a)), the sums by part, and posting a
file with a validation preview.

Posting is two steps. The upload is checked as a dry run (`app.postings.post_file`,
nothing written) and kept in a temporary area under a random id, with who uploaded it, for
which zone and kind; the preview shows every problem with its row, or what would be posted.
"Post" sends back only the id (and the CSRF token): the kept file is posted as it was
previewed, by the same user, through `Shelf.books(zone, actor=user.name)`, and the audit log
records it. A kept file is read by any worker process of the server (they share the disk)
and removed once posted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from zonekeeper.app import dashboard, postings
from zonekeeper.errors import InputError, Problem
from zonekeeper.web import state
from zonekeeper.web.auth import Poster, Reader
from zonekeeper.web.pages.render import page

router = APIRouter(prefix="/zones/{zone}")

KINDS = ("admission", "production", "shipment", "count")
UPLOADS = Path(tempfile.gettempdir()) / "zonekeeper-uploads"
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_STATUSES = ("", "PF", "NPF", "D", "ZR")
KEEP = dt.timedelta(hours=8)  # as long as a session lives
DONE_LOOKBACK = 50  # the user's latest audit entries searched for the posting just done


PageNo = Annotated[int, Query(alias="page", description="From 1")]


@router.get("/lots")
def lots(request: Request, zone: str, user: Reader, number: PageNo = 1, sort: str = "lot",
         part: str = "", status: str = "") -> Response:
    """The lots on hand, a page at a time, sorted by a column (`-value`: descending)."""
    with state.shelf(request).books(zone) as ledger:
        found = dashboard.lot_page(ledger, page=number, sort=sort, part=part,
                                   status=status if status in _STATUSES else "")
    return page(request, "books/lots.html", user, zone=zone, found=found, sort=sort,
                part=part, status=status, statuses=_STATUSES)


@router.get("/lots/{lot:path}")
def lot(request: Request, zone: str, lot: str, user: Reader) -> Response:
    with state.shelf(request).books(zone) as ledger:
        found, movements = dashboard.lot_detail(ledger, lot)
    return page(request, "books/lot.html", user, zone=zone, lot=found, movements=movements)


@router.get("/parts")
def parts(request: Request, zone: str, user: Reader, number: PageNo = 1,
          part: str = "") -> Response:
    """The quantities and values on hand by part and zone status."""
    with state.shelf(request).books(zone) as ledger:
        found = dashboard.part_page(ledger, page=number, part=part)
    return page(request, "books/parts.html", user, zone=zone, found=found, part=part)


@router.get("/post")
def post_form(request: Request, zone: str, user: Poster) -> Response:
    return page(request, "books/post.html", user, zone=zone, kinds=KINDS, kind="admission",
                outcome=None, problems=[], upload=None, filename=None)


@router.post("/post")
def preview(request: Request, zone: str, user: Poster, kind: Annotated[str, Form()],
                  file: Annotated[UploadFile, File()]) -> Response:
    """Check the upload as a dry run; keep it for "Post" when it passes."""
    if kind not in KINDS:
        raise HTTPException(422, f"kind is one of {', '.join(KINDS)}, not {kind!r}")
    _forget_stale()
    upload = secrets.token_urlsafe(18)
    folder = UPLOADS / upload
    folder.mkdir(parents=True, mode=0o700)
    filename = Path(file.filename or f"{kind}.csv").name
    path = folder / "upload.csv"
    with path.open("wb") as kept:  # streamed: a large file is never whole in memory
        shutil.copyfileobj(file.file, kept)
    (folder / "meta.json").write_text(json.dumps(
        {"user": user.name, "zone": zone, "kind": kind, "filename": filename}))
    outcome = None
    problems: Sequence[Problem] = ()
    try:
        with state.shelf(request).books(zone, actor=user.name) as ledger:
            outcome = postings.post_file(state.context(request), ledger, kind, path,
                                         source=filename, dry_run=True)
    except InputError as error:
        problems = error.problems
        shutil.rmtree(folder, ignore_errors=True)
    return page(request, "books/post.html", user, code=422 if problems else 200, zone=zone,
                kinds=KINDS, kind=kind, outcome=outcome, problems=problems,
                upload=None if problems else upload, filename=filename)


def _forget_stale() -> None:
    """Remove the kept uploads nobody posted within `KEEP` (previewed, then left)."""
    if not UPLOADS.is_dir():
        return
    cutoff = time.time() - KEEP.total_seconds()
    for folder in UPLOADS.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another worker removed it first
            pass


@router.post("/post/commit")
def commit(request: Request, zone: str, user: Poster,
           upload: Annotated[str, Form()]) -> Response:
    """Post a previewed upload (whole or nothing), naming the user in its events."""
    folder = UPLOADS / upload
    meta_file = folder / "meta.json"
    if not _ID.match(upload) or not meta_file.is_file():
        raise HTTPException(404, "no such upload: preview the file again")
    meta = json.loads(meta_file.read_text())
    if meta["user"] != user.name or meta["zone"] != zone:
        raise HTTPException(404, "no such upload: preview the file again")
    try:
        with state.shelf(request).books(zone, actor=user.name) as ledger:
            outcome = postings.post_file(state.context(request), ledger, meta["kind"],
                                         folder / "upload.csv", source=meta["filename"])
    except InputError as error:
        return page(request, "books/post.html", user, code=422, zone=zone, kinds=KINDS,
                    kind=meta["kind"], outcome=None, problems=error.problems, upload=None,
                    filename=meta["filename"])
    shutil.rmtree(folder, ignore_errors=True)
    document = outcome.document()
    state.directory(request).record(user.name, f"post {meta['kind']}", {
        "file": meta["filename"], "events": document.posted, "postings": document.postings,
        "head_seq": outcome.head.seq}, zone)
    query = urlencode({"seq": outcome.head.seq})
    return RedirectResponse(f"/zones/{zone}/post/done?{query}", status_code=303)


@router.get("/post/done")
def posted(request: Request, zone: str, user: Poster, seq: int) -> Response:
    """What the user's posting that brought the books to `seq` posted, as the audit log
    recorded it: never what the address says (a link made by hand would otherwise show a
    file as posted that never was)."""
    entries, _ = state.directory(request).audit(limit=DONE_LOOKBACK, name=user.name)
    done = next((e for e in entries if e.zone == zone and e.action.startswith("post ")
                 and e.detail.get("head_seq") == seq), None)
    if done is None:
        raise HTTPException(404, f"no posting of yours brought zone {zone} to event {seq}")
    return page(request, "books/posted.html", user, zone=zone, seq=seq,
                events=done.detail["events"], filename=done.detail["file"])
