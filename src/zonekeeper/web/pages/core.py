"""Sign-in, sign-out and the dashboard.

The session cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page
sends it) and Secure whenever the request came over HTTPS; the sign-in is throttled by
`Directory.sign_in` (`users.throttled`, shown as 429). The dashboard reads the inventory by
zone status that every posting keeps, a row per status (`app.dashboard.inventory`); the
open alerts and the week's entry, which read the books further, load after the page
through htmx.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from zonekeeper.app import dashboard, entries
from zonekeeper.app.users import Directory
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.web import state
from zonekeeper.web.auth import SESSION_COOKIE, Reader, session_of
from zonekeeper.web.pages.render import page
from zonekeeper.web.pages.svg import bar_chart
from zonekeeper.zone.alerts import Alert
from zonekeeper.zone.weekly import Week, WeeklyEntry

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never `//other.example` or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None, ended: bool = False) -> Response:
    """The sign-in form; `ended`: the session ended while the user worked (a form they sent
    then was not acted on, and is to be sent again)."""
    return page(request, "login.html", None, next=_safe_next(next), name="", problems=[],
                ended=ended)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    users: Directory = state.directory(request)
    source = request.client.host if request.client else None
    try:
        session = users.sign_in(name, password, source=source)
    except InputError as error:
        status = 429 if any(p.code == "users.throttled" for p in error.problems) else 401
        return page(request, "login.html", None, code=status, next=_safe_next(next),
                    name=name, problems=error.problems, ended=False)
    answer = RedirectResponse(_safe_next(next), status_code=303)
    assert session.token is not None
    answer.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="strict",
                      secure=request.url.scheme == "https", path="/")
    return answer


@router.post("/logout")
def logout(request: Request, user: Reader) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and session_of(request) is not None:
        state.directory(request).sign_out(token)
        state.directory(request).record(user.name, "sign-out", {})
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer


@router.get("/")
def home(request: Request, user: Reader) -> Response:
    zones = []
    for zone in dashboard.zones(state.directory(request)):
        with state.shelf(request).books(zone) as ledger:
            found = dashboard.inventory(ledger)
        chart = bar_chart([(s.status, s.value) for s in found.statuses],
                          title=f"Zone {zone}: value on hand by zone status")
        zones.append((zone, found, chart))
    return page(request, "dashboard.html", user, zones=zones)


@router.get("/zones/{zone}/panels/alerts")
def alerts_panel(request: Request, zone: str, user: Reader) -> Response:
    """The zone's open alerts (a fragment the dashboard loads)."""
    alerts: Sequence[Alert] = ()
    problems: Sequence[Problem] = ()
    as_of = None
    try:
        found = entries.alerts(state.context(request), zone=zone)
        alerts, as_of = found.stamped.value, found.as_of
    except InputError as error:
        problems = error.problems
    return page(request, "panels/alerts.html", user, zone=zone, alerts=alerts,
                problems=problems, as_of=as_of)


@router.get("/zones/{zone}/panels/week")
def week_panel(request: Request, zone: str, user: Reader, week: str | None = None) -> Response:
    """The week's type-06 entry in short: its duty, MPF and the MPF it saves against single
    entries (a fragment the dashboard loads; default the week of today)."""
    label = week or str(Week.of(state.context(request).today()))
    entry: WeeklyEntry | None = None
    problems: Sequence[Problem] = ()
    cannot = None
    try:
        entry = entries.weekly(state.context(request), label, zone=zone).value
    except InputError as error:
        problems = error.problems
    except CannotCompute as error:  # e.g. no MPF table for the fiscal year: said, never 0
        cannot = error.reason
    saving = entry.single_entries.saving if entry is not None else Decimal(0)
    return page(request, "panels/week.html", user, zone=zone, week=label, entry=entry,
                saving=saving, problems=problems, cannot=cannot)
