"""Duty on merchandise leaving a zone, split by zone status (19 CFR 146.65; 19 USC 81c(a)).

A unit withdrawn for consumption is not dutied as one thing. Its status composition says
how much of it came from each status, and each part is dutied by its own rule:

- **privileged foreign** (PF) components: their own classification, rate and dutiable value
  frozen on the date the PF application was filed (146.65(a)(1)) — except measures that
  override the freeze, which the duty engine applies on the filing date. Each PF component
  is reported on its own entry line, with its PF date.
- **non-privileged foreign** (NPF) content: the finished article's classification and rates
  on the date the entry is filed (146.65(a)(2)), applied to the dutiable value of the NPF
  content (146.65(b)(2): the price of the inputs in the transaction that brought them into
  the zone — not zone labour, overhead or profit). Specific rates apply to the article's
  quantity.
- **domestic** content: no duty, and not part of the dutiable value (146.43(c); 19 USC 81c(a)).
- **zone-restricted** content: may not be entered for consumption (146.44(c), 146.63(b)).

Foreign inputs lost as waste in manufacture are allowed for (19 USC 81c(a)): the
composition carries only the content in the article; the waste value is shown, not dutied.
Exports, zone-to-zone transfers and destruction owe no duty (19 USC 81c(a); 146.66, 146.52);
the record says so.

The split produces unpriced `LinePart`s; `price` quotes one of them. A weekly entry groups
parts by entry-line key before pricing, so the duty engine runs once per line, not per unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from zonekeeper.errors import InputError, Problem
from zonekeeper.money import ZERO, in_money_context, usd
from zonekeeper.zone.entries import DutyRequest, EntryComponent, Quoter


class RemovalDisposition(StrEnum):
    """Where a removal priced for an entry goes: only consumption is a transfer to customs
    territory that owes duty. The entries' own copy of the ledger's `ShipmentDisposition`
    (services converts postings to `Removal`s); not drawback's `ExportDisposition`."""

    CONSUMPTION = "consumption"
    EXPORT = "export"
    ZONE_TRANSFER = "zone_transfer"
    DESTRUCTION = "destruction"


NO_DUTY_REASONS: dict[RemovalDisposition, str] = {
    RemovalDisposition.EXPORT: (
        "exported from the zone: no duty owed (19 USC 81c(a); 19 CFR 146.67) — "
        "foreign content never entered the customs territory"
    ),
    RemovalDisposition.ZONE_TRANSFER: (
        "transferred to another zone: no duty owed; status and history travel with the "
        "goods (19 CFR 146.66)"
    ),
    RemovalDisposition.DESTRUCTION: (
        "destroyed in the zone: no duty owed (19 USC 81c(a); 19 CFR 146.52)"
    ),
}


@dataclass(frozen=True)
class PfComponent:
    """Privileged-foreign content of a removal, frozen as of its PF filing date."""

    part: str
    hts: str
    origin: str
    value: Decimal  # dutiable value of the content in this removal (146.65(b)(2))
    quantity: Decimal
    unit: str
    pf_date: date
    lot: str = ""
    spi: str | None = None


@dataclass(frozen=True)
class NpfInput:
    """Non-privileged-foreign input whose value is in the removal (dutied at the article's rate)."""

    part: str
    hts: str
    origin: str
    value: Decimal
    quantity: Decimal
    unit: str
    admitted_on: date
    lot: str = ""


@dataclass(frozen=True)
class Composition:
    """What a removal is made of, by zone status, for the quantity removed."""

    pf: tuple[PfComponent, ...] = ()
    npf: tuple[NpfInput, ...] = ()
    domestic_value: Decimal = ZERO
    zr_value: Decimal = ZERO
    waste_value: Decimal = ZERO  # foreign input value lost as waste (19 USC 81c(a) allowance)

    @property
    @in_money_context
    def npf_value(self) -> Decimal:
        return sum((n.value for n in self.npf), ZERO)

    @property
    @in_money_context
    def pf_value(self) -> Decimal:
        return sum((p.value for p in self.pf), ZERO)

    @property
    @in_money_context
    def foreign_value(self) -> Decimal:
        """The value MPF is charged on: PF and NPF only (19 USC 58c(b)(8)(D)(vi))."""
        return self.pf_value + self.npf_value


@dataclass(frozen=True)
class Removal:
    """One shipment line leaving the zone: the article, how many, where to, and its make-up."""

    shipment_no: str
    date: date
    part: str
    hts: str  # the article's classification in its condition as removed
    origin: str
    quantity: Decimal
    unit: str
    disposition: RemovalDisposition
    composition: Composition
    zone_value: Decimal | None = None  # price in the removing transaction (146.65(b)(1))
    spi: str | None = None
    description: str = ""


