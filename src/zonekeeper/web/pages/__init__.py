"""The HTML application: server-rendered pages (Jinja2, with htmx for the parts of a page
that load on their own) over the same use cases as the CLI and the API.

`router` holds every page; `install` mounts the static files (the CSS and the vendored htmx,
no CDN: the pages work offline) and makes refusals readable in a browser: an HTML request
without a session goes to the sign-in page (`/login?next=...`), a role that may not sees a
page saying which role may, and refused input is shown with its problems. Requests under
`/api/` and requests that do not ask for HTML keep the problem-list JSON (`web.problems`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from zonekeeper.app.users import GRANTS, Permission, User
from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.web.auth import SESSION_COOKIE, session_of
from zonekeeper.web.pages import admin, books, core, filings
from zonekeeper.web.pages.render import HERE, page
from zonekeeper.web.problems import STATUS_OF_CODE, cannot_compute, in_request_words

router = APIRouter(include_in_schema=False)
router.include_router(core.router)
router.include_router(books.router)
router.include_router(admin.router)
router.include_router(filings.router)


def wants_html(request: Request) -> bool:
    """A browser's page request: not the API, and HTML accepted."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", "")


def signed_in_user(request: Request) -> User | None:
    """The user of the request's browser session, if it has a live one: an error page shows
    them the site's navigation as every other page does."""
    session = session_of(request)
    return session.user if session is not None else None


def back_after_sign_in(request: Request) -> str:
    """Where a request refused for want of a session goes once signed in: the page itself
    for a read; for a form sent after the session ended (a POST, which sign-in's redirect
    would repeat as a GET of an address that only takes POST), the page the form was on,
    told by the Referer when it is this site's, else the dashboard."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return "/"
    return referer.path + (f"?{referer.query}" if referer.query else "")


def roles_for(detail: str) -> str:
    """The roles whose grants include the permission a 403's detail names."""
    for permission in Permission:
        if detail.endswith(f"may not {permission.value}"):
            return ", ".join(r.value for r, grants in GRANTS.items() if permission in grants)
    return ""


def install(app: FastAPI) -> None:
    """Mount /static and answer HTML requests' refusals with pages (after `problems.install`,
    whose JSON answers the rest)."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    json_http = app.exception_handlers[HTTPException]
    json_input = app.exception_handlers[InputError]
    json_cannot = app.exception_handlers[CannotCompute]

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if not wants_html(request):
            answer: Response = await _call(json_http, request, error)
            return answer
        if error.status_code == 401:
            target = quote(back_after_sign_in(request), safe="")
            # a session cookie that is no longer live: the session ended (expired, signed
            # out elsewhere, user disabled); a form sent with it was not acted on
            ended = "&ended=1" if request.cookies.get(SESSION_COOKIE) else ""
            return RedirectResponse(f"/login?next={target}{ended}", status_code=303)
        return page(request, "error.html", signed_in_user(request), code=error.status_code,
                    title=f"{error.status_code}", message=str(error.detail),
                    roles=roles_for(str(error.detail)) if error.status_code == 403 else "")

    async def input_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, InputError)
        if not wants_html(request):
            answer: Response = await _call(json_input, request, error)
            return answer
        codes = {STATUS_OF_CODE.get(p.code, 422) for p in error.problems
                 if p.severity == "error"}
        status = codes.pop() if len(codes) == 1 else 422
        return page(request, "error.html", signed_in_user(request), code=status,
                    title="Refused",
                    message="", problems=in_request_words(error.problems), roles="")

    async def cannot(request: Request, error: Exception) -> Response:
        assert isinstance(error, CannotCompute)
        if not wants_html(request):
            answer: Response = await _call(json_cannot, request, error)
            return answer
        return page(request, "error.html", signed_in_user(request), code=422,
                    title="Cannot compute", message="", problems=[cannot_compute(error)],
                    roles="")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(CannotCompute, cannot)


async def _call(handler: Any, request: Request, error: Exception) -> Any:
    answer = handler(request, error)
    if hasattr(answer, "__await__"):
        answer = await answer
    return answer
