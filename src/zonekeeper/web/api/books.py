"""A zone's books over HTTP: the zones of this database, a lot's history (19 CFR 146.23(a),
146.24) and the check of the books (the hash chain and every projection rebuilt from the
events: 146.21(a)), each as the CLI's `--json`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from zonekeeper.app.books import zone_names
from zonekeeper.app.outputs.books import HistoryDocument, VerifyDocument
from zonekeeper.web.api.common import answer, context, shelf
from zonekeeper.web.auth import Reader

router = APIRouter(tags=["books"])


@router.get("/zones", response_model=list[str])
async def zones(request: Request, user: Reader) -> list[str]:
    """The zones whose books are on this database."""
    return await run_in_threadpool(zone_names, context(request))


@router.get("/zones/{zone}/lots/{lot:path}/history", response_model=HistoryDocument)
def history(request: Request, zone: str, lot: str, user: Reader) -> JSONResponse:
    """Every movement of a lot, traceable to its events and CBP forms, as `zonekeeper
    history LOT --json`. A lot number holds a slash (`A-1/1`: admission and line), so
    `lot` runs to the last `/history`."""
    with shelf(request).books(zone) as ledger, ledger.snapshot() as books:
        found, moves = books.history(lot)
        head = books.head
    return answer(HistoryDocument.of(found, moves, head))


@router.get("/zones/{zone}/verify", response_model=VerifyDocument)
def verify(request: Request, zone: str, user: Reader) -> JSONResponse:
    """Re-check the hash chain and rebuild the projections, as `zonekeeper verify --json`
    (`ok` false with the first event that does not match; the answer is 200 either way:
    the check ran)."""
    with shelf(request).books(zone) as ledger:
        result = ledger.verify()
    return answer(VerifyDocument.of(result, None))
