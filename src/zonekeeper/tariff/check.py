"""How much of the loaded tariff the rate parser understands (`zonekeeper tariff check`).

Every distinct rate text of every revision (General, Special and Column 2, HTSUS General
Note 3) is parsed; the report lists each text that does not parse with one HTS code and column
where it is printed, so a new USITC revision's new wording is found before a quote needs it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.rate_parser import parse_rate, parse_special
from zonekeeper.tariff.schedule import Revision, Schedule


@dataclass(frozen=True)
class Unparsed:
    """A rate text the parser cannot read, and where it is first printed."""

    text: str
    column: str
    hts: str
    revision: str


@dataclass(frozen=True)
class CheckReport:
    distinct: int
    parsed: int
    unparsed: tuple[Unparsed, ...]
    kinds: tuple[tuple[str, int], ...]  # rate kind -> number of distinct rates of that kind
    revisions: tuple[str, ...]

    @property
    def parse_rate_pct(self) -> float:
        """Share of distinct strings that parse, in percent (a display figure, not money)."""
        return 100.0 * self.parsed / self.distinct if self.distinct else 100.0


def check_schedule(schedule: Schedule) -> CheckReport:
    """Parse every distinct (column, text) of every revision; first occurrence is the example."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for revision in schedule.revisions:
        for column, text, digits in revision.rate_texts():
            first.setdefault((column, text), (digits, revision.name))
    kinds: Counter[str] = Counter()
    unparsed: list[Unparsed] = []
    for (column, text), (digits, revision_name) in first.items():
        if column == "special":
            special = parse_special(text)
            ok = special.computable
            kinds.update(rate.kind for rate in special.rates())
        else:
            rate = parse_rate(text)
            ok = rate.computable
            kinds[rate.kind] += 1
        if not ok:
            unparsed.append(Unparsed(text, column, HtsCode(digits).dotted, revision_name))
    return CheckReport(
        distinct=len(first),
        parsed=len(first) - len(unparsed),
        unparsed=tuple(unparsed),
        kinds=tuple(sorted(kinds.items())),
        revisions=tuple(r.name for r in schedule.revisions),
    )


def unparsed_in(revision: Revision) -> tuple[Unparsed, ...]:
    """The rate texts of one revision the parser cannot read (what `tariff import` lists)."""
    return check_schedule(Schedule([revision])).unparsed
