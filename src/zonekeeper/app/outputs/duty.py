"""The documents of `zonekeeper duty quote|entry --json`: one line's quote, a whole entry.

Money is a cent string; a figure that cannot be computed is `null` with its reason in
`cannot_compute` (never 0). Keys, in this order, are documented in docs/duty.md; the
contract check reads them. The models are built at the edge, once per document, from the
core's `EntryQuote` (`DutyQuote.of`, `DutyEntry.of`): quoting itself never builds them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import PlainSerializer

from zonekeeper.app.outputs import Money, Output
from zonekeeper.app.outputs.sparse import Sparse
from zonekeeper.duty.entry import EntryQuote, FeeLine
from zonekeeper.duty.quote import DutyComponent, LineQuote

Exact = Annotated[Decimal, PlainSerializer(str, return_type=str)]
"""An unrounded amount, every digit kept (the derivation of a rounded one)."""


class Component(Sparse):
    """One priced part of a line's duty: base rate, a Chapter 99 measure, an AD/CVD case
    (numbered by its line inside an entry)."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"line"})

    program: str
    heading: str
    rate: str
    basis: str
    amount: Money
    exact: Exact
    source: str
    drawback_eligible: bool | None
    line: int | None = None

    @classmethod
    def of(cls, component: DutyComponent, line: int | None = None) -> Component:
        return cls.model_construct(
            program=component.program.value, heading=component.heading, rate=component.rate,
            basis=component.basis, amount=component.amount, exact=component.exact,
            source=component.source, drawback_eligible=component.drawback_eligible, line=line,
        )  # fmt: skip


class Fee(Output):
    """MPF or HMF with its derivation (`amount` null with `reason` when not computed)."""

    fee: str
    rate: str
    basis: Money
    amount: Money
    bound: str
    source: str
    reason: str | None

    @classmethod
    def of(cls, fee: FeeLine) -> Fee:
        return cls.model_construct(
            fee=fee.fee, rate=fee.rate, basis=fee.basis, amount=fee.amount, bound=fee.bound,
            source=fee.source, reason=fee.reason,
        )  # fmt: skip


class Fees(Output):
    """The entry's fees in short."""

    mpf: Money
    hmf: Money


class Line(Sparse):
    """One quoted line (numbered inside an entry)."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"line"})

    line: int | None = None
    hts: str
    origin: str
    value: Money
    spi: str | None
    mode: str | None
    column: str
    revision: str
    duty: Money
    components: list[Component]
    cannot_compute: list[str]
    warnings: list[str]
    # The stable code of each warning, in the same order (`warnings[i]` is said with
    # `warning_codes[i]`): what a client acts on; docs/problems.md lists them.
    warning_codes: list[str]
    pf_required: list[str]

    @classmethod
    def fields_of(cls, quote: LineQuote, number: int | None = None) -> dict[str, Any]:
        item = quote.item
        return {
            "line": number, "hts": quote.hts, "origin": item.origin, "value": item.value,
            "spi": item.spi, "mode": item.mode, "column": quote.column,
            "revision": quote.revision, "duty": quote.duty,
            "components": [Component.of(c) for c in quote.components],
            "cannot_compute": list(quote.cannot_compute), "warnings": list(quote.warnings),
            "warning_codes": list(quote.warning_codes), "pf_required": list(quote.pf_required),
        }  # fmt: skip

    @classmethod
    def of(cls, quote: LineQuote, number: int | None = None) -> Line:
        return cls.model_construct(**cls.fields_of(quote, number))


class DutyQuote(Line):
    """`duty quote --json`: one line's quote with the entry fees; `warnings` are the line's
    and the entry's, each once."""

    date: str
    fees: Fees
    fee_details: list[Fee]
    total: Money

    @classmethod
    def of_entry(cls, entry: EntryQuote) -> DutyQuote:
        line = entry.lines[0]
        fields = cls.fields_of(line)
        said: dict[str, str] = {}  # each once, with the code it was first said with
        for warning in (*line.notices, *entry.warnings):
            said.setdefault(warning.message, warning.code)
        fields["warnings"], fields["warning_codes"] = list(said), list(said.values())
        return cls.model_construct(
            **fields, date=entry.on.isoformat(), fees=_fees(entry),
            fee_details=[Fee.of(entry.mpf), Fee.of(entry.hmf)], total=entry.total,
        )  # fmt: skip


class DutyEntry(Output):
    """`duty entry --json`: every line, the components of all lines (numbered), the fees
    once for the entry, and each line's cannot-compute reasons named by its line."""

    date: str
    revision: str
    duty: Money
    components: list[Component]
    fees: Fees
    fee_details: list[Fee]
    total: Money
    warnings: list[str]
    warning_codes: list[str]  # of each of the entry's warnings, in order
    cannot_compute: list[str]
    lines: list[Line]

    @classmethod
    def of(cls, entry: EntryQuote) -> DutyEntry:
        numbered = list(enumerate(entry.lines, start=1))
        return cls.model_construct(
            date=entry.on.isoformat(),
            revision=", ".join(entry.revisions),
            duty=entry.duty,
            components=[Component.of(c, n) for n, line in numbered for c in line.components],
            fees=_fees(entry),
            fee_details=[Fee.of(entry.mpf), Fee.of(entry.hmf)],
            total=entry.total,
            warnings=[w.message for w in entry.warnings],
            warning_codes=[w.code for w in entry.warnings],
            cannot_compute=[f"line {n}: {reason}" for n, line in numbered
                            for reason in line.cannot_compute],  # fmt: skip
            lines=[Line.of(line, n) for n, line in numbered],
        )


def _fees(entry: EntryQuote) -> Fees:
    return Fees.model_construct(mpf=entry.mpf.amount, hmf=entry.hmf.amount)
