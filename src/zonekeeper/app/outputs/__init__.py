"""One output contract: the typed documents the product emits, one module per area.

`--json` and the REST API serialize the same models (the API's OpenAPI schema comes from
them). Every model derives from `Output`; money is `Money` (a decimal amount written as a
cent string, `null` where it cannot be computed — never 0), so the JSON of an amount is the
same whichever interface printed it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer

from zonekeeper.money import fmt, in_money_context


@in_money_context
def _cents(amount: Decimal | None) -> str | None:
    return None if amount is None else fmt(amount)


Money = Annotated[Decimal | None, PlainSerializer(_cents, return_type=str | None)]
"""An amount of money: written as a cent string ("12.50"), or null with its reason elsewhere."""

Amount = Annotated[Decimal, PlainSerializer(_cents, return_type=str)]
"""An amount of money that is always known (a lot's value): a cent string, as `Money`."""


class Output(BaseModel):
    """Base of every output document: immutable, no unknown keys, keys in declaration order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @in_money_context
    def document(self) -> dict[str, Any]:
        """The JSON-ready dict (`--json` prints it with `json.dumps(..., indent=2)`), made
        under the product's money context once for the whole document (each amount's
        rounding then runs on without a context switch of its own)."""
        return self.model_dump(mode="json")
