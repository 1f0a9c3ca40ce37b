"""The pages of entries and filings: the weekly entry, the alerts (and recording the filing
that clears one), the drawback plan and the annual reports, with their downloads.

Each page runs the use case its CLI command runs (`app.entries`, `app.filings`,
`app.drawback`, `app.reports`) and shows the same document, so a page and
`zonekeeper entry weekly --json` agree to the cent; downloads are the documents the CLI
writes (`--html`, `--pdf`, `--csv`). A refused input is shown on the page with every
problem, with the status the API would answer (422, 404, 409). Recording a filing posts
through the shelf's books in the user's name and is written to the audit log.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from zonekeeper.app import drawback, entries, filings, reports
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.drawback import DrawbackPlan
from zonekeeper.app.outputs.entries import AlertsDoc, HmfDoc, WeeklyEntryDoc
from zonekeeper.app.users import Permission, User
from zonekeeper.dates import date_option
from zonekeeper.drawback.plan import Method
from zonekeeper.drawback.records import ClaimType
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import documents
from zonekeeper.web import charts, state
from zonekeeper.web.auth import DrawbackUser, Filer, Reader
from zonekeeper.web.pages.render import page
from zonekeeper.web.problems import STATUS_OF_CODE
from zonekeeper.zone.filings import FILING_KINDS
from zonekeeper.zone.hmf import Quarter
from zonekeeper.zone.weekly import Week

router = APIRouter(tags=["pages"], include_in_schema=False)
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
Format = Literal["html", "pdf", "csv"]
Printed = Literal["html", "pdf"]
HISTORY_WEEKS = 8


def _page(request: Request, user: User, template: str, status: int = 200,
          **values: Any) -> Response:
    """A page of this module (`render.page`), and whether the user may record filings."""
    return page(request, template, user, status, may_file=user.may(Permission.FILE), **values)


def _status(problems: list[Problem]) -> int:
    """The status the API answers these problems with (`web.problems`)."""
    codes = {STATUS_OF_CODE.get(p.code, 422) for p in problems if p.severity == "error"}
    return codes.pop() if len(codes) == 1 else 422


def _download(body: str | bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ---------------------------------------------------------------------------- weekly entry

def _this_week(context: Context) -> str:
    return str(Week.of(context.today()))


def _hmf(context: Context, week: Week, zone: str) -> dict[str, Any]:
    """The HMF of the quarter the week falls in: owed on vessel admissions (19 CFR 24.24,
    146.22(e)), never on the weekly entry's withdrawals."""
    start = week.start
    quarter = Quarter.parse(f"{start.year}Q{(start.month - 1) // 3 + 1}")
    found = entries.hmf(context, str(quarter), zone)
    return HmfDoc.of(found.value, found.head).document()


@router.get("/zones/{zone}/entries/weekly")
def weekly_page(request: Request, zone: str, user: Reader,
                week: Annotated[str | None, Query()] = None) -> Response:
    """The week's type-06 entry (19 CFR 146.63(c)) as `zonekeeper entry weekly` shows it."""
    context = state.context(request)
    week = week or _this_week(context)
    try:
        found = entries.weekly(context, week, zone=zone)
    except InputError as error:
        problems = [replace(p, field="week") if p.field is None else p for p in error.problems]
        return _page(request, user, "filings/weekly.html", _status(problems), zone=zone,
                     week=week, e=None, problems=problems)
    data = WeeklyEntryDoc.of(found.value, found.head).document()
    single = data["single_entries"]
    chart = charts.bars(
        f"MPF of week {data['week']}: single entries against the weekly entry",
        ["single entries", "weekly entry"],
        [charts.Series("MPF", [_decimal(single["mpf"]), _decimal(single["weekly_mpf"])])])
    return _page(request, user, "filings/weekly.html", zone=zone, week=week, e=data,
                 hmf=_hmf(context, found.value.week, zone), chart=chart, problems=[],
                 history=_mpf_history(context, week, zone), books=data.get("books"))


def _mpf_history(context: Context, week: str, zone: str) -> Markup:
    """What the weekly entry saved in MPF in each of the weeks up to `week` (one read of
    the books over their span, `app.entries.weekly_history`)."""
    found = entries.weekly_history(context, week, HISTORY_WEEKS, zone).value
    return charts.lines(
        f"MPF saved by the weekly entry, {HISTORY_WEEKS} weeks to {week}",
        [str(e.week) for e in found],
        [charts.Series("MPF saved", [e.single_entries.saving for e in found])])


def _decimal(amount: str | None) -> Decimal | None:
    return None if amount is None else Decimal(amount)


