"""Special program indicators (SPI): when a claimed preference gives the Special rate.

HTSUS General Note 3(c)(i) lists the programs whose indicators appear in the Special rate
column. A claim is granted only when (1) the program exists and is in force on the date,
(2) the line prints a Special rate for that indicator, and (3) the country of origin
qualifies. Otherwise it is refused with the reason and the General (column 1) rate applies.

What the data can and cannot verify (`data/tariff/spi_programs.csv`):
- FTAs with named partners (AU, BH, CL, CO, IL, JO, JP, KR, MA, OM, PA, PE, SG; P/P+ for
  CAFTA-DR; S/S+ for USMCA): the origin must be a partner, else refused.
- GSP (A, A*, A+): authorization lapsed after 2020-12-31 (19 USC 2465); a claim for a later
  date is refused. NAFTA codes CA/MX were superseded by USMCA on 2020-07-01; ATPA (J, J*)
  expired after 2013-07-31: refused after those dates.
- Unilateral programs whose beneficiary lists are not shipped (AGOA D, CBERA E/E*, CBTPA R,
  Nepal NP; GSP before it lapsed): granted with a warning "cannot verify beneficiary" rather
  than silently accepted — the importer must hold the evidence (General Notes 4, 7, 16, 17).
- Country-neutral sectoral programs (B, C, K, L): granted with a warning that the article
  must meet the program's conditions (General Notes 5, 6, 13, 14).
Rules of origin themselves (tariff shift, regional value content) are the importer's claim;
the software checks only what the tariff and the origin can show.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from zonekeeper.errors import InputError, Problem
from zonekeeper.tariff.expressions import Rate

# Statutory end dates of programs the shipped note only describes in words.
_ENDED: Mapping[str, tuple[date, str]] = {
    "A": (date(2020, 12, 31), "GSP authorization lapsed after 2020-12-31 (19 USC 2465)"),
    "A*": (date(2020, 12, 31), "GSP authorization lapsed after 2020-12-31 (19 USC 2465)"),
    "A+": (date(2020, 12, 31), "GSP authorization lapsed after 2020-12-31 (19 USC 2465)"),
    "CA": (date(2020, 6, 30), "NAFTA was superseded by USMCA on 2020-07-01; claim S or S+"),
    "MX": (date(2020, 6, 30), "NAFTA was superseded by USMCA on 2020-07-01; claim S or S+"),
    "J": (date(2013, 7, 31), "ATPA expired after 2013-07-31"),
    "J*": (date(2013, 7, 31), "ATPA expired after 2013-07-31"),
}
_SECTORAL = frozenset({"B", "C", "K", "L"})


@dataclass(frozen=True)
class PreferenceProgram:
    """One SPI code from General Note 3(c)(i)."""

    code: str
    name: str
    general_note: str
    kind: str
    partners: frozenset[str] | None  # ISO alpha-2; None = not a named-partner agreement
    ended: date | None
    ended_reason: str | None
    note: str


@dataclass(frozen=True)
class SpiDecision:
    """The outcome of a claim: the Special rate when granted, else the reason it was refused."""

    spi: str
    rate: Rate | None
    refused: str | None
    warnings: tuple[str, ...] = ()

    @property
    def granted(self) -> bool:
        return self.rate is not None


@dataclass(frozen=True)
class PreferencePrograms:
    """Every SPI code known, by code."""

    programs: Mapping[str, PreferenceProgram]

    def get(self, code: str) -> PreferenceProgram:
        """The program for an indicator; InputError for a code that is no program."""
        found = self.programs.get(code.strip().upper())
        if found is None:
            known = ", ".join(sorted(self.programs))
            raise InputError(Problem(f"unknown SPI code {code!r} (known: {known})", field="spi",
                                     code="tariff.spi.unknown"))
        return found

    def decide(
        self,
        spi: str,
        origin: str,
        on: date,
        special: Mapping[str, Rate],
        line_code: str,
        general: Rate | None = None,
    ) -> SpiDecision:
        """Grant or refuse a claim of `spi` for goods of `origin` entered on `on`.

        Where the General rate is already Free, USITC prints no Special column, yet a claim
        still matters: measures exempt qualifying goods (USMCA-originating auto parts from
        Section 232, proclamation of 2025-03-26 cl. 3). Such a claim is granted at the Free
        General rate when the origin qualifies, with a note that it changes no base duty.
        """
        program = self.get(spi)
        code = program.code
        if program.ended is not None and on > program.ended:
            return SpiDecision(code, None, f"SPI {code}: {program.ended_reason}")
        rate = special.get(code)
        free_anyway: list[str] = []
        if rate is None and general is not None and general.is_free and not special:
            rate = general
            free_anyway.append(
                f"SPI {code}: HTS {line_code} is Free under the General rate; the claim "
                "changes no base duty but counts for measures that exempt qualifying goods"
            )
        if rate is None:
            return SpiDecision(
                code, None, f"SPI {code}: HTS {line_code} has no Special rate for {code}"
            )
        if program.partners is not None and origin not in program.partners:
            partners = ", ".join(sorted(program.partners))
            return SpiDecision(
                code,
                None,
                f"SPI {code} ({program.name}): origin {origin} is not a party "
                f"(parties: {partners})",
            )
        warnings: list[str] = free_anyway
        if code in _SECTORAL:
            warnings.append(
                f"SPI {code} ({program.name}) is country-neutral: the article must meet the "
                f"conditions of General Note {program.general_note}"
            )
        elif program.partners is None:
            warnings.append(
                f"SPI {code} ({program.name}): cannot verify beneficiary — the beneficiary "
                f"list (General Note {program.general_note or '?'}) is not shipped; "
                f"confirm {origin} qualifies on {on.isoformat()}"
            )
        return SpiDecision(code, rate, None, tuple(warnings))


def parse_programs(text: str) -> PreferencePrograms:
    programs: dict[str, PreferenceProgram] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["spi_code"].strip()
        partners_text = row["partner_iso2"].strip()
        ended = _ENDED.get(code)
        programs[code] = PreferenceProgram(
            code=code,
            name=row["program"].strip(),
            general_note=row["hts_general_note"].strip(),
            kind=row["kind"].strip(),
            partners=frozenset(p.strip() for p in partners_text.split(";") if p.strip())
            if partners_text
            else None,
            ended=ended[0] if ended else None,
            ended_reason=ended[1] if ended else None,
            note=row["note"].strip(),
        )
    return PreferencePrograms(programs)

