"""The server: `create_app` makes the FastAPI application for one database; `serve` runs it
under uvicorn (`zonekeeper serve`), with several worker processes if asked.

Each worker process makes its own application from the environment (`from_environment`):
the books' URL travels in `ZONEKEEPER_DATABASE_URL`, as the CLI reads it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from zonekeeper import __version__
from zonekeeper.app import duty
from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory
from zonekeeper.web import api, pages, problems
from zonekeeper.web.shelf import Shelf

DATABASE_ENV = "ZONEKEEPER_DATABASE_URL"


def create_app(context: Context, directory: Directory | None = None) -> FastAPI:
    """The application over the books at `context.database_url` (its users in `directory`,
    opened on the same database when not given)."""
    users = directory if directory is not None else Directory.open(context)
    shelf = Shelf(context)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        shelf.close()
        if directory is None:
            users.close()

    app = FastAPI(
        title="Zonekeeper",
        version=__version__,
        description="Foreign-Trade Zone books, US duty with its derivation, weekly entries "
        "and drawback. Authenticate with `Authorization: Bearer TOKEN` "
        "(`zonekeeper users token NAME`).",
        lifespan=lifespan,
    )
    app.state.context = context
    app.state.directory = users
    app.state.shelf = shelf
    problems.install(app)
    api.install(app)
    app.include_router(pages.router)
    pages.install(app)
    return app


def from_environment() -> FastAPI:
    """The application of a worker process (uvicorn's factory): the books at
    `$ZONEKEEPER_DATABASE_URL`, its tariff loaded before it takes a request."""
    context = Context(database_url=os.environ[DATABASE_ENV])
    duty.warm_up(context)
    return create_app(context)


def serve(context: Context, host: str, port: int, workers: int = 1) -> None:
    """Run the server until interrupted. The schema must be this version's (checked here,
    so a server never starts on books it cannot read)."""
    import uvicorn

    Directory.open(context).close()
    assert context.database_url is not None
    os.environ[DATABASE_ENV] = context.database_url
    uvicorn.run(
        "zonekeeper.web.server:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=True,
    )
