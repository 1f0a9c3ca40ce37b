"""The documents of `zonekeeper opportunities` and `zonekeeper refunds ieepa` (issue 14).

`opportunities` (each `kind`, `amount`, `entries`, `evidence`, `risk`, `action`,
`deadline`) and `totals` (kind -> amount) are the contract scripts rely on; the rest says
what was checked and what could not be.
"""

from __future__ import annotations

from datetime import date

from zonekeeper.app.outputs import Money, Output


class OpportunityOut(Output):
    """One opportunity: `amount` is the duty at stake (for a refund the IEEPA duty paid,
    interest apart in `interest`), null with `amount_reason` where it cannot be computed."""

    kind: str
    title: str
    amount: Money
    amount_reason: str | None = None
    entries: list[str]
    evidence: list[str]
    risk: str
    action: str
    deadline: date | None = None
    route: str | None = None
    interest: Money = None
    interest_note: str | None = None
    supplier: str = ""
    month: str = ""


class LineCheckOut(Output):
    """A line whose reported duty differs from the duty the tariff asks on its entry date."""

    entry: str
    line: int
    row: int | None
    reported: Money
    recomputed: Money
    difference: Money


class Quality(Output):
    """What the duty reconciliation covered: lines recomputed, lines that could not be (by
    reason), and every line that does not reconcile."""

    lines_recomputed: int
    not_recomputed: dict[str, int]
    reconciliation: list[LineCheckOut]


class OpportunitiesReport(Output):
    """`zonekeeper opportunities --json`."""

    as_of: date
    file: str
    lines: int
    entries: int
    duty_reported: Money
    opportunities: list[OpportunityOut]
    totals: dict[str, Money]
    quality: Quality
    not_looked_for: dict[str, str]  # kind -> why it could not be looked for
    none_found: dict[str, str] = {}  # kind -> why the kind looked for found nothing


class RefundsReport(Output):
    """`zonekeeper refunds ieepa --json`: one refund per entry, totals by route and the CAPE
    upload files (entry numbers, at most 9,999 a file)."""

    as_of: date
    file: str
    refunds: list[OpportunityOut]
    total: Money
    interest: Money
    by_route: dict[str, Money]
    cape_upload: list[list[str]]
