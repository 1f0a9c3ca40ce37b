"""Leaving the zone over HTTP: the week's consumption entry (type 06, 19 CFR 146.63(c)) as
JSON, HTML, PDF or ES-003-style CSV, and the zone's open alerts (the deadlines of 19 CFR
146), each as the CLI's `entry weekly` and `alerts` make them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from zonekeeper.app import entries as use_case
from zonekeeper.app.entry_reads import Stamped
from zonekeeper.app.outputs.entries import AlertsDoc, WeeklyEntryDoc
from zonekeeper.io import documents
from zonekeeper.web.api.common import context
from zonekeeper.web.auth import Reader
from zonekeeper.zone.weekly import WeeklyEntry

router = APIRouter(prefix="/zones/{zone}", tags=["entries"])

EntryDate = Annotated[str | None, Query(
    description="Rate date of NPF lines (default: the week's Monday)", max_length=40)]
SummaryDate = Annotated[str | None, Query(
    description="Entry summary filing date; fixes MPF's fiscal year (default: its due date)",
    max_length=40)]


async def _weekly(request: Request, zone: str, week: str, entry_date: str | None,
                  summary_date: str | None) -> Stamped[WeeklyEntry]:
    def read() -> Stamped[WeeklyEntry]:
        return use_case.weekly(context(request), week, entry_date=entry_date,
                               summary_date=summary_date, zone=zone)

    return await run_in_threadpool(read)


def _filename(zone: str, week: str, suffix: str) -> dict[str, str]:
    name = f"weekly-entry-{zone}-{week}.{suffix}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get(
    "/entries/weekly/{week}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The entry as PDF"}},
)
async def weekly_pdf(request: Request, zone: str, week: str, user: Reader,
                     entry_date: EntryDate = None, summary_date: SummaryDate = None) -> Response:
    """The week's entry as the PDF `zonekeeper entry weekly --pdf` writes."""
    stamped = await _weekly(request, zone, week, entry_date, summary_date)
    data = WeeklyEntryDoc.of(stamped.value, stamped.head).document()
    pdf = documents.weekly_entry_pdf(data, zone, stamped.head)
    return Response(pdf, media_type="application/pdf", headers=_filename(zone, week, "pdf"))


@router.get(
    "/entries/weekly/{week}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "ES-003-style rows"}},
)
async def weekly_csv(request: Request, zone: str, week: str, user: Reader,
                     entry_date: EntryDate = None, summary_date: SummaryDate = None) -> Response:
    """The week's entry lines as the ES-003-style CSV `zonekeeper entry weekly --csv`
    prints (a broker's upload format)."""
    stamped = await _weekly(request, zone, week, entry_date, summary_date)
    text = documents.weekly_entry_csv(stamped.value)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers=_filename(zone, week, "csv"))


@router.get(
    "/entries/weekly/{week}",
    response_model=WeeklyEntryDoc,
    responses={200: {"content": {"text/html": {}}}},
)
async def weekly(request: Request, zone: str, week: str, user: Reader,
                 entry_date: EntryDate = None, summary_date: SummaryDate = None) -> Response:
    """The week's consumption entry (type 06): lines, duty, MPF once, MPF saved, as
    `zonekeeper entry weekly --json`; with `Accept: text/html`, the HTML document
    `--html` writes. `week` is an ISO week, e.g. 2026-W32."""
    stamped = await _weekly(request, zone, week, entry_date, summary_date)
    data = WeeklyEntryDoc.of(stamped.value, stamped.head).document()
    if _wants_html(request):
        return HTMLResponse(documents.weekly_entry_html(data, zone))
    return JSONResponse(data)


def _wants_html(request: Request) -> bool:
    """Whether the client asks for HTML before JSON (a browser's Accept header does)."""
    accept = request.headers.get("accept", "")
    html, json = accept.find("text/html"), accept.find("application/json")
    return html >= 0 and (json < 0 or html < json)


@router.get("/alerts", response_model=AlertsDoc)
async def alerts(
    request: Request,
    zone: str,
    user: Reader,
    as_of: Annotated[str | None, Query(
        description="Date to judge deadlines by (default: today)", max_length=40)] = None,
) -> JSONResponse:
    """Open deadlines of 19 CFR 146 (entry summaries, permits, counts, reconciliation), as
    `zonekeeper alerts --json`."""
    found = await run_in_threadpool(use_case.alerts, context(request), as_of, None, zone)
    stamped = found.stamped
    return JSONResponse(AlertsDoc.of(stamped.value, found.as_of, stamped.head).document())
