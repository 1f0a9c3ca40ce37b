"""Quotes as JSON-safe dicts: the scriptable contract of `zonekeeper duty quote/entry --json`.

Money is a decimal string rounded to the cent; a figure that cannot be computed is `null`
with its reason in `cannot_compute` (never 0). Keys are documented in docs/duty.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zonekeeper.duty.entry import EntryQuote, FeeLine
from zonekeeper.duty.quote import DutyComponent, LineQuote
from zonekeeper.money import fmt, in_money_context


@in_money_context
def money(amount: Decimal | None) -> str | None:
    """Cent string, or None for a figure that cannot be computed (never 0): how every JSON
    document carries money (`io.documents` too)."""
    return None if amount is None else fmt(amount)


@in_money_context
def component_json(component: DutyComponent, line: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "program": component.program.value,
        "heading": component.heading,
        "rate": component.rate,
        "basis": component.basis,
        "amount": money(component.amount),
        "exact": str(component.exact),
        "source": component.source,
        "drawback_eligible": component.drawback_eligible,
    }
    if line is not None:
        out["line"] = line
    return out


@in_money_context
def fee_json(fee: FeeLine) -> dict[str, Any]:
    return {
        "fee": fee.fee,
        "rate": fee.rate,
        "basis": money(fee.basis),
        "amount": money(fee.amount),
        "bound": fee.bound,
        "source": fee.source,
        "reason": fee.reason,
    }


@in_money_context
def line_json(quote: LineQuote, number: int | None = None) -> dict[str, Any]:
    item = quote.item
    out: dict[str, Any] = {
        "hts": quote.hts,
        "origin": item.origin,
        "value": money(item.value),
        "spi": item.spi,
        "mode": item.mode,
        "column": quote.column,
        "revision": quote.revision,
        "duty": money(quote.duty),
        "components": [component_json(c) for c in quote.components],
        "cannot_compute": list(quote.cannot_compute),
        "warnings": list(quote.warnings),
        "pf_required": list(quote.pf_required),
    }
    if number is not None:
        out = {"line": number, **out}
    return out


@in_money_context
def quote_json(entry: EntryQuote) -> dict[str, Any]:
    """One line's quote with the entry fees (what `duty quote --json` prints)."""
    line = entry.lines[0]
    out = line_json(line)
    out.update(
        {
            "date": entry.on.isoformat(),
            "fees": {"mpf": money(entry.mpf.amount), "hmf": money(entry.hmf.amount)},
            "fee_details": [fee_json(entry.mpf), fee_json(entry.hmf)],
            "total": money(entry.total),
            "warnings": list(dict.fromkeys([*line.warnings, *entry.warnings])),
        }
    )
    return out


@in_money_context
def entry_json(entry: EntryQuote) -> dict[str, Any]:
    """A whole entry (what `duty entry --json` prints)."""
    return {
        "date": entry.on.isoformat(),
        "revision": ", ".join(entry.revisions),
        "duty": money(entry.duty),
        "components": [
            component_json(c, number)
            for number, line in enumerate(entry.lines, start=1)
            for c in line.components
        ],
        "fees": {"mpf": money(entry.mpf.amount), "hmf": money(entry.hmf.amount)},
        "fee_details": [fee_json(entry.mpf), fee_json(entry.hmf)],
        "total": money(entry.total),
        "warnings": list(entry.warnings),
        "cannot_compute": [
            f"line {n}: {reason}"
            for n, line in enumerate(entry.lines, start=1)
            for reason in line.cannot_compute
        ],
        "lines": [line_json(line, n) for n, line in enumerate(entry.lines, start=1)],
    }