@dataclass(frozen=True)
class LineKey:
    """What makes two pieces one entry-summary line: HTS, origin, status, SPI, PF date."""

    hts: str
    origin: str
    status: str  # "PF" | "NPF"
    spi: str | None
    pf_date: date | None

    def sort_key(self) -> tuple[str, str, str, str, date]:
        return (self.status, self.hts, self.origin, self.spi or "", self.pf_date or date.min)


@dataclass(frozen=True)
class LinePart:
    """An unpriced piece of an entry line, traceable to its shipments and lots (146.24)."""

    key: LineKey
    value: Decimal
    quantity: Decimal
    unit: str
    shipments: tuple[str, ...]
    lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntryLine:
    """A priced entry line: the duty of every component with its source and derivation."""

    key: LineKey
    value: Decimal
    quantity: Decimal
    unit: str
    components: tuple[EntryComponent, ...]
    duty: Decimal | None  # None when any component cannot be computed (never 0)
    cannot_compute: tuple[str, ...]
    warnings: tuple[str, ...]
    basis_note: str
    shipments: tuple[str, ...]
    lots: tuple[str, ...] = ()

    @property
    def hts(self) -> str:
        return self.key.hts

    @property
    def origin(self) -> str:
        return self.key.origin

    @property
    def status(self) -> str:
        return self.key.status


@dataclass(frozen=True)
class NpfRecompute:
    """The NPF content's duty estimated at admission against what is owed at exit."""

    estimate: Decimal | None  # inputs at their own rates on their admission dates
    at_exit: Decimal | None  # the article's rate on the filing date
    cannot_compute: tuple[str, ...]

    @property
    @in_money_context
    def difference(self) -> Decimal | None:
        if self.estimate is None or self.at_exit is None:
            return None
        return self.at_exit - self.estimate


@dataclass(frozen=True)
class WithdrawalDuty:
    """Duty on one removal: its lines by status, what was excluded and why."""

    removal: Removal
    entry_date: date
    lines: tuple[EntryLine, ...]
    domestic_value: Decimal
    waste_value: Decimal
    notes: tuple[str, ...]
    npf_recompute: NpfRecompute | None = None

    @property
    @in_money_context
    def duty(self) -> Decimal | None:
        if any(line.duty is None for line in self.lines):
            return None
        return sum((line.duty for line in self.lines if line.duty is not None), ZERO)

    @property
    @in_money_context
    def foreign_value(self) -> Decimal:
        return sum((line.value for line in self.lines), ZERO)

    @property
    def cannot_compute(self) -> tuple[str, ...]:
        return tuple(r for line in self.lines for r in line.cannot_compute)


def refusal(removal: Removal) -> Problem | None:
    """Zone-restricted content cannot be entered for consumption (146.44(c), 146.63(b))."""
    consumed = removal.disposition is RemovalDisposition.CONSUMPTION
    if consumed and removal.composition.zr_value > ZERO:
        return Problem(
            f"shipment {removal.shipment_no}: contains zone-restricted merchandise "
            f"({usd(removal.composition.zr_value)}); it may not be entered for consumption "
            "unless the FTZ Board allows it (19 CFR 146.44(c), 146.63(b)) — export or "
            "destroy it instead",
            field="status",
            code="weekly.zone-restricted",
        )
    return None


_Slot = tuple[str, str, str, str | None, date | None, str]  # status, hts, origin, spi, pf, unit


def line_parts(removals: Iterable[Removal]) -> list[LinePart]:
    """The entry-line pieces of removals for consumption, summed per line key (146.63(c)).

    Each PF component is its own piece under its frozen HTS, origin and PF date; the NPF
    content of a removal is one piece under the article's HTS and origin, with the
    article's quantity (specific rates apply to it, 146.65(a)(2)). Pieces with the same
    HTS, origin, status, SPI and PF date add up into one line; quantities add only when the
    unit agrees (one line carries one reporting quantity). Other dispositions give no
    pieces. The caller refuses zone-restricted content first (`refusal`).

    This runs once per removal on plain tuples, so a week of 100,000 removals is grouped
    before anything is priced.
    """
    acc: dict[_Slot, tuple[list[Decimal], list[str], list[str]]] = {}
    consumption = RemovalDisposition.CONSUMPTION
    for removal in removals:
        if removal.disposition is not consumption:
            continue
        comp = removal.composition
        ship = removal.shipment_no
        for pf in comp.pf:
            slot: _Slot = ("PF", pf.hts, pf.origin, pf.spi, pf.pf_date, pf.unit)
            found = acc.get(slot)
            if found is None:
                found = acc[slot] = ([ZERO, ZERO], [], [])
            found[0][0] += pf.value
            found[0][1] += pf.quantity
            found[1].append(ship)
            if pf.lot:
                found[2].append(pf.lot)
        if comp.npf:
            slot = ("NPF", removal.hts, removal.origin, removal.spi, None, removal.unit)
            found = acc.get(slot)
            if found is None:
                found = acc[slot] = ([ZERO, ZERO], [], [])
            for npf in comp.npf:
                found[0][0] += npf.value
                if npf.lot:
                    found[2].append(npf.lot)
            found[0][1] += removal.quantity
            found[1].append(ship)
    parts = [
        LinePart(
            key=LineKey(hts, origin, status, spi, pf_date),
            value=sums[0],
            quantity=sums[1],
            unit=unit,
            shipments=tuple(dict.fromkeys(ships)),
            lots=tuple(dict.fromkeys(lots)),
        )
        for (status, hts, origin, spi, pf_date, unit), (sums, ships, lots) in acc.items()
    ]
    parts.sort(key=lambda p: (p.key.sort_key(), p.unit))
    return parts


