"""How much of the loaded tariff the rate parser understands (`zonekeeper tariff check`).

Every distinct rate text of every revision (General, Special and Column 2, HTSUS General
Note 3) is parsed; the report lists each text that does not parse with one HTS code and column
where it is printed, so a new USITC revision's new wording is found before a quote needs it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.rate_parser import parse_rate, parse_special
from zonekeeper.tariff.schedule import Revision, Schedule


@dataclass(frozen=True)
class Unparsed:
    """A rate text the parser cannot read, and where it is first printed; `reason` says why
    when it is a known error of the source (`SOURCE_ERRORS`)."""

    text: str
    column: str
    hts: str
    revision: str
    reason: str = ""


# Texts of the shipped USITC exports that are not rates of duty but errors in the source,
# each with what the export prints instead elsewhere. They are listed, never parsed by
# guesswork: a quote on such a line says it cannot compute the rate.
SOURCE_ERRORS = {
    ("column2", "37% /"): "a stray ' /' after the rate (2021-2025 exports); later revisions "
                          "print 37%",
    ("general", "2.2%`"): "a stray backquote after the rate (2021 export); from 2022 the "
                          "line prints 2.2%",
    ("column2", ":"): "a colon where the export has no column 2 rate (Chapter 99 "
                      "provision, every revision)",
    ("special", "(A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)"):
        "program codes without their rate (2022 export); from 2023 the line prints "
        "Free (A+,AU,...)",
    ("special", "98.7/¢kg (P+)"): "'/' before '¢' (2023 export): 98.7¢/kg is likely but "
                                  "not printed; 2022 and 2024 print $1.35/kg and 90.5¢/kg",
    ("general", "[The duty provided in the applicable subheading + 100%]"):
        "in brackets: a heading printed before it took effect (2024 export); 2025 prints "
        "it without brackets",
}


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

    @property
    def explained(self) -> tuple[Unparsed, ...]:
        """The texts that do not parse because the source is in error (`SOURCE_ERRORS`)."""
        return tuple(u for u in self.unparsed if u.reason)

    @property
    def rates_parsed_pct(self) -> float:
        """Share of the distinct texts that are rates (the source errors left out) that
        parse, in percent (a display figure)."""
        rates = self.distinct - len(self.explained)
        return 100.0 * self.parsed / rates if rates else 100.0


def check_schedule(schedule: Schedule) -> CheckReport:
    """Parse every distinct (column, text) of every revision; first occurrence is the example."""
    return check_texts((r.name, r.rate_texts()) for r in schedule.revisions)


def check_texts(revisions: Iterable[tuple[str, Iterable[tuple[str, str, str]]]]) -> CheckReport:
    """`check_schedule` over (revision name, its (column, text, digits)) in date order: the
    texts can come from a store without building each revision (`tariff.history`)."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    names = []
    for name, texts in revisions:
        names.append(name)
        for column, text, digits in texts:
            first.setdefault((column, text), (digits, name))
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
            unparsed.append(Unparsed(text, column, HtsCode(digits).dotted, revision_name,
                                     SOURCE_ERRORS.get((column, text), "")))
    return CheckReport(
        distinct=len(first),
        parsed=len(first) - len(unparsed),
        unparsed=tuple(unparsed),
        kinds=tuple(sorted(kinds.items())),
        revisions=tuple(names),
    )


def unparsed_in(revision: Revision) -> tuple[Unparsed, ...]:
    """The rate texts of one revision the parser cannot read (what `tariff import` lists)."""
    return check_schedule(Schedule([revision])).unparsed
