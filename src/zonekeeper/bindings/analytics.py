"""The duty engine behind the analytics' `Pricer` seam (`analytics.ports`).

An importer's file repeats the same HTS, origin and claim on many lines, over dates on which
the tariff does not change. A line is keyed on those and on its tariff period: the span
between two dates on which the tariff's data changes (a revision's effective date, a
measure's first and day-after-last dates and a product list's inclusion dates, the day after
a preference program ended, a Column 2 country's start). Where the rates of a key are all
ad valorem (the duty of every component is linear in the value), the key is quoted once and
each line's duty is its value times each component's rate, rounded to the cent per
component as `duty.quote_line` rounds them — the same figures at a fraction of the cost.
Any other key (a specific or compound rate needing the line's quantity) is quoted line by
line. A key the engine refuses (an HTS in no revision, no tariff for the date, a content
value the file cannot give) is refused with the engine's reasons.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from zonekeeper.analytics.ports import Priced, Program
from zonekeeper.analytics.records import EntryLine
from zonekeeper.duty.quote import LineItem, LineQuote, quote_line
from zonekeeper.errors import InputError
from zonekeeper.money import ZERO, cents, in_money_context
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.units import read_unit

_Key = tuple[str, str, str | None, int]  # hts, origin, claim, tariff period
DAY = dt.timedelta(days=1)
HUNDRED = Decimal(100)
_PROBE = (Decimal(100), Decimal(1000))


@dataclass(frozen=True)
class _Card:
    """A key's answer: the ad valorem percentages of its components (None: quote each line)
    or the refusal's reasons, and why a claimed preference was not granted."""

    percents: tuple[Decimal, ...] | None
    refused: tuple[str, ...] = ()
    spi_refused: str | None = None
    quoted: bool = True  # False: the engine refused the probe, the claim was not decided


def _spi_refused(quote: LineQuote, spi: str | None) -> str | None:
    if not spi or quote.column.startswith("Special"):
        return None
    said = [w for w in quote.warnings if w.startswith(f"SPI {spi}")]
    return said[0] if said else f"SPI {spi} not granted for HTS {quote.hts}"


def change_dates(tariff: Tariff) -> tuple[dt.date, ...]:
    """Every date from which the tariff's data may price a line differently (see the module
    docstring), sorted: a line's tariff period is the number of them on or before its date."""
    points = {r.effective for r in tariff.schedule.revisions}
    for m in tariff.measures.measures:
        points.add(m.valid_from)
        if m.valid_to is not None:
            points.add(m.valid_to + DAY)
    points.update(c.since for c in tariff.measures.covers if c.since is not None)
    points.update(p.ended + DAY for p in tariff.programs.programs.values()
                  if p.ended is not None)
    points.update(c.valid_from for c in tariff.column2.values())
    return tuple(sorted(points))


@dataclass
class TariffPricer:
    """`analytics.ports.Pricer` answered by `duty.quote_line` on the real tariff."""

    tariff: Tariff
    cards: dict[_Key, _Card] = field(default_factory=dict)
    offered: dict[tuple[str, str, int], tuple[Program, ...]] = field(default_factory=dict)
    changes: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        self.changes = change_dates(self.tariff)
        revisions = self.tariff.schedule.revisions
        self.first = revisions[0] if revisions else None

    def period(self, on: dt.date) -> int:
        """The tariff period of a date (see `change_dates`)."""
        return bisect_right(self.changes, on)

    def _quote(self, hts: str, origin: str, value: Decimal, quantities: dict[str, Decimal],
               spi: str | None, on: dt.date) -> LineQuote:
        return quote_line(self.tariff, LineItem(hts, origin, value, quantities, spi), on)

    def _card(self, key: _Key, on: dt.date) -> _Card:
        """The key's card, made on `on` (any date of the key's period prices the same)."""
        found = self.cards.get(key)
        if found is not None:
            return found
        hts, origin, spi, _ = key
        if self.first is None or on < self.first.effective:
            first = (f"{self.first.name}, in force from {self.first.effective}" if self.first
                     else "none is loaded")
            card = _Card(None, (f"no tariff revision for dates before the earliest loaded "
                                f"({first})",), quoted=False)
            self.cards[key] = card
            return card
        try:
            low, high = (self._quote(hts, origin, v, {}, spi, on) for v in _PROBE)
        except InputError as error:
            if any(p.field == "quantity" for p in error.problems):
                card = _Card(None, quoted=False)
            else:
                card = _Card(None, tuple(f"{hts}: {p.message}" for p in error.problems),
                             quoted=False)
            self.cards[key] = card
            return card
        if low.cannot_compute:
            card = _Card(None, tuple(low.cannot_compute), _spi_refused(low, spi))
        elif len(low.components) == len(high.components) and all(
            a.exact * 10 == b.exact for a, b in zip(low.components, high.components, strict=True)
        ):
            card = _Card(tuple(c.exact for c in low.components), (), _spi_refused(low, spi))
        else:
            card = _Card(None, (), _spi_refused(low, spi))
        self.cards[key] = card
        return card

    @in_money_context
    def price(self, line: EntryLine, spi: str | None) -> Priced:
        """The line's duty on its entry date claiming `spi` (see the module docstring)."""
        card = self._card((line.hts, line.origin, spi, self.period(line.entry_date)),
                          line.entry_date)
        if card.refused:
            return Priced(None, card.refused, card.spi_refused)
        if card.percents is not None:
            duty = sum((cents(line.value * p / HUNDRED) for p in card.percents), ZERO)
            return Priced(duty, (), card.spi_refused)
        quantities: dict[str, Decimal] = {}
        unit = read_unit(line.unit) if line.unit else None
        if unit is not None and line.quantity is not None:
            quantities[unit.key] = line.quantity
        try:
            quote = self._quote(line.hts, line.origin, line.value, quantities, spi,
                                line.entry_date)
        except InputError as error:
            return Priced(None, tuple(f"{line.hts}: {p.message}" for p in error.problems))
        return Priced(quote.duty, tuple(quote.cannot_compute), _spi_refused(quote, spi))

    def programs(self, line: EntryLine) -> tuple[Program, ...]:
        """Partner programs (free trade agreements naming their parties) whose claim the
        tariff grants for the line's HTS and origin on its entry date. A line whose rate
        needs its quantity is not probed (none offered): a gap, not a refusal."""
        period = self.period(line.entry_date)
        key = (line.hts, line.origin, period)
        found = self.offered.get(key)
        if found is not None:
            return found
        granted = []
        for program in self.tariff.programs.programs.values():
            if program.partners is None or line.origin not in program.partners:
                continue
            if program.ended is not None and line.entry_date > program.ended:
                continue
            card = self._card((line.hts, line.origin, program.code, period), line.entry_date)
            if card.quoted and card.spi_refused is None:
                granted.append(Program(program.code, program.name, program.general_note))
        self.offered[key] = tuple(granted)
        return self.offered[key]