def split(removal: Removal) -> tuple[LinePart, ...]:
    """The entry-line pieces of one removal for consumption; none for other dispositions.

    Raises `InputError` for zone-restricted content (146.63(b)).
    """
    problem = refusal(removal)
    if problem is not None:
        raise InputError(problem)
    return tuple(line_parts([removal]))


def _basis_note(key: LineKey) -> str:
    if key.status == "PF":
        return (
            f"privileged foreign: classification, rate and value frozen at PF filing "
            f"{key.pf_date} (19 CFR 146.65(a)(1)); measures that override the freeze "
            "apply on the entry date"
        )
    return (
        "non-privileged foreign: the article's classification and rate on the entry date, "
        "on the dutiable value of its NPF content (19 CFR 146.65(a)(2), (b)(2))"
    )


@in_money_context
def price(part: LinePart, quoter: Quoter, entry_date: date) -> EntryLine:
    """Quote one entry line: PF at its freeze date, NPF on the entry date."""
    key = part.key
    request = DutyRequest(
        hts=key.hts,
        origin=key.origin,
        value=part.value,
        quantities={part.unit: part.quantity} if part.unit else {},
        spi=key.spi,
    )
    frozen_on = key.pf_date if key.status == "PF" else None
    missing = [name for name, given in (("HTS", key.hts), ("origin", key.origin)) if not given]
    if missing:
        return EntryLine(
            key=key,
            value=part.value,
            quantity=part.quantity,
            unit=part.unit,
            components=(),
            duty=None,
            cannot_compute=(
                f"{key.status} content of lot(s) {', '.join(part.lots) or '?'} has no "
                f"{' or '.join(missing)} recorded: record it on the part or admission",
            ),
            warnings=(),
            basis_note=_basis_note(key),
            shipments=part.shipments,
            lots=part.lots,
        )
    quoted = quoter(request, entry_date, frozen_on)
    return EntryLine(
        key=key,
        value=part.value,
        quantity=part.quantity,
        unit=part.unit,
        components=tuple(EntryComponent.of(c) for c in quoted.components),
        duty=quoted.duty,
        cannot_compute=tuple(quoted.cannot_compute),
        warnings=tuple(quoted.warnings),
        basis_note=_basis_note(key),
        shipments=part.shipments,
        lots=part.lots,
    )


def npf_recompute(removal: Removal, at_exit: EntryLine | None, quoter: Quoter) -> NpfRecompute:
    """Estimate (NPF inputs at their own rates when admitted) vs the duty owed at exit."""
    reasons: list[str] = []
    estimate: Decimal | None = ZERO
    for npf in removal.composition.npf:
        quoted = quoter(
            DutyRequest(npf.hts, npf.origin, npf.value, {npf.unit: npf.quantity}),
            npf.admitted_on,
            None,
        )
        reasons.extend(quoted.cannot_compute)
        estimate = None if estimate is None or quoted.duty is None else estimate + quoted.duty
    owed = at_exit.duty if at_exit is not None else ZERO
    if at_exit is not None:
        reasons.extend(at_exit.cannot_compute)
    return NpfRecompute(estimate=estimate, at_exit=owed, cannot_compute=tuple(reasons))


@in_money_context
def withdrawal_duty(
    removal: Removal, quoter: Quoter, entry_date: date, *, with_estimate: bool = True
) -> WithdrawalDuty:
    """Duty on one removal filed on `entry_date`, one line per PF component plus the NPF line."""
    comp = removal.composition
    notes: list[str] = []
    if removal.disposition is not RemovalDisposition.CONSUMPTION:
        notes.append(NO_DUTY_REASONS[removal.disposition])
        return WithdrawalDuty(
            removal, entry_date, (), comp.domestic_value, comp.waste_value, tuple(notes)
        )
    lines = tuple(price(part, quoter, entry_date) for part in split(removal))
    if comp.domestic_value > ZERO:
        notes.append(
            f"domestic content {usd(comp.domestic_value)}: no duty and not in the dutiable "
            "value (19 CFR 146.43(c); 19 USC 81c(a))"
        )
    if comp.waste_value > ZERO:
        notes.append(
            f"foreign inputs lost as waste {usd(comp.waste_value)}: allowed for, not dutiable "
            "(19 USC 81c(a))"
        )
    recompute = None
    if with_estimate and comp.npf:
        npf_line = next((line for line in lines if line.status == "NPF"), None)
        recompute = npf_recompute(removal, npf_line, quoter)
    return WithdrawalDuty(
        removal,
        entry_date,
        lines,
        comp.domestic_value,
        comp.waste_value,
        tuple(notes),
        recompute,
    )


