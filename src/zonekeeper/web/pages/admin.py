"""Users and the audit log.

An administrator lists users, adds one (role, password), disables one (their sessions end
and tokens stop) and issues or revokes API tokens; a new token is shown once, on the page
that answers the request, and only its hash is kept. Each change is recorded by
`Directory` in the audit log under the administrator's name.

The audit log is readable by every role (auditors are viewers): the log's entries (sign-ins,
user changes, postings from the pages and the API) and, beside them, the events each named
user posted, read from the books' chain (`events.actor`, covered by its hashes).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from zonekeeper.app import dashboard
from zonekeeper.app.users import Role, role_of
from zonekeeper.errors import InputError
from zonekeeper.web import state
from zonekeeper.web.auth import Admin, Reader
from zonekeeper.web.pages.render import page

router = APIRouter(prefix="/admin")
PAGE = 50


def _users_page(request: Request, user: object, code: int = 200, **values: object) -> Response:
    values.setdefault("problems", [])
    values.setdefault("token", None)
    values.setdefault("token_user", None)
    listed = state.directory(request).users()
    tokens = {u.name: state.directory(request).tokens(u.name) for u, _ in listed}
    return page(request, "admin/users.html", user, code=code,  # type: ignore[arg-type]
                users=listed, tokens=tokens, roles=[r.value for r in Role], **values)


@router.get("/users")
def users(request: Request, user: Admin) -> Response:
    return _users_page(request, user)


@router.post("/users")
def add_user(request: Request, user: Admin, name: Annotated[str, Form()],
             role: Annotated[str, Form()], password: Annotated[str, Form()]) -> Response:
    try:
        state.directory(request).add(name, role_of(role), password, by=user.name)
    except InputError as error:
        return _users_page(request, user, code=422, problems=error.problems)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{name}/disable")
def disable(request: Request, user: Admin, name: str) -> Response:
    state.directory(request).disable(name, by=user.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{name}/token")
def issue_token(request: Request, user: Admin, name: str) -> Response:
    """A new token, shown on this page once."""
    token = state.directory(request).issue_token(name, by=user.name)
    return _users_page(request, user, token=token, token_user=name)


@router.post("/users/{name}/revoke")
def revoke(request: Request, user: Admin, name: str,
           prefix: Annotated[str | None, Form()] = None) -> Response:
    try:
        state.directory(request).revoke(name, prefix or None, by=user.name)
    except InputError as error:
        return _users_page(request, user, code=422, problems=error.problems)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit(request: Request, user: Reader,
          number: Annotated[int, Query(alias="page", ge=1, le=dashboard.LAST_PAGE)] = 1,
          events_page: Annotated[int, Query(ge=1, le=dashboard.LAST_PAGE)] = 1,
          name: str = "") -> Response:
    """The audit log and the events each user posted, newest first, a page of each."""
    entries, total = state.directory(request).audit(limit=PAGE, offset=(number - 1) * PAGE,
                                                 name=name or None)
    posted, posted_total = dashboard.posted_by(state.directory(request), page=events_page,
                                               size=PAGE, actor=name or None)
    return page(request, "admin/audit.html", user, entries=entries, total=total,
                number=number, pages=max(1, -(-total // PAGE)), posted=posted,
                posted_total=posted_total, events_page=events_page,
                events_pages=max(1, -(-posted_total // PAGE)), name=name)
