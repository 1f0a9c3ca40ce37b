"""The opportunities report as an HTML page (`templates/opportunities.html`) with its charts:
savings by kind, by supplier (manufacturer ID) and by month of entry."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zonekeeper.io.documents import render_page
from zonekeeper.money import ZERO, in_money_context

CITATION = ("Estimates for review by a licensed customs broker or trade counsel; figures from "
            "the importer's entry data and the tariff in force on each entry date.")


def _bars(sums: Mapping[str, Decimal], *, largest_first: bool = True,
          ) -> list[tuple[str, Decimal, int]]:
    """(label, amount, percent of the largest) for each positive amount, largest first (or
    in the order given)."""
    rows = [(k, v) for k, v in sums.items() if v > ZERO]
    if largest_first:
        rows.sort(key=lambda kv: -kv[1])
    top = max((v for _, v in rows), default=ZERO)
    return [(label, amount, int(amount * 100 / top)) for label, amount in rows]


def _by(opportunities: list[dict[str, Any]], key: str, empty: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for o in opportunities:
        if o["amount"] is not None:
            label = o[key] or empty
            sums[label] = sums.get(label, ZERO) + Decimal(o["amount"])
    return sums


@in_money_context
def opportunities_html(report: dict[str, Any]) -> str:
    """The page for an `OpportunitiesReport` document (its `--json` dict)."""
    found = report["opportunities"]
    charts = [
        ("Savings by kind", _bars({k: Decimal(v) for k, v in report["totals"].items()
                                   if v is not None})),
        ("Savings by supplier (manufacturer ID)", _bars(_by(found, "supplier", "not given"))),
        ("Savings by month of entry", _bars(dict(sorted(_by(found, "month", "?").items())),
                                           largest_first=False)),
    ]
    return render_page("opportunities.html", zone="", citation=CITATION, books=None,
                       report=report, charts=charts)
