"""Duty quotes over HTTP: `POST /duty/quote`, the body the options of `zonekeeper duty
quote` as JSON, the answer its `--json` document (every component with its source, MPF and
HMF: 19 CFR 24.23, 24.24).

The tariff is the process's, loaded once (`Context.tariff`); a quote is pure computation
on it, so the endpoint runs on the event loop, not in a worker thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from zonekeeper.app import duty as use_case
from zonekeeper.app.outputs.duty import DutyQuote
from zonekeeper.errors import InputError
from zonekeeper.web.api.common import answer, context, renamed
from zonekeeper.web.auth import Reader

router = APIRouter(tags=["duty"])

Text = Annotated[str, Field(max_length=200)]


class Quantity(BaseModel):
    """One quantity of the line, as `--qty NUMBER UNIT`."""

    model_config = ConfigDict(extra="forbid")
    quantity: Text = Field(examples=["12"])
    unit: Text = Field(examples=["kg"])


class QuoteRequest(BaseModel):
    """`zonekeeper duty quote`'s options; numbers and dates as text, read as the CLI reads
    them (so a problem names the key it came from)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "hts": "8414.30.80.60", "origin": "CN", "value": "800", "date": "2026-03-01",
            "mode": "vessel", "qty": [{"quantity": "1", "unit": "No."}],
        }]},
    )
    hts: Text = Field(description="HTS code, e.g. 8414.30.80.30")
    origin: Text = Field(description="Country of origin, ISO alpha-2")
    value: Text = Field(description="Customs value in USD")
    date: Text = Field(description="Date the rule applies to (YYYY-MM-DD)")
    spi: Text | None = Field(None, description="Preference claimed (SPI)")
    mode: Text | None = Field(None, description="Transport mode: vessel, air, truck, rail...")
    qty: list[Quantity] = Field(default_factory=list, max_length=20)
    content: list[Text] = Field(
        default_factory=list, max_length=20, description="Metal content value, KIND=USD"
    )
    adcvd: list[Text] = Field(
        default_factory=list, max_length=20, description="AD/CVD case and cash-deposit %, CASE=PCT"
    )
    frozen_on: Text | None = Field(None, description="PF filing date (19 CFR 146.65(a)(1))")
    claim_exclusion: list[Text] = Field(
        default_factory=list, max_length=20,
        description="Section 301 exclusion headings claimed, e.g. 9903.88.69",
    )


# The key of the body a field of a one-line quote comes from where it is not the CLI option's
# own name (`web.problems.request_field` makes `frozen-on` `frozen_on`).
_KEYS = {"quantity": "qty"}


@router.post("/duty/quote", response_model=DutyQuote)
async def quote(request: Request, body: QuoteRequest, user: Reader) -> JSONResponse:
    """Quote the duty on one line: base rate, Chapter 99 measures, AD/CVD, MPF and HMF, as
    `zonekeeper duty quote --json`."""
    quantities, problems = use_case.quantities((q.quantity, q.unit) for q in body.qty)
    line = use_case.LineRequest(
        body.hts, body.origin, body.value, body.date, body.spi, body.mode, quantities,
        body.content, body.adcvd, body.frozen_on, None,
        tuple(c.strip() for c in body.claim_exclusion),
    )
    try:
        entry = use_case.quote(context(request), line, problems)
    except InputError as error:
        raise renamed(error, _KEYS) from None
    return answer(DutyQuote.of_entry(entry))
