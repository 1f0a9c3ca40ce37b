"""The balance on hand (19 CFR 146.23(a)(1)), by lot or by part and zone status
(146.25(b) "quantity on hand"): what `zonekeeper balance` prints and the API's
`/zones/{zone}/balance` returns, read in one snapshot so the rows agree with the head."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from zonekeeper.app.books import Ledger
from zonekeeper.app.outputs.books import (
    LotBalanceOut,
    PartBalanceOut,
    part_balances,
)
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.checkpoint import ChainHead

By = Literal["lot", "part"]


@dataclass(frozen=True)
class Balance:
    """The rows on hand and the chain head they were read at."""

    by: By
    lots: list[LotBalanceOut]
    parts: list[PartBalanceOut]
    head: ChainHead

    @property
    def rows(self) -> list[LotBalanceOut] | list[PartBalanceOut]:
        return self.lots if self.by == "lot" else self.parts


def by_option(text: str) -> By:
    """`--by` / `?by=`: lot or part."""
    if text == "lot":
        return "lot"
    if text == "part":
        return "part"
    raise InputError(Problem(f"--by is lot or part, not {text!r}", field="--by",
                             code="balance.by"))


def balance(
    ledger: Ledger, *, as_of: dt.date | None = None, part: str | None = None, by: By = "lot"
) -> Balance:
    """The lots on hand at the end of `as_of` (None: now), of `part` only when given."""
    with ledger.snapshot() as books:
        found = [b for b in books.balances(as_of=as_of, part=part) if b.quantity != 0]
        head = books.head
    if by == "part":
        return Balance(by, [], part_balances(found), head)
    return Balance(by, [LotBalanceOut.of(b) for b in found], [], head)