def total_duty(lines: Sequence[EntryLine]) -> Decimal | None:
    """Sum of line duties, or None when any line cannot be computed (never a silent 0)."""
    if any(line.duty is None for line in lines):
        return None
    return sum((line.duty for line in lines if line.duty is not None), ZERO)


# ------------------------------------------------- the naive NPF claim vs the lawful answer

class PfRequired(Protocol):
    """`(hts, origin, on, spi=) -> reasons PF status is required` (the shell passes
    `MeasureBook.pf_required`, rendered as text; a granted preference claim `spi` can lift
    a measure and so its PF clause)."""

    def __call__(
        self, hts: str, origin: str, on: date, *, spi: str | None = None
    ) -> list[str]: ...


@dataclass(frozen=True)
class Input:
    """A foreign input per unit of the article: what it is, where from, what it cost."""

    part: str
    hts: str
    origin: str
    value: Decimal
    quantity: Decimal
    unit: str
    spi: str | None = None  # the preference claimed for it at admission, if any


@dataclass(frozen=True)
class StatusComparison:
    """The same goods entered two ways: every input NPF (the claim) and as the law requires."""

    naive: WithdrawalDuty
    lawful: WithdrawalDuty
    pf_reasons: Mapping[str, tuple[str, ...]]  # part -> why it must be PF

    @property
    def explanation(self) -> str:
        if not any(self.pf_reasons.values()):
            return (
                "no input is covered by a measure that requires privileged foreign status: "
                "NPF status at the article's rate is available (19 CFR 146.65(a)(2))"
            )
        lines = [
            "the NPF claim is not available for these inputs: merchandise covered by a "
            "measure that requires privileged foreign status must be admitted PF "
            "(15 CFR 400.13; 19 CFR 146.41), and PF components pay their own classification, "
            "rate and value frozen at admission on entry for consumption (19 CFR "
            "146.65(a)(1)); only exported units escape that duty"
        ]
        for part, reasons in sorted(self.pf_reasons.items()):
            if reasons:
                lines.append(f"{part}: PF required — {'; '.join(reasons)}")
        return "\n".join(lines)


@in_money_context
def compare_npf_claim(
    article: Removal,
    inputs: Sequence[Input],
    admitted_on: date,
    entry_date: date,
    quoter: Quoter,
    pf_required: PfRequired,
) -> StatusComparison:
    """Duty on `article` if every input were NPF, against the status the law requires.

    The inverted-tariff strategy (pay the finished article's lower rate on NPF inputs) works
    only for inputs no PF-requiring measure covers (domain §1). Inputs are per unit of the
    article; `article.quantity` units are entered on `entry_date`.
    """
    qty = article.quantity
    reasons = {
        i.part: tuple(
            pf_required(i.hts, i.origin, admitted_on, spi=i.spi)
            if i.spi
            else pf_required(i.hts, i.origin, admitted_on)
        )
        for i in inputs
    }
    naive_npf = tuple(
        NpfInput(i.part, i.hts, i.origin, i.value * qty, i.quantity * qty, i.unit, admitted_on)
        for i in inputs
    )
    naive = Removal(
        article.shipment_no, article.date, article.part, article.hts, article.origin, qty,
        article.unit, RemovalDisposition.CONSUMPTION, Composition(npf=naive_npf),
        article.zone_value, article.spi, article.description,
    )
    lawful_pf = tuple(
        PfComponent(i.part, i.hts, i.origin, i.value * qty, i.quantity * qty, i.unit,
                    admitted_on)
        for i in inputs
        if reasons[i.part]
    )
    lawful_npf = tuple(n for n in naive_npf if not reasons[n.part])
    lawful = Removal(
        article.shipment_no, article.date, article.part, article.hts, article.origin, qty,
        article.unit, RemovalDisposition.CONSUMPTION, Composition(pf=lawful_pf, npf=lawful_npf),
        article.zone_value, article.spi, article.description,
    )
    return StatusComparison(
        naive=withdrawal_duty(naive, quoter, entry_date, with_estimate=False),
        lawful=withdrawal_duty(lawful, quoter, entry_date, with_estimate=False),
        pf_reasons=reasons,
    )
