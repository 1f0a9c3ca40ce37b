"""Drawback over HTTP: `POST /drawback/plan` designates import quantities against exports
for the largest refund the law allows (19 U.S.C. 1313; 19 CFR 190.32, 190.22, 190.14), the
files uploaded as `zonekeeper drawback plan` takes them, the answer its `--json` plan (the
same bytes: the plan file `drawback claim` reads back, sealed with its digest)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from zonekeeper.app import drawback as use_case
from zonekeeper.app.outputs.drawback import DrawbackPlan
from zonekeeper.dates import date_option
from zonekeeper.drawback.plan import Method
from zonekeeper.drawback.records import ClaimType
from zonekeeper.errors import InputError
from zonekeeper.web.api.common import context, directory, renamed
from zonekeeper.web.auth import DrawbackUser

router = APIRouter(prefix="/drawback", tags=["drawback"])

Upload = Annotated[UploadFile, File(description="CSV or JSON (by the file's name)")]
OptionalUpload = Annotated[UploadFile | None, File()]


async def _save(upload: UploadFile, folder: Path, role: str, names: dict[str, str]) -> Path:
    """The upload written under `folder` with its own file's suffix (CSV or JSON is told by
    it); `names` learns which upload the saved path stands for."""
    name = Path(upload.filename or f"{role}.csv").name or f"{role}.csv"
    path = folder / f"{role}{Path(name).suffix.lower() or '.csv'}"
    path.write_bytes(await upload.read())
    names[str(path)] = name
    return path


@router.post("/plan", response_model=DrawbackPlan)
async def plan(
    request: Request,
    user: DrawbackUser,
    imports: Upload,
    exports: Upload,
    type: Annotated[ClaimType, Form(description="1313 provision")] = ClaimType.J2,
    method: Annotated[Method, Form()] = Method.OPTIMAL,
    claimed: OptionalUpload = None,
    manufacturing: OptionalUpload = None,
    as_of: Annotated[str | None, Form(description="Claim date (default: latest export)",
                                      max_length=40)] = None,
    estimate_older_rates: Annotated[bool, Form(
        description="Price dates before the earliest loaded HTS revision with its "
                    "Column 1 rates (an estimate)")] = False,
) -> Response:
    """Designate import quantities against exports, as `zonekeeper drawback plan --json`."""
    names: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="zk-drawback-") as name:
        folder = Path(name)
        paths = [await _save(u, folder, role, names) if u is not None else None
                 for role, u in (("imports", imports), ("exports", exports),
                                 ("claimed", claimed), ("manufacturing", manufacturing))]
        imports_path, exports_path, claimed_path, manufacturing_path = paths
        assert imports_path is not None and exports_path is not None
        def planned() -> use_case.PlanResult:
            try:
                claim_date = date_option(as_of, "as_of")
            except InputError as bad_date:  # the files' problems too, in the same answer
                try:
                    use_case.read_records(context(request), imports_path, exports_path,
                                          claimed=claimed_path, manufacturing=manufacturing_path)
                except InputError as bad_files:
                    raise InputError([*bad_files.problems, *bad_date.problems]) from None
                raise
            return use_case.plan(
                context(request), imports_path, exports_path, claim_type=type,
                method=method, claimed=claimed_path, manufacturing=manufacturing_path,
                as_of=claim_date, estimate_older_rates=estimate_older_rates,
            )

        try:
            result = await run_in_threadpool(planned)
        except InputError as error:
            raise renamed(error, files=names) from None
    document = result.document
    directory(request).record(
        user.name, "drawback plan",
        {"imports": names.get(str(imports_path)), "exports": names.get(str(exports_path)),
         "claim_type": document.claim_type, "method": document.method,
         "refund": None if document.refund is None else str(document.refund)},
    )
    return Response(document.text(), media_type="application/json")