@router.get("/zones/{zone}/entries/weekly.{fmt}")
def weekly_download(request: Request, zone: str, fmt: Format, user: Reader,
                    week: Annotated[str, Query()]) -> Response:
    """The weekly entry as the CLI writes it: `--html`, `--pdf`, `--csv` (ES-003 rows)."""
    found = entries.weekly(state.context(request), week, zone=zone)
    name = f"weekly-entry-{zone}-{found.value.week}.{fmt}"
    if fmt == "csv":
        return _download(documents.weekly_entry_csv(found.value), CSV, name)
    data = WeeklyEntryDoc.of(found.value, found.head).document()
    if fmt == "pdf":
        return _download(documents.weekly_entry_pdf(data, zone, found.head), PDF, name)
    return _download(documents.weekly_entry_html(data, zone), "text/html; charset=utf-8",
                     name)


# --------------------------------------------------------------------------------- alerts

def _alerts(request: Request, user: User, zone: str, as_of: str | None,
            problems: list[Problem], recorded: str | None = None,
            form: dict[str, str] | None = None) -> Response:
    context = state.context(request)
    try:
        found = entries.alerts(context, as_of, zone=zone)
    except InputError as error:
        problems = [*problems, *error.problems]
        return _page(request, user, "filings/alerts.html", _status(problems), zone=zone,
                     alerts=None, problems=problems, kinds=FILING_KINDS, form=form or {},
                     recorded=recorded, today=context.today(), as_of=as_of)
    document = AlertsDoc.of(found.stamped.value, found.as_of, found.stamped.head).document()
    rows = [(a, filings.answering(a)) for a in found.stamped.value]
    return _page(request, user, "filings/alerts.html",
                 _status(problems) if problems else 200, zone=zone, alerts=rows,
                 document=document, as_of=found.as_of, problems=problems, kinds=FILING_KINDS,
                 form=form or {}, recorded=recorded, today=context.today())


@router.get("/zones/{zone}/alerts")
def alerts_page(request: Request, zone: str, user: Reader,
                as_of: Annotated[str | None, Query()] = None,
                recorded: Annotated[str | None, Query()] = None) -> Response:
    """Open deadlines of 19 CFR 146 as `zonekeeper alerts` lists them; a user who may file
    records the filing that clears one here."""
    return _alerts(request, user, zone, as_of, [], recorded)


