"""The REST API, under `/api/v1`: one router per area, each endpoint one use case of
`zonekeeper.app`, answering its output model (the CLI's `--json` document)."""

from __future__ import annotations

from fastapi import APIRouter

from zonekeeper.web.api import books, drawback, duty, entries, postings, zones
from zonekeeper.web.problems import REFUSALS, Refusal

# What any API route may answer besides its document: no such zone or lot is 404.
ANSWERS = {**REFUSALS, 404: {"description": "No such zone or lot", "model": Refusal}}

router = APIRouter(prefix="/api/v1", responses=ANSWERS)
for area in (zones, books, duty, postings, entries, drawback):
    router.include_router(area.router)
