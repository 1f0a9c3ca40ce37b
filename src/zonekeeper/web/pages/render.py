"""The one Jinja2 environment of the HTML pages, and `page` which renders a template with
what every page shows: the signed-in user (for the navigation by role), the session's CSRF
token (for every form that changes something) and the zones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse

from zonekeeper.app.users import Permission, User
from zonekeeper.io import documents
from zonekeeper.money import usd
from zonekeeper.web.auth import session_of

HERE = Path(__file__).resolve().parent.parent
# The web's templates first (its `base.html` is the application's frame), then the printed
# documents' (`io.documents`), whose bodies the pages include: one table, one source.
templates = Jinja2Templates(env=Environment(
    loader=ChoiceLoader([FileSystemLoader(HERE / "templates"),
                         PackageLoader("zonekeeper", "templates")]),
    autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True))
templates.env.filters["usd"] = documents.usd_filter


def _money(value: Decimal | None) -> str:
    return "cannot compute" if value is None else usd(value)


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}"


templates.env.filters["money"] = _money
templates.env.filters["quantity"] = _quantity
templates.env.globals["Permission"] = Permission


def page(request: Request, template: str, user: User | None, code: int = 200,
         **values: Any) -> HTMLResponse:
    """The template `template` for `user`, with the session's CSRF token."""
    session = session_of(request) if user is not None else None
    values.update(user=user, csrf=session.csrf if session else None)
    return templates.TemplateResponse(request, template, values, status_code=code)
