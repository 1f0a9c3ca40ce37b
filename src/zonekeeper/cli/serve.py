"""`zonekeeper serve`: the web application and the REST API over these books."""

from __future__ import annotations

from typing import Annotated

import typer

from zonekeeper.cli.app import app, context
from zonekeeper.errors import InputError, Problem


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (PostgreSQL for more than one).")
    ] = 1,
) -> None:
    """Serve the web application and the REST API (OpenAPI at /openapi.json, docs at /docs)
    until interrupted. Users sign in with `zonekeeper users add`; scripts use a token from
    `zonekeeper users token`."""
    from zonekeeper.web.server import serve as run

    if workers < 1:
        raise InputError(Problem("--workers is at least 1", field="--workers",
                                 code="serve.workers"))
    run(context(ctx), host, port, workers)
