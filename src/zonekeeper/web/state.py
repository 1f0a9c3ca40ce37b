"""The application's shared objects as a request reaches them: the context (tariff, clock,
database), the shelf of open books and the users' directory, one of each per process
(`server.create_app` puts them on `app.state`)."""

from __future__ import annotations

from fastapi import Request

from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory
from zonekeeper.web.shelf import Shelf


def context(request: Request) -> Context:
    found: Context = request.app.state.context
    return found


def shelf(request: Request) -> Shelf:
    found: Shelf = request.app.state.shelf
    return found


def directory(request: Request) -> Directory:
    found: Directory = request.app.state.directory
    return found
