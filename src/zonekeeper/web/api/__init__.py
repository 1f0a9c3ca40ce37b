"""The REST API, under `/api/v1`: one router per area, each endpoint one use case of
`zonekeeper.app`, answering its output model (the CLI's `--json` document)."""

from __future__ import annotations

from fastapi import FastAPI

from zonekeeper.web.api import books, drawback, duty, entries, postings, zones
from zonekeeper.web.problems import REFUSALS, Refusal

PREFIX = "/api/v1"

# What any API route may answer besides its document: no such zone or lot is 404.
ANSWERS = {**REFUSALS, 404: {"description": "No such zone or lot", "model": Refusal}}

AREAS = (zones, books, duty, postings, entries, drawback)


def install(app: FastAPI) -> None:
    """Include each area's router in `app` under `/api/v1`, directly rather than through one
    `/api/v1` router: FastAPI matches a request level by level, every included router once
    to pick it and again to run it, so a level less is work less on every request (the
    OpenAPI document is the same)."""
    for area in AREAS:
        app.include_router(area.router, prefix=PREFIX, responses=ANSWERS)
