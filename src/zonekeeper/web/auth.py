"""Who is asking, and may they: every route depends on `allowed(permission)`.

Two ways to say who you are: an API token (`Authorization: Bearer zk_...`, from `zonekeeper
users token NAME`) or a browser session (the HttpOnly, SameSite=Strict cookie the sign-in
page sets; Secure whenever the request came over HTTPS). A request with neither, or with one
that is unknown, revoked or expired, is 401; a user whose role lacks the permission is 403.
A browser session is also asked, for anything but a read, for the CSRF token of its session
(header `X-CSRF-Token` or form field `csrf`): another site can make a browser send the
cookie, never read the token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.base import SecurityBase

from zonekeeper.app.users import Permission, Session, User
from zonekeeper.web.state import directory

SESSION_COOKIE = "zk_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="An API token: `zonekeeper users token NAME`")


def session_of(request: Request) -> Session | None:
    """The request's browser session, if its cookie names a live one (read once)."""
    if "session" not in request.scope.setdefault("state", {}):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = directory(request).session(token) if token else None
    found: Session | None = request.state.session
    return found


def _unauthorized(why: str) -> HTTPException:
    return HTTPException(401, why, headers={"WWW-Authenticate": "Bearer"})


async def signed_in(request: Request, credentials: HTTPAuthorizationCredentials | None) -> User:
    """The user the request is from; 401 without credentials, or with credentials that are
    not recognised; 403 for a browser session's unsafe request without its CSRF token."""
    if credentials is not None:
        user = directory(request).by_token(credentials.credentials)
        if user is None:
            raise _unauthorized("unknown or revoked API token")
        return user
    session = session_of(request)
    if session is None:
        raise _unauthorized("sign in, or send an API token (Authorization: Bearer ...)")
    if request.method not in _SAFE and await _csrf_sent(request) != session.csrf:
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page")
    return session.user


async def _csrf_sent(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


class Allowed(SecurityBase):
    """A dependency: the signed-in user, if their role grants `permission` (else 403).

    One dependency that reads the bearer header itself rather than a chain of three (this,
    `signed_in`, `HTTPBearer`): FastAPI solves every level of a chain again on each request
    (a quote's route had four levels, now two; docs/api.md, Throughput). It is still a
    security scheme to FastAPI (the bearer model and name of the `HTTPBearer` it asks), so
    the OpenAPI document lists the same `HTTPBearer` scheme on the same operations.
    """

    def __init__(self, permission: Permission) -> None:
        self.permission = permission
        self.model = _bearer.model
        self.scheme_name = _bearer.scheme_name

    async def __call__(self, request: Request) -> User:
        user = await signed_in(request, await _bearer(request))
        if not user.may(self.permission):
            raise HTTPException(
                403, f"the {user.role.value} role may not {self.permission.value}"
            )
        return user


def allowed(permission: Permission) -> Allowed:
    """A dependency: the signed-in user, if their role grants `permission` (else 403)."""
    return Allowed(permission)


Reader = Annotated[User, Depends(allowed(Permission.READ))]
Poster = Annotated[User, Depends(allowed(Permission.POST))]
Filer = Annotated[User, Depends(allowed(Permission.FILE))]
DrawbackUser = Annotated[User, Depends(allowed(Permission.DRAWBACK))]
Adviser = Annotated[User, Depends(allowed(Permission.ADVISE))]
Admin = Annotated[User, Depends(allowed(Permission.USERS))]
