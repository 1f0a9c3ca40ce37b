"""A zone's books: the balance on hand (19 CFR 146.23(a)(1), 146.25(b))."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from zonekeeper.app import balances
from zonekeeper.app.outputs.books import LotBalanceOut, PartBalanceOut
from zonekeeper.web.api.common import shelf
from zonekeeper.web.auth import Reader

router = APIRouter(prefix="/zones/{zone}", tags=["books"])

@router.get("/balance", response_model=list[LotBalanceOut] | list[PartBalanceOut])
def balance(
    request: Request,
    zone: str,
    user: Reader,
    by: Literal["lot", "part"] = "lot",
    as_of: Annotated[dt.date | None, Query(description="Balance at the end of this date")] = None,
    part: Annotated[str | None, Query(description="Only this part")] = None,
) -> list[dict[str, object]]:
    """Lots on hand with quantity and dutiable value, or (`by=part`) their sums by part
    and zone status: as `zonekeeper balance --json`."""
    with shelf(request).books(zone) as ledger:
        found = balances.balance(ledger, as_of=as_of, part=part, by=by)
    return [row.document() for row in found.rows]