@router.post("/zones/{zone}/alerts/filings")
def record_filing(
    request: Request, zone: str, user: Filer,
    kind: Annotated[str, Form()], ref: Annotated[str, Form()],
    date: Annotated[str, Form()], covers: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record a document filed with CBP (`zonekeeper filed`), in the user's name: the
    event names them and the audit log has it; the alerts page again on success."""
    form = {"kind": kind, "ref": ref, "date": date, "covers": covers, "note": note}
    try:
        filing = filings.filing_of(kind, ref.strip(), date, covers.strip(), note)
        with state.shelf(request).books(zone, actor=user.name) as ledger:
            filings.record(ledger, [filing])
    except InputError as error:
        return _alerts(request, user, zone, None, list(error.problems), form=form)
    what = f"{filing.document} {filing.ref} for {filing.covers} filed {filing.date}"
    request.app.state.directory.record(
        user.name, "record filing",
        {"kind": filing.document, "ref": filing.ref, "covers": filing.covers,
         "date": filing.date.isoformat()}, zone)
    target = request.url_for("alerts_page", zone=zone).include_query_params(recorded=what)
    return RedirectResponse(str(target), status_code=303)


# ------------------------------------------------------------------------------- drawback

@router.get("/drawback")
def drawback_page(request: Request, user: DrawbackUser) -> Response:
    """The drawback plan's form: the import and export files `drawback plan` reads."""
    return _page(request, user, "filings/drawback.html", plan=None, problems=[],
                 types=[t.value for t in ClaimType])


async def _saved(upload: UploadFile, folder: Path, role: str) -> tuple[Path, str]:
    """An uploaded file written to `folder` under its own name's suffix (the readers tell
    CSV from JSON by it); the name the user gave it, for the problems."""
    name = PurePath(upload.filename or f"{role}.csv").name
    path = folder / f"{role}{PurePath(name).suffix.lower() or '.csv'}"
    path.write_bytes(await upload.read())
    return path, name


def _refund_by_export(plan: DrawbackPlan) -> dict[str, Decimal | None]:
    """The refund each export (a claim's line group, 190.51(a)(2)) draws in a plan; None
    for an export one of whose designations has no refund computed (never counted as 0)."""
    by: dict[str, Decimal | None] = {}
    for d in plan.designations:
        had = by.get(d.export_ref, Decimal(0))
        by[d.export_ref] = None if had is None or d.refund is None else had + d.refund
    return by


@router.post("/drawback/plan")
async def drawback_plan(
    request: Request, user: DrawbackUser,
    imports: Annotated[UploadFile, File()], exports: Annotated[UploadFile, File()],
    claim_type: Annotated[str, Form()] = ClaimType.J2.value,
    as_of: Annotated[str, Form()] = "",
    output: Annotated[Literal["page", "json"], Form()] = "page",
) -> Response:
    """Plan the designations (`zonekeeper drawback plan`) for the largest refund, beside
    FIFO's, with the refund of each export under both; `output=json` downloads the plan
    file `drawback claim` reads."""
    types = [t.value for t in ClaimType]
    with tempfile.TemporaryDirectory(prefix="zk-drawback-") as folder:
        imp, imp_name = await _saved(imports, Path(folder), "imports")
        exp, exp_name = await _saved(exports, Path(folder), "exports")
        names = {str(imp): imp_name, str(exp): exp_name}
        try:
            kind = _claim_type(claim_type)
            day = date_option(as_of.strip() or None, "as_of")
            best = drawback.plan(state.context(request), imp, exp, claim_type=kind, as_of=day)
            fifo = drawback.plan(state.context(request), imp, exp, claim_type=kind, as_of=day,
                                 method=Method.FIFO)
        except InputError as error:
            problems = [replace(p, file=names.get(p.file or "", p.file))
                        for p in error.problems]
            return _page(request, user, "filings/drawback.html", _status(problems),
                         plan=None, problems=problems, types=types)
    if output == "json":
        return _download(best.document.text(), "application/json", "plan.json")
    optimal, first_in = _refund_by_export(best.document), _refund_by_export(fifo.document)
    exports_ = sorted(set(optimal) | set(first_in))
    chart = charts.bars(
        "Refund by export: optimal designation against FIFO", exports_,
        [charts.Series("optimal", [optimal.get(x, Decimal(0)) for x in exports_]),
         charts.Series("FIFO", [first_in.get(x, Decimal(0)) for x in exports_])])
    totals = charts.bars(
        "Refund of the claim: optimal against FIFO", ["optimal", "FIFO"],
        [charts.Series("refund", [best.document.optimal_refund, best.document.fifo_refund])])
    return _page(request, user, "filings/drawback.html", plan=best.document, chart=chart,
                 totals=totals, problems=[], types=types, files=(imp_name, exp_name),
                 plan_json=best.document.text())


def _claim_type(text: str) -> ClaimType:
    try:
        return ClaimType(text.strip().lower())
    except ValueError:
        raise InputError(Problem(
            f"unknown claim type {text!r}: one of {', '.join(t.value for t in ClaimType)}",
            field="claim_type", code="request.invalid")) from None


# -------------------------------------------------------------------------------- reports

def _year(context: Context, year: int | None) -> int:
    """The zone year asked for, else the last one ended (the one to reconcile, 146.25)."""
    return year if year is not None else context.today().year - 1


@router.get("/zones/{zone}/reports/reconciliation")
def reconciliation_page(request: Request, zone: str, user: Reader,
                        year: Annotated[int | None, Query()] = None) -> Response:
    """The annual reconciliation (19 CFR 146.25) as `zonekeeper reconcile` shows it."""
    year = _year(state.context(request), year)
    try:
        with state.shelf(request).books(zone) as ledger:
            found = reports.reconciliation(ledger, year, field="year")
    except InputError as error:
        return _page(request, user, "filings/reconciliation.html", _status(
            list(error.problems)), zone=zone, year=year, r=None, problems=error.problems)
    document = found.document()
    return _page(request, user, "filings/reconciliation.html", zone=zone, year=year,
                 r=document, problems=[], books=document["books"])


# Each annual report that prints: its use case (on the zone's books, for a year) and the
# name its download takes.
PRINTED: dict[str, tuple[Callable[..., Any], str]] = {
    "reconciliation": (reports.reconciliation, "reconciliation"),
    "board": (reports.board, "board-report"),
}


@router.get("/zones/{zone}/reports/{report}.{fmt}")
def report_download(request: Request, zone: str, report: Literal["reconciliation", "board"],
                    fmt: Printed, user: Reader, year: Annotated[int, Query()]) -> Response:
    """The reconciliation (`zonekeeper reconcile --html/--pdf`) or the Board report
    (`zonekeeper report board --html/--pdf`) as the CLI writes it, as a download."""
    use_case, prefix = PRINTED[report]
    with state.shelf(request).books(zone) as ledger:
        found = use_case(ledger, year, field="year")
    name = f"{prefix}-{zone}-{year}.{fmt}"
    if fmt == "pdf":
        return _download(found.pdf(), PDF, name)
    return _download(found.html(), "text/html; charset=utf-8", name)


@router.get("/zones/{zone}/reports/board")
def board_page(request: Request, zone: str, user: Reader,
               year: Annotated[int | None, Query()] = None) -> Response:
    """The FTZ Board annual report figures (15 CFR 400.51(c)), as `zonekeeper report
    board` shows them, with a chart of them."""
    year = _year(state.context(request), year)
    try:
        with state.shelf(request).books(zone) as ledger:
            found = reports.board(ledger, year, field="year")
    except InputError as error:
        return _page(request, user, "filings/board.html", _status(list(error.problems)),
                     zone=zone, year=year, figures=None, problems=error.problems)
    figures = found.figures()
    chart = charts.bars(f"FTZ Board figures {year}", [label for label, _ in figures],
                        [charts.Series("USD", [Decimal(v) for _, v in figures])])
    return _page(request, user, "filings/board.html", zone=zone, year=year, figures=figures,
                 chart=chart, problems=[], books=found.document()["books"])
