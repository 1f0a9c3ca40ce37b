"""The application's shared objects as a page handler reaches them."""

from __future__ import annotations

from fastapi import Request

from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory
from zonekeeper.web.shelf import Shelf


def directory_of(request: Request) -> Directory:
    found: Directory = request.app.state.directory
    return found


def shelf_of(request: Request) -> Shelf:
    found: Shelf = request.app.state.shelf
    return found


def context_of(request: Request) -> Context:
    found: Context = request.app.state.context
    return found
